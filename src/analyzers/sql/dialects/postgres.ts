/**
 * PostgreSQL adapter over libpg-query (the real PostgreSQL parser compiled to WASM).
 * Turns one statement into the dialect-neutral QueryModel / SchemaFragment.
 */
import type {
  ColumnDef, ColumnFact, ColumnUse, DialectParser, ForeignKeyDef, IndexDef, IndexKey, OrStep, QueryModel, SchemaFragment, Span, StatementParse, TableDef, TableRef,
} from '../types.js';
import { Utf8Offsets } from '../../../kernel/text.js';
import { quoteIdent } from '../ident.js';

type Node = Record<string, any>; // libpg-query JSON AST nodes
type PgModule = typeof import('libpg-query');

let pgModule: PgModule | undefined;
let loading: Promise<PgModule> | undefined;

/** Loads the WASM parser once. Must be awaited before `createPostgresParser().parseStatement`. */
export function loadPostgresParser(): Promise<PgModule> {
  if (pgModule) return Promise.resolve(pgModule);
  loading ??= (async () => {
    const mod = (await import('libpg-query')) as PgModule;
    await mod.loadModule();
    pgModule = mod;
    return mod;
  })();
  return loading;
}

/** Does `sql` parse as PostgreSQL? Undefined while the parser is not loaded. */
export function postgresParses(sql: string): boolean | undefined {
  if (!pgModule) return undefined;
  try {
    pgModule.parseSync(sql);
    return true;
  } catch {
    return false;
  }
}

export function isPostgresParserLoaded(): boolean {
  return pgModule !== undefined;
}

export function createPostgresParser(): DialectParser {
  return {
    dialect: 'postgresql',
    parseStatement(text: string): StatementParse {
      if (!pgModule) return { error: { message: 'PostgreSQL parser not loaded', offset: 0 } };
      let ast: Node;
      try {
        ast = pgModule.parseSync(text);
      } catch (e) {
        const err = e as { message?: string; sqlDetails?: { cursorPosition?: number } };
        const bytes = err.sqlDetails?.cursorPosition ?? 0;
        return { error: { message: String(err.message ?? e), offset: new Utf8Offsets(text).toUtf16(Math.max(0, bytes)) } };
      }
      const stmt = (ast.stmts as Node[] | undefined)?.[0]?.stmt as Node | undefined;
      if (!stmt) return {};
      return new Converter(text).statement(stmt);
    },
  };
}

/** An identifier at `lastIndex` (sticky: no slice of the text per lookup). */
const IDENT_RE = /(?:"(?:[^"]|"")*"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)/y;

class Converter {
  private readonly utf8: Utf8Offsets;
  constructor(private readonly text: string) {
    this.utf8 = new Utf8Offsets(text);
  }

  private off(loc: number | undefined): number {
    return loc === undefined || loc < 0 ? 0 : this.utf8.toUtf16(loc);
  }

  /** Span of the last identifier of a dotted name starting at `loc` (e.g. `status` in `o.status`). */
  private lastIdentSpan(loc: number | undefined): Span {
    let i = this.off(loc);
    let last: Span = { start: i, end: i };
    if (this.text[i] === '*') return { start: i, end: i + 1 };
    for (;;) {
      IDENT_RE.lastIndex = i;
      const m = IDENT_RE.exec(this.text);
      if (!m) break;
      last = { start: i, end: i + m[0].length };
      let j = last.end;
      while (/\s/.test(this.text[j] ?? '')) j++;
      if (this.text[j] !== '.') break;
      j++;
      while (/\s/.test(this.text[j] ?? '')) j++;
      if (this.text[j] === '*') {
        last = { start: j, end: j + 1 };
        break;
      }
      i = j;
    }
    return last;
  }

  /** Span of a whole parenthesised call starting at `loc`: `lower(u.email)`. */
  private callSpan(loc: number | undefined): Span {
    const start = this.off(loc);
    const open = this.text.indexOf('(', start);
    if (open < 0) return this.lastIdentSpan(loc);
    let depth = 0;
    for (let i = open; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === "'") {
        const close = this.text.indexOf("'", i + 1);
        i = close < 0 ? this.text.length : close;
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return { start, end: i + 1 };
    }
    return { start, end: this.text.length };
  }

  private tokenSpan(loc: number | undefined): Span {
    const start = this.off(loc);
    if (this.text[start] === "'") {
      let i = start + 1;
      while (i < this.text.length) {
        if (this.text[i] === "'" && this.text[i + 1] === "'") i += 2;
        else if (this.text[i] === "'") break;
        else i++;
      }
      return { start, end: Math.min(i + 1, this.text.length) };
    }
    const m = /^\S+/.exec(this.text.slice(start, start + 256));
    return { start, end: start + (m ? m[0].length : 0) };
  }

  statement(stmt: Node): StatementParse {
    const [kind, node] = Object.entries(stmt)[0] as [string, Node];
    switch (kind) {
      case 'SelectStmt':
      case 'UpdateStmt':
      case 'DeleteStmt':
      case 'InsertStmt':
        return { query: this.query(kind, node, new Set()) };
      case 'ExplainStmt':
        return node.query ? this.statement(node.query as Node) : {};
      case 'CreateStmt':
        return { schema: this.createTable(node) };
      case 'IndexStmt':
        return { schema: { ...emptySchema(), indexes: [this.createIndex(node)] } };
      case 'AlterTableStmt':
        return { schema: this.alterTable(node) };
      case 'DropStmt':
        return { schema: this.drop(node) };
      default:
        return {};
    }
  }

  // ---------------------------------------------------------------- DDL

  private createTable(node: Node): Omit<SchemaFragment, 'file'> {
    const frag = emptySchema();
    const rel = node.relation as Node;
    const table = lower(rel.relname);
    const columns: ColumnDef[] = [];
    let hasPk = false;
    const stmtSpan: Span = { start: 0, end: this.text.length };
    const addIndex = (keys: string[], origin: IndexDef['origin'], loc: number | undefined, name?: string): void => {
      frag.indexes.push({
        ...(name ? { name } : {}),
        table, keys: keys.map((c) => ({ kind: 'column', column: c })), unique: true, origin, file: '', span: this.constraintSpan(loc, stmtSpan),
      });
    };
    for (const elt of (node.tableElts ?? []) as Node[]) {
      if (elt.ColumnDef) {
        const cd = elt.ColumnDef as Node;
        const colName = lower(cd.colname);
        let notNull = false;
        for (const c of (cd.constraints ?? []) as Node[]) {
          const con = c.Constraint as Node;
          switch (con.contype) {
            case 'CONSTR_NOTNULL': notNull = true; break;
            case 'CONSTR_PRIMARY': hasPk = true; notNull = true; addIndex([colName], 'primary-key', con.location, con.conname); break;
            case 'CONSTR_UNIQUE': addIndex([colName], 'unique-constraint', con.location, con.conname); break;
            case 'CONSTR_FOREIGN':
              frag.foreignKeys.push(this.fk(table, [colName], con, this.lastIdentSpan(cd.location)));
              break;
          }
        }
        columns.push({ name: colName, ...spelling(cd.colname), type: typeName(cd.typeName as Node), notNull, span: this.lastIdentSpan(cd.location) });
      } else if (elt.Constraint) {
        const con = elt.Constraint as Node;
        const keys = ((con.keys ?? []) as Node[]).map((k) => lower(k.String?.sval));
        if (con.contype === 'CONSTR_PRIMARY') {
          hasPk = true;
          addIndex(keys, 'primary-key', con.location, con.conname);
        } else if (con.contype === 'CONSTR_UNIQUE') addIndex(keys, 'unique-constraint', con.location, con.conname);
        else if (con.contype === 'CONSTR_EXCLUSION') {
          // EXCLUDE USING gist (col WITH =, ...) builds an index on those columns
          const cols = ((con.exclusions ?? []) as Node[]).map((ex) => lower((ex.List?.items?.[0] as Node | undefined)?.IndexElem?.name)).filter(Boolean);
          if (cols.length) frag.indexes.push({ table, keys: cols.map((c) => ({ kind: 'column', column: c })), unique: false, method: con.access_method, origin: 'unique-constraint', file: '', span: this.constraintSpan(con.location, stmtSpan) });
        } else if (con.contype === 'CONSTR_FOREIGN') {
          frag.foreignKeys.push(this.fk(table, ((con.fk_attrs ?? []) as Node[]).map((k) => lower(k.String?.sval)), con, this.constraintSpan(con.location, stmtSpan)));
        }
      }
    }
    const t: TableDef = {
      name: table, ...spelling(rel.relname), columns, hasPrimaryKey: hasPk, file: '', span: stmtSpan, nameSpan: this.lastIdentSpan(rel.location), endOffset: this.text.length, dialect: 'postgresql',
      ...(rel.schemaname ? { schema: lower(rel.schemaname) } : {}),
    };
    frag.tables.push(t);
    // PARTITION OF / INHERITS tables are still tables; LIKE copies are ignored.
    return frag;
  }

  /** The span of one constraint clause: from its location to the next top-level comma or closing paren. */
  private constraintSpan(loc: number | undefined, fallback: Span): Span {
    if (loc === undefined || loc < 0) return fallback;
    const start = this.off(loc);
    let depth = 0;
    for (let i = start; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) return trimSpan(this.text, start, i);
        depth--;
      } else if (c === ',' && depth === 0) return trimSpan(this.text, start, i);
      else if (c === "'") {
        const close = this.text.indexOf("'", i + 1);
        i = close < 0 ? this.text.length : close;
      }
    }
    return trimSpan(this.text, start, this.text.length);
  }

  private fk(table: string, columns: string[], con: Node, span: Span): ForeignKeyDef {
    const pk = con.pktable as Node;
    return {
      ...(con.conname ? { name: con.conname as string } : {}),
      table, columns, refTable: lower(pk.relname), refColumns: ((con.pk_attrs ?? []) as Node[]).map((k) => lower(k.String?.sval)), file: '', span,
    };
  }

  private createIndex(node: Node): IndexDef {
    const table = lower((node.relation as Node).relname);
    const keys: IndexKey[] = ((node.indexParams ?? []) as Node[]).map((p) => {
      const el = p.IndexElem as Node;
      if (el.name) return { kind: 'column', column: lower(el.name) };
      const cols: string[] = [];
      return { kind: 'expression', text: this.exprText(el.expr as Node, cols), columns: cols };
    });
    const idx: IndexDef = {
      table, keys, unique: !!node.unique, origin: 'create-index', file: '', span: { start: 0, end: this.text.length },
      ...(node.idxname ? { name: node.idxname as string } : {}),
      ...(node.accessMethod && node.accessMethod !== 'btree' ? { method: node.accessMethod as string } : {}),
    };
    if (node.whereClause) {
      const where = node.whereClause as Node;
      const cols: string[] = [];
      idx.where = { text: this.exprText(where, cols), columns: cols, facts: [], rest: [] };
      const conjuncts = where.BoolExpr?.boolop === 'AND_EXPR' ? (where.BoolExpr.args as Node[]) : [where];
      for (const c of conjuncts) {
        const f = this.fact(c);
        if (f) idx.where.facts!.push(f);
        else this.exprText(c, idx.where.rest!);
      }
    }
    return idx;
  }

  private alterTable(node: Node): Omit<SchemaFragment, 'file'> {
    const frag = emptySchema();
    const table = lower((node.relation as Node).relname);
    for (const c of (node.cmds ?? []) as Node[]) {
      const cmd = c.AlterTableCmd as Node | undefined;
      if (!cmd) continue;
      if (cmd.subtype === 'AT_AddConstraint') {
        const con = cmd.def?.Constraint as Node | undefined;
        if (!con) continue;
        const keys = ((con.keys ?? []) as Node[]).map((k) => lower(k.String?.sval));
        const span = { start: 0, end: this.text.length };
        if (con.contype === 'CONSTR_PRIMARY') {
          frag.primaryKeys.push({ table, columns: keys });
          frag.indexes.push({ table, keys: keys.map((k) => ({ kind: 'column', column: k })), unique: true, origin: 'primary-key', file: '', span, ...(con.conname ? { name: con.conname as string } : {}) });
        } else if (con.contype === 'CONSTR_UNIQUE') {
          frag.indexes.push({ table, keys: keys.map((k) => ({ kind: 'column', column: k })), unique: true, origin: 'unique-constraint', file: '', span, ...(con.conname ? { name: con.conname as string } : {}) });
        } else if (con.contype === 'CONSTR_FOREIGN') {
          frag.foreignKeys.push(this.fk(table, ((con.fk_attrs ?? []) as Node[]).map((k) => lower(k.String?.sval)), con, span));
        }
      } else if (cmd.subtype === 'AT_AddColumn') {
        // Inline constraints on an added column.
        const cd = cmd.def?.ColumnDef as Node | undefined;
        if (!cd) continue;
        const col = lower(cd.colname);
        frag.addedColumns ??= [];
        frag.addedColumns.push({ table, column: { name: col, ...spelling(cd.colname), type: typeName(cd.typeName as Node), notNull: false, span: this.lastIdentSpan(cd.location) } });
        for (const cc of (cd.constraints ?? []) as Node[]) {
          const con = cc.Constraint as Node;
          if (con.contype === 'CONSTR_FOREIGN') frag.foreignKeys.push(this.fk(table, [col], con, { start: 0, end: this.text.length }));
          if (con.contype === 'CONSTR_UNIQUE' || con.contype === 'CONSTR_PRIMARY') {
            frag.indexes.push({ table, keys: [{ kind: 'column', column: col }], unique: true, origin: con.contype === 'CONSTR_PRIMARY' ? 'primary-key' : 'unique-constraint', file: '', span: { start: 0, end: this.text.length } });
            if (con.contype === 'CONSTR_PRIMARY') frag.primaryKeys.push({ table, columns: [col] });
          }
        }
      }
    }
    return frag;
  }

  private drop(node: Node): Omit<SchemaFragment, 'file'> {
    const frag = emptySchema();
    const names = ((node.objects ?? []) as Node[]).map((o) => {
      const items = (o.List?.items ?? []) as Node[];
      return lower(items[items.length - 1]?.String?.sval);
    }).filter(Boolean);
    if (node.removeType === 'OBJECT_TABLE') frag.dropped.tables.push(...names);
    else if (node.removeType === 'OBJECT_INDEX') frag.dropped.indexes.push(...names);
    return frag;
  }

  // ---------------------------------------------------------------- queries

  private query(kind: string, node: Node, ctes: Set<string>): QueryModel {
    const q: QueryModel = {
      kind: kind === 'SelectStmt' ? 'select' : kind === 'UpdateStmt' ? 'update' : kind === 'DeleteStmt' ? 'delete' : 'insert',
      tables: [], uses: [], selectStars: [], hasWhere: false, hasLimit: false, aggregateOnly: false, children: [],
    };
    const scope = new Set(ctes);
    for (const cte of ((node.withClause as Node | undefined)?.ctes ?? []) as Node[]) {
      const c = cte.CommonTableExpr as Node;
      scope.add(lower(c.ctename));
    }
    for (const cte of ((node.withClause as Node | undefined)?.ctes ?? []) as Node[]) {
      const c = cte.CommonTableExpr as Node;
      const inner = c.ctequery as Node;
      const [k, n] = Object.entries(inner)[0] as [string, Node];
      if (k in QUERY_KINDS) q.children.push(this.query(k, n, scope));
    }

    if (kind === 'SelectStmt' && node.op && node.op !== 'SETOP_NONE') {
      // UNION / INTERSECT / EXCEPT: the first arm is the model (as in the MySQL/SQLite adapter), the
      // other arms are children; a LIMIT after the set operation bounds the whole result.
      const first = this.query('SelectStmt', node.larg as Node, scope);
      if (node.rarg) first.children.push(this.query('SelectStmt', node.rarg as Node, scope));
      first.children.push(...q.children);
      first.hasLimit = first.hasLimit || !!node.limitCount;
      return first;
    }
    if (kind === 'SelectStmt' && node.valuesLists) return { ...q, kind: 'other' };

    const joinQuals: Node[] = [];
    const fromItems: Node[] = [];
    if (kind === 'SelectStmt') fromItems.push(...((node.fromClause ?? []) as Node[]));
    else if (kind === 'UpdateStmt') {
      fromItems.push({ RangeVar: node.relation }, ...((node.fromClause ?? []) as Node[]));
    } else if (kind === 'DeleteStmt') {
      fromItems.push({ RangeVar: node.relation }, ...((node.usingClause ?? []) as Node[]));
    } else if (kind === 'InsertStmt') {
      const sel = node.selectStmt as Node | undefined;
      if (sel?.SelectStmt) q.children.push(this.query('SelectStmt', sel.SelectStmt as Node, scope));
      return q;
    }
    for (const item of fromItems) this.fromItem(item, q, scope, joinQuals);

    if (kind === 'SelectStmt') {
      const targets = (node.targetList ?? []) as Node[];
      let allAgg = targets.length > 0;
      for (const t of targets) {
        const val = (t.ResTarget as Node | undefined)?.val as Node | undefined;
        if (val?.ColumnRef) {
          const fields = (val.ColumnRef as Node).fields as Node[];
          if (fields[fields.length - 1]?.A_Star) q.selectStars.push(this.lastIdentSpan((val.ColumnRef as Node).location));
        }
        if (!(val?.FuncCall && AGGREGATES.has(lower(((val.FuncCall as Node).funcname as Node[]).at(-1)?.String?.sval)))) allAgg = false;
        if (val) this.collectSublinks(val, q, scope);
      }
      q.aggregateOnly = allAgg && !(node.groupClause as Node[] | undefined)?.length;
      q.hasLimit = !!node.limitCount || node.limitOption === 'LIMIT_OPTION_WITH_TIES';
    }

    const where = node.whereClause as Node | undefined;
    q.hasWhere = !!where;
    for (const qual of joinQuals) this.predicate(qual, q, [], 'join');
    if (where) this.predicate(where, q, [], 'where');

    for (const s of (node.sortClause ?? []) as Node[]) {
      const expr = (s.SortBy as Node | undefined)?.node as Node | undefined;
      if (expr?.ColumnRef) this.pushColumn(q, expr.ColumnRef as Node, 'order-by', 'other');
    }
    for (const g of (node.groupClause ?? []) as Node[]) {
      if (g.ColumnRef) this.pushColumn(q, g.ColumnRef as Node, 'group-by', 'other');
    }
    if (node.havingClause) this.collectSublinks(node.havingClause as Node, q, scope);
    return q;
  }

  private fromItem(item: Node, q: QueryModel, scope: Set<string>, joinQuals: Node[]): void {
    if (item.RangeVar) {
      const rv = item.RangeVar as Node;
      const name = lower(rv.relname);
      if (rv.schemaname === undefined && scope.has(name)) return; // CTE reference
      const ref: TableRef = { table: name, span: this.lastIdentSpan(rv.location) };
      const alias = (rv.alias as Node | undefined)?.aliasname as string | undefined;
      if (alias) ref.alias = lower(alias);
      q.tables.push(ref);
    } else if (item.JoinExpr) {
      const j = item.JoinExpr as Node;
      this.fromItem(j.larg as Node, q, scope, joinQuals);
      this.fromItem(j.rarg as Node, q, scope, joinQuals);
      if (j.quals) joinQuals.push(j.quals as Node);
      if (j.usingClause) {
        // USING (col): a join on the same column of the two sides.
        const l = lastTable(j.larg as Node);
        const r = lastTable(j.rarg as Node);
        for (const u of j.usingClause as Node[]) {
          const col = lower(u.String?.sval);
          if (l && r) {
            const span = { start: 0, end: 0 };
            q.uses.push({ table: l, column: col, kind: 'join', span, op: 'eq', sargable: true, joinPartner: { table: r, column: col } });
            q.uses.push({ table: r, column: col, kind: 'join', span, op: 'eq', sargable: true, joinPartner: { table: l, column: col } });
          }
        }
      }
    } else if (item.RangeSubselect) {
      const sub = (item.RangeSubselect as Node).subquery as Node;
      const [k, n] = Object.entries(sub)[0] as [string, Node];
      if (k in QUERY_KINDS) q.children.push(this.query(k, n, scope));
    } else if (item.RangeFunction) {
      // function in FROM: nothing to index
    }
  }

  private collectSublinks(expr: unknown, q: QueryModel, scope: Set<string>): void {
    walk(expr, (n) => {
      if (n.SubLink) {
        const sub = (n.SubLink as Node).subselect as Node | undefined;
        if (sub?.SelectStmt) q.children.push(this.query('SelectStmt', sub.SelectStmt as Node, scope));
        return false;
      }
      return true;
    });
  }

  /** The FROM item a qualifier names: its alias, or its table name when it has none. */
  private resolveRef(q: QueryModel, qualifier: string | undefined): string | undefined {
    const t = qualifier ? q.tables.find((x) => x.alias === qualifier) ?? q.tables.find((x) => !x.alias && x.table === qualifier) : q.tables.length === 1 ? q.tables[0] : undefined;
    return t ? t.alias ?? t.table : undefined;
  }

  private resolveTable(q: QueryModel, qualifier: string | undefined): string | undefined {
    if (qualifier) {
      const byAlias = q.tables.find((t) => t.alias === qualifier);
      if (byAlias) return byAlias.table;
      const byName = q.tables.find((t) => !t.alias && t.table === qualifier) ?? q.tables.find((t) => t.table === qualifier);
      return byName?.table ?? qualifier;
    }
    return q.tables.length === 1 ? q.tables[0].table : undefined;
  }

  private columnOf(ref: Node): { table?: string; column: string; qualifier?: string } | undefined {
    const fields = (ref.fields ?? []) as Node[];
    const names = fields.map((f) => f.String?.sval as string | undefined);
    if (names.some((n) => n === undefined)) return undefined; // t.* etc.
    const column = lower(names[names.length - 1]);
    const qualifier = names.length >= 2 ? lower(names[names.length - 2]) : undefined;
    return { column, ...(qualifier ? { qualifier } : {}) };
  }

  private pushColumn(q: QueryModel, ref: Node, kind: ColumnUse['kind'], op: ColumnUse['op'], extra: Partial<ColumnUse> = {}): ColumnUse | undefined {
    const c = this.columnOf(ref);
    if (!c) return undefined;
    const table = this.resolveTable(q, c.qualifier);
    const use: ColumnUse = { column: c.column, kind, span: this.lastIdentSpan(ref.location), op, sargable: true, ...extra };
    if (table) use.table = table;
    const r = this.resolveRef(q, c.qualifier);
    if (r) use.ref = r;
    q.uses.push(use);
    return use;
  }

  /** Unwraps a column from functions / casts / arithmetic, noting why it is not sargable. */
  private columnInside(expr: Node): { ref: Node; reason?: 'function' | 'arithmetic' | 'cast'; expression?: string; span?: Span } | undefined {
    if (expr.ColumnRef) return { ref: expr.ColumnRef as Node };
    if (expr.FuncCall) {
      const cols: string[] = [];
      const refs: Node[] = [];
      walk(expr, (n) => {
        if (n.ColumnRef) refs.push(n.ColumnRef as Node);
        return !n.SubLink;
      });
      if (refs.length !== 1) return undefined;
      return { ref: refs[0], reason: 'function', expression: this.exprText(expr, cols), span: this.callSpan((expr.FuncCall as Node).location) };
    }
    if (expr.TypeCast) {
      const inner = this.columnInside((expr.TypeCast as Node).arg as Node);
      if (!inner) return undefined;
      if (inner.reason) return inner;
      const cols: string[] = [];
      const argLoc = this.off(((expr.TypeCast as Node).arg as Node).ColumnRef?.location);
      return { ...inner, reason: 'cast', expression: this.exprText(expr, cols), span: { start: Math.min(argLoc, this.off((expr.TypeCast as Node).location)), end: this.tokenSpan((expr.TypeCast as Node).typeName?.location).end } };
    }
    if (expr.A_Expr && (expr.A_Expr as Node).kind === 'AEXPR_OP') {
      const a = expr.A_Expr as Node;
      const op = (a.name as Node[])[0]?.String?.sval as string;
      if (['+', '-', '*', '/', '%', '||'].includes(op)) {
        const l = a.lexpr ? this.columnInside(a.lexpr as Node) : undefined;
        const r = a.rexpr ? this.columnInside(a.rexpr as Node) : undefined;
        const inner = l && !r ? l : r && !l ? r : undefined;
        if (!inner) return undefined;
        const cols: string[] = [];
        return { ...inner, reason: inner.reason ?? 'arithmetic', expression: this.exprText(expr, cols), span: this.exprSpan(expr) };
      }
    }
    return undefined;
  }

  private exprSpan(expr: Node): Span {
    let start = Infinity;
    let end = 0;
    walk(expr, (n) => {
      for (const v of Object.values(n)) {
        if (v && typeof v === 'object' && typeof (v as Node).location === 'number' && (v as Node).location >= 0) {
          const s = this.off((v as Node).location);
          start = Math.min(start, s);
          end = Math.max(end, this.tokenSpan((v as Node).location).end);
        }
      }
      return true;
    });
    return start === Infinity ? { start: 0, end: 0 } : { start, end };
  }

  /** What a simple predicate establishes about one column: `c = 'x'`, `c = $1`, `c IS [NOT] NULL`, `c`, `NOT c`. */
  private fact(expr: Node): ColumnFact | undefined {
    const col = (n: Node | undefined): string | undefined => (n?.ColumnRef ? this.columnOf(n.ColumnRef as Node)?.column : undefined);
    let c = col(expr);
    if (c) return { column: c, is: 'true' };
    if (expr.BoolExpr?.boolop === 'NOT_EXPR' && (c = col((expr.BoolExpr.args as Node[])[0]))) return { column: c, is: 'false' };
    if (expr.NullTest && (c = col(expr.NullTest.arg as Node))) return { column: c, is: expr.NullTest.nulltesttype === 'IS_NULL' ? 'null' : 'not-null' };
    const a = expr.A_Expr as Node | undefined;
    if (a?.kind !== 'AEXPR_OP' || ((a.name ?? []) as Node[]).length !== 1 || a.name[0].String?.sval !== '=') return undefined;
    for (const [side, other] of [[a.lexpr, a.rexpr], [a.rexpr, a.lexpr]] as Node[][]) {
      if (!(c = col(side))) continue;
      const k = other?.TypeCast && (other.TypeCast.arg as Node).A_Const ? (other.TypeCast.arg as Node) : other;
      if (k?.ParamRef) return { column: c, is: 'eq' };
      if (!k?.A_Const || k.A_Const.isnull) return undefined;
      const value = this.exprText(k, []);
      return value === 'true' || value === 'false' ? { column: c, is: value } : { column: c, is: 'eq', value };
    }
    return undefined;
  }

  /**
   * `or`: where under ORs `expr` sits (see ColumnUse.or): `[]` when it is AND-ed at the top, `null`
   * under an OR whose branches are not modelled (inside NOT).
   */
  private predicate(expr: Node, q: QueryModel, or: OrStep[] | null, ctx: 'where' | 'join'): void {
    const before = q.uses.length;
    this.predicateUses(expr, q, or, ctx);
    const f = expr.BoolExpr && expr.BoolExpr.boolop !== 'NOT_EXPR' ? undefined : this.fact(expr);
    if (f) {
      for (const u of q.uses.slice(before)) if (u.column === f.column) u.fact = f.is === 'eq' ? { is: 'eq', ...(f.value !== undefined ? { value: f.value } : {}) } : { is: f.is };
    }
  }

  private predicateUses(expr: Node, q: QueryModel, or: OrStep[] | null, ctx: 'where' | 'join'): void {
    const orFlag: Partial<ColumnUse> = or === null ? { inOr: true } : or.length ? { inOr: true, or } : {};
    if (expr.BoolExpr) {
      const b = expr.BoolExpr as Node;
      const args = (b.args ?? []) as Node[];
      if (b.boolop === 'AND_EXPR') for (const a of args) this.predicate(a, q, or, ctx);
      else if (b.boolop === 'OR_EXPR') {
        // `a OR (b OR c)` is one OR of three branches.
        const branches: Node[] = [];
        const flatten = (n: Node): void => {
          if (n.BoolExpr?.boolop === 'OR_EXPR') for (const x of (n.BoolExpr.args ?? []) as Node[]) flatten(x);
          else branches.push(n);
        };
        for (const a of args) flatten(a);
        if (or === null) for (const a of branches) this.predicate(a, q, null, ctx);
        else {
          const groups = (q.orGroups ??= []);
          const group = groups.push({ branches: branches.length, ...(or.length ? { parent: or[or.length - 1] } : {}) }) - 1;
          branches.forEach((a, branch) => this.predicate(a, q, [...or, { group, branch }], ctx));
        }
      } else {
        // NOT (...): columns inside are not sargable
        walk(args, (n) => {
          if (n.ColumnRef) {
            const span = this.exprSpan(expr);
            this.pushColumn(q, n.ColumnRef as Node, 'where', 'other', { sargable: false, nonSargable: { reason: 'negation', span }, ...orFlag });
          }
          return !n.SubLink;
        });
        this.collectSublinks(args, q, new Set());
      }
      return;
    }
    if (expr.NullTest) {
      const arg = (expr.NullTest as Node).arg as Node;
      if (arg.ColumnRef) this.pushColumn(q, arg.ColumnRef as Node, 'where', 'eq', orFlag);
      return;
    }
    if (expr.SubLink) {
      const sl = expr.SubLink as Node;
      const test = sl.testexpr as Node | undefined;
      if (test?.ColumnRef && sl.subLinkType === 'ANY_SUBLINK') this.pushColumn(q, test.ColumnRef as Node, 'where', 'eq', orFlag);
      this.collectSublinks(expr, q, new Set());
      return;
    }
    if (expr.A_Expr) {
      const a = expr.A_Expr as Node;
      const op = ((a.name ?? []) as Node[])[0]?.String?.sval as string | undefined;
      const l = a.lexpr as Node | undefined;
      const r = a.rexpr as Node | undefined;
      this.collectSublinks([l, r], q, new Set());
      const lc = l ? this.columnInside(l) : undefined;
      const rc = r && !r.List ? this.columnInside(r) : undefined;
      const lIsCol = !!lc;
      const rIsCol = !!rc;
      if (a.kind === 'AEXPR_OP' && lIsCol && rIsCol && op === '=' && !lc.reason && !rc.reason) {
        const lcol = this.columnOf(lc.ref)!;
        const rcol = this.columnOf(rc.ref)!;
        const lt = this.resolveTable(q, lcol.qualifier);
        const rt = this.resolveTable(q, rcol.qualifier);
        const lr = this.resolveRef(q, lcol.qualifier);
        const rr = this.resolveRef(q, rcol.qualifier);
        if (lcol && rcol && (lt !== rt || lcol.qualifier !== rcol.qualifier)) {
          this.pushColumn(q, lc.ref, 'join', 'eq', { joinPartner: { ...(rt ? { table: rt } : {}), ...(rr ? { ref: rr } : {}), column: rcol.column }, ...orFlag });
          this.pushColumn(q, rc.ref, 'join', 'eq', { joinPartner: { ...(lt ? { table: lt } : {}), ...(lr ? { ref: lr } : {}), column: lcol.column }, ...orFlag });
          return;
        }
      }
      const sides: [typeof lc, Node | undefined][] = [[lc, r], [rc, l]];
      for (const [side, other] of sides) {
        if (!side) continue;
        if (other && this.columnInside(other) && !(other.A_Const || other.ParamRef)) {
          // column compared with another column of the same row: not indexable as a simple predicate
          if (a.kind === 'AEXPR_OP' && ['<', '>', '<=', '>=', '='].includes(op ?? '') && !side.reason) {
            this.pushColumn(q, side.ref, 'join', op === '=' ? 'eq' : 'range', orFlag);
          }
          continue;
        }
        let opKind: ColumnUse['op'] = 'other';
        let sargable = true;
        let nonSargable: ColumnUse['nonSargable'];
        switch (a.kind) {
          case 'AEXPR_OP':
            if (op === '=') opKind = 'eq';
            else if (op === '<' || op === '>' || op === '<=' || op === '>=') opKind = 'range';
            else if (op === '<>' || op === '!=') {
              sargable = false;
              nonSargable = { reason: 'negation', span: this.exprSpan(expr) };
            } else if (op === '~~' || op === '~~*' || op === '!~~') opKind = 'range';
            break;
          case 'AEXPR_IN':
            if (op === '=') opKind = 'eq';
            else {
              sargable = false;
              nonSargable = { reason: 'negation', span: this.exprSpan(expr) };
            }
            break;
          case 'AEXPR_BETWEEN':
          case 'AEXPR_BETWEEN_SYM':
            opKind = 'range';
            break;
          case 'AEXPR_NOT_BETWEEN':
          case 'AEXPR_NOT_BETWEEN_SYM':
            sargable = false;
            nonSargable = { reason: 'negation', span: this.exprSpan(expr) };
            break;
          case 'AEXPR_LIKE':
          case 'AEXPR_ILIKE':
            opKind = 'range';
            if (op?.startsWith('!')) {
              sargable = false;
              nonSargable = { reason: 'negation', span: this.exprSpan(expr) };
            } else if (other?.A_Const && typeof (other.A_Const as Node).sval?.sval === 'string') {
              const pat = (other.A_Const as Node).sval.sval as string;
              if (pat.startsWith('%') || pat.startsWith('_')) {
                sargable = false;
                nonSargable = { reason: 'leading-wildcard', span: this.tokenSpan((other.A_Const as Node).location) };
              } else if (a.kind === 'AEXPR_ILIKE') {
                sargable = false;
                nonSargable = { reason: 'case-insensitive', span: this.exprSpan(expr) };
              }
            } else opKind = 'other';
            break;
          case 'AEXPR_DISTINCT':
          case 'AEXPR_NOT_DISTINCT':
            opKind = a.kind === 'AEXPR_NOT_DISTINCT' ? 'eq' : 'other';
            sargable = a.kind === 'AEXPR_NOT_DISTINCT';
            break;
          case 'AEXPR_OP_ANY':
            opKind = op === '=' ? 'eq' : 'other';
            break;
          default:
            opKind = 'other';
        }
        if (side.reason) {
          sargable = false;
          nonSargable = { reason: side.reason, span: side.span!, ...(side.expression ? { expression: side.expression } : {}) };
        }
        this.pushColumn(q, side.ref, 'where', opKind, { sargable, ...(nonSargable ? { nonSargable } : {}), ...orFlag });
      }
      return;
    }
    // Anything else (function call as boolean, bare column, ...): record sublinks only.
    if (expr.ColumnRef) this.pushColumn(q, expr.ColumnRef as Node, 'where', 'eq', orFlag);
    this.collectSublinks(expr, q, new Set());
  }

  /** Normalized text of an expression, for matching expression indexes: `lower(email)`, `(data ->> 'k')`. */
  exprText(expr: Node | undefined, cols: string[]): string {
    if (!expr) return '';
    if (expr.ColumnRef) {
      const c = this.columnOf(expr.ColumnRef as Node);
      if (!c) return '*';
      cols.push(c.column);
      // Written back into CREATE INDEX fixes: keep a quoted name's case ("authorId").
      const fields = (expr.ColumnRef as Node).fields as Node[];
      return quoteIdent(String(fields[fields.length - 1].String.sval), 'postgresql');
    }
    if (expr.A_Const) {
      const c = expr.A_Const as Node;
      if (c.isnull) return 'null';
      if (c.sval) return `'${String(c.sval.sval).replace(/'/g, "''")}'`;
      if (c.ival) return String(c.ival.ival ?? 0);
      if (c.fval) return String(c.fval.fval);
      if (c.boolval) return String(c.boolval.boolval ?? false);
      return c.ival !== undefined ? '0' : 'false';
    }
    if (expr.ParamRef) return `$${(expr.ParamRef as Node).number ?? 0}`;
    if (expr.FuncCall) {
      const f = expr.FuncCall as Node;
      const name = ((f.funcname ?? []) as Node[]).map((n) => lower(n.String?.sval)).filter((n) => n !== 'pg_catalog').join('.');
      const args = ((f.args ?? []) as Node[]).map((a) => this.exprText(a, cols));
      if (f.funcformat === 'COERCE_SQL_SYNTAX') return sqlSyntaxCall(name, args, (f.args ?? []) as Node[]);
      return `${name}(${f.agg_star ? '*' : args.join(', ')})`;
    }
    if (expr.TypeCast) {
      const tc = expr.TypeCast as Node;
      const inner = this.exprText(tc.arg as Node, cols);
      // A cast of a constant is the constant; a cast of a column is part of an expression index key.
      return (tc.arg as Node).A_Const ? inner : `${inner}::${CAST_NAMES[typeName(tc.typeName as Node)] ?? typeName(tc.typeName as Node)}`;
    }
    if (expr.A_Expr) {
      const a = expr.A_Expr as Node;
      const names = ((a.name ?? []) as Node[]).map((n) => String(n.String?.sval));
      const op = names.length > 1 ? `operator(${names.join('.')})` : names[0] ?? '?';
      const l = this.exprText(a.lexpr as Node, cols);
      const r = this.exprText(a.rexpr as Node, cols);
      const range = (a.rexpr as Node | undefined)?.List ? ((a.rexpr as Node).List.items as Node[]).map((x) => this.exprText(x, cols)) : [r];
      switch (a.kind) {
        case 'AEXPR_IN': return `(${l} ${op === '=' ? 'in' : 'not in'} (${range.join(', ')}))`;
        case 'AEXPR_BETWEEN': case 'AEXPR_NOT_BETWEEN': case 'AEXPR_BETWEEN_SYM': case 'AEXPR_NOT_BETWEEN_SYM': {
          const kw = { AEXPR_BETWEEN: 'between', AEXPR_NOT_BETWEEN: 'not between', AEXPR_BETWEEN_SYM: 'between symmetric', AEXPR_NOT_BETWEEN_SYM: 'not between symmetric' }[a.kind as string];
          return `(${l} ${kw} ${range[0]} and ${range[1]})`;
        }
        case 'AEXPR_DISTINCT': return `(${l} is distinct from ${r})`;
        case 'AEXPR_NOT_DISTINCT': return `(${l} is not distinct from ${r})`;
        case 'AEXPR_NULLIF': return `nullif(${l}, ${r})`;
        case 'AEXPR_OP_ANY': return `(${l} ${op} any (${r}))`;
        case 'AEXPR_OP_ALL': return `(${l} ${op} all (${r}))`;
        default: return `(${l} ${op} ${r})`.replace('( ', '(');
      }
    }
    if (expr.BoolExpr) {
      const b = expr.BoolExpr as Node;
      const args = ((b.args ?? []) as Node[]).map((x) => (x.BoolExpr ? `(${this.exprText(x, cols)})` : this.exprText(x, cols)));
      if (b.boolop === 'NOT_EXPR') return `not ${args[0]}`;
      return args.join(b.boolop === 'AND_EXPR' ? ' and ' : ' or ');
    }
    if (expr.NullTest) {
      const n = expr.NullTest as Node;
      return `${this.exprText(n.arg as Node, cols)} ${n.nulltesttype === 'IS_NULL' ? 'is null' : 'is not null'}`;
    }
    if (expr.CoalesceExpr) return `coalesce(${((expr.CoalesceExpr as Node).args as Node[]).map((x) => this.exprText(x, cols)).join(', ')})`;
    if (expr.List) return ((expr.List as Node).items as Node[]).map((x) => this.exprText(x, cols)).join(', ');
    return '?';
  }
}

/**
 * A call the grammar writes with keywords (`extract(year from d)`, `position('x' in s)`), which the
 * parser turns into a plain call of a pg_catalog function with reordered arguments: written back in
 * SQL syntax, or as the qualified pg_catalog call when we do not know the syntax.
 */
function sqlSyntaxCall(name: string, args: string[], nodes: Node[]): string {
  const a = args;
  switch (`${name}/${a.length}`) {
    case 'extract/2': {
      const field = (nodes[0]?.A_Const as Node | undefined)?.sval?.sval as string | undefined;
      if (field && /^[a-z_]+$/i.test(field)) return `extract(${field.toLowerCase()} from ${a[1]})`;
      break;
    }
    case 'position/2': return `position(${a[1]} in ${a[0]})`;
    case 'overlay/3': return `overlay(${a[0]} placing ${a[1]} from ${a[2]})`;
    case 'overlay/4': return `overlay(${a[0]} placing ${a[1]} from ${a[2]} for ${a[3]})`;
    case 'substring/2': return `substring(${a[0]} from ${a[1]})`;
    case 'substring/3': return `substring(${a[0]} from ${a[1]} for ${a[2]})`;
    case 'btrim/1': case 'ltrim/1': case 'rtrim/1':
    case 'btrim/2': case 'ltrim/2': case 'rtrim/2': {
      const where = name === 'btrim' ? 'both' : name === 'ltrim' ? 'leading' : 'trailing';
      return `trim(${where} ${a.length === 2 ? `${a[1]} ` : ''}from ${a[0]})`;
    }
    case 'timezone/2': return `(${a[1]} at time zone ${a[0]})`;
    case 'timezone/1': return `(${a[0]} at local)`;
    case 'normalize/1': return `normalize(${a[0]})`;
    case 'normalize/2': {
      const form = (nodes[1]?.A_Const as Node | undefined)?.sval?.sval as string | undefined;
      if (form && /^nfk?[cd]$/i.test(form)) return `normalize(${a[0]}, ${form.toLowerCase()})`;
      break;
    }
  }
  return `pg_catalog.${name}(${a.join(', ')})`;
}

/** pg_catalog internal type names back to the SQL spelling users write. */
const CAST_NAMES: Record<string, string> = { int4: 'integer', int8: 'bigint', int2: 'smallint', float8: 'double precision', float4: 'real', bool: 'boolean', varchar: 'varchar', bpchar: 'char', timestamptz: 'timestamptz', timestamp: 'timestamp' };

const QUERY_KINDS = { SelectStmt: 1, UpdateStmt: 1, DeleteStmt: 1, InsertStmt: 1 };
const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'every', 'array_agg', 'string_agg', 'json_agg', 'jsonb_agg']);

function lower(s: unknown): string {
  return typeof s === 'string' ? s.toLowerCase() : '';
}

/** The parser keeps a quoted name's case (and folds unquoted ones): keep it when it differs from the lower-case key. */
function spelling(raw: unknown): { spelling?: string } {
  return typeof raw === 'string' && raw !== raw.toLowerCase() ? { spelling: raw } : {};
}

function typeName(t: Node | undefined): string {
  if (!t) return '';
  const names = ((t.names ?? []) as Node[]).map((n) => n.String?.sval as string).filter((n) => n !== 'pg_catalog');
  return names.join('.');
}

function lastTable(n: Node): string | undefined {
  if (n.RangeVar) return lower((n.RangeVar as Node).relname);
  if (n.JoinExpr) return lastTable((n.JoinExpr as Node).rarg as Node);
  return undefined;
}

export function emptySchema(): Omit<SchemaFragment, 'file'> {
  return { tables: [], indexes: [], foreignKeys: [], primaryKeys: [], dropped: { tables: [], indexes: [] } };
}

function trimSpan(text: string, start: number, end: number): Span {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/** Depth-first walk over AST objects; `visit` returns false to skip a node's children. Iterative (no recursion limit). */
function walk(root: unknown, visit: (n: Node) => boolean): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
      continue;
    }
    if (!visit(v)) continue;
    const vals = Object.values(v as Node);
    for (let i = vals.length - 1; i >= 0; i--) if (vals[i] && typeof vals[i] === 'object') stack.push(vals[i]);
  }
}
