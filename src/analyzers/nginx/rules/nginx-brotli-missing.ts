import type { FileRule } from '../../../kernel/contracts.js';
import type { NginxArtifact } from '../analyze.js';
import { flag, headSpan, lookup } from '../context.js';
import { insertAfter, insertAtBlockStart, replaceDirective } from '../fixes.js';
import type { Ctx } from '../model.js';
import { NGINX_GATHERER_ID } from '../gather.js';
import { BROTLI_LINES, missingTypes, TEXT_TYPES, typesToAdd } from './compression.js';
import { fixes, fixOf, judgedLevels, label, textOf, unreportedTop } from './shared.js';

function missingLines(c: Ctx): string[] {
  return BROTLI_LINES.filter(([name]) => name === 'brotli' || !lookup(c, name)).map(([, line]) => line);
}

export const nginxBrotliMissing: FileRule<NginxArtifact> = {
  kind: 'file',
  gatherer: NGINX_GATHERER_ID,
  meta: {
    id: 'nginx-brotli-missing',
    title: 'nginx compresses with brotli where the module is loaded',
    failureTitle: 'The brotli module is loaded but responses are not brotli-compressed',
    description: 'The ngx_brotli filter module is loaded (load_module) or configured, but brotli is not on (or brotli_types lacks text assets): browsers that accept br get gzip, typically 15–25% larger for CSS and JavaScript.',
    domain: 'nginx',
    checklistItem: 'compression',
    defaultSeverity: 'info',
    fixable: true,
  },
  check(ctx) {
    const a = ctx.artifact;
    if (!a.brotli) return;
    const why = a.brotli === 'module' ? 'the brotli filter module is loaded' : 'brotli directives are used, so the brotli module is available';
    const done = new Set<object>();
    for (const lv of judgedLevels(a)) {
      if (!lv.node) continue;
      const f = flag(lv, 'brotli');
      if (f?.value === 'on') {
        const missing = missingTypes(lv, 'brotli_types');
        const listed = lookup(lv, 'brotli_types');
        const owner = listed ? listed.nodes[listed.nodes.length - 1] : f.node;
        if (!missing.length || (listed ? listed.ctx : f.ctx).external || done.has(owner.d)) continue;
        done.add(owner.d);
        const d = owner.d;
        const last = d.args[d.args.length - 1];
        const edit = listed && last ? { span: { start: last.span.end, end: last.span.end }, newText: ` ${typesToAdd(missing).join(' ')}` } : insertAfter(textOf(ctx, d.file), d, [`brotli_types ${TEXT_TYPES};`]);
        ctx.report({
          file: d.file,
          span: headSpan(d),
          message: `brotli is on but ${listed ? 'brotli_types does not list' : 'brotli_types is not set (only text/html is compressed), so it misses'} ${missing.map((m) => m.type).join(', ')}: those responses get gzip at best.`,
          fixes: fixes(fixOf(listed ? `Add ${typesToAdd(missing).join(' ')} to brotli_types` : 'Add brotli_types for CSS, JavaScript, JSON and SVG', [{ file: d.file, edit }])),
          data: { state: 'types', missing: missing.map((m) => m.type) },
        });
        continue;
      }
      if (f) {
        if (f.ctx.external || done.has(f.node.d)) continue;
        done.add(f.node.d);
        ctx.report({
          file: f.node.d.file,
          span: headSpan(f.node.d),
          message: `brotli is off for ${label(f.ctx)} although ${why}: browsers that accept br get gzip, typically 15–25% larger for CSS and JavaScript.`,
          fixes: fixes(fixOf('Turn brotli on', [{ file: f.node.d.file, edit: replaceDirective(textOf(ctx, f.node.d.file), f.node.d, missingLines(f.ctx)) }])),
          data: { state: 'off' },
        });
        continue;
      }
      const unreported = unreportedTop(lv, done);
      if (!unreported) continue;
      const { top, d } = unreported;
      ctx.report({
        file: d.file,
        span: headSpan(d),
        message: `${why[0].toUpperCase()}${why.slice(1)}, but brotli is never turned on for ${label(top)}: browsers that accept br get gzip, typically 15–25% larger for CSS and JavaScript.`,
        fixes: fixes(fixOf(`Add "brotli on;" with brotli_comp_level and brotli_types to ${label(top)}`, [{ file: d.file, edit: insertAtBlockStart(textOf(ctx, d.file), d, missingLines(top)) }])),
        data: { state: 'missing' },
      });
    }
  },
};
