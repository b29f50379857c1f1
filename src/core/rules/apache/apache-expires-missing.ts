import type { FileRule } from '../rule.js';
import { APACHE_GATHERER_ID, type ApacheArtifact } from '../../gatherers/apache.js';
import { apacheScopeOf } from '../../config/apache/scope.js';
import { appendBlock, eolOf, expiresBlock, indentUnit } from '../../config/apache/fixes.js';
import type { ApacheDirective } from '../../config/apache/parse.js';
import { apacheAnchor } from './apache-compression-missing.js';

export const apacheExpiresMissing: FileRule<ApacheArtifact> = {
  kind: 'file',
  gatherer: APACHE_GATHERER_ID,
  meta: {
    id: 'apache-expires-missing',
    title: 'Apache sets browser caching for static files',
    failureTitle: 'Apache sends static files without a browser cache lifetime',
    description: 'Neither mod_expires (ExpiresActive On with ExpiresByType) nor a `Header set Cache-Control` gives CSS, JavaScript and images a cache lifetime, so browsers revalidate or re-download them on every visit.',
    area: 'config',
    checklistItem: 'browser-caching',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const scope = apacheScopeOf(ctx.path, ctx.artifactsOf<ApacheArtifact>(APACHE_GATHERER_ID));
    if (!scope) return;
    const on: ApacheDirective[] = [];
    const off: { path: string; d: ApacheDirective }[] = [];
    const rules: { path: string; d: ApacheDirective }[] = [];
    let headers = 0;
    for (const m of scope.members) {
      const c = m.artifact.facts.caching;
      on.push(...c.expiresOn);
      off.push(...c.expiresOff.map((d) => ({ path: m.path, d })));
      rules.push(...c.expiresRules.map((d) => ({ path: m.path, d })));
      headers += c.cacheHeaders.length;
    }
    if (headers) return;
    if (rules.length && on.length) return;
    if (rules.length) {
      // ExpiresByType without ExpiresActive On does nothing.
      const first = rules[0];
      const file = first.path;
      const turnedOff = off.find((o) => o.path === file) ?? off[0];
      if (turnedOff) {
        const arg = turnedOff.d.args[0];
        ctx.report({
          file: turnedOff.path,
          span: turnedOff.d.span,
          message: `ExpiresActive Off disables the ${first.d.name} rules: static files get no cache lifetime.`,
          fixes: arg ? [{ title: 'Turn mod_expires on (ExpiresActive On)', preferred: true, changes: [{ file: turnedOff.path, edits: [{ span: arg.span, newText: 'On' }] }] }] : [],
          data: { reason: 'expires-off' },
        });
        return;
      }
      const text = ctx.ws.textOf(file) ?? '';
      const lineStart = first.d.span.start - first.d.indent.length;
      ctx.report({
        file,
        span: first.d.span,
        message: `${first.d.name} has no effect without "ExpiresActive On": static files get no cache lifetime.`,
        fixes: [{ title: 'Add ExpiresActive On', preferred: true, changes: [{ file, edits: [{ span: { start: lineStart, end: lineStart }, newText: `${first.d.indent}ExpiresActive On${eolOf(text)}` }] }] }],
        data: { reason: 'expires-inactive' },
      });
      return;
    }
    const where = scope.members.length > 1 ? 'these Apache configs' : 'this Apache config';
    ctx.report({
      span: apacheAnchor(ctx.artifact.config),
      message: `No browser caching for static files in ${where}: without ExpiresByType (mod_expires) or a Cache-Control header, browsers revalidate or re-download CSS, JavaScript and images on every visit. Give them a lifetime, and fingerprinted files a year.`,
      fixes: [{
        title: 'Add mod_expires defaults and a 1-year Cache-Control for fingerprinted files',
        preferred: true,
        changes: [{ file: ctx.path, edits: [appendBlock(ctx.text, expiresBlock(), indentUnit(ctx.artifact.config))] }],
      }],
      data: { reason: 'missing' },
    });
  },
};
