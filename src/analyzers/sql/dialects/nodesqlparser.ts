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
 */
import type { ColumnDef, ColumnFact, ColumnUse, DialectParser, IndexDef, IndexKey, OrStep, QueryModel, SchemaFragment, Span, StatementParse, TableDef, TableRef } from '../types.js';
import { quoteEnd } from '../split.js';

/** node-sql-parser's AST is untyped JSON. */
type Node = any;

type Flavor = 'mysql' | 'sqlite';

// ---------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------

type TokKind = 'word' | 'ident' | 'string' | 'number' | 'param' | 'op' | 'punct';

interface Token {
  kind: TokKind;
  start: number;
  end: number;
  /** word: lower-case text; ident: unquoted lower-case name; string: unescaped content; others: raw text. */
  value: string;
  /** Paren depth; a `(` / `)` has the depth outside of it. */
  depth: number;
  /** For `(` and `)`: index of the matching paren (or -1 when unbalanced). */
  match: number;
  /** A SQLite `"..."` token that reads as a string literal in its context (see `markDqStrings`). */
  dqString?: boolean;
  /** ident: the unquoted name with its case, when that differs from `value`. */
  raw?: string;
}

const OPS3 = ['<=>', '->>'];
const OPS2 = ['<>', '!=', '<=', '>=', '||', '&&', '::', ':=', '->', '<<', '>>', '=='];

function isIdentStart(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 0x80;
}
function isIdentPart(c: string): boolean {
  const code = c.charCodeAt(0);
  return isIdentStart(c) || (code >= 48 && code <= 57) || code === 36;
}

/** A run of white space (as `\s`), matched at `lastIndex`: one regex call per run instead of one per character. */
const SPACE_RUN = /\s+/y;

function tokenize(text: string, flavor: Flavor): Token[] {
  const toks: Token[] = [];
  const n = text.length;
  const stack: number[] = [];
  let depth = 0;
  let i = 0;
  const push = (kind: TokKind, start: number, end: number, value: string): void => {
    toks.push({ kind, start, end, value, depth, match: -1 });
  };
  const pushIdent = (start: number, end: number, name: string): void => {
    push('ident', start, end, name.toLowerCase());
    if (name !== name.toLowerCase()) toks[toks.length - 1].raw = name;
  };
  /** End of the quoted token opened at i (unterminated: end of text). */
  const quoted = (close: string, backslash: boolean): number => {
    const k = quoteEnd(text, i + 1, close, backslash);
    return k < n ? k + 1 : n;
  };
  const unquote = (raw: string, close: string, backslash: boolean): string => {
    let body = raw.slice(1, raw.endsWith(close) && raw.length > 1 ? -1 : undefined);
    if (close !== ']') body = body.split(close + close).join(close);
    if (backslash) body = body.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', '0': '\0' })[c] ?? c);
    return body;
  };
  while (i < n) {
    SPACE_RUN.lastIndex = i;
    if (SPACE_RUN.test(text)) {
      i = SPACE_RUN.lastIndex;
      continue;
    }
    const c = text[i];
    if (c === '-' && text[i + 1] === '-' && (flavor === 'sqlite' || i + 2 >= n || /\s/.test(text[i + 2]))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === '#' && flavor === 'mysql') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === "'") {
      const j = quoted("'", flavor === 'mysql');
      push('string', i, j, unquote(text.slice(i, j), "'", flavor === 'mysql'));
      i = j;
      continue;
    }
    if (c === '"') {
      const j = quoted('"', flavor === 'mysql');
      if (flavor === 'mysql') push('string', i, j, unquote(text.slice(i, j), '"', true));
      else pushIdent(i, j, unquote(text.slice(i, j), '"', false));
      i = j;
      continue;
    }
    if (c === '`' || (c === '[' && flavor === 'sqlite')) {
      const close = c === '[' ? ']' : '`';
      const j = quoted(close, false);
      pushIdent(i, j, unquote(text.slice(i, j), close, false));
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? '') && !isIdentPart(text[i - 1] ?? ' '))) {
      const m = /^(?:0x[0-9a-f]+|0b[01]+|[0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?|[0-9]+\.(?:e[+-]?[0-9]+)?)/i.exec(text.slice(i, i + 128));
      let j = i + (m ? m[0].length : 1);
      // `1abc` is an identifier in MySQL (identifiers may start with digits)
      if (flavor === 'mysql' && j < n && isIdentPart(text[j]) && !/[eE]/.test(text[j])) {
        while (j < n && isIdentPart(text[j])) j++;
        push('word', i, j, text.slice(i, j).toLowerCase());
      } else push('number', i, j, text.slice(i, j));
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text[j])) j++;
      const word = text.slice(i, j);
      // X'..', B'..', N'..' literals and MySQL charset introducers (_utf8'..') stay one string token
      if (text[j] === "'" && /^(?:x|b|n|_[a-z0-9]+)$/i.test(word)) {
        const save = i;
        i = j;
        const k = quoted("'", flavor === 'mysql');
        push('string', save, k, unquote(text.slice(j, k), "'", flavor === 'mysql'));
        i = k;
        continue;
      }
      push('word', i, j, word.toLowerCase());
      i = j;
      continue;
    }
    if (c === '?') {
      let j = i + 1;
      while (j < n && /[0-9]/.test(text[j])) j++;
      push('param', i, j, text.slice(i, j));
      i = j;
      continue;
    }
    if ((c === ':' || c === '@' || c === '$') && i + 1 < n && (isIdentStart(text[i + 1]) || /[0-9]/.test(text[i + 1]) || (c === '@' && text[i + 1] === '@'))) {
      if (!(c === ':' && text[i + 1] === ':')) {
        let j = i + 1;
        if (c === '@' && text[j] === '@') j++;
        while (j < n && (isIdentPart(text[j]) || (c === '@' && text[j] === '.'))) j++;
        push('param', i, j, text.slice(i, j));
        i = j;
        continue;
      }
    }
    if (c === '(') {
      push('punct', i, i + 1, '(');
      stack.push(toks.length - 1);
      depth++;
      i++;
      continue;
    }
    if (c === ')') {
      depth = Math.max(0, depth - 1);
      push('punct', i, i + 1, ')');
      const open = stack.pop();
      if (open !== undefined) {
        toks[open].match = toks.length - 1;
        toks[toks.length - 1].match = open;
      }
      i++;
      continue;
    }
    if (c === ',' || c === '.' || c === ';') {
      push('punct', i, i + 1, c);
      i++;
      continue;
    }
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    const op = OPS3.includes(three) ? three : OPS2.includes(two) ? two : c;
    push('op', i, i + op.length, op);
    i += op.length;
  }
  if (flavor === 'sqlite') markDqStrings(text, toks);
  return toks;
}

/**
 * SQLite reads `"x"` as an identifier when such a column exists and as a string otherwise. Without the
 * schema we guess from the context: after a comparison operator / LIKE, or as a member of an IN list,
 * it is a string (`WHERE status = "active"`); anywhere else an identifier.
 */
function markDqStrings(text: string, toks: Token[]): void {
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== 'ident' || text[t.start] !== '"') continue;
    if (toks[i - 1]?.value === '.' || toks[i + 1]?.value === '.' || toks[i + 1]?.value === '(') continue;
    const prev = toks[i - 1];
    if (!prev) continue;
    if (prev.kind === 'op' && ['=', '==', '<>', '!=', '<', '>', '<=', '>='].includes(prev.value)) t.dqString = true;
    else if (prev.kind === 'word' && ['like', 'glob', 'match', 'regexp', 'escape'].includes(prev.value)) t.dqString = true;
    else if (prev.kind === 'punct' && (prev.value === '(' || prev.value === ',')) {
      // member of an IN (...) list
      let j = i - 1;
      while (j >= 0 && !(toks[j].value === '(' && toks[j].kind === 'punct' && toks[j].depth === t.depth - 1)) j--;
      if (j > 0 && toks[j - 1].kind === 'word' && toks[j - 1].value === 'in') t.dqString = true;
    }
  }
}

const isWord = (t: Token | undefined, ...words: string[]): boolean => !!t && t.kind === 'word' && (words.length === 0 || words.includes(t.value));
const isPunct = (t: Token | undefined, p: string): boolean => !!t && t.kind === 'punct' && t.value === p;
const isName = (t: Token | undefined): boolean => !!t && (t.kind === 'word' || t.kind === 'ident');

// ---------------------------------------------------------------------------------------------
// Expression text normalization (tokens → `lower(email)`)
// ---------------------------------------------------------------------------------------------

const BINARY_OPS = new Set(['=', '==', '<>', '!=', '<', '>', '<=', '>=', '<=>', '+', '-', '*', '/', '%', '||', '&&', '&', '|', '^', '<<', '>>', '->', '->>']);

/** Normalized lower-case text of tokens [s, e): qualifiers dropped, `, ` between arguments. */
function exprText(toks: Token[], s: number, e: number): string {
  let out = '';
  let prev: Token | undefined;
  for (let i = s; i < e; i++) {
    const t = toks[i];
    // drop `qualifier .` in front of a name
    if (isName(t) && isPunct(toks[i + 1], '.') && i + 2 < e && (isName(toks[i + 2]) || toks[i + 2].value === '*')) {
      i++;
      continue;
    }
    let piece: string;
    switch (t.kind) {
      case 'word':
      case 'ident':
        piece = t.dqString ? `'${t.value.replace(/'/g, "''")}'` : t.value;
        break;
      case 'string':
        piece = `'${t.value.replace(/'/g, "''")}'`;
        break;
      default:
        piece = t.value;
    }
    let sep = ' ';
    if (!prev) sep = '';
    else if (isPunct(prev, '(') || isPunct(t, ')') || isPunct(t, ',') || isPunct(t, '.') || isPunct(prev, '.')) sep = '';
    else if (isPunct(t, '(') && (prev.kind === 'word' || prev.kind === 'ident')) sep = '';
    else if (t.kind === 'op' && !BINARY_OPS.has(t.value)) sep = '';
    else if (prev.kind === 'op' && !BINARY_OPS.has(prev.value)) sep = '';
    // unary minus / plus
    if (prev && prev.kind === 'op' && (prev.value === '-' || prev.value === '+')) {
      const before = toks[i - 2];
      if (i - 1 === s || !before || before.kind === 'op' || isPunct(before, '(') || isPunct(before, ',') || isWord(before, 'and', 'or', 'not', 'when', 'then', 'else', 'select')) sep = '';
    }
    out += sep + piece;
    prev = t;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers on token ranges
// ---------------------------------------------------------------------------------------------

interface Range {
  s: number;
  e: number;
}

/** Strips parens that enclose the whole range. */
function stripParens(toks: Token[], r: Range): Range {
  let { s, e } = r;
  while (e - s >= 2 && isPunct(toks[s], '(') && toks[s].match === e - 1) {
    s++;
    e--;
  }
  return { s, e };
}

function spanOf(toks: Token[], r: Range): Span | undefined {
  if (r.e <= r.s) return undefined;
  return { start: toks[r.s].start, end: toks[r.e - 1].end };
}

/** Splits [s, e) at commas of depth `depth`. */
function splitCommas(toks: Token[], s: number, e: number, depth: number): Range[] {
  const out: Range[] = [];
  let a = s;
  for (let i = s; i < e; i++) {
    const t = toks[i];
    if (t.depth === depth && isPunct(t, ',')) {
      out.push({ s: a, e: i });
      a = i + 1;
    }
  }
  if (e > a) out.push({ s: a, e });
  return out;
}

/** Index of the `)` that closes the `(` at index i, or `fallback` when unbalanced. */
function closeOf(toks: Token[], i: number, fallback: number): number {
  const m = toks[i]?.match ?? -1;
  return m > i ? m : fallback;
}

// ---------------------------------------------------------------------------------------------
// DDL (read from tokens)
// ---------------------------------------------------------------------------------------------

type Schema = Omit<SchemaFragment, 'file'>;

function emptySchema(): Schema {
  return { tables: [], indexes: [], foreignKeys: [], primaryKeys: [], dropped: { tables: [], indexes: [] } };
}

class DdlError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Keywords that end a column's type in a column definition. */
const COLUMN_STOP = new Set([
  'not', 'null', 'primary', 'unique', 'default', 'check', 'references', 'constraint', 'collate', 'generated', 'as',
  'auto_increment', 'autoincrement', 'comment', 'key', 'on', 'charset', 'visible', 'invisible', 'stored', 'virtual',
  'srid', 'column_format', 'storage', 'engine_attribute', 'secondary_engine_attribute', 'identity', 'hidden', 'after', 'first',
]);

const TABLE_CONSTRAINT_START = new Set(['constraint', 'primary', 'unique', 'foreign', 'key', 'index', 'check', 'fulltext', 'spatial', 'exclude', 'period']);

class DdlReader {
  readonly schema: Schema = emptySchema();
  constructor(
    readonly text: string,
    readonly toks: Token[],
    readonly dialect: Flavor,
  ) {}

  private fail(i: number, what: string): never {
    const t = this.toks[i];
    throw new DdlError(`Syntax error: expected ${what} ${t ? `near "${this.text.slice(t.start, t.end).slice(0, 40)}"` : 'at end of input'}`, t ? t.start : this.text.length);
  }

  /** Reads `[schema .] name` at i. */
  private qname(i: number, e: number): { schema?: string; name: string; tok: Token; next: number } {
    if (i >= e || !isName(this.toks[i])) this.fail(i, 'a name');
    let tok = this.toks[i];
    let schema: string | undefined;
    let j = i + 1;
    while (j + 1 < e && isPunct(this.toks[j], '.') && isName(this.toks[j + 1])) {
      schema = tok.value;
      tok = this.toks[j + 1];
      j += 2;
    }
    return { schema, name: tok.value, tok, next: j };
  }

  /** A name token's spelling with its case (quotes removed), when it differs from the lower-case key. */
  private spelling(tok: Token): { spelling?: string } {
    const raw = tok.kind === 'ident' ? tok.raw : this.text.slice(tok.start, tok.end);
    return raw !== undefined && raw !== tok.value ? { spelling: raw } : {};
  }

  private span(s: number, e: number): Span {
    return { start: this.toks[s].start, end: this.toks[Math.max(s, e - 1)].end };
  }

  /** Normalized type text of tokens [s, e). */
  private typeText(s: number, e: number): string {
    let out = '';
    for (let i = s; i < e; i++) {
      const t = this.toks[i];
      const piece = t.kind === 'string' ? `'${t.value.replace(/'/g, "''")}'` : t.value;
      const glue = out === '' || isPunct(t, '(') || isPunct(t, ')') || isPunct(t, ',') || isPunct(this.toks[i - 1], '(') || isPunct(this.toks[i - 1], ',');
      out += (glue ? '' : ' ') + piece;
    }
    return out;
  }

  /** Key parts of the parenthesized list whose `(` is at index open. */
  private keyList(open: number, e: number): IndexKey[] {
    if (!isPunct(this.toks[open], '(')) this.fail(open, '"("');
    const close = closeOf(this.toks, open, e);
    const depth = this.toks[open].depth + 1;
    return splitCommas(this.toks, open + 1, close, depth).map((r) => this.keyPart(r));
  }

  private keyPart(r: Range): IndexKey {
    const toks = this.toks;
    let { s, e } = r;
    // trailing ASC / DESC / NULLS FIRST|LAST / COLLATE x
    for (;;) {
      if (e - s > 1 && isWord(toks[e - 1], 'asc', 'desc')) e--;
      else if (e - s > 2 && isWord(toks[e - 2], 'nulls') && isWord(toks[e - 1], 'first', 'last')) e -= 2;
      else if (e - s > 2 && isWord(toks[e - 2], 'collate')) e -= 2;
      else break;
    }
    ({ s, e } = stripParens(toks, { s, e }));
    // MySQL prefix key part: col(10)
    if (e - s === 4 && isName(toks[s]) && isPunct(toks[s + 1], '(') && toks[s + 2].kind === 'number' && isPunct(toks[s + 3], ')')) e = s + 1;
    if (e - s === 1 && isName(toks[s])) return { kind: 'column', column: toks[s].value };
    if (e - s === 3 && isName(toks[s]) && isPunct(toks[s + 1], '.') && isName(toks[s + 2])) return { kind: 'column', column: toks[s + 2].value };
    return { kind: 'expression', text: exprText(toks, s, e), columns: exprColumns(toks, s, e) };
  }

  private keyColumns(keys: IndexKey[]): string[] {
    return keys.map((k) => (k.kind === 'column' ? k.column : k.text));
  }

  run(): Schema | undefined {
    const toks = this.toks;
    const e = toks.length;
    let i: number;
    if (isWord(toks[0], 'create')) {
      i = 1;
      if (isWord(toks[i], 'or') && isWord(toks[i + 1], 'replace')) i += 2;
      while (isWord(toks[i], 'temp', 'temporary', 'global', 'local', 'unlogged')) i++;
      if (isWord(toks[i], 'table')) return this.createTable(i + 1, e);
      let unique = false;
      let method: string | undefined;
      while (isWord(toks[i], 'unique', 'fulltext', 'spatial', 'online', 'offline')) {
        if (toks[i].value === 'unique') unique = true;
        if (toks[i].value === 'fulltext' || toks[i].value === 'spatial') method = toks[i].value;
        i++;
      }
      if (isWord(toks[i], 'index')) return this.createIndex(i + 1, e, unique, method);
      return undefined;
    }
    if (isWord(toks[0], 'alter')) {
      i = 1;
      while (isWord(toks[i], 'online', 'offline', 'ignore')) i++;
      if (isWord(toks[i], 'table')) return this.alterTable(i + 1, e);
      return undefined;
    }
    if (isWord(toks[0], 'drop')) {
      i = 1;
      while (isWord(toks[i], 'temporary')) i++;
      if (isWord(toks[i], 'table', 'tables')) return this.dropTable(i + 1, e);
      if (isWord(toks[i], 'index')) return this.dropIndex(i + 1, e);
      return undefined;
    }
    return undefined;
  }

  private ifExists(i: number, not: boolean): number {
    const toks = this.toks;
    if (isWord(toks[i], 'if')) {
      if (not && isWord(toks[i + 1], 'not') && isWord(toks[i + 2], 'exists')) return i + 3;
      if (!not && isWord(toks[i + 1], 'exists')) return i + 2;
    }
    return i;
  }

  private createTable(i: number, e: number): Schema {
    const toks = this.toks;
    i = this.ifExists(i, true);
    const q = this.qname(i, e);
    i = q.next;
    const table: TableDef = {
      name: q.name,
      ...this.spelling(q.tok),
      columns: [],
      hasPrimaryKey: false,
      file: '',
      span: { start: toks[0].start, end: this.text.length },
      nameSpan: { start: q.tok.start, end: q.tok.end },
      endOffset: this.text.length,
      dialect: this.dialect,
    };
    if (q.schema) table.schema = q.schema;
    if (isWord(toks[i], 'like') || (isPunct(toks[i], '(') && isWord(toks[i + 1], 'like'))) {
      // CREATE TABLE a LIKE b copies b's definition, which we do not know here
      return this.schema;
    }
    if (!isPunct(toks[i], '(') || isWord(toks[i + 1], 'select', 'with')) {
      if (isWord(toks[i], 'as', 'select', 'with') || isPunct(toks[i], '(') || isWord(toks[i], 'ignore', 'replace')) {
        this.schema.tables.push(table); // CREATE TABLE ... AS SELECT: columns unknown, no keys
        return this.schema;
      }
      this.fail(i, '"("');
    }
    const close = closeOf(toks, i, -1);
    if (close < 0) this.fail(e, '")"');
    const depth = toks[i].depth + 1;
    for (const el of splitCommas(toks, i + 1, close, depth)) {
      if (el.e <= el.s) this.fail(el.s, 'a column or constraint');
      const first = toks[el.s];
      if (this.startsConstraint(first)) {
        this.tableConstraint(el, table.name, table);
      } else {
        this.columnDef(el, table.name, table);
      }
    }
    this.schema.tables.push(table);
    return this.schema;
  }

  /** Does a CREATE TABLE element / ALTER TABLE ADD item starting with t declare a constraint (vs a column)? */
  private startsConstraint(t: Token | undefined): boolean {
    if (!t || t.kind !== 'word' || !TABLE_CONSTRAINT_START.has(t.value)) return false;
    // SQLite has no KEY / INDEX / FULLTEXT / SPATIAL table constraints, and those words are not reserved there
    if (this.dialect === 'sqlite' && ['key', 'index', 'fulltext', 'spatial', 'period'].includes(t.value)) return false;
    return true;
  }

  /** A column definition [s, e); records inline constraints. */
  private columnDef(el: Range, tableName: string, table?: TableDef): void {
    const toks = this.toks;
    const nameTok = toks[el.s];
    if (!isName(nameTok)) this.fail(el.s, 'a column name');
    const col = nameTok.value;
    let i = el.s + 1;
    const typeStart = i;
    while (i < el.e) {
      const t = toks[i];
      if (t.kind === 'word' && COLUMN_STOP.has(t.value)) break;
      if (t.kind === 'word' && t.value === 'character' && isWord(toks[i + 1], 'set')) break;
      if (t.kind === 'word' || t.kind === 'ident') {
        i++;
        if (isPunct(toks[i], '(')) i = closeOf(toks, i, el.e - 1) + 1;
        continue;
      }
      if (isPunct(t, '(')) {
        i = closeOf(toks, i, el.e - 1) + 1;
        continue;
      }
      break;
    }
    const type = this.typeText(typeStart, i);
    let notNull = false;
    // MySQL SERIAL = BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE
    if (this.dialect === 'mysql' && i === typeStart + 1 && isWord(toks[typeStart], 'serial')) {
      notNull = true;
      this.schema.indexes.push(this.index(undefined, tableName, [{ kind: 'column', column: col }], true, 'unique-constraint', this.span(typeStart, typeStart + 1)));
    }
    let constraintName: string | undefined;
    let constraintStart = -1;
    while (i < el.e) {
      const t = toks[i];
      if (isPunct(t, '(')) {
        i = closeOf(toks, i, el.e - 1) + 1;
        continue;
      }
      if (t.kind !== 'word') {
        i++;
        continue;
      }
      switch (t.value) {
        case 'constraint':
          constraintStart = i;
          if (isName(toks[i + 1]) && !isWord(toks[i + 1], 'primary', 'unique', 'references', 'check', 'not', 'null', 'default', 'foreign')) {
            constraintName = toks[i + 1].value;
            i += 2;
          } else i++;
          continue;
        case 'not':
          if (isWord(toks[i + 1], 'null')) {
            notNull = true;
            i += 2;
            continue;
          }
          break;
        case 'default':
          // skip the default expression's first token (it may be NULL or a keyword)
          i += 2;
          continue;
        case 'primary':
          if (isWord(toks[i + 1], 'key')) {
            const s = constraintStart >= 0 ? constraintStart : i;
            this.schema.indexes.push(this.index(constraintName, tableName, [{ kind: 'column', column: col }], true, 'primary-key', this.span(s, i + 2)));
            notNull = true; // a primary key column is NOT NULL (as the PostgreSQL adapter reports it)
            if (table) table.hasPrimaryKey = true;
            else this.schema.primaryKeys.push({ table: tableName, columns: [col] });
            constraintName = undefined;
            constraintStart = -1;
            i += 2;
            continue;
          }
          break;
        case 'unique': {
          const s = constraintStart >= 0 ? constraintStart : i;
          let j = i + 1;
          if (isWord(toks[j], 'key', 'index')) j++;
          this.schema.indexes.push(this.index(constraintName, tableName, [{ kind: 'column', column: col }], true, 'unique-constraint', this.span(s, j)));
          constraintName = undefined;
          constraintStart = -1;
          i = j;
          continue;
        }
        case 'key':
          // MySQL: `col INT KEY` is a primary key
          if (this.dialect === 'mysql' && !isWord(toks[i - 1], 'primary', 'unique')) {
            this.schema.indexes.push(this.index(constraintName, tableName, [{ kind: 'column', column: col }], true, 'primary-key', this.span(i, i + 1)));
            if (table) table.hasPrimaryKey = true;
            else this.schema.primaryKeys.push({ table: tableName, columns: [col] });
          }
          break;
        case 'references': {
          const s = constraintStart >= 0 ? constraintStart : i;
          const r = this.references(i, el.e);
          this.schema.foreignKeys.push({
            ...(constraintName ? { name: constraintName } : {}),
            table: tableName,
            columns: [col],
            refTable: r.table,
            refColumns: r.columns,
            file: '',
            span: this.span(s, r.next),
          });
          constraintName = undefined;
          constraintStart = -1;
          i = r.next;
          continue;
        }
        case 'check':
        case 'collate':
        case 'comment':
          i += 2;
          continue;
      }
      i++;
    }
    const def: ColumnDef = { name: col, ...this.spelling(nameTok), type, notNull, span: { start: nameTok.start, end: nameTok.end } };
    if (table) table.columns.push(def);
    else (this.schema.addedColumns ??= []).push({ table: tableName, column: def });
  }

  /** `REFERENCES t [(cols)]` at i; returns the referenced table, columns and the index after them. */
  private references(i: number, e: number): { table: string; columns: string[]; next: number } {
    const toks = this.toks;
    const q = this.qname(i + 1, e);
    let next = q.next;
    let columns: string[] = [];
    if (isPunct(toks[next], '(')) {
      const close = closeOf(toks, next, e - 1);
      columns = splitCommas(toks, next + 1, close, toks[next].depth + 1).map((r) => {
        const k = this.keyPart(r);
        return k.kind === 'column' ? k.column : k.text;
      });
      next = close + 1;
    }
    return { table: q.name, columns, next };
  }

  private index(name: string | undefined, table: string, keys: IndexKey[], unique: boolean, origin: IndexDef['origin'], span: Span, method?: string): IndexDef {
    const def: IndexDef = { table, keys, unique, origin, file: '', span };
    if (name) def.name = name;
    // like the PostgreSQL adapter, the default B-tree is left implicit
    if (method && method !== 'btree') def.method = method;
    return def;
  }

  /** A partial index predicate's AND-ed conjuncts: facts for `c = const`, `c IS [NOT] NULL`, `c`, `NOT c`; the columns of the others. */
  private whereFacts(s: number, e: number): { facts: ColumnFact[]; rest: string[] } {
    const toks = this.toks;
    const facts: ColumnFact[] = [];
    const rest: string[] = [];
    const depth = toks[s]?.depth ?? 0;
    let start = s;
    for (let i = s; i <= e; i++) {
      if (i < e && !(isWord(toks[i], 'and') && toks[i].depth === depth)) continue;
      const r = stripParens(toks, { s: start, e: i });
      const n = r.e - r.s;
      const t = (k: number): Token | undefined => (k < n ? toks[r.s + k] : undefined);
      const name = (k: number): string | undefined => (t(k) && isName(t(k)) && !isWord(t(k), 'not', 'null', 'true', 'false') ? t(k)!.value : undefined);
      let f: ColumnFact | undefined;
      if (n === 1 && name(0)) f = { column: name(0)!, is: 'true' };
      else if (n === 2 && isWord(t(0), 'not') && name(1)) f = { column: name(1)!, is: 'false' };
      else if (n === 2 && name(0) && isWord(t(1), 'isnull', 'notnull')) f = { column: name(0)!, is: t(1)!.value === 'isnull' ? 'null' : 'not-null' };
      else if (n === 3 && name(0) && isWord(t(1), 'is') && isWord(t(2), 'null')) f = { column: name(0)!, is: 'null' };
      else if (n === 4 && name(0) && isWord(t(1), 'is') && isWord(t(2), 'not') && isWord(t(3), 'null')) f = { column: name(0)!, is: 'not-null' };
      else if (n === 3 && t(1)?.kind === 'op' && ['=', '=='].includes(t(1)!.value)) {
        const [c, v] = name(0) ? [name(0)!, t(2)!] : name(2) ? [name(2)!, t(0)!] : [undefined, undefined];
        const value = v?.kind === 'string' ? `'${v.value.replace(/'/g, "''")}'` : v?.kind === 'number' || isWord(v, 'true', 'false') ? v!.value.toLowerCase() : undefined;
        if (c && value !== undefined) f = value === 'true' || value === 'false' ? { column: c, is: value } : { column: c, is: 'eq', value };
      }
      if (f) facts.push(f);
      else rest.push(...exprColumns(toks, r.s, r.e));
      start = i + 1;
    }
    return { facts, rest };
  }

  /** Skips `USING method` / `TYPE method`; returns the next index and the method. */
  private using(i: number): { next: number; method?: string } {
    if (isWord(this.toks[i], 'using', 'type') && isName(this.toks[i + 1])) return { next: i + 2, method: this.toks[i + 1].value };
    return { next: i };
  }

  /** A table-level constraint (CREATE TABLE element or ALTER TABLE ADD ...). */
  private tableConstraint(el: Range, tableName: string, table?: TableDef): void {
    const toks = this.toks;
    let i = el.s;
    let name: string | undefined;
    if (isWord(toks[i], 'constraint')) {
      i++;
      if (isName(toks[i]) && !isWord(toks[i], 'primary', 'unique', 'foreign', 'check', 'exclude')) {
        name = toks[i].value;
        i++;
      }
    }
    const span = this.span(el.s, el.e);
    const kw = toks[i];
    if (isWord(kw, 'primary') && isWord(toks[i + 1], 'key')) {
      i += 2;
      let u = this.using(i);
      i = u.next;
      if (!isPunct(toks[i], '(') && isName(toks[i])) i++; // MySQL allows an index name here
      u = u.method ? u : this.using(i);
      i = u.next;
      const keys = this.keyList(i, el.e);
      this.schema.indexes.push(this.index(name, tableName, keys, true, 'primary-key', span, u.method));
      if (table) table.hasPrimaryKey = true;
      else this.schema.primaryKeys.push({ table: tableName, columns: this.keyColumns(keys) });
      return;
    }
    if (isWord(kw, 'unique')) {
      i++;
      let origin: IndexDef['origin'] = 'unique-constraint';
      if (isWord(toks[i], 'key', 'index')) {
        origin = 'inline-index';
        i++;
      }
      let idxName = name;
      if (!isPunct(toks[i], '(') && isName(toks[i]) && !isWord(toks[i], 'using')) {
        idxName = toks[i].value;
        i++;
      }
      const u = this.using(i);
      const keys = this.keyList(u.next, el.e);
      this.schema.indexes.push(this.index(idxName, tableName, keys, true, origin, span, u.method ?? this.using(closeOf(toks, u.next, el.e) + 1).method));
      return;
    }
    if (isWord(kw, 'foreign') && isWord(toks[i + 1], 'key')) {
      i += 2;
      if (!isPunct(toks[i], '(') && isName(toks[i])) {
        name = name ?? toks[i].value;
        i++;
      }
      const keys = this.keyList(i, el.e);
      const close = closeOf(toks, i, el.e);
      if (!isWord(toks[close + 1], 'references')) this.fail(close + 1, 'REFERENCES');
      const r = this.references(close + 1, el.e);
      this.schema.foreignKeys.push({
        ...(name ? { name } : {}),
        table: tableName,
        columns: this.keyColumns(keys),
        refTable: r.table,
        refColumns: r.columns,
        file: '',
        span,
      });
      return;
    }
    if (isWord(kw, 'key', 'index', 'fulltext', 'spatial')) {
      let method: string | undefined;
      if (isWord(kw, 'fulltext', 'spatial')) {
        method = kw.value;
        i++;
        if (isWord(toks[i], 'key', 'index')) i++;
      } else i++;
      let idxName = name;
      if (!isPunct(toks[i], '(') && isName(toks[i]) && !isWord(toks[i], 'using')) {
        idxName = toks[i].value;
        i++;
      }
      const u = this.using(i);
      const keys = this.keyList(u.next, el.e);
      method = method ?? u.method ?? this.using(closeOf(toks, u.next, el.e) + 1).method;
      this.schema.indexes.push(this.index(idxName, tableName, keys, false, table ? 'inline-index' : 'create-index', span, method));
      return;
    }
    // CHECK (...), EXCLUDE, PERIOD ...: nothing to record
  }

  private createIndex(i: number, e: number, unique: boolean, method: string | undefined): Schema {
    const toks = this.toks;
    if (isWord(toks[i], 'concurrently')) i++;
    i = this.ifExists(i, true);
    let name: string | undefined;
    if (!isWord(toks[i], 'on')) {
      const q = this.qname(i, e);
      name = q.name;
      i = q.next;
    }
    let u = this.using(i);
    i = u.next;
    if (!isWord(toks[i], 'on')) this.fail(i, 'ON');
    const q = this.qname(i + 1, e);
    i = q.next;
    const u2 = this.using(i);
    i = u2.next;
    const keys = this.keyList(i, e);
    let j = closeOf(toks, i, e) + 1;
    u = u.method ? u : u2.method ? u2 : this.using(j);
    const def = this.index(name, q.name, keys, unique, 'create-index', { start: toks[0].start, end: this.text.length }, method ?? u.method);
    for (; j < e; j++) {
      if (isWord(toks[j], 'where') && toks[j].depth === 0) {
        def.where = { text: exprText(toks, j + 1, e), columns: exprColumns(toks, j + 1, e), ...this.whereFacts(j + 1, e) };
        break;
      }
    }
    this.schema.indexes.push(def);
    return this.schema;
  }

  private alterTable(i: number, e: number): Schema {
    const toks = this.toks;
    i = this.ifExists(i, false);
    if (isWord(toks[i], 'only')) i++;
    const q = this.qname(i, e);
    const tableName = q.name;
    for (const act of splitCommas(toks, q.next, e, 0)) {
      let j = act.s;
      if (isWord(toks[j], 'add')) {
        j++;
        if (isWord(toks[j], 'column')) j++;
        if (isWord(toks[j], 'if') && isWord(toks[j + 1], 'not') && isWord(toks[j + 2], 'exists')) j += 3;
        const t = toks[j];
        if (this.startsConstraint(t) && !isWord(toks[j - 1], 'column')) {
          this.tableConstraint({ s: j, e: act.e }, tableName);
          // an ALTER-added index/constraint spans the whole action
          const last = this.schema.indexes[this.schema.indexes.length - 1];
          if (last && last.span && last.span.start === toks[j].start) last.span = this.span(act.s, act.e);
          const lastFk = this.schema.foreignKeys[this.schema.foreignKeys.length - 1];
          if (lastFk && lastFk.span && lastFk.span.start === toks[j].start) lastFk.span = this.span(act.s, act.e);
        } else if (isPunct(t, '(')) {
          const close = closeOf(toks, j, act.e);
          for (const el of splitCommas(toks, j + 1, close, t.depth + 1)) this.columnDef(el, tableName);
        } else if (j < act.e) {
          this.columnDef({ s: j, e: act.e }, tableName);
        }
      } else if (isWord(toks[j], 'drop') && isWord(toks[j + 1], 'index', 'key') && isName(toks[j + 2])) {
        let k = j + 2;
        if (isWord(toks[k], 'if') && isWord(toks[k + 1], 'exists')) k += 2;
        if (isName(toks[k])) this.schema.dropped.indexes.push(toks[k].value);
      }
    }
    return this.schema;
  }

  private dropTable(i: number, e: number): Schema {
    i = this.ifExists(i, false);
    for (const r of splitCommas(this.toks, i, e, 0)) {
      let end = r.e;
      while (end > r.s && isWord(this.toks[end - 1], 'cascade', 'restrict')) end--;
      if (end <= r.s) continue;
      const q = this.qname(r.s, end);
      this.schema.dropped.tables.push(q.name);
    }
    return this.schema;
  }

  private dropIndex(i: number, e: number): Schema {
    if (isWord(this.toks[i], 'concurrently')) i++;
    i = this.ifExists(i, false);
    for (const r of splitCommas(this.toks, i, e, 0)) {
      if (r.e <= r.s) continue;
      const q = this.qname(r.s, r.e);
      this.schema.dropped.indexes.push(q.name);
    }
    return this.schema;
  }
}

const EXPR_KEYWORDS = new Set([
  'and', 'or', 'not', 'null', 'is', 'in', 'like', 'glob', 'regexp', 'rlike', 'between', 'true', 'false', 'case', 'when', 'then', 'else', 'end', 'collate',
  'escape', 'exists', 'cast', 'as', 'distinct', 'from', 'interval', 'div', 'mod', 'xor', 'unknown', 'current_timestamp', 'current_date', 'current_time',
  'localtime', 'localtimestamp', 'binary', 'using', 'asc', 'desc', 'select', 'where', 'nocase', 'rtrim', 'day', 'hour', 'minute', 'second', 'month', 'year', 'week', 'quarter',
  'microsecond', 'char', 'signed', 'unsigned', 'integer', 'int', 'text', 'real', 'decimal', 'date', 'datetime', 'time', 'json', 'varchar', 'numeric', 'blob', 'double', 'float',
]);

/** Column names referenced by the expression tokens [s, e) (names not followed by `(` and not keywords). */
function exprColumns(toks: Token[], s: number, e: number): string[] {
  const out: string[] = [];
  for (let i = s; i < e; i++) {
    const t = toks[i];
    if (!isName(t) || t.dqString) continue;
    if (isPunct(toks[i + 1], '.')) continue; // qualifier
    if (isPunct(toks[i + 1], '(')) continue; // function
    if (t.kind === 'word' && EXPR_KEYWORDS.has(t.value)) continue;
    if (isWord(toks[i - 1], 'as')) continue; // CAST(x AS type)
    if (isWord(toks[i - 1], 'collate')) continue;
    if (!out.includes(t.value)) out.push(t.value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pre-parse normalization (same length)
// ---------------------------------------------------------------------------------------------

function normalizeForParser(text: string, toks: Token[], flavor: Flavor): string {
  // split into characters on the first rewrite only: most statements need none
  let chars: string[] | undefined;
  const result = (): string => (chars ? chars.join('') : text);
  const put = (start: number, end: number, repl: string): void => {
    chars ??= text.split('');
    for (let k = start; k < end; k++) chars[k] = k - start < repl.length ? repl[k - start] : ' ';
  };
  const blankTo = (start: number, end: number): void => {
    chars ??= text.split('');
    for (let k = start; k < end; k++) if (chars[k] !== '\n') chars[k] = ' ';
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const raw = text.slice(t.start, t.end);
    // sqlc macros: sqlc.arg(x), sqlc.narg(x), sqlc.slice(x) → ?
    if (isWord(t, 'sqlc') && isPunct(toks[i + 1], '.') && isName(toks[i + 2]) && isPunct(toks[i + 3], '(')) {
      const close = closeOf(toks, i + 3, -1);
      if (close > 0) {
        put(t.start, toks[close].end, '?');
        i = close;
        continue;
      }
    }
    // NATURAL JOIN: the grammars lack it; a plain JOIN keeps the table refs (the implicit USING columns are unknown)
    if (isWord(t, 'natural') && isWord(toks[i + 1], 'join', 'left', 'right', 'inner', 'full', 'cross')) {
      put(t.start, t.end, '');
      continue;
    }
    if (t.kind === 'string' && /^_[a-z0-9]+'/i.test(raw)) {
      // MySQL charset introducer _utf8'x'
      const q = raw.indexOf("'");
      put(t.start, t.start + q, '');
      continue;
    }
    if (flavor === 'mysql') {
      // DELETE a.*, b.* FROM ... → DELETE a, b FROM ...
      if (t.value === '*' && isPunct(toks[i - 1], '.') && isWord(toks[0], 'delete') && !toks.slice(0, i).some((x) => isWord(x, 'from'))) {
        put(toks[i - 1].start, t.end, '');
      }
      // index hints: USE / FORCE / IGNORE {INDEX|KEY} [FOR JOIN|ORDER BY|GROUP BY] (list)
      if (isWord(t, 'use', 'force', 'ignore') && isWord(toks[i + 1], 'index', 'key') && i > 0 && !isWord(toks[i - 1], 'insert', 'update', 'delete', 'into')) {
        let j = i + 2;
        if (isWord(toks[j], 'for')) j += isWord(toks[j + 1], 'join') ? 2 : 3;
        if (isPunct(toks[j], '(')) {
          const close = closeOf(toks, j, -1);
          if (close > 0) {
            put(t.start, toks[close].end, '');
            i = close;
          }
        }
        continue;
      }
      // null-safe equality: an equality for index purposes
      if (t.kind === 'op' && t.value === '<=>') {
        put(t.start, t.end, '=');
        continue;
      }
      // STRAIGHT_JOIN: a join (→ JOIN) or a SELECT modifier (→ nothing)
      if (isWord(t, 'straight_join')) {
        put(t.start, t.end, isWord(toks[i - 1], 'select') ? '' : 'JOIN');
        continue;
      }
      // INSERT ... VALUES (...) AS new [(cols)] ON DUPLICATE KEY UPDATE: drop the row alias
      if (isWord(t, 'as') && t.depth === 0 && isPunct(toks[i - 1], ')') && isWord(toks[0], 'insert', 'replace') && isName(toks[i + 1])) {
        let j = i + 2;
        if (isPunct(toks[j], '(')) j = closeOf(toks, j, j) + 1;
        if (isWord(toks[j], 'on') && isWord(toks[j + 1], 'duplicate')) {
          put(t.start, toks[j - 1].end, '');
          i = j - 1;
        }
      }
      continue;
    }
    // SQLite
    if (t.dqString) {
      const body = raw.slice(1, -1);
      if (raw.length >= 2 && raw.endsWith('"') && !/["'\n]/.test(body)) put(t.start, t.end, "'" + body + "'");
      continue;
    }
    if (t.kind === 'ident' && (raw[0] === '"' || raw[0] === '[')) {
      const body = raw.slice(1, -1);
      if (raw.length >= 2 && !/[`"\]\n]/.test(body) && (raw.endsWith('"') || raw.endsWith(']'))) put(t.start, t.end, '`' + body + '`');
      continue;
    }
    if (t.kind === 'param') {
      const limitCtx = isWord(toks[i - 1], 'limit', 'offset') || (isPunct(toks[i - 1], ',') && toks[i - 2]?.kind === 'param' && isWord(toks[i - 3], 'limit'));
      if (limitCtx) put(t.start, t.end, '1');
      else if (/^\?[0-9]+$/.test(raw)) put(t.start, t.end, '?');
      else if (raw[0] === '$' && /^\$[0-9]+$/.test(raw)) put(t.start, t.end, '?');
      continue;
    }
    if (t.kind !== 'word') continue;
    switch (t.value) {
      case 'full':
      case 'right':
        if (isWord(toks[i + 1], 'join', 'outer')) put(t.start, t.end, 'LEFT');
        break;
      case 'except':
      case 'intersect':
        if (!isPunct(toks[i + 1], '(') || isWord(toks[i + 2], 'select')) put(t.start, t.end, 'UNION');
        break;
      case 'returning':
        if (t.depth === 0) {
          blankTo(t.start, text.length);
          return result();
        }
        break;
      case 'on':
        if (isWord(toks[i + 1], 'conflict') && t.depth === 0 && (isWord(toks[0], 'insert', 'replace') || isWord(toks[0], 'with'))) {
          const ret = toks.findIndex((x, k) => k > i && x.depth === 0 && isWord(x, 'returning'));
          blankTo(t.start, ret > 0 ? toks[ret].start : text.length);
          if (ret < 0) return result();
          i = ret - 1;
        }
        break;
      case 'match':
        if (!isPunct(toks[i + 1], '(')) put(t.start, t.end, 'LIKE');
        break;
      case 'glob':
        put(t.start, t.end, 'LIKE');
        break;
      case 'collate':
        if (isName(toks[i + 1]) && !(toks[0] && isWord(toks[0], 'create') && !toks.some((x) => isWord(x, 'select')))) {
          put(t.start, toks[i + 1].end, '');
          i++;
        }
        break;
      case 'indexed':
        if (isWord(toks[i + 1], 'by') && isName(toks[i + 2])) {
          put(t.start, toks[i + 2].end, '');
          i += 2;
        }
        break;
      case 'not':
        if (isWord(toks[i + 1], 'indexed')) {
          put(t.start, toks[i + 1].end, '');
          i++;
        }
        break;
      case 'default':
        if (isWord(toks[i + 1], 'values') && isWord(toks[0], 'insert', 'replace')) put(t.start, toks[i + 1].end, 'VALUES (NULL)');
        break;
      case 'or':
        // UPDATE OR IGNORE / REPLACE / ROLLBACK / ABORT / FAIL
        if (i === 1 && isWord(toks[0], 'update') && isWord(toks[2], 'ignore', 'replace', 'rollback', 'abort', 'fail')) {
          put(t.start, toks[2].end, '');
          i = 2;
        }
        break;
    }
  }
  return result();
}

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
// Query models
// ---------------------------------------------------------------------------------------------

interface Ref {
  table: string;
  alias?: string;
  /** A derived table / table function: known by alias only. */
  derived?: boolean;
}

interface Level {
  refs: Ref[];
  parent?: Level;
}

interface Resolved {
  table?: string;
  ref?: Ref;
}

const CLAUSE_WORDS = new Set([
  'select', 'from', 'where', 'group', 'having', 'window', 'order', 'limit', 'offset', 'fetch', 'for', 'lock', 'into', 'union', 'except', 'intersect', 'minus',
  'set', 'values', 'returning', 'qualify',
]);
const SET_OPS = new Set(['union', 'except', 'intersect', 'minus']);
const JOIN_WORDS = new Set(['join', 'inner', 'left', 'right', 'full', 'cross', 'natural', 'straight_join', 'outer']);
const AGGREGATES = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'group_concat', 'total', 'json_group_array', 'json_group_object', 'bit_and', 'bit_or', 'bit_xor', 'std', 'stddev',
  'stddev_pop', 'stddev_samp', 'var_pop', 'var_samp', 'variance', 'json_arrayagg', 'json_objectagg', 'any_value', 'string_agg',
]);
function lower(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'object') {
    const o = v as Node;
    if (o.expr) return lower(o.expr);
    if (o.value !== undefined) return lower(o.value);
  }
  return undefined;
}

function funcName(node: Node): string {
  const n = node.name;
  if (typeof n === 'string') return n.toLowerCase();
  if (n && Array.isArray(n.name)) return n.name.map((x: Node) => String(x.value)).join('.').toLowerCase();
  return '';
}

/** The select AST of a subquery node, or undefined. */
function subqueryAst(node: Node): Node {
  if (!node || typeof node !== 'object') return undefined;
  if (node.ast && typeof node.ast === 'object' && (node.ast.type === 'select' || node.ast.type === 'union')) return node.ast;
  return undefined;
}

/** Subquery ASTs reachable from node, in walk order, without descending into them. */
function collectSubqueries(node: Node, out: Node[] = []): Node[] {
  if (!node || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const x of node) collectSubqueries(x, out);
    return out;
  }
  const sq = subqueryAst(node);
  if (sq) {
    out.push(sq);
    return out;
  }
  if (node.type === 'select' && node.columns !== undefined) {
    out.push(node);
    return out;
  }
  for (const k of Object.keys(node)) {
    if (k === 'loc' || k === 'tableList' || k === 'columnList') continue;
    collectSubqueries(node[k], out);
  }
  return out;
}

/** Column refs reachable from node (not inside subqueries), in walk order. */
function collectColumns(node: Node, out: Node[] = []): Node[] {
  if (!node || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const x of node) collectColumns(x, out);
    return out;
  }
  if (subqueryAst(node) || (node.type === 'select' && node.columns !== undefined)) return out;
  if (node.type === 'column_ref') {
    if (columnName(node) !== '*') out.push(node);
    return out;
  }
  for (const k of Object.keys(node)) {
    if (k === 'loc' || k === 'tableList' || k === 'columnList' || k === 'over') continue;
    collectColumns(node[k], out);
  }
  return out;
}

function columnName(node: Node): string {
  return lower(node.column) ?? '';
}
function columnQualifier(node: Node): string | undefined {
  return lower(node.table);
}

function isAggregate(expr: Node): boolean {
  if (!expr || typeof expr !== 'object') return false;
  if (expr.over) return false;
  if (expr.type === 'aggr_func') return true;
  if (expr.type === 'function' && AGGREGATES.has(funcName(expr))) return true;
  return false;
}

function isArithmetic(op: string): boolean {
  return ['+', '-', '*', '/', '%', 'DIV', 'MOD', '||', '&', '|', '^', '<<', '>>'].includes(op);
}

interface SideInfo {
  cols: { node: Node; span: Span; res: Resolved }[];
  wrap?: 'function' | 'arithmetic' | 'cast';
  expression?: string;
  span?: Span;
  /** Not a column expression we can classify (CASE, nested comparisons ...). */
  opaque?: boolean;
}

class QueryBuilder {
  private readonly used: Uint8Array;
  private readonly subRanges: Range[];

  constructor(
    readonly text: string,
    readonly toks: Token[],
    readonly flavor: Flavor,
  ) {
    this.used = new Uint8Array(toks.length);
    // all parenthesized subqueries: `(` followed by SELECT / WITH (possibly through extra parens)
    this.subRanges = [];
    for (let i = 0; i < toks.length; i++) {
      if (!isPunct(toks[i], '(')) continue;
      let j = i + 1;
      while (isPunct(toks[j], '(')) j++;
      if (isWord(toks[j], 'select', 'with', 'values') && toks[i].match > i) this.subRanges.push({ s: i + 1, e: toks[i].match });
    }
  }

  /** Direct subquery ranges inside r (not nested in another subquery inside r). */
  private directSubs(r: Range): Range[] {
    const out: Range[] = [];
    for (const sr of this.subRanges) {
      if (sr.s <= r.s || sr.e > r.e) continue;
      if (out.length && sr.s < out[out.length - 1].e) continue;
      out.push(sr);
    }
    return out;
  }

  private inSubs(i: number, subs: Range[]): boolean {
    for (const r of subs) if (i >= r.s - 1 && i <= r.e) return true;
    return false;
  }

  /** Finds the first unused occurrence of a (qualified) name in r, outside subs; marks it used. */
  private locateName(name: string, qualifier: string | undefined, r: Range, subs: Range[], opts: { allowCall?: boolean } = {}): Range | undefined {
    const toks = this.toks;
    for (let i = r.s; i < r.e; i++) {
      if (this.used[i]) continue;
      const t = toks[i];
      if (!isName(t) || t.value !== name) continue;
      if (this.inSubs(i, subs)) continue;
      if (qualifier !== undefined) {
        if (!isPunct(toks[i - 1], '.') || !isName(toks[i - 2]) || toks[i - 2].value !== qualifier) continue;
      } else {
        if (isPunct(toks[i - 1], '.')) continue;
        if (isPunct(toks[i + 1], '.')) continue;
        if (!opts.allowCall && isPunct(toks[i + 1], '(')) continue;
      }
      this.used[i] = 1;
      return { s: i, e: i + 1 };
    }
    return undefined;
  }

  /** Tokens of clause keywords at depth d in r: returns map keyword → range (after the keyword). */
  private clauses(r: Range): Map<string, Range> {
    const toks = this.toks;
    const out = new Map<string, Range>();
    const d = toks[r.s]?.depth ?? 0;
    let cur: string | undefined;
    let curStart = r.s;
    const close = (end: number): void => {
      if (cur !== undefined && !out.has(cur)) out.set(cur, { s: curStart, e: end });
    };
    for (let i = r.s; i < r.e; i++) {
      const t = toks[i];
      if (t.depth !== d || t.kind !== 'word' || !CLAUSE_WORDS.has(t.value)) continue;
      // `INSERT ... ON DUPLICATE KEY UPDATE` / `FOR UPDATE` etc. are fine; `SET` in `CHARACTER SET` is not a clause
      if (t.value === 'set' && isWord(toks[i - 1], 'character', 'char')) continue;
      if (t.value === 'for' && !isWord(toks[i + 1], 'update', 'share')) continue;
      if (t.value === 'into' && cur === undefined) continue;
      close(i);
      cur = t.value;
      // skip BY of GROUP BY / ORDER BY
      curStart = isWord(toks[i + 1], 'by') && (t.value === 'group' || t.value === 'order') ? i + 2 : i + 1;
    }
    close(r.e);
    return out;
  }

  // --- statements -----------------------------------------------------------------------------

  statement(ast: Node): QueryModel | undefined {
    const all: Range = { s: 0, e: this.toks.length };
    switch (ast.type) {
      case 'select':
        return this.select(ast, all, undefined, new Set());
      case 'insert':
      case 'replace':
        return this.insert(ast, all);
      case 'update':
        return this.update(ast, all);
      case 'delete':
        return this.delete(ast, all);
      default:
        return undefined;
    }
  }

  private model(kind: QueryModel['kind']): QueryModel {
    return { kind, tables: [], uses: [], selectStars: [], hasWhere: false, hasLimit: false, aggregateOnly: false, children: [] };
  }

  private finish(m: QueryModel, childStarts: Map<QueryModel, number>): QueryModel {
    for (const [c, at] of childStarts) this.childStart.set(c, at);
    m.uses.sort((a, b) => a.span.start - b.span.start);
    m.children.sort((a, b) => (this.childStart.get(a) ?? 0) - (this.childStart.get(b) ?? 0));
    return m;
  }

  /** CTEs of a WITH at r.s (their names are added to `names`); returns the index after the WITH list. */
  private withClause(ast: Node, r: Range, m: QueryModel, starts: Map<QueryModel, number>, names: Set<string>): number {
    const toks = this.toks;
    if (!isWord(toks[r.s], 'with')) return r.s;
    const d = toks[r.s].depth;
    const ctes: Node[] = Array.isArray(ast.with) ? ast.with : [];
    for (const c of ctes) {
      const n = lower(c?.name);
      if (n) names.add(n);
    }
    let k = 0;
    let i = r.s + 1;
    let last = i;
    for (; i < r.e; i++) {
      const t = toks[i];
      if (t.depth !== d) continue;
      if (isPunct(t, '(') && (isWord(toks[i - 1], 'as', 'materialized'))) {
        const close = closeOf(toks, i, r.e - 1);
        const cte = ctes[k++];
        const body = cte ? (subqueryAst(cte.stmt) ?? cte.stmt?.ast ?? cte.stmt) : undefined;
        if (body && typeof body === 'object') {
          const child = this.select(body, { s: i + 1, e: close }, undefined, names);
          starts.set(child, toks[i].start);
          m.children.push(child);
        }
        i = close;
        last = close + 1;
        continue;
      }
      if (t.kind === 'word' && (CLAUSE_WORDS.has(t.value) || ['insert', 'update', 'delete', 'replace'].includes(t.value))) break;
    }
    return Math.max(last, i);
  }

  /** A SELECT (possibly with UNION arms) spanning tokens r. */
  select(ast: Node, r: Range, parent: Level | undefined, cteNames: ReadonlySet<string>): QueryModel {
    const toks = this.toks;
    const starts = new Map<QueryModel, number>();
    r = stripParens(toks, r);
    // leading WITH belongs to the statement: CTEs become children of the first arm's model
    const ctes: QueryModel[] = [];
    const ctesStart = new Map<QueryModel, number>();
    const names = new Set(cteNames);
    let s = r.s;
    if (isWord(toks[s], 'with')) {
      const holder = this.model('other');
      s = this.withClause(ast, r, holder, ctesStart, names);
      ctes.push(...holder.children);
    }
    // arms of a set operation at this depth
    const d = toks[s]?.depth ?? 0;
    const arms: Range[] = [];
    let a = s;
    for (let i = s; i < r.e; i++) {
      const t = toks[i];
      if (t.depth === d && t.kind === 'word' && SET_OPS.has(t.value)) {
        arms.push({ s: a, e: i });
        a = i + 1;
        while (isWord(toks[a], 'all', 'distinct')) a++;
      }
    }
    arms.push({ s: a, e: r.e });
    const armAsts: Node[] = [];
    for (let n: Node = ast; n && typeof n === 'object'; n = n._next) armAsts.push(n);
    const first = this.arm(armAsts[0], arms[0], parent, names);
    for (const c of ctes) {
      first.children.push(c);
      starts.set(c, ctesStart.get(c) ?? 0);
    }
    for (let k = 1; k < armAsts.length; k++) {
      const range = arms[k] ?? arms[arms.length - 1];
      const child = this.arm(armAsts[k], range, parent, names);
      starts.set(child, toks[range.s]?.start ?? 0);
      first.children.push(child);
    }
    if (armAsts.length > 1) {
      const lastArm = armAsts[armAsts.length - 1];
      first.hasLimit = first.hasLimit || hasLimit(lastArm);
    }
    for (const c of first.children) if (!starts.has(c)) starts.set(c, this.childStart.get(c) ?? 0);
    return this.finish(first, starts);
  }

  /** Where each child query starts (for source-order sorting). */
  private readonly childStart = new Map<QueryModel, number>();

  /** One SELECT arm (no set operation) spanning tokens r. */
  private arm(ast: Node, r: Range, parent: Level | undefined, cteNames: ReadonlySet<string>): QueryModel {
    const toks = this.toks;
    r = stripParens(toks, r);
    const m = this.model('select');
    const level: Level = { refs: [], parent };
    const starts = new Map<QueryModel, number>();
    const subs = this.directSubs(r);
    const usedSubs = new Set<Range>();
    const names = new Set(cteNames);
    let s = r.s;
    if (isWord(toks[s], 'with')) s = this.withClause(ast, r, m, starts, names);
    const cl = this.clauses({ s, e: r.e });
    const addChildren = this.childAdder(m, starts, subs, usedSubs, level, r, names);

    // FROM: table refs first (columns anywhere may refer to them)
    const fromItems = fromList(ast.from);
    const fromRange = cl.get('from');
    this.fromItems(fromItems, fromRange, subs, usedSubs, level, m, starts, addChildren, names);

    // select list
    const selRange = cl.get('select');
    const columns: Node[] = Array.isArray(ast.columns) ? ast.columns : [];
    if (selRange) {
      m.selectStars = this.stars(selRange);
      addChildren(columns, selRange);
    }
    const aliases = new Set<string>();
    for (const c of columns) {
      const as = lower(c?.as);
      if (as) aliases.add(as);
    }
    m.aggregateOnly = columns.length > 0 && columns.every((c) => isAggregate(c?.expr)) && !groupCols(ast).length;

    // WHERE
    if (ast.where) {
      m.hasWhere = true;
      const wr = cl.get('where');
      this.predicates(ast.where, wr ?? r, subs, level, m);
      addChildren(ast.where, wr);
    }
    // GROUP BY / HAVING / ORDER BY
    const gcols = groupCols(ast);
    if (gcols.length) {
      this.orderish(gcols, 'group-by', cl.get('group') ?? r, subs, level, m, aliases);
      addChildren(gcols, cl.get('group'));
    }
    if (ast.having) addChildren(ast.having, cl.get('having'));
    const ob: Node[] = Array.isArray(ast.orderby) ? ast.orderby : [];
    if (ob.length) {
      this.orderish(ob.map((o) => o?.expr), 'order-by', cl.get('order') ?? r, subs, level, m, aliases);
      addChildren(ob, cl.get('order'));
    }
    m.hasLimit = hasLimit(ast) || !!cl.get('fetch');
    // subqueries nowhere else (e.g. in LIMIT, WINDOW)
    return this.finish(m, starts);
  }

  /** Table refs, derived tables and join conditions of a FROM (or UPDATE target) list. */
  private fromItems(
    items: Node[],
    range: Range | undefined,
    subs: Range[],
    usedSubs: Set<Range>,
    level: Level,
    m: QueryModel,
    starts: Map<QueryModel, number>,
    addChildren: (node: Node, range: Range | undefined) => void,
    cteNames: ReadonlySet<string>,
  ): void {
    const toks = this.toks;
    if (!range || !items.length) return;
    // ON keywords at any depth of the range (outside subqueries), in order, with their extent
    const ons: Range[] = [];
    for (let i = range.s; i < range.e; i++) {
      const t = toks[i];
      if (!isWord(t, 'on') || this.inSubs(i, subs)) continue;
      let j = i + 1;
      for (; j < range.e; j++) {
        const u = toks[j];
        if (u.depth < t.depth) break;
        if (u.depth === t.depth && ((u.kind === 'word' && JOIN_WORDS.has(u.value)) || isPunct(u, ',') || isWord(u, 'on', 'using'))) break;
      }
      ons.push({ s: i + 1, e: j });
    }
    let onIdx = 0;
    const refRanges: (Range | undefined)[] = [];
    const itemRefs: (Ref | undefined)[] = [];
    for (const item of items) {
      const before = level.refs.length;
      this.fromItem(item, range, subs, usedSubs, level, m, starts, addChildren, cteNames, ons, refRanges);
      itemRefs.push(level.refs.length > before ? level.refs[level.refs.length - 1] : undefined);
    }
    // join conditions
    for (let k = 0; k < items.length; k++) {
      const item = items[k];
      if (!item || typeof item !== 'object') continue;
      if (item.on) {
        const onRange = ons[onIdx++];
        this.predicates(item.on, onRange ?? range, subs, level, m);
        addChildren(item.on, onRange);
      } else if (Array.isArray(item.using) && item.using.length && k > 0) {
        const right = itemRefs[k];
        const left = itemRefs.slice(0, k).reverse().find((x) => x);
        const ur = refRanges[k];
        for (const u of item.using) {
          const col = lower(u);
          if (!col) continue;
          const loc = this.locateName(col, undefined, { s: ur ? ur.e : range.s, e: range.e }, subs);
          if (!loc || !left || !right) continue;
          const span = { start: toks[loc.s].start, end: toks[loc.s].end };
          const lt = left.table;
          const rt = right.table;
          m.uses.push({ table: lt, column: col, kind: 'join', span, op: 'eq', sargable: true, joinPartner: { table: rt, column: col } });
          m.uses.push({ table: rt, column: col, kind: 'join', span, op: 'eq', sargable: true, joinPartner: { table: lt, column: col } });
        }
      }
    }
  }

  /** One FROM item: a table (→ TableRef), a derived table (→ child) or a table function. */
  private fromItem(
    item: Node,
    range: Range,
    subs: Range[],
    usedSubs: Set<Range>,
    level: Level,
    m: QueryModel,
    starts: Map<QueryModel, number>,
    addChildren: (node: Node, range: Range | undefined) => void,
    cteNames: ReadonlySet<string>,
    ons: Range[],
    refRanges: (Range | undefined)[],
  ): void {
    const toks = this.toks;
    if (!item || typeof item !== 'object') {
      refRanges.push(undefined);
      return;
    }
    const sq = subqueryAst(item.expr) ?? (item.expr?.type === 'select' ? item.expr : undefined);
    if (sq) {
      const sr = subs.find((x) => !usedSubs.has(x) && x.s >= range.s && x.e <= range.e);
      if (sr) usedSubs.add(sr);
      // derived tables do not see sibling FROM items (no LATERAL support here)
      const child = this.select(sq, sr ?? { s: range.e, e: range.e }, level.parent, cteNames);
      starts.set(child, sr ? toks[sr.s - 1].start : this.text.length);
      m.children.push(child);
      const alias = lower(item.as);
      if (alias) level.refs.push({ table: alias, alias, derived: true });
      refRanges.push(sr);
      return;
    }
    const tname = lower(item.table);
    if (tname && item.type !== 'dual' && !item.expr) {
      const db = lower(item.db) ?? lower(item.schema);
      const alias = lower(item.as) || undefined;
      const found = this.locateTable(tname, db, range, subs, ons);
      const cte = db === undefined && cteNames.has(tname);
      const ref: Ref = { table: tname, ...(alias ? { alias } : {}), ...(cte ? { derived: true } : {}) };
      level.refs.push(ref);
      // a CTE reference is not a table (the CTE itself is a child query)
      if (found && !cte) {
        const tr: TableRef = { table: tname, ...(alias ? { alias } : {}), span: { start: toks[found.s].start, end: toks[found.s].end } };
        m.tables.push(tr);
      }
      refRanges.push(found);
    } else {
      // table function (json_each(...), JSON_TABLE(...)): known by alias only
      const alias = lower(item.as);
      if (alias) level.refs.push({ table: alias, alias, derived: true });
      else if (item.expr?.type === 'function') {
        const fn = funcName(item.expr);
        if (fn) level.refs.push({ table: fn, derived: true });
      }
      refRanges.push(undefined);
      addChildren(item.expr, range);
    }
  }

  /** Locates a table name token (the name, not the schema) in range, outside ON conditions. */
  private locateTable(name: string, db: string | undefined, range: Range, subs: Range[], ons: Range[]): Range | undefined {
    const toks = this.toks;
    for (let i = range.s; i < range.e; i++) {
      if (this.used[i]) continue;
      const t = toks[i];
      if (!isName(t) || t.value !== name) continue;
      if (this.inSubs(i, subs)) continue;
      if (ons.some((o) => i >= o.s && i < o.e)) continue;
      if (isPunct(toks[i + 1], '.')) continue;
      if (db !== undefined && !(isPunct(toks[i - 1], '.') && isName(toks[i - 2]) && toks[i - 2].value === db)) continue;
      if (db === undefined && isPunct(toks[i - 1], '.')) continue;
      // skip an alias position: `x AS name` / `x name`
      if (isWord(toks[i - 1], 'as')) continue;
      this.used[i] = 1;
      return { s: i, e: i + 1 };
    }
    return undefined;
  }

  private stars(r: Range): Span[] {
    const toks = this.toks;
    const d = toks[r.s]?.depth ?? 0;
    const out: Span[] = [];
    for (let i = r.s; i < r.e; i++) {
      const t = toks[i];
      if (t.depth !== d || t.kind !== 'op' || t.value !== '*') continue;
      const prev = toks[i - 1];
      if (isPunct(prev, '.')) {
        let j = i - 1;
        while (isPunct(toks[j], '.') && isName(toks[j - 1])) j -= 2;
        out.push({ start: toks[j + 1].start, end: t.end });
      } else if (i === r.s || isPunct(prev, ',') || (prev && prev.kind === 'word' && ['select', 'distinct', 'all', 'distinctrow', 'straight_join', 'sql_calc_found_rows', 'sql_no_cache', 'sql_cache', 'high_priority', 'sql_small_result', 'sql_big_result', 'sql_buffer_result'].includes(prev.value))) {
        out.push({ start: t.start, end: t.end });
      }
    }
    return out;
  }

  private resolve(qualifier: string | undefined, level: Level): Resolved {
    if (qualifier !== undefined) {
      for (let l: Level | undefined = level; l; l = l.parent) {
        const byAlias = l.refs.find((x) => x.alias === qualifier);
        if (byAlias) return { table: byAlias.table, ref: byAlias };
        const byName = l.refs.find((x) => !x.derived && x.table === qualifier);
        if (byName) return { table: byName.table, ref: byName };
      }
      return { table: qualifier };
    }
    if (level.refs.length === 1) return { table: level.refs[0].table, ref: level.refs[0] };
    return {};
  }

  private colSpan(node: Node, r: Range, subs: Range[]): Span | undefined {
    const loc = this.locateName(columnName(node), columnQualifier(node), r, subs);
    return loc ? { start: this.toks[loc.s].start, end: this.toks[loc.s].end } : undefined;
  }

  private orderish(exprs: Node[], kind: 'order-by' | 'group-by', r: Range, subs: Range[], level: Level, m: QueryModel, aliases: Set<string>): void {
    for (const e of exprs) {
      if (!e || e.type !== 'column_ref') continue;
      const col = columnName(e);
      const q = columnQualifier(e);
      if (!col || col === '*') continue;
      if (q === undefined && aliases.has(col)) continue;
      const span = this.colSpan(e, r, subs);
      if (!span) continue;
      const res = this.resolve(q, level);
      m.uses.push({ ...(res.table ? { table: res.table } : {}), column: col, kind, span, op: 'other', sargable: true });
    }
  }

  // --- predicates -------------------------------------------------------------------------------

  /**
   * Boolean leaves of the AST with their OR context: `or` is where under ORs the leaf sits (see
   * ColumnUse.or), `[]` when AND-ed at the top, `null` under an OR whose branches are not modelled (XOR).
   * Each OR gets a group in `m.orGroups`; `a OR (b OR c)` is one OR of three branches.
   */
  private astLeaves(node: Node, or: OrStep[] | null, out: { node: Node; or: OrStep[] | null }[], m: QueryModel): void {
    if (node && node.type === 'binary_expr') {
      const op = String(node.operator).toUpperCase();
      if (op === 'AND' || op === '&&') {
        this.astLeaves(node.left, or, out, m);
        this.astLeaves(node.right, or, out, m);
        return;
      }
      if (op === 'XOR') {
        this.astLeaves(node.left, null, out, m);
        this.astLeaves(node.right, null, out, m);
        return;
      }
      if (op === 'OR') {
        const branches: Node[] = [];
        const flatten = (n: Node): void => {
          // `a OR (b OR c)`: a parenthesized OR directly under an OR adds branches to it
          if (n && n.type === 'binary_expr' && String(n.operator).toUpperCase() === 'OR') {
            flatten(n.left);
            flatten(n.right);
          } else branches.push(n);
        };
        flatten(node);
        if (or === null) {
          for (const b of branches) this.astLeaves(b, null, out, m);
          return;
        }
        const groups = (m.orGroups ??= []);
        const group = groups.push({ branches: branches.length, ...(or.length ? { parent: or[or.length - 1] } : {}) }) - 1;
        branches.forEach((b, branch) => this.astLeaves(b, [...or, { group, branch }], out, m));
        return;
      }
    }
    out.push({ node, or });
  }

  /** Boolean leaves of a token range (split at AND / OR / XOR of its depth, descending into parens). */
  private tokLeaves(r: Range, out: Range[]): void {
    const toks = this.toks;
    const sr = stripParens(toks, r);
    if (sr.e <= sr.s) return;
    const d = toks[sr.s].depth;
    const segs: Range[] = [];
    let a = sr.s;
    let between = 0;
    let caseDepth = 0;
    for (let i = sr.s; i < sr.e; i++) {
      const t = toks[i];
      if (t.depth !== d) continue;
      if (t.kind === 'word') {
        if (t.value === 'case') caseDepth++;
        else if (t.value === 'end' && caseDepth > 0) caseDepth--;
        else if (t.value === 'between') between++;
        else if (caseDepth === 0 && (t.value === 'and' || t.value === 'or' || t.value === 'xor')) {
          if (t.value === 'and' && between > 0) {
            between--;
            continue;
          }
          segs.push({ s: a, e: i });
          a = i + 1;
        }
      } else if (t.kind === 'op' && t.value === '&&' && caseDepth === 0 && this.flavor === 'mysql') {
        segs.push({ s: a, e: i });
        a = i + 1;
      }
    }
    segs.push({ s: a, e: sr.e });
    if (segs.length === 1) {
      out.push(sr);
      return;
    }
    for (const sg of segs) this.tokLeaves(sg, out);
  }

  private predicates(node: Node, r: Range, subs: Range[], level: Level, m: QueryModel): void {
    const leaves: { node: Node; or: OrStep[] | null }[] = [];
    this.astLeaves(node, [], leaves, m);
    const tl: Range[] = [];
    this.tokLeaves(r, tl);
    const aligned = tl.length === leaves.length;
    leaves.forEach((lf, k) => this.leaf(lf.node, lf.or, aligned ? tl[k] : r, aligned, subs, level, m));
  }

  /** The comparison operator of a leaf: index of its first token and the index after it. */
  private opTokens(r: Range): { s: number; e: number } | undefined {
    const toks = this.toks;
    const d = toks[r.s]?.depth ?? 0;
    let caseDepth = 0;
    for (let i = r.s; i < r.e; i++) {
      const t = toks[i];
      if (t.depth !== d) continue;
      if (isWord(t, 'case')) caseDepth++;
      else if (isWord(t, 'end') && caseDepth) caseDepth--;
      if (caseDepth) continue;
      if (t.kind === 'op' && ['=', '==', '<>', '!=', '<', '>', '<=', '>=', '<=>'].includes(t.value)) return { s: i, e: i + 1 };
      if (t.kind === 'word') {
        if (['in', 'like', 'glob', 'regexp', 'rlike', 'between', 'match', 'ilike'].includes(t.value) && i > r.s) return { s: i, e: i + 1 };
        if (t.value === 'is' && i > r.s) return { s: i, e: isWord(toks[i + 1], 'not') ? i + 2 : i + 1 };
        if (t.value === 'not' && i > r.s && isWord(toks[i + 1], 'in', 'like', 'glob', 'regexp', 'rlike', 'between', 'match', 'ilike')) return { s: i, e: i + 2 };
      }
    }
    return undefined;
  }

  private side(node: Node, r: Range, subs: Range[], level: Level): SideInfo {
    const toks = this.toks;
    const sr = stripParens(toks, r);
    const colNodes = collectColumns(node);
    const cols: SideInfo['cols'] = [];
    for (const c of colNodes) {
      const span = this.colSpan(c, sr, subs);
      if (!span) continue;
      cols.push({ node: c, span, res: this.resolve(columnQualifier(c), level) });
    }
    const info: SideInfo = { cols };
    if (!node || node.type === 'column_ref' || !cols.length) return info;
    const t = node.type;
    if (t === 'cast' || (t === 'function' && ['cast', 'convert'].includes(funcName(node))) || t === 'convert') info.wrap = 'cast';
    else if (t === 'function' || t === 'aggr_func' || (t === 'binary_expr' && ['->', '->>', '#>', '#>>'].includes(String(node.operator)))) info.wrap = 'function';
    else if ((t === 'binary_expr' && isArithmetic(String(node.operator).toUpperCase())) || (t === 'unary_expr' && ['-', '+', '~'].includes(node.operator))) info.wrap = 'arithmetic';
    else if (t === 'expr_list') {
      // row constructor (a, b) IN (...): its members are plain columns when they are column refs
      if ((node.value ?? []).every((x: Node) => x?.type === 'column_ref')) return info;
      info.opaque = true;
    } else info.opaque = true;
    if (info.wrap) {
      // like the PostgreSQL adapter: a wrapper is attributed to its column only when it wraps exactly one
      if (colNodes.length !== 1) {
        info.opaque = true;
        return info;
      }
      info.span = spanOf(toks, sr);
      info.expression = exprText(toks, sr.s, sr.e);
    }
    return info;
  }

  private leaf(node: Node, or: OrStep[] | null, r: Range, aligned: boolean, subs: Range[], level: Level, m: QueryModel): void {
    if (!node || typeof node !== 'object') return;
    const toks = this.toks;
    const sr = stripParens(toks, r);
    const predSpan = aligned ? spanOf(toks, sr) : undefined;
    const push = (u: ColumnUse): void => {
      if (or === null || or.length) u.inOr = true;
      if (or?.length) u.or = or;
      m.uses.push(u);
    };
    const base = (c: SideInfo['cols'][number]): Pick<ColumnUse, 'table' | 'column' | 'span'> => ({ ...(c.res.table ? { table: c.res.table } : {}), column: columnName(c.node), span: c.span });

    // NOT (...), NOT EXISTS, EXISTS
    const isNot = (node.type === 'unary_expr' && String(node.operator).toUpperCase() === 'NOT') || (node.type === 'function' && funcName(node) === 'not');
    if (isNot || (node.type === 'unary_expr' && /EXISTS/i.test(String(node.operator))) || (node.type === 'function' && funcName(node) === 'exists')) {
      if (!isNot) return;
      const inner = node.type === 'unary_expr' ? node.expr : node.args?.value?.[0];
      if (inner && inner.type === 'function' && funcName(inner) === 'exists') return;
      if (inner && inner.type === 'unary_expr' && /EXISTS/i.test(String(inner.operator))) return;
      const span = predSpan ?? spanOf(toks, sr);
      for (const c of collectColumns(inner)) {
        const cs = this.colSpan(c, sr, subs);
        if (!cs) continue;
        const res = this.resolve(columnQualifier(c), level);
        push({ ...(res.table ? { table: res.table } : {}), column: columnName(c), kind: 'where', span: cs, op: 'other', sargable: false, nonSargable: { reason: 'negation', span: span ?? cs }, ...(inner?.type === 'column_ref' ? { fact: { is: 'false' as const } } : {}) });
      }
      return;
    }

    if (node.type === 'column_ref') {
      // bare boolean column: WHERE active
      const cs = this.colSpan(node, sr, subs);
      if (!cs) return;
      const res = this.resolve(columnQualifier(node), level);
      push({ ...(res.table ? { table: res.table } : {}), column: columnName(node), kind: 'where', span: cs, op: 'eq', sargable: true, fact: { is: 'true' } });
      return;
    }
    if (node.type !== 'binary_expr') return;

    const op = String(node.operator).toUpperCase();
    const opt = aligned ? this.opTokens(sr) : undefined;
    const leftRange: Range = opt ? { s: sr.s, e: opt.s } : sr;
    const rightRange: Range = opt ? { s: opt.e, e: sr.e } : sr;
    const opTok = opt ? toks[opt.s] : undefined;
    const glob = !!opTok && (isWord(opTok, 'glob') || (isWord(opTok, 'not') && isWord(toks[opt!.s + 1], 'glob')));
    const match = !!opTok && (isWord(opTok, 'match') || (isWord(opTok, 'not') && isWord(toks[opt!.s + 1], 'match')));
    const L = this.side(node.left, leftRange, subs, level);
    const R = this.side(node.right, rightRange, subs, level);
    const rightIsNull = node.right && (node.right.type === 'null' || (node.right.type === 'bool' && false));

    let opKind: ColumnUse['op'];
    let negation = false;
    let like = false;
    switch (op) {
      case '=':
      case '==':
      case '<=>':
      case 'IN':
      case 'IS':
        opKind = 'eq';
        break;
      case 'IS NOT':
        opKind = rightIsNull || node.right?.type === 'bool' ? 'eq' : 'other';
        negation = opKind === 'other';
        break;
      case '<':
      case '>':
      case '<=':
      case '>=':
      case 'BETWEEN':
        opKind = 'range';
        break;
      case 'LIKE':
      case 'ILIKE':
        opKind = 'range';
        like = !match;
        if (match) opKind = 'other';
        break;
      case '<>':
      case '!=':
      case 'NOT IN':
      case 'NOT BETWEEN':
      case 'NOT LIKE':
      case 'NOT ILIKE':
      case 'NOT REGEXP':
      case 'NOT RLIKE':
        opKind = 'other';
        negation = true;
        break;
      default:
        opKind = 'other';
    }
    const negSpan = predSpan ?? spanOf(toks, sr);

    const emit = (side: SideInfo, other: SideInfo): void => {
      if (side.opaque) return;
      const partner = other.cols.length && !other.opaque ? other.cols[0] : undefined;
      // same table ref on both sides (a.x = a.y): not an index lookup
      if (partner && side.cols.every((c) => c.res.ref && c.res.ref === partner.res.ref)) return;
      for (const c of side.cols) {
        const u: ColumnUse = { ...base(c), kind: partner ? 'join' : 'where', op: opKind, sargable: true };
        if (partner) u.joinPartner = { ...(partner.res.table ? { table: partner.res.table } : {}), column: columnName(partner.node) };
        if (negation) {
          u.sargable = false;
          u.nonSargable = { reason: 'negation', span: negSpan ?? c.span };
        } else if (side.wrap) {
          u.sargable = false;
          u.nonSargable = { reason: side.wrap, ...(side.expression ? { expression: side.expression } : {}), span: side.span ?? c.span };
        } else if (!partner && side.cols.length === 1) {
          const fact = literalFact(op, side === L ? node.right : node.left);
          if (fact) u.fact = fact;
        }
        if (like && side === L && !partner && !negation && !side.wrap) {
          const pat = node.right;
          const lit = pat && ['single_quote_string', 'string', 'double_quote_string', 'natural_string'].includes(pat.type) && typeof pat.value === 'string' ? (pat.value as string) : undefined;
          if (lit === undefined) u.op = 'other';
          else if (glob ? /^[*?[]/.test(lit) : /^[%_]/.test(lit)) {
            u.sargable = false;
            const strTok = this.findString(rightRange);
            u.nonSargable = { reason: 'leading-wildcard', span: strTok ?? spanOf(toks, rightRange) ?? c.span };
          }
        }
        push(u);
      }
    };
    emit(L, R);
    emit(R, L);
  }

  private findString(r: Range): Span | undefined {
    for (let i = r.s; i < r.e; i++) {
      const t = this.toks[i];
      if (t.kind === 'string' || (t.kind === 'ident' && this.text[t.start] === '"')) return { start: t.start, end: t.end };
    }
    return undefined;
  }

  // --- DML ----------------------------------------------------------------------------------------

  private insert(ast: Node, r: Range): QueryModel {
    const toks = this.toks;
    // like the PostgreSQL adapter: the target table is not a read; only INSERT ... SELECT and
    // subqueries in VALUES / SET are modelled (as children)
    const m = this.model('insert');
    const starts = new Map<QueryModel, number>();
    const names = new Set<string>();
    let s = r.s;
    if (isWord(toks[s], 'with')) s = this.withClause(ast, r, m, starts, names);
    const target = Array.isArray(ast.table) ? ast.table[0] : ast.table;
    const tname = lower(target?.table);
    const level: Level = { refs: tname ? [{ table: tname }] : [] };
    const values = ast.values;
    const subs = this.directSubs(r);
    const selectAst = values && typeof values === 'object' && !Array.isArray(values) ? (subqueryAst(values) ?? (values.type === 'select' ? values : undefined)) : undefined;
    if (selectAst) {
      // INSERT ... SELECT: the select starts at the first SELECT / WITH / ( at depth 0 after the target
      let k = s + 1;
      for (; k < r.e; k++) {
        const t = toks[k];
        if (t.depth !== 0) continue;
        if (isWord(t, 'select', 'with')) break;
        if (isPunct(t, '(') && (isWord(toks[k + 1], 'select', 'with') || isPunct(toks[k + 1], '('))) break;
      }
      let end = r.e;
      for (let j = k; j < r.e; j++) if (toks[j].depth === 0 && isWord(toks[j], 'on') && isWord(toks[j + 1], 'duplicate', 'conflict')) end = j;
      const child = this.select(selectAst, { s: k, e: end }, undefined, names);
      starts.set(child, toks[k]?.start ?? 0);
      m.children.push(child);
    } else {
      const usedSubs = new Set<Range>();
      this.childAdder(m, starts, subs, usedSubs, level, r, names)([values, ast.set, ast.on_duplicate_update], undefined);
    }
    return this.finish(m, starts);
  }

  private update(ast: Node, r: Range): QueryModel {
    const m = this.model('update');
    const starts = new Map<QueryModel, number>();
    const names = new Set<string>();
    let s = r.s;
    if (isWord(this.toks[s], 'with')) s = this.withClause(ast, r, m, starts, names);
    const level: Level = { refs: [] };
    const subs = this.directSubs(r);
    const usedSubs = new Set<Range>();
    // UPDATE <tables> SET ...: the tables range is between UPDATE and SET
    const cl = this.clauses({ s, e: r.e });
    const set = cl.get('set');
    const tRange: Range = { s: s + 1, e: set ? set.s - 1 : r.e };
    const addChildren = this.childAdder(m, starts, subs, usedSubs, level, r, names);
    this.fromItems(fromList(ast.table), tRange, subs, usedSubs, level, m, starts, addChildren, names);
    if (ast.from) this.fromItems(fromList(ast.from), cl.get('from'), subs, usedSubs, level, m, starts, addChildren, names);
    addChildren(ast.set, set);
    this.dmlTail(ast, r, cl, subs, level, m, addChildren);
    return this.finish(m, starts);
  }

  private delete(ast: Node, r: Range): QueryModel {
    const toks = this.toks;
    const m = this.model('delete');
    const starts = new Map<QueryModel, number>();
    const names = new Set<string>();
    let s = r.s;
    if (isWord(toks[s], 'with')) s = this.withClause(ast, r, m, starts, names);
    const level: Level = { refs: [] };
    const subs = this.directSubs(r);
    const usedSubs = new Set<Range>();
    const cl = this.clauses({ s, e: r.e });
    const addChildren = this.childAdder(m, starts, subs, usedSubs, level, r, names);
    const from = ast.from ? fromList(ast.from) : fromList(ast.table);
    // MySQL `DELETE FROM t1 USING t1 JOIN t2`: the tables follow USING
    let fr = cl.get('from');
    if (fr) {
      for (let i = fr.s; i < fr.e; i++) {
        if (isWord(toks[i], 'using') && toks[i].depth === toks[fr.s].depth && !isPunct(toks[i + 1], '(')) {
          fr = { s: i + 1, e: fr.e };
          break;
        }
      }
    }
    this.fromItems(from, fr, subs, usedSubs, level, m, starts, addChildren, names);
    this.dmlTail(ast, r, cl, subs, level, m, addChildren);
    return this.finish(m, starts);
  }

  private childAdder(m: QueryModel, starts: Map<QueryModel, number>, subs: Range[], usedSubs: Set<Range>, level: Level, r: Range, cteNames: ReadonlySet<string>): (node: Node, range: Range | undefined) => void {
    return (node, range) => {
      const asts = collectSubqueries(node);
      if (!asts.length) return;
      const within = (range ? subs.filter((x) => x.s >= range.s && x.e <= range.e) : subs).filter((x) => !usedSubs.has(x));
      const pool = within.length >= asts.length ? within : subs.filter((x) => !usedSubs.has(x));
      for (const q of asts) {
        const sr = pool.shift();
        if (sr) usedSubs.add(sr);
        const child = this.select(q, sr ?? { s: r.e, e: r.e }, level, cteNames);
        starts.set(child, sr ? this.toks[sr.s - 1].start : this.text.length);
        m.children.push(child);
      }
    };
  }

  private dmlTail(ast: Node, r: Range, cl: Map<string, Range>, subs: Range[], level: Level, m: QueryModel, addChildren: (node: Node, range: Range | undefined) => void): void {
    if (ast.where) {
      m.hasWhere = true;
      const wr = cl.get('where');
      this.predicates(ast.where, wr ?? r, subs, level, m);
      addChildren(ast.where, wr);
    }
    const ob: Node[] = Array.isArray(ast.orderby) ? ast.orderby : [];
    if (ob.length) this.orderish(ob.map((o) => o?.expr), 'order-by', cl.get('order') ?? r, subs, level, m, new Set());
    m.hasLimit = hasLimit(ast);
  }
}

/** FROM items in source order; MySQL represents `(a JOIN b ON ...) JOIN c` as { expr: [a, b], joins: [c] }. */
function fromList(from: Node): Node[] {
  if (!from) return [];
  if (Array.isArray(from)) return from.flatMap((x: Node) => (x && Array.isArray(x.expr) ? fromList(x) : [x]));
  if (typeof from === 'object' && Array.isArray(from.expr)) return [...fromList(from.expr), ...fromList(from.joins ?? [])];
  return typeof from === 'object' ? [from] : [];
}

function groupCols(ast: Node): Node[] {
  const g = ast?.groupby;
  if (!g) return [];
  if (Array.isArray(g)) return g;
  if (Array.isArray(g.columns)) return g.columns;
  return [];
}

function hasLimit(ast: Node): boolean {
  const l = ast?.limit;
  if (!l) return false;
  if (Array.isArray(l.value)) return l.value.length > 0;
  return true;
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
  const m = /^Expected (.*) but (.*) found\.$/s.exec(message);
  if (!m) return message;
  const expected = m[1].split(/, (?:or )?/).filter((x) => !/^\[|^"(?:#|--|\/\*)"$/.test(x));
  const shown = expected.slice(0, 6).join(', ');
  return `Syntax error ${near}${shown ? ` (expected ${shown}${expected.length > 6 ? ', …' : ''})` : ''}`;
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
    || (isWord(first, 'drop') && toks.slice(1, 3).some((t) => isWord(t, 'table', 'tables', 'index')));
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

/** What `col <op> other` establishes about col, for partial indexes (see ColumnFact). */
function literalFact(op: string, other: Node): ColumnUse['fact'] {
  if (!other || typeof other !== 'object') return undefined;
  if (op === 'IS' && other.type === 'null') return { is: 'null' };
  if (op === 'IS NOT' && other.type === 'null') return { is: 'not-null' };
  if (op !== '=' && op !== '==') return undefined;
  if (other.type === 'bool') return { is: other.value ? 'true' : 'false' };
  if (other.type === 'number') return { is: 'eq', value: String(other.value) };
  if (['single_quote_string', 'string', 'natural_string'].includes(other.type) && typeof other.value === 'string') return { is: 'eq', value: `'${other.value.replace(/'/g, "''")}'` };
  if (other.type === 'origin' && other.value === '?') return { is: 'eq' };
  if (other.type === 'param' || other.type === 'var') return { is: 'eq' };
  return undefined;
}
