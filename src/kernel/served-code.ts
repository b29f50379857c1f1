/**
 * Rules about what users are served (server configs, middleware, markup, bundles) stay quiet in code
 * that is never served: tests, fixtures, examples and docs, as the kernel's code roles define them
 * (settings `paths.test` / `paths.runtime` override the conventions).
 */
import type { FileRule } from './contracts.js';
import { codeRoleOf, isTestLike } from './code-role.js';

/** The rule, checking only files whose code role is not test-like. */
export function servedCodeOnly<T>(rule: FileRule<T>): FileRule<T> {
  return {
    ...rule,
    check(ctx) {
      if (isTestLike(codeRoleOf(ctx.settings, ctx.path))) return;
      rule.check(ctx);
    },
  };
}
