/**
 * A server inside an Electron app (its nearest package.json depends on electron) that listens on the
 * loopback interface only serves the app's own window on the same machine. What the server rules say
 * about users over a network (compression, cache lifetimes) matters little there: info, with the
 * reason. A loopback-bound server of a web app is not enough: that is how backends sit behind a proxy.
 */
import type { FileRule, WorkspaceView } from '../../kernel/contracts.js';

const LISTEN = /\.listen\(/g;
const LOOPBACK_ARG = /\.listen\(\s*[^,(){}]{1,80},\s*['"`](?:127\.0\.0\.1|localhost|::1|\[::1\])['"`]/g;
const LOOPBACK_OPTION = /\.listen\(\s*\{[^{}]{0,200}\bhost\s*:\s*['"`](?:127\.0\.0\.1|localhost|::1|\[::1\])['"`]/g;

/** Every `.listen(` call of the file names a loopback host (and there is at least one). */
export function listensOnLoopbackOnly(text: string): boolean {
  const calls = text.match(LISTEN)?.length ?? 0;
  if (!calls) return false;
  const loopback = (text.match(LOOPBACK_ARG)?.length ?? 0) + (text.match(LOOPBACK_OPTION)?.length ?? 0);
  return loopback >= calls;
}

/** The nearest package.json above `path` lists electron among its dependencies. */
export function inElectronApp(ws: WorkspaceView, path: string): boolean {
  const parts = path.split('/');
  for (let k = parts.length - 1; k >= 0; k--) {
    const text = ws.textOf(`${parts.slice(0, k).join('/')}${k ? '/' : ''}package.json`);
    if (text === undefined) continue;
    return /"(?:dependencies|devDependencies)"\s*:\s*\{[^{}]*"electron"\s*:/.test(text);
  }
  return false;
}

/** The rule, with its findings in an Electron app's loopback-only server at info and the reason appended. */
export function desktopServerAsInfo<T>(rule: FileRule<T>): FileRule<T> {
  return {
    ...rule,
    check(ctx) {
      if (!listensOnLoopbackOnly(ctx.text) || !inElectronApp(ctx.ws, ctx.path)) return rule.check(ctx);
      rule.check({
        ...ctx,
        report: (r) => ctx.report({
          ...r,
          severity: 'info',
          message: `${r.message} This server belongs to an Electron app and listens on the loopback interface only: it serves the app's own window on this machine, not users over a network, so this matters little.`,
        }),
      });
    },
  };
}
