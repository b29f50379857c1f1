/** The core's public surface, loaded lazily by the extension. */
export { AuditEngine, auditSources } from '../kernel/engine.js';
export { auditEngine, meetsThreshold, type WorkspaceAudit } from '../kernel/audit.js';
export { parseConfig, CONFIG_FILE, defaultConfig, setChecklistOverride, setRuleLevel } from '../kernel/settings.js';
export { normalizeDialect } from './sql/analyze.js';
export { CHECKLIST, checklistStatus, mergeEvidence, score } from '../kernel/checklist.js';
export { ALL_RULES, ruleById } from './registry.js';
export { disableNextLineComment } from '../kernel/suppress.js';
export { includedPathsToRead, isRelevantPath, mayIncludeFiles } from './gatherers-old.js';
