/** The shared rule tester (test/unit/rules/rule-tester.ts) scoped to the Apache and hosting rules. */
import type { Finding } from '../../../src/kernel/model.js';
import { APACHE_RULES } from '../../../src/analyzers/apache/index.js';
import { HOSTING_RULES } from '../../../src/analyzers/hosting/index.js';
import { APACHE_GATHERERS } from '../../../src/analyzers/apache/gather.js';
import { HOSTING_GATHERERS } from '../../../src/analyzers/hosting/gather.js';
import { describeFinding, ruleTests, runCase, type InvalidCase, type ValidCase } from '../../helpers/rule-tester.js';

export const RULES = [...APACHE_RULES, ...HOSTING_RULES];
export const GATHERERS = [...APACHE_GATHERERS, ...HOSTING_GATHERERS];
const SCOPE = { rules: RULES, gatherers: GATHERERS };

export function runRules(files: Record<string, string>, ruleId?: string, configure?: ValidCase['config']): Promise<Finding[]> {
  return runCase(ruleId, { name: '', files, ...(configure ? { config: configure } : {}) }, SCOPE);
}

export const describe = describeFinding;

export function configRuleTests(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  ruleTests(ruleId, cases, SCOPE);
}
