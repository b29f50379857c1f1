/**
 * A config whose every server answers only to loopback names (`server_name localhost`, `127.0.0.1`,
 * `::1`) is a local or test setup (a docker-compose federation for integration tests, a dev proxy):
 * its findings are information, with the reason, rather than warnings about a deployment.
 */
import type { FileRule } from '../../kernel/contracts.js';
import type { NginxArtifact } from './analyze.js';
import { servers } from './rules/shared.js';

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)(?::\d+)?$/i;

/** Every server block of the config names only loopback hosts (and there is at least one server). */
export function isLoopbackOnly(a: NginxArtifact): boolean {
  const list = servers(a);
  if (!list.length) return false;
  return list.every((s) => {
    const names = s.items.filter((n) => n.d.name === 'server_name').flatMap((n) => n.d.args.map((x) => x.value));
    return names.length > 0 && names.every((n) => LOOPBACK.test(n));
  });
}

/** The rule, its warnings turned into information in a loopback-only config. */
export function localSetupAsInfo(rule: FileRule<NginxArtifact>): FileRule<NginxArtifact> {
  return {
    ...rule,
    check(ctx) {
      if (!isLoopbackOnly(ctx.artifact)) {
        rule.check(ctx);
        return;
      }
      rule.check({
        ...ctx,
        report: (r) => ctx.report((r.severity ?? rule.meta.defaultSeverity) === 'warning'
          ? { ...r, severity: 'info', message: `${r.message} (This config answers only to localhost / 127.0.0.1: a local or test setup, so this matters only if it is deployed as it is.)` }
          : r),
      });
    },
  };
}
