import type { FileRule, RuleReport } from '../../../kernel/contracts.js';
import type { Span } from '../../../kernel/model.js';
import { APACHE_GATHERER_ID, type ApacheArtifact } from '../gather.js';
import { COMPRESSIBLE } from '../analyze.js';
import { apacheScopeOf } from '../scope.js';
import { appendBlock, compressionBlock, indentUnit } from '../fixes.js';
import type { ApacheConfig } from '../parse.js';

/** Where a "missing" finding goes: the first <VirtualHost> tag, else the first directive or section. */
export function apacheAnchor(config: ApacheConfig): Span {
  const vh = config.sections.find((s) => s.lname === 'virtualhost');
  if (vh) return vh.openSpan;
  const first = config.nodes[0];
  if (!first) return { start: 0, end: 0 };
  return first.kind === 'section' ? first.openSpan : first.span;
}

/** The types to add for the missing COMPRESSIBLE labels (JavaScript goes by two names). */
function typesFor(labels: string[]): string[] {
  return labels.flatMap((l) => (l === 'application/javascript' ? ['text/javascript', 'application/javascript'] : [l]));
}

export const apacheCompressionMissing: FileRule<ApacheArtifact> = {
  kind: 'file',
  gatherer: APACHE_GATHERER_ID,
  meta: {
    id: 'apache-compression-missing',
    title: 'Apache compresses text responses',
    failureTitle: 'Apache serves CSS, JavaScript, JSON or SVG uncompressed',
    description: 'No mod_deflate / mod_brotli output filter covers text/css, application/javascript, application/json and image/svg+xml, so these responses go over the network at full size (typically 3-5 times larger than gzip).',
    domain: 'apache',
    checklistItem: 'compression',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const scope = apacheScopeOf(ctx.path, ctx.artifactsOf<ApacheArtifact>(APACHE_GATHERER_ID));
    if (!scope) return;
    let all = false;
    const covered = new Set<string>();
    const byType: { path: string; d: ApacheArtifact['facts']['compression']['byType'][number] }[] = [];
    for (const m of scope.members) {
      const c = m.artifact.facts.compression;
      all ||= c.all;
      for (const l of c.covered) covered.add(l);
      for (const d of c.byType) byType.push({ path: m.path, d });
    }
    if (all) return;
    const missing = COMPRESSIBLE.map((c) => c.label).filter((l) => !covered.has(l));
    if (!missing.length) return;
    const where = scope.members.length > 1 ? 'these Apache configs' : 'this Apache config';
    const last = byType[byType.length - 1];
    if (last) {
      const file = last.path;
      const add = typesFor(missing);
      const report: RuleReport = {
        file,
        span: last.d.span,
        message: `Compression is on, but not for ${missing.join(', ')}: add ${missing.length === 1 ? 'it' : 'them'} to AddOutputFilterByType so ${missing.length === 1 ? 'it is' : 'they are'} sent compressed.`,
        fixes: [{
          title: `Compress ${missing.join(', ')} too`,
          preferred: true,
          changes: [{ file, edits: [{ span: { start: last.d.span.end, end: last.d.span.end }, newText: ` ${add.join(' ')}` }] }],
        }],
        data: { missing },
      };
      ctx.report(report);
      return;
    }
    ctx.report({
      span: apacheAnchor(ctx.artifact.config),
      message: `No compression in ${where}: CSS, JavaScript, JSON and SVG are sent uncompressed (typically 3-5 times larger than with gzip). Enable mod_deflate with AddOutputFilterByType DEFLATE for text types.`,
      fixes: [{
        title: 'Add a mod_deflate block (AddOutputFilterByType DEFLATE …)',
        preferred: true,
        changes: [{ file: ctx.path, edits: [appendBlock(ctx.text, compressionBlock(), indentUnit(ctx.artifact.config))] }],
      }],
      data: { missing },
    });
  },
};
