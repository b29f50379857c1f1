import type { FileRule } from '../../../kernel/contracts.js';
import type { NginxArtifact } from '../analyze.js';
import { allContexts, flag, headSpan, isStaticHandler, lookup, own } from '../context.js';
import { insertAfter, insertAtBlockStart, replaceDirective } from '../fixes.js';
import type { Ctx } from '../model.js';
import { NGINX_GATHERER_ID } from '../gather.js';
import { fixes, fixOf, judgedLevels, label, locations, textOf, unreportedTop } from './shared.js';

/** The level, or one below it, serves files from disk. */
function servesFiles(c: Ctx): boolean {
  return allContexts(c).some((x) => (x.kind === 'server' || x.kind === 'location') && !x.external && isStaticHandler(x) && !!(lookup(x, 'root') ?? lookup(x, 'alias')));
}

export const nginxSendfileOff: FileRule<NginxArtifact> = {
  kind: 'file',
  gatherer: NGINX_GATHERER_ID,
  meta: {
    id: 'nginx-sendfile-off',
    title: 'nginx serves files with sendfile',
    failureTitle: 'nginx serves static files without sendfile',
    description: 'sendfile is off (nginx\'s default) where nginx serves files from disk: every file is copied through user space in small buffers instead of by the kernel, costing CPU and latency on every static response; tcp_nopush on makes sendfile send full packets.',
    domain: 'nginx',
    checklistItem: 'slow-endpoints',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const a = ctx.artifact;
    const done = new Set<object>();
    const withOwn = locations(a).filter((l) => own(l, 'sendfile').length);
    for (const lv of [...judgedLevels(a), ...withOwn]) {
      if (!lv.node || !servesFiles(lv)) continue;
      const f = flag(lv, 'sendfile');
      if (f?.value === 'on') {
        const t = flag(lv, 'tcp_nopush');
        if (t?.value === 'on') continue;
        const owner = t ?? f;
        if (owner.ctx.external || done.has(owner.node.d)) continue;
        done.add(owner.node.d);
        const d = owner.node.d;
        const text = textOf(ctx, d.file);
        ctx.report({
          file: d.file,
          span: headSpan(d),
          severity: 'info',
          message: `sendfile is on but tcp_nopush is ${t ? 'off' : 'not set (off by default)'} for ${label(owner.ctx)}: with tcp_nopush nginx sends the response header and the start of the file in one full packet.`,
          fixes: fixes(fixOf('Turn tcp_nopush on', [{ file: d.file, edit: t ? replaceDirective(text, d, ['tcp_nopush on;']) : insertAfter(text, d, ['tcp_nopush on;']) }])),
          data: { state: 'tcp_nopush' },
        });
        continue;
      }
      if (f) {
        if (f.ctx.external || done.has(f.node.d)) continue;
        done.add(f.node.d);
        const d = f.node.d;
        ctx.report({
          file: d.file,
          span: headSpan(d),
          message: `sendfile is off for ${label(f.ctx)}, which serves files from disk: nginx copies every file through user space in small buffers instead of letting the kernel send it, costing CPU and latency on each static response.`,
          fixes: fixes(fixOf('Turn sendfile on', [{ file: d.file, edit: replaceDirective(textOf(ctx, d.file), d, lookup(f.ctx, 'tcp_nopush') ? ['sendfile on;'] : ['sendfile on;', 'tcp_nopush on;']) }])),
          data: { state: 'off' },
        });
        continue;
      }
      // Not set anywhere: only judged in a main config (distributions' nginx.conf turn it on for snippets).
      if (a.role !== 'main') continue;
      const unreported = unreportedTop(lv, done);
      if (!unreported) continue;
      const { top, d } = unreported;
      ctx.report({
        file: d.file,
        span: headSpan(d),
        message: `sendfile is not turned on for ${label(top)} (nginx's default is "sendfile off"), and it serves files from disk: nginx copies every file through user space in small buffers instead of letting the kernel send it.`,
        fixes: fixes(fixOf(`Add "sendfile on;" and "tcp_nopush on;" to ${label(top)}`, [{ file: d.file, edit: insertAtBlockStart(textOf(ctx, d.file), d, lookup(top, 'tcp_nopush') ? ['sendfile on;'] : ['sendfile on;', 'tcp_nopush on;']) }])),
        data: { state: 'missing' },
      });
    }
  },
};
