import type { FileRule } from '../../../kernel/contracts.js';
import type { NginxArtifact } from '../analyze.js';
import { flag, headSpan, lookup, own } from '../context.js';
import { insertAfter } from '../fixes.js';
import { NGINX_GATHERER_ID } from '../gather.js';
import { missingTypes, TEXT_TYPES, typesToAdd } from './compression.js';
import { fixes, fixOf, judgedLevels, label, locations, textOf } from './shared.js';

export const nginxGzipTypesIncomplete: FileRule<NginxArtifact> = {
  kind: 'file',
  gatherer: NGINX_GATHERER_ID,
  meta: {
    id: 'nginx-gzip-types-incomplete',
    title: 'gzip_types covers CSS, JavaScript, JSON and SVG',
    failureTitle: 'gzip is on but gzip_types leaves text assets uncompressed',
    description: 'gzip is on, but gzip_types (by default only text/html) lacks text/css, application/javascript, application/json or image/svg+xml, so those responses are sent uncompressed.',
    domain: 'nginx',
    checklistItem: 'compression',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const a = ctx.artifact;
    const done = new Set<object>();
    const own_ = locations(a).filter((l) => own(l, 'gzip').length || own(l, 'gzip_types').length);
    for (const lv of [...judgedLevels(a), ...own_]) {
      const on = flag(lv, 'gzip');
      if (on?.value !== 'on') continue;
      const missing = missingTypes(lv, 'gzip_types');
      if (!missing.length) continue;
      const listed = lookup(lv, 'gzip_types');
      const owner = listed ? listed.nodes[listed.nodes.length - 1] : on.node;
      if ((listed ? listed.ctx : on.ctx).external || done.has(owner.d)) continue;
      done.add(owner.d);
      const d = owner.d;
      const text = textOf(ctx, d.file);
      const names = missing.map((m) => m.type).join(', ');
      const what = missing.map((m) => m.ext.toUpperCase()).join(', ');
      if (listed) {
        const last = d.args[d.args.length - 1];
        const at = last ? last.span.end : d.nameSpan.end;
        ctx.report({
          file: d.file,
          span: headSpan(d),
          message: `gzip_types does not list ${names}: ${what} responses of ${label(listed.ctx)} and below are sent uncompressed although gzip is on.`,
          fixes: fixes(fixOf(`Add ${typesToAdd(missing).join(' ')} to gzip_types`, [{ file: d.file, edit: { span: { start: at, end: at }, newText: ` ${typesToAdd(missing).join(' ')}` } }])),
          data: { missing: missing.map((m) => m.type) },
        });
      } else {
        ctx.report({
          file: d.file,
          span: headSpan(d),
          message: `gzip is on but gzip_types is not set, so nginx compresses only text/html: ${what} (${names}) are sent uncompressed.`,
          fixes: fixes(fixOf('Add gzip_types for CSS, JavaScript, JSON and SVG', [{ file: d.file, edit: insertAfter(text, d, [`gzip_types ${TEXT_TYPES};`]) }])),
          data: { missing: missing.map((m) => m.type) },
        });
      }
    }
  },
};
