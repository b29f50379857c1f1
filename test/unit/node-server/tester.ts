/** The shared rule tester (test/unit/rules/rule-tester.ts) scoped to a given set of rules and gatherers. */
import type { FileGatherer, Rule } from '../../../src/kernel/contracts.js';
import type { Finding } from '../../../src/kernel/model.js';
import { ruleTests, runCase, type InvalidCase, type ValidCase } from '../../helpers/rule-tester.js';

export type { Files, InvalidCase, ValidCase } from '../../helpers/rule-tester.js';

export function runRules(rules: readonly Rule[], gatherers: readonly FileGatherer[], ruleId: string | undefined, c: ValidCase): Promise<Finding[]> {
  return runCase(ruleId, c, { rules, gatherers });
}

export function makeRuleTests(rules: readonly Rule[], gatherers: readonly FileGatherer[]) {
  return (ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void => ruleTests(ruleId, cases, { rules, gatherers });
}
