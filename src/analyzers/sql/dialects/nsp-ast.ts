/**
 * Helpers on node-sql-parser's AST for the MySQL / SQLite adapter: names, the subqueries and column refs
 * reachable from a node, aggregates, FROM lists, GROUP BY and LIMIT.
 */

/** node-sql-parser's AST is untyped JSON. */
export type Node = any;

const AGGREGATES = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'group_concat', 'total', 'json_group_array', 'json_group_object', 'bit_and', 'bit_or', 'bit_xor', 'std', 'stddev',
  'stddev_pop', 'stddev_samp', 'var_pop', 'var_samp', 'variance', 'json_arrayagg', 'json_objectagg', 'any_value', 'string_agg',
]);
export function lower(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'object') {
    const o = v as Node;
    if (o.expr) return lower(o.expr);
    if (o.value !== undefined) return lower(o.value);
  }
  return undefined;
}

export function funcName(node: Node): string {
  const n = node.name;
  if (typeof n === 'string') return n.toLowerCase();
  if (n && Array.isArray(n.name)) return n.name.map((x: Node) => String(x.value)).join('.').toLowerCase();
  return '';
}

/** The select AST of a subquery node, or undefined. */
export function subqueryAst(node: Node): Node {
  if (!node || typeof node !== 'object') return undefined;
  if (node.ast && typeof node.ast === 'object' && (node.ast.type === 'select' || node.ast.type === 'union')) return node.ast;
  return undefined;
}

/** Subquery ASTs reachable from node, in walk order, without descending into them. */
export function collectSubqueries(node: Node, out: Node[] = []): Node[] {
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
export function collectColumns(node: Node, out: Node[] = []): Node[] {
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

export function columnName(node: Node): string {
  return lower(node.column) ?? '';
}
export function columnQualifier(node: Node): string | undefined {
  return lower(node.table);
}

/**
 * A select-list expression that yields one value per group: aggregates, and expressions built only
 * from aggregates and constants (`coalesce(count(*), 0)`, `max(x) + 1`); at least one aggregate among
 * all targets is checked by the caller. No bare column, no window function.
 */
export function aggregateOrConstant(expr: Node, depth = 0): { ok: boolean; agg: boolean } {
  if (depth > 50) return { ok: false, agg: false };
  if (!expr || typeof expr !== 'object') return { ok: true, agg: false };
  if (expr.over) return { ok: false, agg: false };
  if (isAggregate(expr)) return { ok: true, agg: true };
  if (expr.type === 'column_ref' || expr.ast) return { ok: expr.type !== 'column_ref', agg: false };
  let agg = false;
  const parts: Node[] = [];
  if (expr.type === 'binary_expr') parts.push(expr.left, expr.right);
  else if (expr.type === 'function') parts.push(...((expr.args?.value ?? []) as Node[]));
  else if (expr.type === 'cast') parts.push(expr.expr);
  else if (expr.type === 'case') for (const a of (expr.args ?? []) as Node[]) parts.push(a.cond, a.result);
  else if (!['number', 'string', 'single_quote_string', 'bool', 'null', 'param', 'origin', 'var', 'double_quote_string'].includes(expr.type)) return { ok: false, agg: false };
  for (const p of parts) {
    const r = aggregateOrConstant(p, depth + 1);
    if (!r.ok) return { ok: false, agg: false };
    agg ||= r.agg;
  }
  return { ok: true, agg };
}

export function isAggregate(expr: Node): boolean {
  if (!expr || typeof expr !== 'object') return false;
  if (expr.over) return false;
  if (expr.type === 'aggr_func') return true;
  if (expr.type === 'function' && AGGREGATES.has(funcName(expr))) return true;
  return false;
}

export function isArithmetic(op: string): boolean {
  return ['+', '-', '*', '/', '%', 'DIV', 'MOD', '||', '&', '|', '^', '<<', '>>'].includes(op);
}

/** FROM items in source order; MySQL represents `(a JOIN b ON ...) JOIN c` as { expr: [a, b], joins: [c] }. */
export function fromList(from: Node): Node[] {
  if (!from) return [];
  if (Array.isArray(from)) return from.flatMap((x: Node) => (x && Array.isArray(x.expr) ? fromList(x) : [x]));
  if (typeof from === 'object' && Array.isArray(from.expr)) return [...fromList(from.expr), ...fromList(from.joins ?? [])];
  return typeof from === 'object' ? [from] : [];
}

export function groupCols(ast: Node): Node[] {
  const g = ast?.groupby;
  if (!g) return [];
  if (Array.isArray(g)) return g;
  if (Array.isArray(g.columns)) return g.columns;
  return [];
}

export function hasLimit(ast: Node): boolean {
  const l = ast?.limit;
  if (!l) return false;
  if (Array.isArray(l.value)) return l.value.length > 0;
  return true;
}
