import type { Rule } from '../kernel/contracts.js';
import { missingIndex } from './sql/rules/missing-index.js';
import { unindexedForeignKey } from './sql/rules/unindexed-foreign-key.js';
import { nonSargablePredicate } from './sql/rules/non-sargable-predicate.js';
import { selectStar } from './sql/rules/select-star.js';
import { unboundedSelect } from './sql/rules/unbounded-select.js';
import { missingPrimaryKey } from './sql/rules/missing-primary-key.js';
import { sqlParseError } from './sql/rules/sql-parse-error.js';
import { APACHE_RULES } from './apache/index.js';
import { HOSTING_RULES } from './hosting/index.js';
import { SERVER_RULES } from './node-server/index.js';
import { POOL_RULES } from './pools/index.js';
import { NGINX_RULES } from './nginx/index.js';
import { ALL_BUNDLE_RULES } from './bundle/index.js';

/** Every rule, in a stable order. One rule per file under rules/<area>/. */
export const ALL_RULES: readonly Rule[] = [missingIndex, unindexedForeignKey, nonSargablePredicate, selectStar, unboundedSelect, missingPrimaryKey, sqlParseError, ...APACHE_RULES, ...HOSTING_RULES, ...NGINX_RULES, ...SERVER_RULES, ...POOL_RULES, ...ALL_BUNDLE_RULES];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.meta.id === id);
}
