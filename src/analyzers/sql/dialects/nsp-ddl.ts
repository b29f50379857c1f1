/**
 * DDL of the MySQL / SQLite adapter, read from the token stream rather than with node-sql-parser (see
 * nodesqlparser.ts for why): CREATE TABLE / CREATE INDEX / ALTER TABLE / DROP TABLE / DROP INDEX → the
 * tables, indexes, keys and drops of a schema fragment.
 */
import type { ColumnDef, ColumnFact, IndexDef, IndexKey, SchemaFragment, Span, TableDef } from '../types.js';
import { type Flavor, type Range, type Token, closeOf, exprColumns, exprText, isName, isPunct, isWord, splitCommas, stripParens } from './nsp-tokens.js';

// ---------------------------------------------------------------------------------------------
// DDL (read from tokens)
// ---------------------------------------------------------------------------------------------

type Schema = Omit<SchemaFragment, 'file'>;

function emptySchema(): Schema {
  return { tables: [], indexes: [], foreignKeys: [], primaryKeys: [], dropped: { tables: [], indexes: [] } };
}

export class DdlError extends Error {
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

export class DdlReader {
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
    if (isWord(toks[0], 'rename') && isWord(toks[1], 'table', 'tables')) return this.renameTables(2, e);
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
      } else if (isWord(toks[j], 'drop')) {
        this.alterDrop(tableName, j + 1, act.e);
      } else if (isWord(toks[j], 'rename')) {
        this.alterRename(tableName, j + 1, act.e);
      } else if (isWord(toks[j], 'change', 'modify')) {
        // MySQL: CHANGE [COLUMN] old new type … renames (and redefines); MODIFY [COLUMN] col type … redefines.
        let k = j + 1;
        if (isWord(toks[k], 'column')) k++;
        if (toks[j].value === 'change' && isName(toks[k]) && isName(toks[k + 1])) {
          if (toks[k].value !== toks[k + 1].value) (this.schema.renamed ??= []).push({ kind: 'column', table: tableName, from: toks[k].value, to: toks[k + 1].value, ...this.toSpelling(toks[k + 1]) });
          k++;
        }
        if (isName(toks[k])) this.redefine(tableName, { s: k, e: act.e });
      } else if (isWord(toks[j], 'alter') && this.dialect !== 'mysql') {
        // ALTER [COLUMN] c SET / DROP NOT NULL
        let k = j + 1;
        if (isWord(toks[k], 'column')) k++;
        if (isName(toks[k]) && isWord(toks[k + 1], 'set', 'drop') && isWord(toks[k + 2], 'not') && isWord(toks[k + 3], 'null')) {
          (this.schema.nullability ??= []).push({ table: tableName, column: toks[k].value, notNull: toks[k + 1].value === 'set' });
        }
      }
    }
    return this.schema;
  }

  /** A rename's new name with its case, when it differs from the lower-case key. */
  private toSpelling(tok: Token): { toSpelling?: string } {
    const sp = this.spelling(tok).spelling;
    return sp ? { toSpelling: sp } : {};
  }

  /** `DROP …` of an ALTER TABLE action, after the DROP. */
  private alterDrop(table: string, k: number, e: number): void {
    const toks = this.toks;
    const ifExists = (at: number): number => (isWord(toks[at], 'if') && isWord(toks[at + 1], 'exists') ? at + 2 : at);
    if (isWord(toks[k], 'primary') && isWord(toks[k + 1], 'key')) {
      (this.schema.droppedConstraints ??= []).push({ table, kind: 'primary' });
    } else if (isWord(toks[k], 'foreign') && isWord(toks[k + 1], 'key')) {
      const n = ifExists(k + 2);
      if (isName(toks[n])) (this.schema.droppedConstraints ??= []).push({ table, name: toks[n].value, kind: 'foreign' });
    } else if (isWord(toks[k], 'constraint', 'check')) {
      const n = ifExists(k + 1);
      if (isName(toks[n])) (this.schema.droppedConstraints ??= []).push({ table, name: toks[n].value });
    } else {
      let n = k;
      if (isWord(toks[n], 'column')) n++;
      n = ifExists(n);
      if (n < e && isName(toks[n]) && (n + 1 >= e || isWord(toks[n + 1], 'cascade', 'restrict'))) (this.schema.droppedColumns ??= []).push({ table, column: toks[n].value });
    }
  }

  /** `RENAME …` of an ALTER TABLE action, after the RENAME. */
  private alterRename(table: string, k: number, e: number): void {
    const toks = this.toks;
    const renamed = (this.schema.renamed ??= []);
    if (isWord(toks[k], 'index', 'key') && isName(toks[k + 1]) && isWord(toks[k + 2], 'to') && isName(toks[k + 3])) {
      renamed.push({ kind: 'index', table, from: toks[k + 1].value, to: toks[k + 3].value });
    } else if (isWord(toks[k], 'constraint') && isName(toks[k + 1]) && isWord(toks[k + 2], 'to') && isName(toks[k + 3])) {
      renamed.push({ kind: 'constraint', table, from: toks[k + 1].value, to: toks[k + 3].value });
    } else if (isWord(toks[k], 'to', 'as') || (this.dialect === 'mysql' && isName(toks[k]) && k + 1 < e && !isWord(toks[k + 1], 'to'))) {
      const q = this.qname(isWord(toks[k], 'to', 'as') ? k + 1 : k, e);
      renamed.push({ kind: 'table', table, from: table, to: q.name, ...this.toSpelling(q.tok) });
    } else {
      let n = k;
      if (isWord(toks[n], 'column')) n++;
      if (isName(toks[n]) && isWord(toks[n + 1], 'to') && isName(toks[n + 2])) renamed.push({ kind: 'column', table, from: toks[n].value, to: toks[n + 2].value, ...this.toSpelling(toks[n + 2]) });
      else if (this.dialect === 'mysql' && isName(toks[k]) && k + 1 === e) renamed.push({ kind: 'table', table, from: table, to: toks[k].value });
    }
  }

  /** A MySQL MODIFY / CHANGE column definition: only its nullability and inline keys matter to the schema. */
  private redefine(table: string, el: Range): void {
    const before = this.schema.addedColumns?.length ?? 0;
    this.columnDef(el, table);
    const def = this.schema.addedColumns?.[before];
    if (def) {
      this.schema.addedColumns!.splice(before, 1);
      (this.schema.nullability ??= []).push({ table, column: def.column.name, notNull: def.column.notNull });
    }
  }

  /** MySQL `RENAME TABLE a TO b [, c TO d]`. */
  private renameTables(i: number, e: number): Schema {
    for (const r of splitCommas(this.toks, i, e, 0)) {
      const from = this.qname(r.s, r.e);
      if (!isWord(this.toks[from.next], 'to')) this.fail(from.next, 'TO');
      const to = this.qname(from.next + 1, r.e);
      (this.schema.renamed ??= []).push({ kind: 'table', table: from.name, from: from.name, to: to.name, ...this.toSpelling(to.tok) });
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
