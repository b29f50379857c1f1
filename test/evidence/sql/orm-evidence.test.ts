/**
 * Evidence for the ORM query builders (issue #15): for knex, Kysely and Drizzle, which compile their
 * queries in JavaScript without a database, each fixture call is compiled by the library itself —
 * knex({ client: 'pg' })….toSQL(), Kysely (DummyDriver + PostgresAdapter / PostgresQueryCompiler)
 * ….compile(), drizzle-orm/pg-core's QueryBuilder ….toSQL() — and the analyzer's missing-index
 * finding on the same call is checked against that SQL and against a real PostgreSQL 15:
 *
 * 1. the project (a SQL migration; for Drizzle also the pgTable definitions the analyzer reads the
 *    schema from) with the call in src/db/queries.ts is audited: the missing-index finding on the call
 *    gives data.table and data.columns (the index it suggests) and data.sql (the SQL shape inferred);
 * 2. the call — the very same text, evaluated here with the library's builder as `db` — is compiled;
 *    the library SQL's table, WHERE and ORDER BY columns (read by test/helpers/sql-shape.ts, a token
 *    scan independent of the analyzer's parser) must agree: data.table is the FROM table,
 *    data.columns ⊆ the WHERE ∪ ORDER BY columns of that table, the leading suggested column is a
 *    WHERE column, and the WHERE / ORDER BY columns and LIMIT of data.sql are those of the library SQL;
 * 3. the library SQL is PREPAREd (parameter types inferred by PostgreSQL) and EXPLAINed as EXECUTE
 *    with the compiled parameters under plan_cache_mode = force_generic_plan (the plan a driver's
 *    prepared statement ends up with): before, a Seq Scan on the table; then the finding's fix when it
 *    is SQL (a new migration), else CREATE INDEX on data.table (data.columns), ANALYZE, and EXPLAIN
 *    again: an Index / Bitmap Index / Index Only Scan on that index, at a lower cost.
 *
 * Data: 20 000 users, 60 000 orders (200 tenants, a skewed status, a year of creation times),
 * VACUUM ANALYZEd once; each case gets a copy (CREATE DATABASE … TEMPLATE). No planner switch is touched.
 * Skipped with a message when PostgreSQL 15 is missing locally; fails in CI.
 * Run: node --import tsx --test test/evidence/sql/orm-evidence.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import knexLib from 'knex';
import * as drizzle from 'drizzle-orm';
import * as pgCore from 'drizzle-orm/pg-core';
import { POSTGRES_SKIP, planNodes, startPostgres, type PlanNode, type Postgres } from '../helpers/postgres.js';
import { sqlShape } from '../../helpers/sql-shape.js';
import { audit, createdIndexes, describeFinding, fixSql } from './audit.js';
import type { Fix } from '../../../src/kernel/model.js';

type Lib = 'knex' | 'kysely' | 'drizzle';

/** The migration: what the analyzer reads (knex, Kysely; beside the Drizzle tables) and what the database is built from. */
const SCHEMA = `CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    tenant_id integer NOT NULL,
    status text NOT NULL,
    reference text NOT NULL,
    total_cents integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
`;

/** The same tables as Drizzle declares them (src/db/schema.ts); evaluated here too, so that the compiled SQL comes from these very tables. */
const DRIZZLE_TABLES = `export const users = pgTable('users', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const orders = pgTable('orders', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  userId: bigint('user_id', { mode: 'number' }).notNull().references(() => users.id),
  tenantId: integer('tenant_id').notNull(),
  status: text('status').notNull(),
  reference: text('reference').notNull(),
  totalCents: integer('total_cents').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
`;
const PG_CORE_NAMES = ['pgTable', 'bigserial', 'bigint', 'integer', 'text', 'timestamp'] as const;
/** What a fix may add to the pg-core import (index('…').on(…)). */
const PG_CORE_FIX_NAMES = ['index', 'uniqueIndex'] as const;
const DRIZZLE_OPS = ['and', 'or', 'eq', 'gt', 'gte', 'lt', 'lte', 'between', 'inArray', 'isNull', 'like', 'desc', 'asc'] as const;

const DATA = `SELECT setseed(0.15);
INSERT INTO users (email, name, created_at)
SELECT 'user' || g || '@example.org', (ARRAY['Smith','Johnson','Garcia','Nguyen','Martin','Lee','Brown','Lopez'])[1 + g % 8] || ', ' || g,
       now() - g * interval '20 minutes'
FROM generate_series(1, 20000) g;
INSERT INTO orders (user_id, tenant_id, status, reference, total_cents, created_at)
SELECT 1 + (g * 7919) % 20000, 1 + (random() * 199)::int,
       CASE WHEN random() < 0.02 THEN 'open' WHEN random() < 0.1 THEN 'cancelled' ELSE 'delivered' END,
       'ORD-' || lpad(g::text, 8, '0'), (random() * 20000)::int,
       timestamptz '2026-01-01 00:00:00+00' - g * interval '9 minutes'
FROM generate_series(1, 60000) g;
VACUUM ANALYZE;
`;

interface Case {
  lib: Lib;
  /** What the case shows (equality, two columns…). */
  shape: string;
  /**
   * The builder call as the application writes it (without knex's await / Kysely's .execute()): put
   * in the fixture inside `async function query(<args>)`, and evaluated here with the library's
   * builder as `db` (Drizzle: its tables and operators in scope) to compile it.
   */
  call: string;
  /** The function's parameters and the values the call is compiled with. */
  args: Record<string, unknown>;
}

const REF = 'ORD-00031337';
const FROM = new Date('2025-11-01T00:00:00Z');
const TO = new Date('2025-11-03T00:00:00Z');

const CASES: Case[] = [
  // knex: https://knexjs.org/guide/query-builder.html
  { lib: 'knex', shape: 'equality', call: "db('orders').select('id', 'total_cents').where('reference', reference)", args: { reference: REF } },
  { lib: 'knex', shape: 'two columns', call: "db('orders').select('id', 'total_cents').where({ tenant_id: tenantId, status })", args: { tenantId: 42, status: 'open' } },
  { lib: 'knex', shape: 'range', call: "db('orders').select('id', 'total_cents').whereBetween('created_at', [from, to])", args: { from: FROM, to: TO } },
  { lib: 'knex', shape: 'equality + order by/limit', call: "db('orders').select('id', 'reference', 'total_cents').where('tenant_id', tenantId).orderBy('created_at', 'desc').limit(20)", args: { tenantId: 42 } },
  { lib: 'knex', shape: 'IN', call: "db('orders').select('id', 'status').whereIn('tenant_id', tenantIds)", args: { tenantIds: [3, 42, 77] } },
  { lib: 'knex', shape: 'join', call: "db('orders').join('users', 'users.id', 'orders.user_id').select('orders.id', 'users.email').where('orders.tenant_id', tenantId)", args: { tenantId: 42 } },
  // Kysely: https://kysely.dev/docs/category/select
  { lib: 'kysely', shape: 'equality', call: "db.selectFrom('orders').select(['id', 'total_cents']).where('reference', '=', reference)", args: { reference: REF } },
  { lib: 'kysely', shape: 'two columns', call: "db.selectFrom('orders').select(['id', 'total_cents']).where('tenant_id', '=', tenantId).where('status', '=', status)", args: { tenantId: 42, status: 'open' } },
  { lib: 'kysely', shape: 'range', call: "db.selectFrom('orders').select(['id', 'total_cents']).where('created_at', '>=', from).where('created_at', '<', to)", args: { from: FROM, to: TO } },
  { lib: 'kysely', shape: 'equality + order by/limit', call: "db.selectFrom('orders').select(['id', 'reference', 'total_cents']).where('tenant_id', '=', tenantId).orderBy('created_at', 'desc').limit(20)", args: { tenantId: 42 } },
  { lib: 'kysely', shape: 'IN', call: "db.selectFrom('orders').select(['id', 'status']).where('tenant_id', 'in', tenantIds)", args: { tenantIds: [3, 42, 77] } },
  { lib: 'kysely', shape: 'join', call: "db.selectFrom('orders').innerJoin('users', 'users.id', 'orders.user_id').select(['orders.id', 'users.email']).where('orders.tenant_id', '=', tenantId)", args: { tenantId: 42 } },
  // Drizzle: https://orm.drizzle.team/docs/select
  { lib: 'drizzle', shape: 'equality', call: 'db.select({ id: orders.id, totalCents: orders.totalCents }).from(orders).where(eq(orders.reference, reference))', args: { reference: REF } },
  { lib: 'drizzle', shape: 'two columns', call: 'db.select({ id: orders.id, totalCents: orders.totalCents }).from(orders).where(and(eq(orders.tenantId, tenantId), eq(orders.status, status)))', args: { tenantId: 42, status: 'open' } },
  { lib: 'drizzle', shape: 'range', call: 'db.select({ id: orders.id, totalCents: orders.totalCents }).from(orders).where(between(orders.createdAt, from, to))', args: { from: FROM, to: TO } },
  { lib: 'drizzle', shape: 'equality + order by/limit', call: 'db.select({ id: orders.id, reference: orders.reference }).from(orders).where(eq(orders.tenantId, tenantId)).orderBy(desc(orders.createdAt)).limit(20)', args: { tenantId: 42 } },
  { lib: 'drizzle', shape: 'IN', call: 'db.select({ id: orders.id, status: orders.status }).from(orders).where(inArray(orders.tenantId, tenantIds))', args: { tenantIds: [3, 42, 77] } },
  { lib: 'drizzle', shape: 'join', call: 'db.select({ id: orders.id, email: users.email }).from(orders).innerJoin(users, eq(orders.userId, users.id)).where(eq(orders.tenantId, tenantId))', args: { tenantId: 42 } },
];

const QUERIES = 'src/db/queries.ts';
const DRIZZLE_SCHEMA = 'src/db/schema.ts';
const DRIZZLE_SCHEMA_TEXT = `import { ${PG_CORE_NAMES.join(', ')} } from 'drizzle-orm/pg-core';\n\n${DRIZZLE_TABLES}`;

/** The project the analyzer audits for a case. */
function fixture(c: Case): Record<string, string> {
  const params = Object.keys(c.args).join(', ');
  if (c.lib === 'knex') {
    return {
      'db/migrations/001_init.sql': SCHEMA,
      [QUERIES]: `import knex from 'knex';\n\nexport const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });\n\nexport async function query(${params}) {\n  return await ${c.call};\n}\n`,
    };
  }
  if (c.lib === 'kysely') {
    return {
      'db/migrations/001_init.sql': SCHEMA,
      [QUERIES]: `import { Kysely, PostgresDialect } from 'kysely';\nimport { Pool } from 'pg';\n\nexport const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool() }) });\n\nexport async function query(${params}) {\n  return await ${c.call}.execute();\n}\n`,
    };
  }
  return {
    'drizzle/0000_init.sql': SCHEMA,
    [DRIZZLE_SCHEMA]: DRIZZLE_SCHEMA_TEXT,
    [QUERIES]: `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { ${DRIZZLE_OPS.join(', ')} } from 'drizzle-orm';\nimport { orders, users } from './schema';\n\nexport const db = drizzle(process.env.DATABASE_URL!);\n\nexport async function query(${params}) {\n  return await ${c.call};\n}\n`,
  };
}

/**
 * Our own fixture text (the case table's calls, the Drizzle tables) run as JavaScript with the
 * libraries' builders as its free names: the text the analyzer reads is the code the library compiles.
 */
function evaluate(names: readonly string[], body: string, values: readonly unknown[]): unknown {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the test's own constant fixture text, evaluated so that it and the compiled code cannot drift apart
  return new Function(...names, body)(...values) as unknown;
}

const knexDb = knexLib({ client: 'pg' });

/** Kysely with no database: DummyDriver, PostgreSQL's adapter and compiler (kysely is ESM only: imported when the suite starts). */
async function kyselyPostgres(): Promise<unknown> {
  const { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } = await import('kysely');
  return new Kysely<Record<string, Record<string, unknown>>>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}
let kyselyDb: unknown;
type DrizzleTables = { users: pgCore.PgTable; orders: pgCore.PgTable };
/** Drizzle tables evaluated from a schema file's text (its imports dropped) with pg-core's builders. */
function evalDrizzleTables(schemaText: string): DrizzleTables {
  const body = schemaText.split('\n').filter((l) => !l.startsWith('import ')).join('\n').replace(/^export /gm, '');
  const names = [...PG_CORE_NAMES, ...PG_CORE_FIX_NAMES];
  return evaluate(names, `${body}\nreturn { users, orders };`, names.map((n) => pgCore[n])) as DrizzleTables;
}
const drizzleTables = evalDrizzleTables(DRIZZLE_SCHEMA_TEXT);

/** `text` with a fix's edits (line / character ranges) applied. */
function applyEdits(text: string, edits: readonly { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const at = (p: { line: number; character: number }): number => starts[p.line] + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => at(b.range.start) - at(a.range.start))) out = out.slice(0, at(e.range.start)) + e.newText + out.slice(at(e.range.end));
  return out;
}

/**
 * A Drizzle fix (index('…').on(table.x) in the table's config) as the SQL drizzle-kit generates from
 * it: the patched schema file is evaluated with pg-core and the indexes Drizzle's own getTableConfig
 * reads from it become CREATE INDEX statements.
 */
function drizzleFixSql(fix: Fix, table: string): { sql: string; columns: string[][] } {
  const change = fix.changes.find((c) => c.file === DRIZZLE_SCHEMA);
  assert.ok(change?.edits?.length, `the Drizzle fix edits ${DRIZZLE_SCHEMA}: ${JSON.stringify(fix.changes)}`);
  const patched = evalDrizzleTables(applyEdits(DRIZZLE_SCHEMA_TEXT, change.edits));
  const t = table === 'orders' ? patched.orders : patched.users;
  const indexes = pgCore.getTableConfig(t).indexes.map((i) => ({ name: i.config.name!, unique: i.config.unique, columns: i.config.columns.map((c) => (c as { name: string }).name) }));
  return {
    sql: indexes.map((i) => `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS "${i.name}" ON "${table}" USING btree (${i.columns.map((c) => `"${c}"`).join(', ')});`).join('\n'),
    columns: indexes.map((i) => i.columns),
  };
}

/** The library's own SQL and parameters for the case's call. */
function compile(c: Case): { sql: string; params: unknown[] } {
  const names = Object.keys(c.args);
  const values = Object.values(c.args);
  if (c.lib === 'knex') {
    const q = evaluate(['db', ...names], `return ${c.call};`, [knexDb, ...values]) as { toSQL(): { toNative(): { sql: string; bindings: readonly unknown[] } } };
    const n = q.toSQL().toNative();
    return { sql: n.sql, params: [...n.bindings] };
  }
  if (c.lib === 'kysely') {
    const q = evaluate(['db', ...names], `return ${c.call};`, [kyselyDb, ...values]) as { compile(): { sql: string; parameters: readonly unknown[] } };
    const n = q.compile();
    return { sql: n.sql, params: [...n.parameters] };
  }
  const q = evaluate(
    ['db', 'users', 'orders', ...DRIZZLE_OPS, ...names],
    `return ${c.call};`,
    [new pgCore.QueryBuilder(), drizzleTables.users, drizzleTables.orders, ...DRIZZLE_OPS.map((n) => drizzle[n]), ...values],
  ) as { toSQL(): { sql: string; params: unknown[] } };
  return q.toSQL();
}

/** A parameter as an SQL literal for EXECUTE (its type is the one PREPARE inferred). */
function literal(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return `'${v.toISOString()}'`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || v === undefined) return 'NULL';
  assert.equal(typeof v, 'string', `a parameter the test can write as a literal: ${JSON.stringify(v)}`);
  return `'${(v as string).replace(/'/g, "''")}'`;
}

const USED = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan']);

function summary(plan: PlanNode, table: string, indexes: readonly string[]): string {
  const nodes = planNodes(plan);
  const onIndex = nodes.filter((n) => USED.has(n['Node Type']) && indexes.includes(n['Index Name'] ?? ''));
  const onTable = nodes.find((n) => n['Relation Name'] === table);
  const what = onIndex.length ? onIndex.map((n) => `${n['Node Type']} using ${n['Index Name']}`).join(' + ') : onTable ? `${onTable['Node Type']}${onTable['Index Name'] ? ` using ${onTable['Index Name']}` : ''} on ${table}` : nodes.map((n) => n['Node Type']).join(' > ');
  return `${what} (cost ${plan['Total Cost']})`;
}

interface Row {
  name: string;
  sql: string;
  ours: string;
  index: string;
  before: string;
  after: string;
  ok: boolean;
}

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

describe('ORM evidence: knex, Kysely and Drizzle calls — the library\'s SQL, our columns, and the planner', { skip: POSTGRES_SKIP }, () => {
  let pg: Postgres;
  const rows: Row[] = [];
  let databases = 0;
  before(async () => {
    kyselyDb = await kyselyPostgres();
    pg = await startPostgres();
    await pg.sql('CREATE DATABASE shop;');
    await pg.sql(`${SCHEMA}\n${DATA}`, 'shop');
  }, { timeout: 60_000 });
  after(async () => {
    if (!pg) return;
    const esc = (s: string): string => s.replace(/\|/g, '\\|');
    const table = [
      '| case | library SQL | our table(columns) / data.sql | index | plan before | plan after | ok |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r.name} | \`${esc(r.sql)}\` | ${esc(r.ours)} | \`${esc(r.index)}\` | ${r.before} | ${r.after} | ${r.ok ? '✅' : '❌'} |`),
    ].join('\n');
    console.log(`\nPostgreSQL ${pg.version}: ${rows.filter((r) => r.ok).length}/${rows.length} ORM cases confirmed\n${table}\n`);
    await pg.stop();
  });

  for (const c of CASES) {
    test(`${c.lib}: ${c.shape} — ${c.call}`, { timeout: 60_000 }, async () => {
      const row: Row = { name: `${c.lib}: ${c.shape}`, sql: '', ours: '', index: '—', before: '', after: '', ok: false };
      rows.push(row);
      // (3) The library's SQL.
      const lib = compile(c);
      row.sql = lib.sql;
      const libShape = sqlShape(lib.sql, lib.params);
      // (2) Our finding on the call.
      const findings = await audit(fixture(c));
      const finding = findings.find((f) => f.ruleId === 'missing-index' && f.file === QUERIES);
      assert.ok(finding, `a missing-index finding on the call; the findings: ${findings.map(describeFinding).join(' | ') || 'none'}`);
      const data = finding.data as { table: string; columns: string[]; sql: string; orm: string };
      row.ours = `${data.table}(${data.columns.join(', ')}) / ${data.sql}`;
      assert.equal(data.orm, c.lib);
      assert.equal(data.table, libShape.table, `the finding's table is the one the library's SQL reads: ${lib.sql}`);
      const onTable = (x: { table?: string }): boolean => x.table === undefined || x.table === data.table;
      const whereCols = new Set(libShape.where.filter(onTable).map((w) => w.column));
      const orderCols = new Set(libShape.orderBy.filter(onTable).map((o) => o.column));
      for (const col of data.columns) assert.ok(whereCols.has(col) || orderCols.has(col), `suggested column ${col} is in the WHERE or ORDER BY of ${lib.sql}`);
      assert.ok(whereCols.has(data.columns[0]), `the leading suggested column ${data.columns[0]} is a WHERE column of ${lib.sql}`);
      // The SQL shape we infer filters, sorts and limits like the library's SQL.
      const ours = sqlShape(data.sql);
      assert.equal(ours.table, libShape.table);
      assert.deepEqual([...new Set(ours.where.map((w) => w.column))].sort(), [...whereCols].sort(), `WHERE columns: ${data.sql} vs ${lib.sql}`);
      assert.deepEqual(ours.orderBy.map((o) => `${o.column}${o.desc ? ' desc' : ''}`), libShape.orderBy.filter(onTable).map((o) => `${o.column}${o.desc ? ' desc' : ''}`), `ORDER BY: ${data.sql} vs ${lib.sql}`);
      assert.equal(ours.limit, libShape.limit, `LIMIT: ${data.sql} vs ${lib.sql}`);
      // …and compares each column the same way (= and IN are both equality in our model; a range is a range whichever bound).
      const opClasses = (conds: readonly { column: string; op: string }[]): string[] => [...new Set(conds.map((w) => `${w.column} ${w.op === 'in' ? 'eq' : w.op}`))].sort();
      assert.deepEqual(opClasses(ours.where), opClasses(libShape.where.filter(onTable)), `comparisons: ${data.sql} vs ${lib.sql}`);

      // (4) The library's SQL on PostgreSQL, before and after the suggested index.
      const db = `case_${++databases}`;
      await pg.sql(`CREATE DATABASE ${db} TEMPLATE shop;`);
      try {
        const setup = `SET plan_cache_mode = force_generic_plan;\nPREPARE q AS ${lib.sql};`;
        const execute = lib.params.length ? `EXECUTE q(${lib.params.map(literal).join(', ')})` : 'EXECUTE q';
        const plan = (): Promise<PlanNode> => pg.explain(execute, db, setup);
        const beforePlan = await plan();
        row.before = summary(beforePlan, data.table, []);
        assert.ok(planNodes(beforePlan).some((x) => x['Node Type'] === 'Seq Scan' && x['Relation Name'] === data.table), `before the index, ${data.table} is read by a Seq Scan: ${row.before}`);
        // The finding's fix: a migration (SQL), or for Drizzle index('…').on(…) in the table, as drizzle-kit would write it.
        const fix = finding.fixes.find((x) => x.preferred) ?? finding.fixes[0];
        assert.ok(fix, 'the finding proposes a fix');
        let sql: string;
        if (c.lib === 'drizzle') {
          const d = drizzleFixSql(fix, data.table);
          assert.deepEqual(d.columns, [data.columns], `the index the Drizzle fix declares is on data.columns: ${d.sql}`);
          sql = d.sql;
        } else sql = fixSql(fix);
        const indexes = createdIndexes(sql);
        row.index = sql.split('\n').filter((l) => l.trim() && !l.trim().startsWith('--')).join(' ');
        await pg.sql(sql, db);
        await pg.sql(`ANALYZE ${quoteIdent(data.table)};`, db);
        const afterPlan = await plan();
        row.after = summary(afterPlan, data.table, indexes);
        const used = planNodes(afterPlan).filter((x) => USED.has(x['Node Type'])).map((x) => x['Index Name'] ?? '');
        assert.ok(indexes.some((i) => used.includes(i)), `the planner uses ${indexes.join(', ')}: ${row.after}`);
        assert.ok(afterPlan['Total Cost'] < beforePlan['Total Cost'], `cheaper with the index: ${row.before} → ${row.after}`);
        row.ok = true;
      } finally {
        await pg.sql(`DROP DATABASE ${db};`);
      }
    });
  }
});
