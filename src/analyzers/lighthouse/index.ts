/** The Lighthouse analyzer: its audits and budgets become rules `lighthouse-<audit>`, run by Run Lighthouse and `perf-audit lighthouse`, not by the engine. */
import type { Analyzer } from '../../kernel/contracts.js';
import { LIGHTHOUSE_RULE_METAS } from './rules.js';

export const lighthouseAnalyzer: Analyzer = {
  id: 'lighthouse',
  title: 'Lighthouse runs',
  watch: [],
  rules: [],
  externalRules: LIGHTHOUSE_RULE_METAS,
};
