/**
 * Turns workspace files into parsed SQL: statements from .sql files and from SQL strings in JS/TS,
 * schema fragments from DDL and Prisma schemas. Per-statement results are cached by text, so
 * re-analysing an edited file only re-parses the statements that changed.
 */
import type { Dialect, DialectParser, ParsedStatement, SchemaFragment, Span, StatementParse } from './types.js';
import { quoteEnd, splitStatements } from './split.js';
import { createPostgresParser, emptySchema, loadPostgresParser } from './dialects/postgres.js';
import { createNodeSqlParser } from './dialects/nodesqlparser.js';
import { extractEmbeddedSql, sqlOffsetToHost, sqlSpanToHost } from './embedded.js';
import { extractHostSql } from './embedded-host.js';
import { parsePrismaSchema } from './prisma.js';
import { hasSchema } from './schema.js';
import { extractPrismaQueries } from './orm/prisma-client.js';
import type { OrmQuery } from './orm/model.js';
import { readSequelizeModels, type SequelizeModelRead } from './orm/sequelize-models.js';
import { extractSequelizeQueries } from './orm/sequelize-queries.js';
import { extractTypeormQueries } from './orm/typeorm-queries.js';
import { readTypeormEntities, type TypeormEntityRead } from './orm/typeorm-entities.js';
import { extractDjangoQueries, readDjangoModels, type DjangoModelRead } from './orm/django.js';
import { mayRenderTemplates, readDjangoRenders, type DjangoRender } from './orm/django-views.js';
import { extractSqlalchemyQueries, mayHaveSqlalchemyModels, mayHaveSqlalchemyQueries, readSqlalchemyModels, type SqlalchemyModelRead } from './orm/sqlalchemy.js';
import { SQLALCHEMY_PACKAGES } from './orm/python-deps.js';
import { isAlembicMigration, readAlembicIndexes } from './orm/sqlalchemy-alembic.js';
import { extractDrizzleQueries } from './orm/drizzle-queries.js';
import { mayHaveDrizzleTables, readDrizzleTables, type DrizzleModelRead } from './orm/drizzle-schema.js';
import { extractKnexQueries, extractKyselyQueries } from './orm/builders.js';
import { numberNamedPlaceholders, numberQuestionPlaceholders, templateMarkers, toPostgresSpelling, type RewrittenSql } from './placeholders.js';
import { normalizeDialect } from '../../kernel/settings.js';
import { conventionalCodeRole, isTestLike } from '../../kernel/code-role.js';
import { ENGINE_LABEL, engineFromPath, foreignSyntax, isSupported, type Engine, type EngineEvidence, type UnsupportedEngine } from './dialect-evidence.js';

export type SqlFileKind = 'sql' | 'code' | 'prisma';

export interface ParsedSqlFile {
  path: string;
  kind: SqlFileKind;
  dialect: Dialect;
  statements: ParsedStatement[];
  fragment: SchemaFragment;
  /** Problems reading the file itself (Prisma syntax errors...). */
  errors: { message: string; span: Span }[];
  /** Written for an engine the SQL rules do not model: not parsed. `scope` is the folder the evidence covers (one note per scope). */
  unsupported?: { engine: UnsupportedEngine; label: string; source: string; scope: string };
  /** Nothing chose the dialect (no comment, setting, folder, project evidence or tell-tale syntax): the project's other SQL may. */
  dialectUnknown?: boolean;
  /** ORM calls in application code (orm/), in the ORM's names: resolved against the schema by the rules. */
  orm?: OrmQuery[];
  /** Sequelize models or migration steps the file defines (linked across files when the schema is built). */
  sequelize?: SequelizeModelRead;
  /** TypeORM entities (or a naming strategy) the file declares (linked across files when the schema is built). */
  typeorm?: TypeormEntityRead;
  /** Django models the file defines. */
  django?: DjangoModelRead;
  /** Django views' template renders (`render(request, "x.html", {"checks": checks})`), for N+1 reads in templates. */
  djangoRenders?: DjangoRender[];
  /** SQLAlchemy models and tables the file defines. */
  sqlalchemy?: SqlalchemyModelRead;
  /** The indexes an Alembic revision's upgrade() creates. */
  alembic?: SchemaFragment;
  /** Drizzle tables the file defines (linked across files when the schema is built). */
  drizzle?: DrizzleModelRead;
}

export function sqlFileKind(path: string): SqlFileKind | undefined {
  const p = path.toLowerCase();
  if (p.endsWith('.sql') || p.endsWith('.ddl') || p.endsWith('.psql') || p.endsWith('.pgsql')) return 'sql';
  if (p.endsWith('.prisma')) return 'prisma';
  if (/\.(?:[cm]?[jt]s|[jt]sx)$/.test(p) && !p.endsWith('.d.ts') && !/\.min\.js$/.test(p)) return 'code';
  if (p.endsWith('.go') || p.endsWith('.py')) return 'code';
  return undefined;
}

// (`^` then horizontal space only: a line break in `^\s*` only moves a match to the next line start, same end.)
const HINTS: Record<Dialect, RegExp> = {
  mysql: /\bENGINE\s*=|\bAUTO_INCREMENT\b|`[^`\n]+`|\bUNSIGNED\b|^[^\S\n\r\u2028\u2029]*DELIMITER\b|\bON UPDATE CURRENT_TIMESTAMP\b|\bLOCK TABLES\b|\/\*!\d+|@@?[a-z_]+\b|\bCHARSET\s*=|\bTINYINT\b|\bMEDIUMTEXT\b|^[^\S\n\r\u2028\u2029]*USE\s+\w+\s*;|(?<!\bAS\s{1,4})\bENUM\s*\(|^[^\S\n\r\u2028\u2029]*#|^[^\S\n\r\u2028\u2029]*source\s+\S+\.sql/gim,
  sqlite: /\bAUTOINCREMENT\b|\bWITHOUT ROWID\b|\bPRAGMA\b|\bsqlite_|\[[A-Za-z_][\w ]*\]/gi,
  postgresql: /\bBIGSERIAL\b|\bSERIAL\b|\bJSONB\b|\bTIMESTAMPTZ\b|::[a-z]|\bUSING\s+(?:gin|gist|brin)\b|\$\d|\bCONCURRENTLY\b|\bILIKE\b|\$\$|\bOWNER TO\b|\bpg_catalog\b|\bCREATE EXTENSION\b|\bCHARACTER VARYING\b/gi,
};

const HINT = /(?:--|#|\/\/|\/\*)\s*(?:perf-audit\s+)?dialect[:=]\s*([a-z][\w-]*)/i;

/** Picks the dialect: a `-- dialect: mysql` hint, the configured one, the path (…/mysql/…), the project's evidence, or the content. */
export function detectDialect(path: string, text: string, configured?: Dialect, evidence?: EngineEvidence): Dialect {
  const e = detectEngine(path, text, configured, evidence).engine;
  return isSupported(e) ? e : 'postgresql';
}

/**
 * The engine of a .sql file, with what said so and the folder that evidence covers: a `-- dialect:`
 * comment, the configured dialect, a folder name (wins for the files under it), the project's own
 * evidence (drivers, ORM configuration, Prisma provider), syntax only another engine writes
 * (ClickHouse MergeTree, T-SQL …), then the most tell-tale constructs among the candidates.
 */
export function detectEngine(path: string, text: string, configured?: Dialect, evidence?: EngineEvidence, neutralFallback?: Dialect): { engine: Engine; source: string; scope: string; unknown?: boolean } {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const hint = HINT.exec(text.slice(0, 2000));
  const hinted = hint ? hintedEngine(hint[1]) : undefined;
  if (hinted) return { engine: hinted, source: `the comment "${hint![0]}"`, scope: path };
  if (configured) return { engine: configured, source: 'the "sql.dialect" setting', scope: '' };
  const byPath = engineFromPath(path);
  if (byPath) return { engine: byPath.engines[0], source: byPath.source, scope: byPath.scope };
  const foreign = foreignSyntax(text);
  if (foreign) return { engine: foreign, source: `${ENGINE_LABEL[foreign]}-only syntax in the file`, scope: dir };
  const supported = (evidence?.engines ?? []).filter(isSupported);
  const others = (evidence?.engines ?? []).filter((x): x is UnsupportedEngine => !isSupported(x));
  if (evidence && supported.length === 1) return { engine: supported[0], source: evidence.source, scope: evidence.scope };
  if (evidence && supported.length === 0 && others.length) return { engine: others[0], source: evidence.source, scope: evidence.scope };
  const guess = bySyntax(text, supported.length ? supported : ['postgresql', 'mysql', 'sqlite']);
  // Portable SQL (a sqlc query file, plain SELECTs): the dialect of the project's schema files, when known.
  if (!guess.score && neutralFallback && (!supported.length || supported.includes(neutralFallback))) return { engine: neutralFallback, source: "the dialect of the project's schema files", scope: dir };
  return { engine: guess.dialect, source: 'the SQL syntax', scope: dir, ...(guess.score ? {} : { unknown: true }) };
}

function hintedEngine(name: string): Engine | undefined {
  const n = name.toLowerCase();
  if (/^(?:postgres(?:ql)?|mysql|mariadb|sqlite)$/.test(n)) return normalizeDialect(n);
  const e = engineFromPath(`${n}/x.sql`)?.engines[0];
  return e && !isSupported(e) ? e : undefined;
}

/** The candidate with the most tell-tale constructs in the code (the first candidate when none has any). */
function bySyntax(text: string, candidates: readonly Dialect[]): { dialect: Dialect; score: number } {
  // Count tell-tale constructs in the code only: '[us]' or 'a@b.c' inside a string literal says nothing.
  const head = stripStringsAndComments(text.length > 200_000 ? text.slice(0, 200_000) : text);
  let best: Dialect = candidates.includes('postgresql') ? 'postgresql' : candidates[0];
  let bestScore = 0;
  for (const d of ['postgresql', 'mysql', 'sqlite'] as const) {
    if (!candidates.includes(d)) continue;
    const n = countMatches(HINTS[d], head);
    if (n > bestScore) {
      best = d;
      bestScore = n;
    }
  }
  return { dialect: best, score: bestScore };
}

/**
 * How many times the global regex `re` matches in `text` — `text.match(re).length` for the HINTS,
 * none of which can match the empty string — without building the array of matches.
 */
function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  for (let from = 0; re.test(text); from = re.lastIndex) {
    n++;
    if (re.lastIndex === from) re.lastIndex++; // an empty match: step over it so the loop ends
  }
  return n;
}

/** Blanks single-quoted literals and comments (keeps identifiers, backticks and brackets). */
function stripStringsAndComments(text: string): string {
  // MySQL's executable comments (/*!50503 … */) are code, not comments.
  return text.replace(/'(?:[^'\\]|''|\\.)*'|--[^\n]*|\/\*(?!!)[\s\S]*?\*\//g, (m) => (m.startsWith("'") ? "''" : ' '));
}

export { normalizeDialect };

/**
 * SQL in JS/TS: an explicit `// dialect: mysql` hint, the configured dialect, the one database the
 * project's evidence names, or the workspace's. An engine the rules do not model when the evidence
 * names nothing else.
 */
function detectCodeEngine(text: string, configured?: Dialect, fallback?: Dialect, evidence?: EngineEvidence, path?: string): { engine: Engine; source: string; scope: string } {
  const hint = HINT.exec(text.slice(0, 2000));
  const hinted = hint ? hintedEngine(hint[1]) : undefined;
  if (hinted) return { engine: hinted, source: `the comment "${hint![0]}"`, scope: '' };
  if (configured) return { engine: configured, source: 'the "sql.dialect" setting', scope: '' };
  // a folder name (migrations/sqlite/*.ts, db/clickhouse.ts) wins here too
  const byPath = path === undefined ? undefined : engineFromPath(path);
  if (byPath) return { engine: byPath.engines[0], source: byPath.source, scope: byPath.scope };
  const supported = (evidence?.engines ?? []).filter(isSupported);
  if (evidence && supported.length === 1) return { engine: supported[0], source: evidence.source, scope: evidence.scope };
  if (evidence && supported.length === 0 && evidence.engines.length) return { engine: evidence.engines[0], source: evidence.source, scope: evidence.scope };
  // Several databases (an app that runs on each): the workspace's, else PostgreSQL among them.
  const pick = fallback && (!supported.length || supported.includes(fallback)) ? fallback : !supported.length || supported.includes('postgresql') ? 'postgresql' : supported[0];
  return { engine: pick, source: 'the workspace', scope: '' };
}

const MAX_CACHE = 50_000;

/**
 * Parses statements with a cache per dialect keyed by the statement text itself (a `dialect + text`
 * key would copy every statement once more just to look it up). At most MAX_CACHE entries in all.
 */
export class StatementParser {
  private readonly cache = new Map<Dialect, Map<string, StatementParse>>();
  private cached = 0;
  private readonly parsers = new Map<Dialect, DialectParser>();

  async ready(dialects: Iterable<Dialect>): Promise<void> {
    for (const d of dialects) if (d === 'postgresql') await loadPostgresParser();
  }

  parse(dialect: Dialect, text: string): StatementParse {
    let cache = this.cache.get(dialect);
    if (!cache) this.cache.set(dialect, (cache = new Map()));
    const hit = cache.get(text);
    if (hit) {
      // refresh LRU position
      cache.delete(text);
      cache.set(text, hit);
      return hit;
    }
    let parser = this.parsers.get(dialect);
    if (!parser) {
      parser = dialect === 'postgresql' ? createPostgresParser() : createNodeSqlParser(dialect);
      this.parsers.set(dialect, parser);
    }
    let result: StatementParse;
    try {
      // A multi-row INSERT (a data dump) costs an AST node per value: seconds in node-sql-parser, and
      // in libpg-query a JSON tree of megabytes to build and read. No rule looks at the rows, so all
      // rows but the first are cut out and the offsets of the result shifted back. When the cut
      // statement does not parse, the whole one is parsed so that the error is the parser's own.
      const rows = extraValueRows(text, dialect);
      if (rows) {
        const shift = rows.end - rows.start - 1;
        const map = (o: number): number => (o > rows.start ? o + shift : o);
        result = parser.parseStatement(`${text.slice(0, rows.start)} ${text.slice(rows.end)}`);
        result = result.error ? parser.parseStatement(text) : relocate(result, map, (sp) => ({ start: map(sp.start), end: map(sp.end) }));
      } else result = parser.parseStatement(text);
    } catch (e) {
      result = { error: { message: `internal parser error: ${(e as Error).message}`, offset: 0 } };
    }
    cache.set(text, result);
    if (++this.cached > MAX_CACHE) {
      cache.delete(cache.keys().next().value!);
      this.cached--;
    }
    return result;
  }
}

/**
 * `INSERT … VALUES (…), (…), …` → the range from the end of the first row to the end of the last
 * one, for a statement long enough to matter. Undefined for other statements, and for one whose rows
 * hold something the scan below does not follow (a PostgreSQL dollar-quoted string).
 * String literals follow the dialect: backslash escapes in MySQL, in PostgreSQL only inside E'…',
 * never in SQLite; a doubled quote is two adjacent literals to the scan, which comes to the same.
 */
export function extraValueRows(text: string, dialect: Dialect = 'mysql'): Span | undefined {
  if (text.length < 2000 || !/^\s*(?:INSERT|REPLACE)\b/i.test(text)) return undefined;
  const m = /\bVALUES\s*\(/i.exec(text);
  if (!m) return undefined;
  const n = text.length;
  // The next character that matters: inside a row a quote or a parenthesis, between rows anything
  // but blank space. Regexes find them far faster than a loop over 600 KB dumps.
  const inRow = dialect === 'postgresql' ? /['"`()$]/g : /['"`()]/g;
  const betweenRows = /\S/g;
  let i = m.index + m[0].length - 1;
  let depth = 0;
  let firstEnd = -1;
  let lastEnd = -1;
  /** A row has just closed: the next thing must be a comma (or the end of the rows). */
  let needComma = false;
  while (i < n) {
    const next = depth === 0 ? betweenRows : inRow;
    next.lastIndex = i;
    if (!next.test(text)) break;
    i = next.lastIndex - 1;
    const c = text[i];
    if (c === "'" || c === '"' || c === '`') {
      const escapes = c !== '`' && (dialect === 'mysql' || (dialect === 'postgresql' && c === "'" && /[eE]/.test(text[i - 1] ?? '') && !/\w/.test(text[i - 2] ?? '')));
      i = quoteEnd(text, i + 1, c, escapes) + 1;
      continue;
    }
    if (c === '$' && dialect === 'postgresql' && /^\$(?:[A-Za-z_]\w*)?\$/.test(text.slice(i, i + 64))) return undefined;
    if (depth === 0 && c === ',' && needComma) needComma = false;
    else if (c === '(' && !(depth === 0 && needComma)) depth++;
    else if (c === ')') {
      if (--depth === 0) {
        if (firstEnd < 0) firstEnd = i + 1;
        lastEnd = i + 1;
        needComma = true;
      }
    } else if (depth === 0) break; // a missing or doubled comma, or what follows the rows: left to the parser
    i++;
  }
  return firstEnd < 0 || lastEnd <= firstEnd ? undefined : { start: firstEnd, end: lastEnd };
}

/** Own enumerable keys of `o`, counted up to 3 without building an array (relocate visits every node of every model). */
function keyCount(o: object): number {
  let n = 0;
  for (const k in o) if (Object.hasOwn(o, k) && ++n > 2) break;
  return n;
}

/** Shift every span (any `{start, end}` object) in a parse result through `map` (statement-relative → host offsets). Returns a copy. */
function relocate<T>(value: T, map: (o: number) => number, mapSpan: (s: Span) => Span): T {
  const copy = (v: unknown, key: string, depth: number): unknown => {
    if (depth > 200 || v === null || typeof v !== 'object') return key === 'endOffset' && typeof v === 'number' ? map(v) : v;
    if (Array.isArray(v)) return v.map((x) => copy(x, '', depth + 1));
    const o = v as Record<string, unknown>;
    if (typeof o.start === 'number' && typeof o.end === 'number' && keyCount(o) === 2) {
      const m = mapSpan(o as unknown as Span);
      return { start: m.start, end: Math.max(m.start, m.end) };
    }
    const out: Record<string, unknown> = {};
    for (const k in o) if (o[k] !== undefined) out[k] = copy(o[k], k, depth + 1);
    return out;
  };
  return copy(value, '', 0) as T;
}

interface LenientParse {
  result: StatementParse;
  /** Offset in the text that was parsed → offset in the statement. */
  toOriginal: (offset: number) => number;
  /** Why a statement that is probably valid SQL was left out: no parse error for it. */
  notAnalysed?: string;
}

const same = (o: number): number => o;
const MAX_INTERPOLATION_RETRIES = 8;

/**
 * Parses a statement the way the code that runs it will send it. When the text as written does not
 * parse, it is parsed again with what the driver or ORM does before the server sees it:
 * placeholders that are not SQL syntax numbered (`?` from knex, `:name` from Sequelize, `@p1`, `%s`,
 * `{{ }}`), and an interpolated `${…}` where the grammar wants a name read as a name (a table or
 * database name built in code). A statement node-sql-parser rejects but PostgreSQL's grammar accepts
 * is left out as "not analysed" (node-sql-parser lacks much of MySQL and SQLite: JSON_TABLE, CASE
 * with boolean branches …), and so is MySQL-quoted SQL in a .sql file of another dialect (a script
 * with a section per database). What is left is reported with the parser's own error on the text as
 * written.
 */
function parseLeniently(parser: StatementParser, dialect: Dialect, text: string, embedded: boolean, interpolations: readonly Span[]): LenientParse {
  const first = parser.parse(dialect, text);
  if (!first.error) return { result: first, toOriginal: same };
  let cur: { text: string; toOriginal: (o: number) => number } = { text, toOriginal: same };
  const compose = (r: RewrittenSql | undefined): void => {
    if (!r) return;
    const outer = cur.toOriginal;
    cur = { text: r.text, toOriginal: (o) => outer(r.toOriginal(o)) };
  };
  let res = first;
  const attempt = (): boolean => {
    if (cur.text === text) return false;
    res = parser.parse(dialect, cur.text);
    return !res.error;
  };
  /** With template markers, the error to report is the one with the markers read as names (same offsets), not one at a marker. */
  let markerError: StatementParse | undefined;
  // Template markers in a .sql file (`%query%`, `FROM %s`, `{{ table }}`, `${schema}`) are filled in
  // by code before the statement runs: read them as names first.
  if (!embedded && interpolations.length) {
    let filled = cur.text;
    for (const sp of interpolations) filled = `${filled.slice(0, sp.start)}${'x'.repeat(sp.end - sp.start)}${filled.slice(sp.end)}`;
    cur = { text: filled, toOriginal: same };
    if (attempt()) return { result: res, toOriginal: cur.toOriginal };
    markerError = res;
  }
  if (dialect === 'postgresql') {
    if (embedded) compose(numberQuestionPlaceholders(cur.text));
    if (attempt()) return { result: res, toOriginal: cur.toOriginal };
    compose(numberNamedPlaceholders(cur.text));
  } else compose(numberNamedPlaceholders(cur.text, ['percent', 'mustache'], 'question'));
  if (attempt()) return { result: res, toOriginal: cur.toOriginal };
  // `${name}` where a table, column or database name goes, or `${filter}` holding a clause built in
  // code: the error is at its placeholder. Read it as a name; if the error stays there, as nothing.
  /** Placeholders read as a name, in the current text. */
  const filled: Span[] = [];
  const spanAt = (orig: number): Span | undefined => interpolations.find((sp) => orig >= sp.start && orig < sp.end);
  for (let k = 0; k < MAX_INTERPOLATION_RETRIES && res.error && interpolations.length; k++) {
    const at = res.error.offset;
    const sp = spanAt(cur.toOriginal(at));
    const tok = sp ? cur.text.slice(at, at + sp.end - sp.start) : '';
    if (!sp || !/^(?:\$\d+|\?|x+)$/.test(tok)) {
      // The error just after a placeholder read as a name (`CREATE INDEX ${ifNotExists} name ON …`):
      // it holds keywords, not a name; read it as nothing.
      const prev = filled.find((f) => f.end <= at && !cur.text.slice(f.end, at).trim());
      if (!prev) break;
      filled.splice(filled.indexOf(prev), 1);
      cur = { text: `${cur.text.slice(0, prev.start)}${' '.repeat(prev.end - prev.start)}${cur.text.slice(prev.end)}`, toOriginal: cur.toOriginal };
      if (attempt()) return { result: res, toOriginal: cur.toOriginal };
      continue;
    }
    const fill = (tok.startsWith('x') ? ' ' : 'x').repeat(tok.length);
    if (fill.startsWith('x')) filled.push({ start: at, end: at + tok.length });
    cur = { text: `${cur.text.slice(0, at)}${fill}${cur.text.slice(at + tok.length)}`, toOriginal: cur.toOriginal };
    if (attempt()) return { result: res, toOriginal: cur.toOriginal };
  }
  // Still failing right at (or just after) a marker of a .sql template read as nothing: the marker
  // stands for more than a name (a subquery, a list of clauses). Not analysed, not an error.
  if (!embedded && res.error && interpolations.length) {
    const o = cur.toOriginal(res.error.offset);
    const sp = interpolations.find((x) => (o >= x.start && o < x.end) || (x.end <= o && !text.slice(x.end, o).trim()));
    if (sp) return { result: {}, toOriginal: same, notAnalysed: 'a template whose markers code fills in' };
  }
  if (dialect !== 'postgresql') {
    // A second opinion from PostgreSQL's grammar, except on an empty select list (PostgreSQL only).
    let spelled = toPostgresSpelling(cur.text, dialect);
    // SQLite's postfix `x NOT NULL` (its NOTNULL) outside column definitions: PostgreSQL spells it NOTNULL.
    if (dialect === 'sqlite' && !/^\s*(?:CREATE|ALTER)\b/i.test(spelled)) spelled = spelled.replace(/(\bIS\s+)?\bNOT\s+NULL\b/gi, (m, is: string | undefined) => (is ? m : 'NOTNULL'));
    let pg = parser.parse('postgresql', spelled);
    // MySQL's JOIN without a condition (a cross join), last in the statement: PostgreSQL wants ON.
    if (pg.error && pg.error.offset >= spelled.trimEnd().length && /\bJOIN\b/i.test(spelled)) pg = parser.parse('postgresql', `${spelled} ON TRUE`);
    if (!pg.error && !/^\s*SELECT\s+FROM\b/i.test(cur.text)) return { result: {}, toOriginal: same, notAnalysed: `${dialect === 'mysql' ? 'MySQL' : 'SQLite'} syntax this parser does not cover` };
  } else if (!embedded && text.includes('`')) {
    const my = parser.parse('mysql', text);
    if (!my.error) return { result: {}, toOriginal: same, notAnalysed: 'MySQL syntax in a PostgreSQL file' };
  }
  return { result: markerError ?? first, toOriginal: same };
}

/** What parseSqlFile reads besides SQL. */
export interface ParseSqlOptions {
  /** ORM calls and models (Prisma Client, Sequelize, Drizzle, Kysely, knex, TypeORM, Django, SQLAlchemy): the `sql.orm` setting. Default true. */
  orm?: boolean;
  /**
   * The JS ORM packages some package.json of the workspace depends on (`@prisma/client`, `sequelize`,
   * `drizzle-orm`, `kysely`, `knex`…): only their extractors run. Undefined: every extractor runs.
   */
  ormPackages?: ReadonlySet<string>;
  /**
   * The Python ORM packages the workspace's Python manifests name (`sqlalchemy`, `flask-sqlalchemy`:
   * orm/python-deps.ts): the SQLAlchemy reader runs only when one is named. Undefined: it runs.
   */
  pythonOrmPackages?: ReadonlySet<string>;
}

/** The packages that call for each JS extractor. */
const JS_ORM_PACKAGES = {
  prisma: ['@prisma/client', 'prisma'], sequelize: ['sequelize', 'sequelize-typescript'], drizzle: ['drizzle-orm'], kysely: ['kysely'], knex: ['knex'],
  typeorm: ['typeorm', '@nestjs/typeorm'],
} as const;

/** Which JS extractors a workspace's dependencies call for. */
function jsOrms(packages: ReadonlySet<string> | undefined): Record<keyof typeof JS_ORM_PACKAGES, boolean> {
  const has = (names: readonly string[]): boolean => !packages || names.some((n) => packages.has(n));
  return { prisma: has(JS_ORM_PACKAGES.prisma), sequelize: has(JS_ORM_PACKAGES.sequelize), drizzle: has(JS_ORM_PACKAGES.drizzle), kysely: has(JS_ORM_PACKAGES.kysely), knex: has(JS_ORM_PACKAGES.knex),
    typeorm: has(JS_ORM_PACKAGES.typeorm),
  };
}

/** A Django model field or base (`models.CharField`, `models.ForeignKey`, `models.Model`): a file that may define models. */
const DJANGO_MODEL_FIELD = /\bmodels\.[A-Za-z]{0,40}(?:Field|ForeignKey|Model)\b/;

/** The package names ParseSqlOptions.ormPackages looks for. */
export const ORM_PACKAGES: readonly string[] = Object.values(JS_ORM_PACKAGES).flat();

/**
 * Parses one file. `fallback` is the workspace's dialect (from its schema files), used for SQL
 * embedded in application code, whose host text says little about the dialect.
 */
export function parseSqlFile(path: string, text: string, parser: StatementParser, configured?: Dialect, fallback?: Dialect, evidence?: EngineEvidence, options: ParseSqlOptions = {}): ParsedSqlFile {
  const orm = options.orm !== false;
  const kind = sqlFileKind(path) ?? 'sql';
  const fragment: SchemaFragment = { file: path, ...emptySchema() };
  const file: ParsedSqlFile = { path, kind, dialect: configured ?? 'postgresql', statements: [], fragment, errors: [] };
  if (kind === 'prisma') {
    const r = parsePrismaSchema(text, path);
    file.fragment = r.fragment;
    file.errors = r.errors;
    return file;
  }
  // Test code's ORM calls are never judged (query rules read runtime code): not extracted at all.
  const ormHere = orm && !isTestLike(conventionalCodeRole(path));
  if (ormHere && kind === 'code' && !/\.(?:go|py)$/i.test(path)) {
    const use = jsOrms(options.ormPackages);
    const calls = [
      ...(use.prisma ? extractPrismaQueries(path, text) : []), ...(use.sequelize ? extractSequelizeQueries(path, text) : []), ...(use.drizzle ? extractDrizzleQueries(path, text) : []),
      ...(use.kysely ? extractKyselyQueries(path, text) : []), ...(use.knex ? extractKnexQueries(path, text) : []), ...(use.typeorm ? extractTypeormQueries(path, text) : []),
    ];
    if (calls.length) file.orm = calls;
    const models = use.sequelize ? readSequelizeModels(path, text) : undefined;
    if (models && (models.models.length || models.bases.length || hasSchema(models.fragment))) file.sequelize = models;
    const entities = use.typeorm ? readTypeormEntities(path, text) : undefined;
    if (entities && (entities.classes.length || entities.naming)) file.typeorm = entities;
    if (use.drizzle && mayHaveDrizzleTables(text)) {
      const tables = readDrizzleTables(path, text);
      if (tables.models.length || tables.pending.length) file.drizzle = tables;
    }
  }
  const engine = kind === 'code' ? detectCodeEngine(text, configured, fallback, evidence, path) : detectEngine(path, text, configured, evidence, fallback);
  if (!isSupported(engine.engine)) {
    file.unsupported = { engine: engine.engine, label: ENGINE_LABEL[engine.engine], source: engine.source, scope: engine.scope };
    return file;
  }
  const dialect = engine.engine;
  if (ormHere && kind === 'code' && /\.py$/i.test(path)) {
    // Django: models.py (or a models/ package) and QuerySet calls anywhere in the app.
    if (DJANGO_MODEL_FIELD.test(text) && text.includes('class ')) {
      const models = readDjangoModels(path, text, { dialect });
      if (models.models.length) file.django = models;
    }
    if (text.includes('.objects') || text.includes('_set.') || text.includes('get_object_or_404')) {
      const calls = extractDjangoQueries(path, text);
      if (calls.length) file.orm = calls;
      const renders = calls.length && mayRenderTemplates(text) ? readDjangoRenders(text) : [];
      if (renders.length) file.djangoRenders = renders;
    }
    // SQLAlchemy: declarative models and Query / select() calls, when the workspace depends on it.
    const py = options.pythonOrmPackages;
    if (!py || SQLALCHEMY_PACKAGES.some((n) => py.has(n))) {
      if (isAlembicMigration(text)) {
        const indexes = readAlembicIndexes(path, text);
        if (indexes) file.alembic = indexes;
      } else if (mayHaveSqlalchemyModels(text)) {
        const models = readSqlalchemyModels(path, text, { dialect });
        if (models.models.length || models.fragment.tables.length) file.sqlalchemy = models;
      }
      if (mayHaveSqlalchemyQueries(text)) {
        const calls = extractSqlalchemyQueries(path, text);
        if (calls.length) file.orm = [...(file.orm ?? []), ...calls];
      }
    }
  }
  const ddlIgnored = kind === 'code' && isTestLike(conventionalCodeRole(path));
  file.dialect = dialect;
  if ('unknown' in engine && engine.unknown) file.dialectUnknown = true;
  const add = (raw: { text: string }, embedded: boolean, rawMap: (o: number) => number, hostSpan: Span, rawMapSpan: (s: Span) => Span = (s) => ({ start: rawMap(s.start), end: rawMap(s.end) }), guessed = false, interpolations: readonly Span[] = []): void => {
    const att = parseLeniently(parser, dialect, raw.text, embedded, interpolations);
    const r = att.result;
    const map = (o: number): number => rawMap(att.toOriginal(o));
    const mapSpan = (sp: Span): Span => rawMapSpan({ start: att.toOriginal(sp.start), end: att.toOriginal(sp.end) });
    const st: ParsedStatement = { span: hostSpan, text: raw.text, dialect, embedded };
    if (att.notAnalysed) st.notAnalysed = att.notAnalysed;
    // A string only guessed to be SQL from its words (not a sql`` tag, not the argument of a query call)
    // that does not parse is most likely English ("delete from users where they are inactive").
    if (r.error && guessed) return;
    if (r.error) {
      const at = map(Math.min(r.error.offset, raw.text.length));
      st.error = { message: r.error.message, span: { start: at, end: Math.min(hostSpan.end, Math.max(at + 1, at)) } };
    }
    if (r.query) st.query = relocate(r.query, map, mapSpan);
    // DDL in test code (a Go/Python/JS test that creates its own tables) never builds the app's schema.
    if (r.schema && !ddlIgnored) {
      const s = relocate(r.schema, map, mapSpan);
      st.schema = s;
      fragment.tables.push(...s.tables);
      fragment.indexes.push(...s.indexes);
      fragment.foreignKeys.push(...s.foreignKeys);
      fragment.primaryKeys.push(...s.primaryKeys);
      fragment.dropped.tables.push(...s.dropped.tables);
      fragment.dropped.indexes.push(...s.dropped.indexes);
      if (s.addedColumns) (fragment.addedColumns ??= []).push(...s.addedColumns);
      if (s.droppedConstraints) (fragment.droppedConstraints ??= []).push(...s.droppedConstraints);
      if (s.droppedColumns) (fragment.droppedColumns ??= []).push(...s.droppedColumns);
      if (s.renamed) (fragment.renamed ??= []).push(...s.renamed);
      if (s.nullability) (fragment.nullability ??= []).push(...s.nullability);
    }
    file.statements.push(st);
  };
  if (kind === 'sql') {
    for (const raw of splitStatements(text, dialect, file.errors)) {
      add(raw, false, (o) => raw.span.start + o, raw.span, undefined, false, templateMarkers(raw.text));
    }
  } else {
    const placeholder = dialect === 'postgresql' ? undefined : (): string => '?';
    const jsx = /\.[jt]sx$/i.test(path);
    const host = /\.go$/i.test(path) ? 'go' : /\.py$/i.test(path) ? 'python' : undefined;
    const found = host ? extractHostSql(text, host, placeholder ? { placeholder } : {}) : extractEmbeddedSql(text, { jsx, ...(placeholder ? { placeholder } : {}) });
    for (const e of found) {
      for (const raw of splitStatements(e.text, dialect)) {
        const base = raw.span.start;
        const map = (o: number): number => sqlOffsetToHost(e, base + o);
        const mapSpan = (s: Span): Span => sqlSpanToHost(e, { start: base + s.start, end: base + s.end });
        const interpolations: Span[] = [];
        for (const p of e.pieces ?? []) {
          if (p.kind === 'placeholder' && p.sqlStart >= base && p.sqlStart < base + raw.text.length) interpolations.push({ start: p.sqlStart - base, end: p.sqlStart - base + p.sqlLength });
        }
        add(raw, true, map, mapSpan({ start: 0, end: raw.text.length }), mapSpan, e.via === 'content', interpolations);
      }
    }
  }
  for (const fk of fragment.foreignKeys) fk.file = path;
  for (const i of fragment.indexes) i.file = path;
  for (const t of fragment.tables) t.file = path;
  return file;
}
