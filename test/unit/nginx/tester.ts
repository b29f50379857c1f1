/** The shared rule tester (test/unit/rules/rule-tester.ts) scoped to the nginx rules and gatherers. */
import { NGINX_GATHERERS, NGINX_RULES } from '../../../src/analyzers/nginx/index.js';
import type { Finding } from '../../../src/kernel/model.js';
import { ruleTests, runCase, type InvalidCase, type ValidCase } from '../../helpers/rule-tester.js';

export type { InvalidCase, ValidCase };

const SCOPE = { rules: NGINX_RULES, gatherers: NGINX_GATHERERS };

/** Runs the nginx rules over a small workspace; only `ruleId`'s findings (and rule errors) are returned. */
export function runNginx(ruleId: string | undefined, c: ValidCase): Promise<Finding[]> {
  return runCase(ruleId, c, SCOPE);
}

export function nginxRuleTests(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  ruleTests(ruleId, cases, SCOPE);
}

/** Lines joined with "\n" (keeps the table cases readable). */
export function conf(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}
