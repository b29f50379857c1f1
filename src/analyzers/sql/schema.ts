import type { ColumnFact, ColumnUse, Dialect, ForeignKeyDef, IndexDef, SchemaFragment, TableDef } from './types.js';

/** The workspace schema: all fragments merged in file order (migrations apply in name order). */
export class Schema {
  readonly tables = new Map<string, TableDef>();
  readonly indexes = new Map<string, IndexDef[]>();
  readonly foreignKeys: ForeignKeyDef[] = [];
  /** Where CREATE TABLE / CREATE INDEX statements live, to place fixes beside them. */
  readonly schemaFiles = new Set<string>();
  /** Tables that were given an index of each (lower-case) name: a DROP INDEX looks only there. */
  private readonly tablesByIndexName = new Map<string, Set<string>>();

  static build(fragments: SchemaFragment[], dialect: Dialect | undefined): Schema {
    const s = new Schema();
    const ordered = [...fragments].sort((a, b) => a.file.localeCompare(b.file, 'en', { numeric: true }));
    for (const f of ordered) s.apply(f);
    if (dialect === 'mysql') s.addInnoDbForeignKeyIndexes();
    return s;
  }

  private apply(f: SchemaFragment): void {
    if (f.tables.length || f.indexes.length) this.schemaFiles.add(f.file);
    for (const name of f.dropped.tables) {
      this.tables.delete(name);
      this.indexes.delete(name);
    }
    for (const name of f.dropped.indexes) {
      for (const t of this.tablesByIndexName.get(name) ?? []) {
        const list = this.indexes.get(t);
        if (list) this.indexes.set(t, list.filter((i) => i.name?.toLowerCase() !== name));
      }
      this.tablesByIndexName.delete(name);
    }
    for (const t of f.tables) {
      this.tables.set(t.name, { ...t, file: f.file, columns: [...t.columns] });
      // A table created again replaces the old definition and its indexes.
      this.indexes.set(t.name, (this.indexes.get(t.name) ?? []).filter((i) => i.file !== f.file || i.origin === 'create-index'));
    }
    for (const i of f.indexes) this.addIndex({ ...i, file: f.file });
    for (const pk of f.primaryKeys) {
      const t = this.tables.get(pk.table);
      if (t) t.hasPrimaryKey = true;
    }
    for (const ac of f.addedColumns ?? []) this.tables.get(ac.table)?.columns.push(ac.column);
    for (const fk of f.foreignKeys) this.foreignKeys.push({ ...fk, file: f.file });
  }

  private addIndex(i: IndexDef): void {
    const list = this.indexes.get(i.table) ?? [];
    list.push(i);
    this.indexes.set(i.table, list);
    if (i.name) {
      const key = i.name.toLowerCase();
      const tables = this.tablesByIndexName.get(key) ?? new Set<string>();
      tables.add(i.table);
      this.tablesByIndexName.set(key, tables);
    }
  }

  /** InnoDB creates an index on the referencing columns of every FOREIGN KEY that has none. */
  private addInnoDbForeignKeyIndexes(): void {
    for (const fk of this.foreignKeys) {
      const has = (this.indexes.get(fk.table) ?? []).some((i) => fk.columns.every((c, k) => i.keys[k]?.kind === 'column' && (i.keys[k] as { column: string }).column === c));
      if (!has) this.addIndex({ table: fk.table, keys: fk.columns.map((c) => ({ kind: 'column', column: c })), unique: false, origin: 'inline-index', file: fk.file, ...(fk.name ? { name: fk.name } : {}) });
    }
  }

  table(name: string | undefined): TableDef | undefined {
    return name === undefined ? undefined : this.tables.get(name);
  }

  indexesOf(table: string): IndexDef[] {
    return this.indexes.get(table) ?? [];
  }

  hasColumn(table: string, column: string): boolean {
    return !!this.tables.get(table)?.columns.some((c) => c.name === column);
  }
}

/** Can `index` serve a lookup whose leading key is `column` (plain btree-like use)? */
export function leadsWith(index: IndexDef, column: string, op: 'eq' | 'range' | 'other' = 'eq'): boolean {
  const k = index.keys[0];
  if (!k || k.kind !== 'column' || k.column !== column) return false;
  const m = index.method?.toLowerCase();
  // GIN serves containment operators, FULLTEXT MATCH … AGAINST, SPATIAL geometry: none serves = / < on the column.
  if (m === 'gin' || m === 'fulltext' || m === 'spatial') return false;
  if (m === 'hash') return op === 'eq';
  return true;
}

/** Can `index` serve an expression predicate such as `lower(email) = ?` */
export function leadsWithExpression(index: IndexDef, expression: string): boolean {
  const k = index.keys[0];
  return !!k && k.kind === 'expression' && normalizeExpr(k.text) === normalizeExpr(expression);
}

export function normalizeExpr(s: string): string {
  return s.toLowerCase().replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
}

/**
 * Is a partial index usable by a query? Its predicate must follow from the query's own conditions
 * (AND-ed, not under OR). For the conjuncts whose form we know: `c = const` needs `c = ` the same
 * constant (or a parameter, whose value we cannot know), `c IS NULL` needs `c IS NULL`, a boolean
 * `c` / `NOT c` needs the same (or `c = true` / `false`), and `c IS NOT NULL` follows from any
 * comparison, join or test of `c` other than `IS NULL`. Any other conjunct only needs some condition
 * on each of its columns (lenient: we cannot judge it). Without `uses`, only columns are checked.
 */
export function partialIndexUsable(index: IndexDef, queryColumns: Set<string>, uses?: readonly ColumnUse[]): boolean {
  const w = index.where;
  if (!w) return true;
  if (!uses || !w.facts) return w.columns.every((c) => queryColumns.has(c));
  const held = uses.filter((u) => !u.inOr && (u.kind === 'where' || u.kind === 'join'));
  return (w.rest ?? []).every((c) => queryColumns.has(c)) && w.facts.every((f) => implied(f, held.filter((u) => u.column === f.column)));
}

function implied(f: ColumnFact, on: readonly ColumnUse[]): boolean {
  const unquote = (v: string | undefined): string | undefined => (v !== undefined && /^'.*'$/s.test(v) ? v.slice(1, -1).replace(/''/g, "'") : v);
  switch (f.is) {
    case 'eq':
      return on.some((u) => u.fact?.is === 'eq' && (u.fact.value === undefined || unquote(u.fact.value) === unquote(f.value)));
    case 'true':
    case 'false':
      return on.some((u) => u.fact?.is === f.is || (u.fact?.is === 'eq' && u.fact.value === undefined));
    case 'null':
      return on.some((u) => u.fact?.is === 'null');
    case 'not-null':
      // Comparisons, joins and LIKE are false on NULL; a function around the column may not be.
      return on.some((u) => (u.fact ? u.fact.is !== 'null' : u.kind === 'join' || (u.sargable && (u.op === 'eq' || u.op === 'range'))));
  }
}
