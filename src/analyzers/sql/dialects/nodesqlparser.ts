/**
 * MySQL and SQLite dialect adapter.
 *
 * Queries (SELECT / INSERT / REPLACE / UPDATE / DELETE, also under EXPLAIN) are parsed with
 * node-sql-parser's per-dialect builds, loaded lazily on first use. node-sql-parser reports locations
 * only for some MySQL nodes and none for SQLite, so every span comes from our own tokenizer: clause
 * boundaries, the boolean structure (AND / OR) and identifier occurrences are found in the token stream
 * and matched, in source order, with the AST.
 *
 * DDL (CREATE TABLE / CREATE INDEX / ALTER TABLE / DROP TABLE / DROP INDEX) is read directly from the
 * token stream: node-sql-parser's DDL grammars reject too much valid SQL (SQLite `REFERENCES t` without
 * a column list, `DROP INDEX i`, free-form type names; MySQL SERIAL, BOOL, NVARCHAR ...) and give no
 * locations for it. It is read leniently: a malformed column definition is not reported.
 *
 * Before a query reaches node-sql-parser, constructs its grammars lack are rewritten in place with text
 * of the same length (so error offsets stay exact): SQLite `"ident"` / `[ident]` become backtick-quoted,
 * `?NNN` parameters become `?`, RETURNING / ON CONFLICT clauses are blanked, MySQL index hints are
 * blanked, ... Spans never depend on that rewritten text.
 *
 * Views, triggers, routines and session / transaction statements are recognized and return nothing.
 *
 * SQLite reads `"x"` as an identifier when such a column exists and as a string otherwise. Without the
 * schema we guess from the context (see `markDqStrings`): after a comparison operator or LIKE, or in an
 * IN list, it is a string; anywhere else an identifier.
 *
 * Modules (imports run one way: this entry → nsp-queries → nsp-column-uses → nsp-ast / nsp-tokens;
 * nsp-ddl and nsp-normalize → nsp-tokens):
 *   nsp-tokens.ts       tokenizer, token tests and ranges, expression text and columns
 *   nsp-ddl.ts          CREATE / ALTER / DROP TABLE and INDEX read from tokens → schema fragment
 *   nsp-normalize.ts    same-length dialect rewrites before node-sql-parser
 *   nsp-ast.ts          helpers on node-sql-parser's AST
 *   nsp-column-uses.ts  column refs ↔ tokens, name resolution, predicates → ColumnUses
 *   nsp-queries.ts      SELECT / INSERT / UPDATE / DELETE → query model (QueryBuilder)
 */
import type { DialectParser, StatementParse } from '../types.js';
import type { Node } from './nsp-ast.js';
import { DdlError, DdlReader } from './nsp-ddl.js';
import { normalizeForParser } from './nsp-normalize.js';
import { QueryBuilder } from './nsp-queries.js';
import { type Flavor, type Token, isPunct, isWord, tokenize } from './nsp-tokens.js';

// ---------------------------------------------------------------------------------------------
// Parser loading
// ---------------------------------------------------------------------------------------------

interface NspParser {
  astify(sql: string, opt?: { database?: string; parseOptions?: { includeLocations?: boolean } }): Node;
}

const parsers: Partial<Record<Flavor, NspParser>> = {};

function loadParser(flavor: Flavor): NspParser {
  let p = parsers[flavor];
  if (!p) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = flavor === 'mysql' ? require('node-sql-parser/build/mysql') : require('node-sql-parser/build/sqlite');
    const Ctor = (mod.Parser ?? mod.default?.Parser) as new () => NspParser;
    p = new Ctor();
    parsers[flavor] = p;
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Statement routing
// ---------------------------------------------------------------------------------------------

/** Statements we recognize but do not model (procedural code, session/transaction control ...). */
const SKIP_FIRST = new Set([
  'pragma', 'attach', 'detach', 'vacuum', 'analyze', 'reindex', 'begin', 'commit', 'rollback', 'savepoint', 'release', 'start', 'end', 'source', 'flush',
  'show', 'call', 'use', 'delimiter', 'lock', 'unlock', 'grant', 'revoke', 'set', 'declare', 'prepare', 'execute', 'deallocate', 'handler', 'load', 'optimize',
  'repair', 'checksum', 'rename', 'truncate', 'explain', 'describe', 'desc', 'do', 'kill', 'reset', 'purge', 'install', 'uninstall', 'xa', 'help', 'signal',
  'resignal', 'get', 'change', 'stop', 'cache', 'check', 'comment',
]);
const SKIP_CREATE = new Set(['trigger', 'procedure', 'function', 'event', 'virtual', 'view', 'database', 'schema', 'user', 'role', 'server', 'tablespace', 'logfile', 'aggregate']);
const SKIP_DROP = new Set(['trigger', 'procedure', 'function', 'event', 'view', 'database', 'schema', 'user', 'role', 'server', 'tablespace', 'logfile']);

export function createNodeSqlParser(dialect: 'mysql' | 'sqlite'): DialectParser {
  const flavor: Flavor = dialect;
  const database = dialect === 'mysql' ? 'MySQL' : 'sqlite';
  return {
    dialect,
    parseStatement(text: string): StatementParse {
      try {
        return parseOne(text, flavor, database);
      } catch (e) {
        return { error: { message: `Internal error: ${e instanceof Error ? e.message : String(e)}`, offset: 0 } };
      }
    },
  };
}

/** A statement we recognize but do not model (procedural code, session / transaction control ...). */
function skippable(toks: Token[]): boolean {
  const first = toks[0];
  if (!first || first.kind !== 'word') return false;
  if (SKIP_FIRST.has(first.value)) return true;
  if (first.value === 'create' || first.value === 'drop' || first.value === 'alter') {
    // CREATE [OR REPLACE] [DEFINER = x] [SQL SECURITY y] [TEMP] TRIGGER / PROCEDURE / ...
    const kinds = first.value === 'drop' ? SKIP_DROP : SKIP_CREATE;
    for (let i = 1; i < Math.min(toks.length, 12); i++) {
      const t = toks[i];
      if (t.kind !== 'word') continue;
      if (t.value === 'table' || t.value === 'index') return false;
      if (kinds.has(t.value)) return true;
    }
  }
  return false;
}

/** node-sql-parser's `Expected "a", "b", ... but "x" found.` lists every alternative: keep a few. */
function shortMessage(message: string, near: string): string {
  if (/Maximum call stack size exceeded/.test(message)) return 'the statement is nested too deeply for the parser';
  const m = /^Expected (.*) but (.*) found\.$/s.exec(message);
  if (!m) return message;
  const expected = m[1].split(/, (?:or )?/).filter((x) => !/^\[|^"(?:#|--|\/\*)"$/.test(x));
  const shown = expected.slice(0, 6).join(', ');
  return `Syntax error ${near}${shown ? ` (expected ${shown}${expected.length > 6 ? ', …' : ''})` : ''}`;
}

/** `INSERT [INTO] name () VALUES () [, ()]…`: only empty parentheses after the table name. */
function defaultsOnlyInsert(toks: Token[]): boolean {
  let k = isWord(toks[1], 'into') ? 2 : 1;
  if (toks[k]?.kind !== 'word' && toks[k]?.kind !== 'ident') return false;
  k++;
  if (isPunct(toks[k], '.')) k += 2;
  const empty = (): boolean => isPunct(toks[k], '(') && isPunct(toks[k + 1], ')') && (k += 2) > 0;
  if (!empty() || !isWord(toks[k++], 'values', 'value') || !empty()) return false;
  while (isPunct(toks[k], ',')) {
    k++;
    if (!empty()) return false;
  }
  return k === toks.length || (k === toks.length - 1 && isPunct(toks[k], ';'));
}

function parseOne(text: string, flavor: Flavor, database: string): StatementParse {
  let toks = tokenize(text, flavor);
  if (!toks.length) return {};
  // EXPLAIN [ANALYZE] [FORMAT = x] <statement> / EXPLAIN QUERY PLAN <statement>: model the statement
  let prefix = 0;
  if (isWord(toks[0], 'explain', 'describe', 'desc')) {
    let k = 1;
    while (k < toks.length && !isWord(toks[k], 'select', 'with', 'insert', 'replace', 'update', 'delete', 'table') && !(isPunct(toks[k], '(') && isWord(toks[k + 1], 'select'))) k++;
    if (k < toks.length && k <= 6) {
      prefix = toks[k].start;
      toks = tokenize(' '.repeat(prefix) + text.slice(prefix), flavor);
    }
  }
  const first = toks[0];
  const second = toks[1];

  // DDL from tokens
  const head = toks.slice(1, 8);
  const ddlStart = (isWord(first, 'create') && head.some((t) => isWord(t, 'table', 'index')) && !head.some((t) => isWord(t, 'view', 'trigger', 'virtual', 'procedure', 'function', 'event')))
    || (isWord(first, 'alter') && toks.slice(1, 4).some((t) => isWord(t, 'table')))
    || (isWord(first, 'drop') && toks.slice(1, 3).some((t) => isWord(t, 'table', 'tables', 'index')))
    || (isWord(first, 'rename') && isWord(second, 'table', 'tables'));
  if (ddlStart) {
    try {
      const schema = new DdlReader(text, toks, flavor).run();
      if (schema) return { schema };
    } catch (e) {
      if (e instanceof DdlError) return { error: { message: e.message, offset: e.offset } };
      throw e;
    }
  }
  // views: like the PostgreSQL adapter, not modelled
  if (isWord(first, 'create') && toks.slice(1, 12).some((t) => isWord(t, 'view'))) return {};

  const isQuery = isWord(first, 'select', 'with', 'insert', 'replace', 'update', 'delete', 'values', 'table')
    || (isPunct(first, '(') && (isWord(second, 'select', 'with') || isPunct(second, '(')));
  if (!isQuery && skippable(toks)) return {};
  // MySQL `INSERT INTO t () VALUES (), ()` (a row of defaults): valid, and nothing for the rules.
  if (isWord(first, 'insert') && defaultsOnlyInsert(toks)) return { query: { kind: 'other', tables: [], uses: [], selectStars: [], hasWhere: false, hasLimit: false, aggregateOnly: false, children: [] } };
  let normalized = normalizeForParser(text, toks, flavor);
  if (prefix) normalized = ' '.repeat(prefix) + normalized.slice(prefix);
  let ast: Node;
  try {
    ast = loadParser(flavor).astify(normalized, { database });
  } catch (e) {
    const err = e as { message?: string; location?: { start?: { offset?: number } } };
    let offset = typeof err.location?.start?.offset === 'number' ? Math.max(0, Math.min(text.length, err.location.start.offset)) : 0;
    // point at a token, not at the blank before it
    const tok = toks.find((t) => t.end > offset);
    if (tok && tok.start > offset && !text.slice(offset, tok.start).trim()) offset = tok.start;
    const near = tok ? `near "${text.slice(tok.start, tok.end).slice(0, 40)}"` : 'at end of input';
    return { error: { message: shortMessage(String(err.message ?? e), near), offset } };
  }
  if (Array.isArray(ast)) ast = ast.find((x) => x && typeof x === 'object') ?? ast[0];
  if (!ast || typeof ast !== 'object') return {};
  if (isWord(first, 'values')) return { query: { kind: 'other', tables: [], uses: [], selectStars: [], hasWhere: false, hasLimit: false, aggregateOnly: false, children: [] } };
  const query = new QueryBuilder(text, toks, flavor).statement(ast);
  return query ? { query } : {};
}
