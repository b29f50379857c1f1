/** Perf Auditor's settings, from `.perfauditrc.json` (and the editor's settings): rule levels, budgets, SQL settings and ignore globs. */
import { applyEdits, findNodeAtLocation, format, modify, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { ChecklistItemId, Severity } from './model.js';
import { deepNestingAt, MAX_JSON_DEPTH } from './json.js';
import { globMatcher } from './glob.js';
import type { CodeRoleOverrides } from './code-role.js';

export type RuleLevel = 'off' | Severity;

/** The SQL dialects the settings may name. */
export type SqlDialect = 'postgresql' | 'mysql' | 'sqlite';

/** A dialect name as users write it (`postgres`, `pg`, `MariaDB`, `sqlite3`) to the dialect it means. */
export function normalizeDialect(s: string): SqlDialect {
  const l = s.toLowerCase();
  if (l.startsWith('postgres') || l === 'pg') return 'postgresql';
  if (l === 'mysql' || l === 'mariadb') return 'mysql';
  return 'sqlite';
}

export interface PerfAuditSettings {
  rules: Record<string, RuleLevel>;
  sql: {
    dialect?: SqlDialect;
    /** Treat tables as large (unbounded-select) unless listed here. */
    smallTables: string[];
    /** Read ORM calls and models (Prisma Client, Sequelize, Drizzle, Kysely, knex, Django, SQLAlchemy) as queries and schema. */
    orm: boolean;
  };
  budgets: {
    jsGzipKb: number;
    cssGzipKb: number;
    pageLoadMs: number;
    timeToInteractiveMs: number;
    apiP95Ms: number;
    dbQueryMs: number;
  };
  ignore: string[];
  /** Globs that say what files are for, over the built-in conventions (kernel/code-role.ts). */
  paths: { runtime: string[]; oneOff: string[]; test: string[] } & CodeRoleOverrides;
  /** Files larger than this are skipped with one info finding. */
  maxFileSizeKb: number;
  /** Checklist items set by hand (done / not applicable), with the reason. */
  checklist: Partial<Record<ChecklistItemId, ChecklistOverride>>;
}

export interface ChecklistOverride {
  status: 'pass' | 'not-applicable';
  reason: string;
  /** ISO date the mark was made. */
  date?: string;
}

export const SETTINGS_FILE = '.perfauditrc.json';

/**
 * The documented maxima of what .perfauditrc.json may raise (a repository's settings file is not
 * trusted to make an audit read 300 MB files or compile 100,000 globs). Larger values are clamped,
 * with one problem naming the setting.
 */
export const SETTINGS_LIMITS = {
  maxFileSizeKb: 16_384,
  ignorePatterns: 1_000,
  patternLength: 500,
  smallTables: 10_000,
  budget: 10_000_000,
} as const;

export const DEFAULT_IGNORE = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/build/**', '**/out/**', '**/coverage/**', '**/.next/**', '**/vendor/**', '**/*.min.js'];

export function defaultSettings(): PerfAuditSettings {
  return {
    rules: {},
    sql: { smallTables: [], orm: true },
    budgets: { jsGzipKb: 170, cssGzipKb: 50, pageLoadMs: 3000, timeToInteractiveMs: 5000, apiP95Ms: 200, dbQueryMs: 100 },
    ignore: [...DEFAULT_IGNORE],
    paths: { runtime: [], oneOff: [], test: [] },
    maxFileSizeKb: 2048,
    checklist: {},
  };
}

export interface SettingsProblem {
  message: string;
  offset: number;
}

const LEVELS = new Set(['off', 'error', 'warning', 'info', 'hint']);

const PARSE_ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between entries',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the end of the object',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unexpected end of number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character in a string',
  InvalidCharacter: 'invalid character in a string (control characters must be escaped)',
};

/**
 * Parses the settings file text (JSON with comments). Never throws: problems are returned and
 * defaults kept. `knownRuleIds` are the ids it may name (AnalyzerRegistry.knownRuleIds); the
 * registry's parseSettings passes them.
 */
export function parseSettingsWith(text: string, knownRuleIds: ReadonlySet<string>): { settings: PerfAuditSettings; problems: SettingsProblem[] } {
  const config = defaultSettings();
  const problems: SettingsProblem[] = [];
  const deep = deepNestingAt(text);
  if (deep >= 0) return { settings: config, problems: [{ message: `${SETTINGS_FILE} is nested more than ${MAX_JSON_DEPTH} levels deep; using the default settings`, offset: deep }] };
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const raw = tree ? nodeValue(tree) : undefined;
  const where = (offset: number): string => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return `${SETTINGS_FILE}:${line}:${offset - before.lastIndexOf('\n')}`;
  };
  /** A problem at the property named by `path` (its key), or at the start of the file. */
  const problem = (message: string, path: (string | number)[] = []): void => {
    const node = tree && path.length ? findNodeAtLocation(tree, path) : undefined;
    const offset = node?.parent?.type === 'property' ? node.parent.offset : node?.offset ?? 0;
    problems.push({ message: `${node ? where(offset) : SETTINGS_FILE}: ${message}`, offset });
  };
  for (const e of errors) {
    const near = text.slice(e.offset, e.offset + Math.max(1, Math.min(e.length, 20))).trim();
    problems.push({ message: `${where(e.offset)}: ${PARSE_ERRORS[printParseErrorCode(e.error)] ?? printParseErrorCode(e.error)}${near ? ` near ${JSON.stringify(near)}` : ' at the end of the file'}`, offset: e.offset });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    if (!errors.length) problem('expected an object');
    return { settings: config, problems };
  }
  const o = raw as Record<string, unknown>;
  if (o.rules && typeof o.rules === 'object') {
    for (const [id, v] of Object.entries(o.rules as Record<string, unknown>)) {
      const level = Array.isArray(v) ? v[0] : v;
      const key = id.replace(/^perf-auditor\//, '');
      if (!knownRuleIds.has(key)) problem(`unknown rule "${id}" (perf-audit --rules lists them)`, ['rules', id]);
      else if (typeof level === 'string' && LEVELS.has(level)) config.rules[key] = level as RuleLevel;
      else if (level === false) config.rules[key] = 'off';
      else problem(`rule "${id}" has an invalid level ${JSON.stringify(v)} (use off, error, warning, info or hint)`, ['rules', id]);
    }
  }
  if (o.sql && typeof o.sql === 'object') {
    const sql = o.sql as Record<string, unknown>;
    if (typeof sql.dialect === 'string') {
      if (/^(postgres(ql)?|pg|mysql|mariadb|sqlite3?)$/i.test(sql.dialect)) config.sql.dialect = normalizeDialect(sql.dialect);
      else problem(`unknown sql.dialect "${sql.dialect}" (use postgresql, mysql or sqlite); detecting it per file instead`, ['sql', 'dialect']);
    }
    if (typeof sql.orm === 'boolean') config.sql.orm = sql.orm;
    else if (sql.orm !== undefined) problem(`"sql.orm" must be true or false; got ${JSON.stringify(sql.orm)}; ORM calls are analysed`, ['sql', 'orm']);
    if (Array.isArray(sql.smallTables)) config.sql.smallTables = sql.smallTables.slice(0, SETTINGS_LIMITS.smallTables).filter((t): t is string => typeof t === 'string').map((t) => t.toLowerCase());
  }
  if (o.budgets && typeof o.budgets === 'object') {
    for (const [k, v] of Object.entries(o.budgets as Record<string, unknown>)) {
      if (k in config.budgets && typeof v === 'number' && v > 0) (config.budgets as Record<string, number>)[k] = Math.min(v, SETTINGS_LIMITS.budget);
      else problem(`unknown or invalid budget "${k}"`, ['budgets', k]);
    }
  }
  if (Array.isArray(o.ignore)) {
    const globs = o.ignore.filter((g): g is string => typeof g === 'string' && g.length <= SETTINGS_LIMITS.patternLength);
    if (globs.length > SETTINGS_LIMITS.ignorePatterns) problem(`"ignore" lists ${globs.length} patterns; only the first ${SETTINGS_LIMITS.ignorePatterns} are used`, ['ignore']);
    if (o.ignore.some((g) => typeof g === 'string' && g.length > SETTINGS_LIMITS.patternLength)) problem(`"ignore" patterns longer than ${SETTINGS_LIMITS.patternLength} characters are not used`, ['ignore']);
    config.ignore.push(...globs.slice(0, SETTINGS_LIMITS.ignorePatterns));
    o.ignore.slice(0, SETTINGS_LIMITS.ignorePatterns).forEach((g, i) => {
      if (typeof g !== 'string') problem(`"ignore" entries must be glob strings; ignoring ${JSON.stringify(g)}`, ['ignore', i]);
    });
  } else if (o.ignore !== undefined) problem(`"ignore" must be an array of glob strings, e.g. ["legacy/**"]; got ${JSON.stringify(o.ignore)}`, ['ignore']);
  if (o.paths !== undefined) {
    if (!o.paths || typeof o.paths !== 'object' || Array.isArray(o.paths)) problem('"paths" must be an object: { "runtime": [...], "oneOff": [...], "test": [...] }', ['paths']);
    else {
      for (const [k, v] of Object.entries(o.paths as Record<string, unknown>)) {
        if (k !== 'runtime' && k !== 'oneOff' && k !== 'test') { problem(`unknown "paths" entry "${k}" (use runtime, oneOff or test)`, ['paths', k]); continue; }
        if (!Array.isArray(v)) { problem(`"paths.${k}" must be an array of glob strings`, ['paths', k]); continue; }
        const globs = v.filter((g): g is string => typeof g === 'string' && g.length > 0 && g.length <= SETTINGS_LIMITS.patternLength);
        if (globs.length < v.length) problem(`"paths.${k}" entries must be glob strings of at most ${SETTINGS_LIMITS.patternLength} characters; others are not used`, ['paths', k]);
        config.paths[k] = globs.slice(0, SETTINGS_LIMITS.ignorePatterns);
      }
    }
  }
  if (typeof o.maxFileSizeKb === 'number' && o.maxFileSizeKb > 0) {
    config.maxFileSizeKb = Math.min(o.maxFileSizeKb, SETTINGS_LIMITS.maxFileSizeKb);
    if (o.maxFileSizeKb > SETTINGS_LIMITS.maxFileSizeKb) problem(`"maxFileSizeKb" ${o.maxFileSizeKb} is over the maximum; using ${SETTINGS_LIMITS.maxFileSizeKb}`, ['maxFileSizeKb']);
  }
  if (o.checklist && typeof o.checklist === 'object') {
    for (const [id, v] of Object.entries(o.checklist as Record<string, unknown>)) {
      const e = v as Partial<ChecklistOverride> | null;
      if (!CHECKLIST_IDS.has(id)) problem(`unknown checklist item "${id}"`, ['checklist', id]);
      else if (!e || (e.status !== 'pass' && e.status !== 'not-applicable')) problem(`checklist item "${id}" needs "status": "pass" or "not-applicable"`, ['checklist', id]);
      else config.checklist[id as ChecklistItemId] = { status: e.status, reason: typeof e.reason === 'string' ? e.reason : '', ...(typeof e.date === 'string' ? { date: e.date } : {}) };
    }
  }
  return { settings: config, problems };
}

export function ignoreMatcher(config: PerfAuditSettings): (relPath: string) => boolean {
  const m = globMatcher(config.ignore);
  // The engine asks for every file once per gatherer and per run: remember the answers (a matcher
  // lives as long as its config).
  const known = new Map<string, boolean>();
  return (p) => {
    let r = known.get(p);
    if (r === undefined) known.set(p, (r = m(p)));
    return r;
  };
}

const CHECKLIST_IDS = new Set<string>([
  'compression', 'lazy-loading', 'image-formats', 'bundle-size', 'cdn', 'browser-caching',
  'response-caching', 'query-optimization', 'connection-pooling', 'read-replicas', 'query-result-caching', 'slow-endpoints',
  'indexes', 'schema', 'maintenance-windows', 'slow-query-log', 'partitioning', 'vacuum-analyze',
  'health-checks', 'autoscaling', 'monitoring-alerts', 'backups', 'tls-encryption', 'rate-limiting',
]);

/**
 * Sets (or with `undefined` clears) a checklist mark in the config text, keeping the user's
 * formatting and comments (jsonc-parser edits). Creates the file content when `text` is empty.
 */
export function setChecklistOverride(text: string, id: ChecklistItemId, override: ChecklistOverride | undefined): string {
  return setSettingsValue(text, ['checklist', id], override);
}

/** Sets a rule's level in the config text (formatting and comments kept). */
export function setRuleLevel(text: string, ruleId: string, level: RuleLevel | undefined): string {
  return setSettingsValue(text, ['rules', ruleId], level);
}

function setSettingsValue(text: string, jsonPath: string[], value: unknown): string {
  const base = text.trim() ? text : '{\n}\n';
  const eol = base.includes('\r\n') ? '\r\n' : '\n';
  // Edit without formatting (modify's formatter would also reflow the neighbouring property), then
  // format only the inserted text.
  const edits = modify(base, jsonPath, value, {});
  let out = applyEdits(base, edits);
  for (const e of edits) {
    if (!e.content) continue;
    const fmt = format(out, { offset: e.offset, length: e.content.length }, { insertSpaces: true, tabSize: 2, eol });
    out = applyEdits(out, fmt);
  }
  return out;
}

/** The value of a parse tree node (what `parse` returns, for a tree that is already built). */
function nodeValue(n: import('jsonc-parser').Node): unknown {
  switch (n.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of n.children ?? []) if (p.children?.[0] && p.children[1]) o[String(p.children[0].value)] = nodeValue(p.children[1]);
      return o;
    }
    case 'array': return (n.children ?? []).map(nodeValue);
    default: return n.value as unknown;
  }
}
