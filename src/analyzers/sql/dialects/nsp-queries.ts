/**
 * Query models of the MySQL / SQLite adapter: QueryBuilder walks a SELECT / INSERT / REPLACE / UPDATE /
 * DELETE AST from node-sql-parser alongside the token stream (clauses, CTEs, set-operation arms, FROM
 * items, subqueries as children); the column uses come from ColumnUseCollector (nsp-column-uses.ts).
 */
import type { QueryModel, Span, TableRef } from '../types.js';
import { type Node, collectSubqueries, fromList, funcName, aggregateOrConstant, groupCols, hasLimit, lower, subqueryAst } from './nsp-ast.js';
import { ColumnUseCollector, type Level, type Ref } from './nsp-column-uses.js';
import { type Range, closeOf, isName, isPunct, isWord, stripParens } from './nsp-tokens.js';

// ---------------------------------------------------------------------------------------------
// Query models
// ---------------------------------------------------------------------------------------------

const CLAUSE_WORDS = new Set([
  'select', 'from', 'where', 'group', 'having', 'window', 'order', 'limit', 'offset', 'fetch', 'for', 'lock', 'into', 'union', 'except', 'intersect', 'minus',
  'set', 'values', 'returning', 'qualify',
]);
const SET_OPS = new Set(['union', 'except', 'intersect', 'minus']);
const JOIN_WORDS = new Set(['join', 'inner', 'left', 'right', 'full', 'cross', 'natural', 'straight_join', 'outer']);

export class QueryBuilder extends ColumnUseCollector {
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
    const targets = columns.map((c) => aggregateOrConstant(c?.expr));
    m.aggregateOnly = targets.length > 0 && targets.every((t) => t.ok) && targets.some((t) => t.agg) && !groupCols(ast).length;

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
