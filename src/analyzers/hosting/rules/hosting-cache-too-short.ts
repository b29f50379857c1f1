import type { FileRule } from '../../../kernel/contracts.js';
import { HOSTING_GATHERER_ID } from '../gather.js';
import type { HostingArtifact } from '../model.js';
import { ALWAYS_HASHED_DIRS, dependenciesNear, detectLayout } from '../layout.js';
import { literalPrefix } from '../patterns.js';
import { describeSeconds, IMMUTABLE_VALUE, ONE_DAY, parseCacheControl } from '../cache-control.js';
import { quotedValue } from '../fixes.js';

export const hostingCacheTooShort: FileRule<HostingArtifact> = {
  kind: 'file',
  gatherer: HOSTING_GATHERER_ID,
  meta: {
    id: 'hosting-cache-too-short',
    title: 'Fingerprinted assets are cached for at least a day',
    failureTitle: 'Fingerprinted assets are cached for less than a day',
    description: 'A header rule for a folder of fingerprinted files (/_next/static/, /assets/ of a Vite build…) gives them a browser lifetime under one day (or no-cache / no-store): their names change whenever their content does, so they can be cached for a year.',
    domain: 'hosting',
    checklistItem: 'browser-caching',
    defaultSeverity: 'info',
    fixable: true,
  },
  check(ctx) {
    if (ctx.artifact.invalid) return;
    const { deps } = dependenciesNear(ctx.path, ctx.ws, ctx.artifact.base);
    const layout = detectLayout(deps, ctx.artifact.framework);
    const hashedDirs = [...(layout?.hashedDirs ?? []), ...ALWAYS_HASHED_DIRS];
    for (const site of ctx.artifact.sites) {
      for (const rule of site.rules) {
        const cc = rule.cacheControl;
        if (!cc) continue;
        const prefix = literalPrefix(rule.pattern, rule.kind);
        const dir = hashedDirs.find((d) => prefix.startsWith(d));
        if (!dir) continue;
        const parsed = parseCacheControl(cc.value);
        const secs = parsed.browserSeconds;
        if (secs !== undefined && secs >= ONE_DAY) continue;
        const now = secs === undefined ? 'no browser lifetime (no max-age)' : secs === 0 ? `no browser caching ("${cc.value}")` : `a browser lifetime of only ${describeSeconds(secs)} (max-age=${secs})`;
        const editable = cc.editable !== false;
        ctx.report({
          span: cc.span,
          message: `Files under ${dir} are fingerprinted${layout && layout.hashedDirs.includes(dir) ? ` by ${layout.tool}` : ''}, but this rule gives them ${now}: their names change with their content, so they can be cached for a year (Cache-Control: ${IMMUTABLE_VALUE}).`,
          fixes: editable ? [{
            title: `Cache ${dir}* for a year (${IMMUTABLE_VALUE})`,
            preferred: true,
            changes: [{ file: ctx.path, edits: [{ span: cc.span, newText: quotedValue(IMMUTABLE_VALUE, cc.quote) }] }],
          }] : [],
          data: { folder: dir, maxAge: secs ?? null },
        });
      }
    }
  },
};
