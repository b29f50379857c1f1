import type { ColumnFact, ColumnUse, Dialect, ForeignKeyDef, IndexDef, IndexKey, OrmModelNames, SchemaFragment, SchemaRelated, SchemaRename, TableDef } from './types.js';

/**
 * One schema (of one "schema scope": see gather.ts): the fragments replayed in order — file-name order
 * (migrations apply in name order), statement order within a file, Prisma models last — so that what
 * later migrations drop, rename or re-add is judged as it ends up. Every table, index and foreign key
 * keeps where its current definition was created; a foreign key defined again elsewhere (dropped and
 * re-added, or both in a migration and in the Prisma model) is one key with `related` locations.
 */
export class Schema {
  readonly tables = new Map<string, TableDef>();
  readonly indexes = new Map<string, IndexDef[]>();
  readonly foreignKeys: ForeignKeyDef[] = [];
  /** Where CREATE TABLE / CREATE INDEX statements live, to place fixes beside them. */
  readonly schemaFiles = new Set<string>();
  /** The Prisma models of the scope by table, also where migrations define the table (a fix belongs in the model). */
  readonly models = new Map<string, TableDef>();
  /** The dialect the scope's DDL is written in (undefined when unknown). */
  dialect: Dialect | undefined;
  /** ORM models by every name a query may use for them (Prisma accessor and model name, a model class). */
  readonly ormModels = new Map<string, OrmModelNames>();
  /** Names two different ORM models share: a query naming one is not resolved. */
  readonly ambiguousOrmNames = new Set<string>();
  /** Foreign keys removed by the replay, by key, until one of the same key is added again. */
  private readonly history = new Map<string, SchemaRelated[]>();
  private byFile?: Map<string, { tables: TableDef[]; foreignKeys: ForeignKeyDef[] }>;

  static build(fragments: SchemaFragment[], dialect: Dialect | undefined): Schema {
    const s = new Schema();
    s.dialect = dialect;
    const isPrisma = (f: SchemaFragment): boolean => f.file.toLowerCase().endsWith('.prisma') || !!f.modelDefinitions;
    // A stable sort: the fragments of one file (one per statement) keep their order.
    const ordered = [...fragments].sort((a, b) => Number(isPrisma(a)) - Number(isPrisma(b)) || a.file.localeCompare(b.file, 'en', { numeric: true }));
    for (const f of ordered) {
      if (isPrisma(f)) s.mergeModel(f);
      else s.apply(f);
      for (const m of f.ormModels ?? []) {
        for (const n of m.names) {
          const had = s.ormModels.get(n);
          // Two models of one name (a `Tag` in two Django apps): queries naming it cannot be told apart.
          if (had && had.table !== m.table) s.ambiguousOrmNames.add(n);
          else if (!had) s.ormModels.set(n, m);
        }
      }
    }
    s.history.clear();
    if (dialect === 'mysql') s.addInnoDbForeignKeyIndexes();
    return s;
  }

  /** The tables whose current definition was created in `file`. */
  tablesDefinedIn(file: string): TableDef[] {
    return this.definedIn(file).tables;
  }

  /** The foreign keys whose current definition was created in `file`. */
  foreignKeysDefinedIn(file: string): ForeignKeyDef[] {
    return this.definedIn(file).foreignKeys;
  }

  private definedIn(file: string): { tables: TableDef[]; foreignKeys: ForeignKeyDef[] } {
    if (!this.byFile) {
      const m = new Map<string, { tables: TableDef[]; foreignKeys: ForeignKeyDef[] }>();
      const at = (f: string): { tables: TableDef[]; foreignKeys: ForeignKeyDef[] } => {
        let e = m.get(f);
        if (!e) m.set(f, (e = { tables: [], foreignKeys: [] }));
        return e;
      };
      for (const t of this.tables.values()) at(t.file).tables.push(t);
      for (const fk of this.foreignKeys) if (this.tables.has(fk.table)) at(fk.file).foreignKeys.push(fk);
      this.byFile = m;
    }
    return this.byFile.get(file) ?? { tables: [], foreignKeys: [] };
  }

  private apply(f: SchemaFragment): void {
    if (f.tables.length || f.indexes.length) this.schemaFiles.add(f.file);
    for (const name of f.dropped.tables) this.dropTable(name);
    for (const name of f.dropped.indexes) this.dropIndexNamed(name);
    for (const d of f.droppedConstraints ?? []) this.dropConstraint(d.table, d.name, d.kind);
    for (const d of f.droppedColumns ?? []) this.dropColumn(d.table, d.column);
    for (const r of f.renamed ?? []) this.rename(r);
    for (const t of f.tables) {
      const old = this.tables.get(t.name);
      // A table created again (a full-schema file after the migrations, a rebuild) replaces the old
      // definition, its keys and its constraints; indexes made by separate CREATE INDEX statements stay.
      if (old) this.removeForeignKeys((fk) => fk.table === t.name);
      this.tables.set(t.name, { ...t, file: f.file, columns: t.columns.map((c) => ({ ...c })), ...(old ? { related: [{ file: old.file, ...(old.span ? { span: old.span } : {}), message: `An earlier definition of ${t.name}.` }] } : {}) });
      this.indexes.set(t.name, (this.indexes.get(t.name) ?? []).filter((i) => i.origin === 'create-index' && i.file !== f.file));
    }
    for (const i of f.indexes) this.addIndex({ ...i, file: f.file });
    for (const pk of f.primaryKeys) {
      const t = this.tables.get(pk.table);
      if (!t) continue;
      t.hasPrimaryKey = true;
      for (const c of t.columns) if (pk.columns.includes(c.name)) c.notNull = true;
    }
    for (const ac of f.addedColumns ?? []) {
      const t = this.tables.get(ac.table);
      if (t) t.columns = [...t.columns.filter((c) => c.name !== ac.column.name), { ...ac.column }];
    }
    for (const n of f.nullability ?? []) {
      const c = this.tables.get(n.table)?.columns.find((x) => x.name === n.column);
      if (c) c.notNull = n.notNull;
    }
    for (const fk of f.foreignKeys) this.addForeignKey({ ...fk, file: f.file });
  }

  /**
   * A Prisma schema describes the tables its migrations (when the workspace has them) create: where a
   * table is already known it adds only what the migrations lack, and a relation whose key the
   * migrations already define is the same foreign key (reported at the migration, the model related).
   */
  private mergeModel(f: SchemaFragment): void {
    if (f.tables.length || f.indexes.length) this.schemaFiles.add(f.file);
    for (const t of f.tables) {
      const model = { ...t, file: f.file, columns: t.columns.map((c) => ({ ...c })) };
      this.models.set(t.name, model);
      if (!this.tables.has(t.name)) this.tables.set(t.name, model);
    }
    const sameKeys = (a: IndexDef, b: IndexDef): boolean => a.keys.length === b.keys.length && a.keys.every((k, n) => keyText(k) === keyText(b.keys[n]));
    for (const i of f.indexes) if (!this.indexesOf(i.table).some((x) => sameKeys(x, i))) this.addIndex({ ...i, file: f.file });
    for (const fk of f.foreignKeys) {
      const same = this.foreignKeys.find((x) => fkKey(x) === fkKey(fk));
      if (same) (same.related ??= []).push({ file: f.file, ...(fk.span ? { span: fk.span } : {}), message: `The Prisma model declares the same relation.` });
      else this.addForeignKey({ ...fk, file: f.file });
    }
  }

  private addForeignKey(fk: ForeignKeyDef): void {
    const key = fkKey(fk);
    const same = this.foreignKeys.find((x) => fkKey(x) === key);
    if (same) {
      // The same key twice (two constraints, or an ADD that failed): one finding, the other related.
      (same.related ??= []).push({ file: fk.file, ...(fk.span ? { span: fk.span } : {}), message: `The same foreign key is declared again here.` });
      return;
    }
    const earlier = this.history.get(key);
    if (earlier) {
      fk.related = [...earlier, ...(fk.related ?? [])];
      this.history.delete(key);
    }
    if (!fk.name && this.dialect === 'mysql') fk.name = `${fk.table}_ibfk_${this.foreignKeys.filter((x) => x.table === fk.table).length + 1}`;
    this.foreignKeys.push(fk);
  }

  private removeForeignKeys(which: (fk: ForeignKeyDef) => boolean): void {
    for (let k = this.foreignKeys.length - 1; k >= 0; k--) {
      const fk = this.foreignKeys[k];
      if (!which(fk)) continue;
      this.foreignKeys.splice(k, 1);
      const key = fkKey(fk);
      const list = this.history.get(key) ?? [];
      list.push({ file: fk.file, ...(fk.span ? { span: fk.span } : {}), message: `An earlier definition of this foreign key (dropped by a later migration).` }, ...(fk.related ?? []));
      this.history.set(key, list);
    }
  }

  private dropTable(name: string): void {
    this.tables.delete(name);
    this.indexes.delete(name);
    this.removeForeignKeys((fk) => fk.table === name);
  }

  private dropIndexNamed(name: string): void {
    for (const [t, list] of this.indexes) {
      if (list.some((i) => this.indexName(i) === name)) this.indexes.set(t, list.filter((i) => this.indexName(i) !== name));
    }
  }

  private dropConstraint(table: string, name: string | undefined, kind: 'foreign' | 'primary' | undefined): void {
    const t = this.tables.get(table);
    if (kind === 'primary' || (name !== undefined && name === this.indexName(this.indexesOf(table).find((i) => i.origin === 'primary-key')))) {
      this.indexes.set(table, this.indexesOf(table).filter((i) => i.origin !== 'primary-key'));
      if (t) t.hasPrimaryKey = false;
      return;
    }
    if (name === undefined) return;
    this.removeForeignKeys((fk) => fk.table === table && this.fkName(fk) === name);
    if (kind !== 'foreign') this.indexes.set(table, this.indexesOf(table).filter((i) => !(i.origin === 'unique-constraint' && this.indexName(i) === name)));
  }

  private dropColumn(table: string, column: string): void {
    const t = this.tables.get(table);
    if (t) t.columns = t.columns.filter((c) => c.name !== column);
    this.removeForeignKeys((fk) => fk.table === table && fk.columns.includes(column));
    const uses = (i: IndexDef): boolean => i.keys.some((k) => (k.kind === 'column' ? k.column === column : k.columns.includes(column))) || !!i.where?.columns.includes(column);
    const kept: IndexDef[] = [];
    for (const i of this.indexesOf(table)) {
      if (!uses(i)) kept.push(i);
      else if (this.dialect === 'mysql') {
        // MySQL takes the column out of the index and keeps the rest.
        const keys = i.keys.filter((k) => !(k.kind === 'column' && k.column === column));
        if (keys.length && keys.every((k) => k.kind === 'column')) kept.push({ ...i, keys });
        else if (i.origin === 'primary-key' && t) t.hasPrimaryKey = false;
      } else if (i.origin === 'primary-key' && t) t.hasPrimaryKey = false;
    }
    this.indexes.set(table, kept);
  }

  private rename(r: SchemaRename): void {
    if (r.kind === 'table') {
      const t = this.tables.get(r.from);
      if (!t || r.from === r.to) return;
      // The new name wins over a leftover of that name (SQLite's rebuild: create new_x, drop x, rename new_x to x).
      if (this.tables.has(r.to)) this.dropTable(r.to);
      this.tables.delete(r.from);
      const { spelling: _old, ...rest } = t;
      this.tables.set(r.to, { ...rest, name: r.to, renamedFrom: rest.renamedFrom ?? r.from, ...(r.toSpelling ? { spelling: r.toSpelling } : {}) });
      const list = this.indexes.get(r.from) ?? [];
      this.indexes.delete(r.from);
      this.indexes.set(r.to, list.map((i) => ({ ...i, table: r.to })));
      for (const fk of this.foreignKeys) {
        if (fk.table === r.from) fk.table = r.to;
        if (fk.refTable === r.from) fk.refTable = r.to;
      }
    } else if (r.kind === 'column' && r.table) {
      const table = r.table;
      const t = this.tables.get(table);
      if (t) t.columns = t.columns.map(({ spelling, ...c }) => (c.name === r.from ? { ...c, name: r.to, ...(r.toSpelling ? { spelling: r.toSpelling } : {}) } : { ...c, ...(spelling ? { spelling } : {}) }));
      const col = (c: string): string => (c === r.from ? r.to : c);
      this.indexes.set(table, this.indexesOf(table).map((i) => ({ ...i, keys: i.keys.map((k) => (k.kind === 'column' ? { kind: 'column', column: col(k.column) } : k)) })));
      for (const fk of this.foreignKeys) {
        if (fk.table === table) fk.columns = fk.columns.map(col);
        if (fk.refTable === table) fk.refColumns = fk.refColumns.map(col);
      }
    } else if (r.kind === 'index') {
      for (const [t, list] of this.indexes) this.indexes.set(t, list.map((i) => (this.indexName(i) === r.from ? { ...i, name: r.to } : i)));
    } else if (r.kind === 'constraint' && r.table) {
      for (const fk of this.foreignKeys) if (fk.table === r.table && this.fkName(fk) === r.from) fk.name = r.to;
      this.indexes.set(r.table, this.indexesOf(r.table).map((i) => (i.origin !== 'create-index' && this.indexName(i) === r.from ? { ...i, name: r.to } : i)));
    }
  }

  /** An index's name: its own, else the one the database gives it (PostgreSQL's defaults; MySQL names a key after its first column). */
  private indexName(i: IndexDef | undefined): string | undefined {
    if (!i) return undefined;
    if (i.name) return i.name.toLowerCase();
    const cols = i.keys.map((k) => (k.kind === 'column' ? k.column : 'expr'));
    if (this.dialect === 'mysql') return i.origin === 'primary-key' ? 'primary' : cols[0];
    if (i.origin === 'primary-key') return pgName(`${i.table}_pkey`);
    return pgName(`${i.table}_${cols.join('_')}_${i.origin === 'create-index' ? 'idx' : 'key'}`);
  }

  private fkName(fk: ForeignKeyDef): string {
    return fk.name ? fk.name.toLowerCase() : pgName(`${fk.table}_${fk.columns.join('_')}_fkey`);
  }

  private addIndex(i: IndexDef): void {
    const list = this.indexes.get(i.table) ?? [];
    list.push(i);
    this.indexes.set(i.table, list);
  }

  /** InnoDB creates an index on the referencing columns of every FOREIGN KEY that has none (not for Prisma's emulated relations). */
  private addInnoDbForeignKeyIndexes(): void {
    for (const fk of this.foreignKeys) {
      if (fk.virtual) continue;
      const has = (this.indexes.get(fk.table) ?? []).some((i) => fk.columns.every((c, k) => i.keys[k]?.kind === 'column' && (i.keys[k] as { column: string }).column === c));
      if (!has) this.addIndex({ table: fk.table, keys: fk.columns.map((c) => ({ kind: 'column', column: c })), unique: false, origin: 'inline-index', file: fk.file, ...(fk.name ? { name: fk.name } : {}) });
    }
  }

  table(name: string | undefined): TableDef | undefined {
    return name === undefined ? undefined : this.tables.get(name);
  }

  /** The ORM model (of `orm`, when given) whose table is `table`. */
  ormModelOf(table: string, orm?: OrmModelNames['orm']): OrmModelNames | undefined {
    for (const m of this.ormModels.values()) if (m.table === table && (orm === undefined || m.orm === orm)) return m;
    return undefined;
  }

  indexesOf(table: string): IndexDef[] {
    return this.indexes.get(table) ?? [];
  }

  hasColumn(table: string, column: string): boolean {
    return !!this.tables.get(table)?.columns.some((c) => c.name === column);
  }
}

/** One foreign key, wherever it is declared: its table, columns and referenced table. */
function fkKey(fk: ForeignKeyDef): string {
  return `${fk.table}\u0000${fk.columns.join(',')}\u0000${fk.refTable}`;
}

function keyText(k: IndexKey): string {
  return k.kind === 'column' ? k.column : normalizeExpr(k.text);
}

/** PostgreSQL cuts identifiers to 63 bytes (names here are ASCII in practice). */
function pgName(s: string): string {
  return s.length > 63 ? s.slice(0, 63) : s;
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

/** Does this fragment change the schema at all? */
export function hasSchema(f: Omit<SchemaFragment, 'file'>): boolean {
  return !!(f.tables.length || f.indexes.length || f.foreignKeys.length || f.primaryKeys.length || f.dropped.tables.length || f.dropped.indexes.length
    || f.addedColumns?.length || f.droppedConstraints?.length || f.droppedColumns?.length || f.renamed?.length || f.nullability?.length);
}
