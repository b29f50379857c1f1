import type { FileRule } from '../../../kernel/contracts.js';
import type { NginxArtifact } from '../analyze.js';
import { flag, headSpan, locationPattern, lookup, own, staticLocationKind } from '../context.js';
import { insertAtBlockStart, replaceDirective } from '../fixes.js';
import type { Ctx } from '../model.js';
import { NGINX_GATHERER_ID } from '../gather.js';
import { GZIP_LINES } from './compression.js';
import { fixes, fixOf, judgedLevels, label, locations, textOf, unreportedTop } from './shared.js';

function scope(c: Ctx): string {
  if (c.kind === 'http') return 'every response';
  if (c.kind === 'server') return 'every response of this server';
  return 'the responses of this location';
}

/** The gzip lines a level still needs (those no enclosing level sets either). */
function missingLines(c: Ctx): string[] {
  return GZIP_LINES.filter(([name]) => name === 'gzip' || !lookup(c, name)).map(([, line]) => line);
}

export const nginxGzipDisabled: FileRule<NginxArtifact> = {
  kind: 'file',
  gatherer: NGINX_GATHERER_ID,
  meta: {
    id: 'nginx-gzip-disabled',
    title: 'nginx compresses responses with gzip',
    failureTitle: 'nginx serves responses without gzip',
    description: 'An nginx http or server block where gzip is off or never turned on (nginx\'s default is off): CSS, JavaScript, JSON and SVG go out uncompressed, typically 3–10 times larger than needed.',
    domain: 'nginx',
    checklistItem: 'compression',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const a = ctx.artifact;
    const done = new Set<object>();
    const textLocations = locations(a).filter((l) => own(l, 'gzip').length && (staticLocationKind(l) || locationPattern(l)?.pattern === '/'));
    for (const lv of [...judgedLevels(a), ...textLocations]) {
      if (!lv.node) continue;
      const f = flag(lv, 'gzip');
      if (f?.value === 'on') continue;
      if (f) {
        if (f.ctx.external || done.has(f.node.d)) continue;
        done.add(f.node.d);
        const text = textOf(ctx, f.node.d.file);
        ctx.report({
          file: f.node.d.file,
          span: headSpan(f.node.d),
          message: `gzip is off for ${label(f.ctx)}: ${scope(f.ctx)} is sent uncompressed. CSS, JavaScript, JSON and SVG typically shrink by 70–90% with gzip; turn it on.`,
          fixes: fixes(fixOf('Turn gzip on (with gzip_types for CSS, JavaScript, JSON and SVG)', [{ file: f.node.d.file, edit: replaceDirective(text, f.node.d, missingLines(f.ctx)) }])),
          data: { level: f.ctx.kind, state: 'off' },
        });
        continue;
      }
      const unreported = unreportedTop(lv, done);
      if (!unreported) continue;
      const { top, d } = unreported;
      const orphan = a.role === 'snippet' && !a.assumedParent ? ' No main nginx.conf in the workspace turns it on for the enclosing http block either.' : '';
      ctx.report({
        file: d.file,
        span: headSpan(d),
        message: `gzip is never turned on for ${label(top)} (nginx's default is "gzip off"): ${scope(top)} is sent uncompressed, although CSS, JavaScript, JSON and SVG typically shrink by 70–90%.${orphan}`,
        fixes: fixes(fixOf(`Add "gzip on;" with gzip_types, gzip_min_length and gzip_vary to ${label(top)}`, [{ file: d.file, edit: insertAtBlockStart(textOf(ctx, d.file), d, missingLines(top)) }])),
        data: { level: top.kind, state: 'missing' },
      });
    }
  },
};
