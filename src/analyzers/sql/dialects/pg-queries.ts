/** PostgreSQL queries → query model (QueryConverter): SELECT / INSERT / UPDATE / DELETE with CTEs, set operations, FROM items and subqueries, and the column uses of their predicates, ORDER BY and GROUP BY. */
import type { ColumnUse, OrStep, QueryModel, Span, TableRef } from '../types.js';
import { type Node, lower, walk } from './pg-ast.js';
import { ExpressionReader } from './pg-expressions.js';

const QUERY_KINDS = { SelectStmt: 1, UpdateStmt: 1, DeleteStmt: 1, InsertStmt: 1 };
const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'every', 'array_agg', 'string_agg', 'json_agg', 'jsonb_agg']);

export class QueryConverter extends ExpressionReader {
  // ---------------------------------------------------------------- queries

  query(kind: string, node: Node, ctes: Set<string>): QueryModel {
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
      // One row: every target is an aggregate or built from aggregates and constants (coalesce(count(*), 0),
      // max(x)::date, count(*) FILTER (…)), with no bare column and no window function.
      const allAgg = targets.length > 0 && targets.every((t) => !bareColumn((t.ResTarget as Node | undefined)?.val)) && targets.some((t) => hasAggregate((t.ResTarget as Node | undefined)?.val));
      for (const t of targets) {
        const val = (t.ResTarget as Node | undefined)?.val as Node | undefined;
        if (val?.ColumnRef) {
          const fields = (val.ColumnRef as Node).fields as Node[];
          if (fields[fields.length - 1]?.A_Star) q.selectStars.push(this.lastIdentSpan((val.ColumnRef as Node).location));
        }
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
        let like = false;
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
              } else like = true;
            } else {
              opKind = 'other';
              // '%' || $1 || '%': the pattern is built at run time, but it starts with a wildcard.
              const head = other && !op?.startsWith('!') ? concatHead(other) : undefined;
              if (head) {
                sargable = false;
                nonSargable = { reason: 'leading-wildcard', span: this.tokenSpan(head.location) };
              }
            }
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
        this.pushColumn(q, side.ref, 'where', opKind, { sargable, ...(nonSargable ? { nonSargable } : {}), ...(like ? { like } : {}), ...orFlag });
      }
      return;
    }
    // Anything else (function call as boolean, bare column, ...): record sublinks only.
    if (expr.ColumnRef) this.pushColumn(q, expr.ColumnRef as Node, 'where', 'eq', orFlag);
    this.collectSublinks(expr, q, new Set());
  }
}

/** The leftmost string constant of a `||` chain when it starts with a wildcard (`'%' || $1`). */
function concatHead(n: Node): Node | undefined {
  let cur: Node | undefined = n;
  for (let i = 0; i < 50 && cur?.A_Expr && ((cur.A_Expr as Node).name as Node[] | undefined)?.[0]?.String?.sval === '||'; i++) cur = (cur.A_Expr as Node).lexpr as Node | undefined;
  const c = cur?.A_Const as Node | undefined;
  const v = c?.sval?.sval;
  return cur !== n && typeof v === 'string' && /^[%_]/.test(v) ? c : undefined;
}

const funcName = (f: Node): string => lower((f.funcname as Node[] | undefined)?.at(-1)?.String?.sval);

/** A column outside any aggregate (or a window function, which keeps every row) in a select target. */
function bareColumn(val: unknown): boolean {
  let bare = !val;
  walk(val, (n) => {
    if (bare || n.SubLink) return false; // a scalar subquery is one value
    if (n.FuncCall) {
      const f = n.FuncCall as Node;
      if (f.over) bare = true;
      return !(AGGREGATES.has(funcName(f)));
    }
    if (n.ColumnRef) bare = true;
    return !bare;
  });
  return bare;
}

function hasAggregate(val: unknown): boolean {
  let agg = false;
  walk(val, (n) => {
    if (agg || n.SubLink) return false;
    if (n.FuncCall && AGGREGATES.has(funcName(n.FuncCall as Node)) && !(n.FuncCall as Node).over) agg = true;
    return !agg;
  });
  return agg;
}

function lastTable(n: Node): string | undefined {
  if (n.RangeVar) return lower((n.RangeVar as Node).relname);
  if (n.JoinExpr) return lastTable((n.JoinExpr as Node).rarg as Node);
  return undefined;
}
