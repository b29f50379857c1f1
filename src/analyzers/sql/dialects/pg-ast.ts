/** Shared helpers on libpg-query's JSON AST for the PostgreSQL adapter: the node type, lower-cased names, type names and a depth-first walk. */

export type Node = Record<string, any>; // libpg-query JSON AST nodes

export function lower(s: unknown): string {
  return typeof s === 'string' ? s.toLowerCase() : '';
}

export function typeName(t: Node | undefined): string {
  if (!t) return '';
  const names = ((t.names ?? []) as Node[]).map((n) => n.String?.sval as string).filter((n) => n !== 'pg_catalog');
  return names.join('.');
}

/** Depth-first walk over AST objects; `visit` returns false to skip a node's children. Iterative (no recursion limit). */
export function walk(root: unknown, visit: (n: Node) => boolean): void {
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
