/** The core's public surface, loaded lazily by the extension. */
export { AuditEngine, auditSources } from './engine.js';
export { auditEngine, meetsThreshold, type WorkspaceAudit } from './audit.js';
export { parseConfig, CONFIG_FILE, defaultConfig, setChecklistOverride, setRuleLevel } from './config.js';
export { normalizeDialect } from './sql/analyze.js';
export { CHECKLIST, checklistStatus, mergeEvidence, score } from './checklist.js';
export { ALL_RULES, ruleById } from './rules/index.js';
export { disableNextLineComment } from './suppress.js';
export { includedPathsToRead, isRelevantPath, mayIncludeFiles } from './gatherers/index.js';
