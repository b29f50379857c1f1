/**
 * Alembic migrations (`migrations/versions/*.py`): the indexes their `upgrade()` creates, so an index
 * written by hand in a migration (`op.create_index('ix', 'orders', ['status'], postgresql_where=…)`)
 * counts beside the models'. Read: `op.create_index(name, table, [cols], unique=…)`,
 * `op.create_unique_constraint(name, table, [cols])`, `op.add_column(table, sa.Column(name, …,
 * index=True / unique=True))`, and `batch_op.create_index(name, [cols])` inside `with
 * op.batch_alter_table(table) as batch_op:`. Not read (noted in docs/orm.md): tables, drops (revisions
 * are ordered by their `down_revision` chain, not by file name), and downgrade(). Never throws.
 */
import type { IndexDef, IndexKey, SchemaFragment } from '../types.js';
import { dottedName, readExpr, statements, tokenize, type PyExpr } from '../../../lang/python/tokenize.js';
import { MAX_SQLALCHEMY_FILE } from './sqlalchemy-models.js';

type Call = Extract<PyExpr, { kind: 'call' }>;

const str = (e: PyExpr | undefined): string | undefined => (e?.kind === 'string' ? e.value : undefined);
const kw = (c: Call, name: string): PyExpr | undefined => c.kwargs.find((k) => k.name === name)?.value;
const isTrue = (e: PyExpr | undefined): boolean => e?.kind === 'const' && e.value === true;

/** A cheap test: an Alembic revision module. */
export function isAlembicMigration(text: string): boolean {
  return text.includes('alembic') && text.includes('def upgrade');
}

function keys(e: PyExpr | undefined): IndexKey[] | undefined {
  if (e?.kind !== 'list') return undefined;
  const out: IndexKey[] = [];
  for (const it of e.items) {
    if (it.kind === 'string') out.push({ kind: 'column', column: it.value.toLowerCase() });
    else if (it.kind === 'call' && dottedName(it.callee)?.endsWith('text') && it.args[0]?.kind === 'string') out.push({ kind: 'expression', text: it.args[0].value.toLowerCase().replace(/\s+/g, ' '), columns: [] });
    else return undefined;
  }
  return out.length ? out : undefined;
}

/** The indexes an Alembic revision's upgrade() creates, as a schema fragment (undefined when it creates none). */
export function readAlembicIndexes(path: string, text: string): SchemaFragment | undefined {
  if (text.length > MAX_SQLALCHEMY_FILE || !isAlembicMigration(text)) return undefined;
  try {
    const tokens = tokenize(text);
    const stmts = statements(tokens);
    const fragment: SchemaFragment = { file: path, tables: [], indexes: [], foreignKeys: [], primaryKeys: [], dropped: { tables: [], indexes: [] } };
    let inUpgrade = false;
    let batch: { name: string; table: string; col: number } | undefined;
    for (const s of stmts) {
      const t0 = s.tokens[0];
      if (t0.col === 0) {
        inUpgrade = t0.value === 'def' && s.tokens[1]?.value === 'upgrade';
        batch = undefined;
        continue;
      }
      if (!inUpgrade) continue;
      if (batch && t0.col <= batch.col) batch = undefined;
      // with op.batch_alter_table("t") as batch_op:
      if (t0.value === 'with') {
        const e = readExpr(tokens, s.index + 1);
        const asAt = s.tokens.findIndex((x) => x.value === 'as');
        if (e.expr.kind === 'call' && dottedName(e.expr.callee)?.endsWith('batch_alter_table') && str(e.expr.args[0]) && asAt > 0 && s.tokens[asAt + 1]?.type === 'name') batch = { name: s.tokens[asAt + 1].value, table: str(e.expr.args[0])!.toLowerCase(), col: t0.col };
        continue;
      }
      const e = readExpr(tokens, s.index).expr;
      if (e.kind !== 'call' || e.callee.kind !== 'attr' || e.callee.object.kind !== 'name') continue;
      const owner = e.callee.object.name;
      const fn = e.callee.name;
      const inBatch = batch !== undefined && owner === batch.name;
      if (owner !== 'op' && !inBatch) continue;
      const args = inBatch ? [e.args[0], { kind: 'string', value: batch!.table, span: e.span, quote: "'" } as PyExpr, ...e.args.slice(1)] : e.args;
      if (fn === 'create_index' || fn === 'create_unique_constraint') {
        const name = str(args[0]) ?? str(kw(e, 'index_name')) ?? str(kw(e, 'constraint_name'));
        const table = (str(args[1]) ?? str(kw(e, 'table_name')) ?? str(kw(e, 'table')))?.toLowerCase();
        const k = keys(args[2] ?? kw(e, 'columns'));
        if (!table || !k) continue;
        const unique = fn === 'create_unique_constraint' || isTrue(kw(e, 'unique'));
        const def: IndexDef = { table, keys: k, unique, origin: fn === 'create_index' ? 'create-index' : 'unique-constraint', file: path, span: e.span };
        if (name) def.name = name.toLowerCase();
        const using = str(kw(e, 'postgresql_using'));
        if (using) def.method = using.toLowerCase();
        const where = kw(e, 'postgresql_where') ?? kw(e, 'sqlite_where');
        if (where) def.where = { text: (where.kind === 'call' ? str(where.args[0]) : str(where)) ?? text.slice(where.span.start, where.span.end).replace(/\s+/g, ' ').slice(0, 200), columns: [] };
        fragment.indexes.push(def);
      } else if (fn === 'add_column' && !inBatch) {
        const table = str(args[0])?.toLowerCase();
        const col = args[1];
        if (!table || col?.kind !== 'call' || dottedName(col.callee)?.split('.').pop() !== 'Column') continue;
        const name = str(col.args[0])?.toLowerCase();
        if (!name) continue;
        const unique = isTrue(kw(col, 'unique'));
        if (unique || isTrue(kw(col, 'index'))) fragment.indexes.push({ table, keys: [{ kind: 'column', column: name }], unique, origin: unique && !isTrue(kw(col, 'index')) ? 'unique-constraint' : 'create-index', file: path, span: col.span });
      }
    }
    return fragment.indexes.length ? fragment : undefined;
  } catch {
    return undefined;
  }
}
