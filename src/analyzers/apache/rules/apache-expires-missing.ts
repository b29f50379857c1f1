import type { FileRule } from '../../../kernel/contracts.js';
import { APACHE_GATHERER_ID, type ApacheArtifact } from '../gather.js';
import { apacheScopeOf } from '../scope.js';
import { appendBlock, eolOf, expiresBlock, indentUnit } from '../fixes.js';
import type { ApacheDirective } from '../parse.js';
import { apacheAnchor } from './apache-compression-missing.js';

function describe(seconds: number): string {
  const units: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute']];
  for (const [n, u] of units) if (seconds >= n && seconds % n === 0) return `${seconds / n} ${u}${seconds === n ? '' : 's'}`;
  return `${seconds} seconds`;
}

/**
 * Lifetimes under a week for CSS, JavaScript, images and fonts (nginx-static-cache-missing's bar):
 * each short ExpiresByType / ExpiresDefault (when mod_expires is on and no long Cache-Control header
 * overrides it) and each short `Header set Cache-Control`.
 */
function reportShortLived(ctx: Parameters<FileRule<ApacheArtifact>['check']>[0], members: { path: string; artifact: ApacheArtifact }[], expiresOn: boolean): void {
  const all = members.flatMap((m) => m.artifact.facts.caching.shortLived.map((s) => ({ ...s, path: m.path })));
  const longHeader = members.some((m) => m.artifact.facts.caching.cacheHeaders.some((d) => !m.artifact.facts.caching.shortLived.some((s) => s.d === d)));
  const longByType = members.some((m) => m.artifact.facts.caching.expiresRules.some((d) => d.lname === 'expiresbytype' && !m.artifact.facts.caching.shortLived.some((s) => s.d === d)));
  for (const s of all) {
    const header = s.d.lname === 'header';
    if (!header && (!expiresOn || longHeader)) continue;
    if (s.d.lname === 'expiresdefault' && longByType) continue;
    const arg = s.d.args[s.arg];
    if (!arg) continue;
    const what = s.d.lname === 'expiresbytype' ? `${s.d.name} ${s.d.args[0]?.value ?? ''}` : s.d.lname === 'expiresdefault' ? s.d.name : 'This Cache-Control header';
    let value: string;
    if (header) value = arg.value.replace(/max-age\s*=\s*"?\d+"?/i, 'max-age=604800');
    else value = /^[am]\d+$/i.test(arg.value.trim()) ? `${arg.value.trim()[0]}604800` : 'access plus 1 week';
    const newText = arg.quoted || /\s/.test(value) ? `"${value}"` : value;
    ctx.report({
      file: s.path,
      span: s.d.span,
      message: `${what} gives static files a browser lifetime of only ${describe(s.seconds)}: after that browsers revalidate or re-download CSS, JavaScript and images on every visit. Give them at least a week, and fingerprinted files a year ("public, max-age=31536000, immutable").`,
      fixes: [{ title: header ? 'Cache for 7 days (max-age=604800)' : 'Cache for 7 days ("access plus 1 week")', preferred: true, changes: [{ file: s.path, edits: [{ span: arg.span, newText }] }] }],
      data: { reason: 'too-short', seconds: s.seconds },
    });
  }
}

export const apacheExpiresMissing: FileRule<ApacheArtifact> = {
  kind: 'file',
  gatherer: APACHE_GATHERER_ID,
  meta: {
    id: 'apache-expires-missing',
    title: 'Apache sets browser caching for static files',
    failureTitle: 'Apache sends static files without a browser cache lifetime',
    description: 'Neither mod_expires (ExpiresActive On with ExpiresByType) nor a `Header set Cache-Control` gives CSS, JavaScript and images a cache lifetime, or the lifetime is under a week, so browsers revalidate or re-download them on every visit.',
    domain: 'apache',
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
    if (headers || (rules.length && on.length)) {
      reportShortLived(ctx, scope.members, on.length > 0);
      return;
    }
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
