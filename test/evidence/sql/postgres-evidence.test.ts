/**
 * Evidence against the real thing: the index fixes the SQL rules propose are valid PostgreSQL that
 * the planner of a real PostgreSQL 15 then uses, by cost, on realistic data.
 *
 * One server per file (helpers/postgres.ts). A shop database is built once from the project's own
 * migration (SCHEMA) with realistic row counts (200 tenants, 20 000 users, 50 000 orders) and
 * ANALYZEd; each case gets a copy of it (CREATE DATABASE … TEMPLATE). For each case the project
 * (the migration + a runtime query in src/db/queries.sql) is audited, the fix the rule proposes is
 * taken as is (comments, CONCURRENTLY and all) and run with psql, the table is ANALYZEd, and
 * EXPLAIN (FORMAT JSON) must show an Index Scan, Index Only Scan or Bitmap Index Scan on the index
 * the fix created. Before the fix the table must be read by a Seq Scan (the finding is true).
 * No planner switch (enable_seqscan …) is touched: the planner picks the index by cost.
 *
 * A case marked todo is a fix the planner does not use (or SQL it rejects) today: it runs, prints
 * why, and does not fail the run; it passes once the rule proposes a fix that works.
 *
 * Skipped, with a message, when PostgreSQL 15 is missing locally (apt-get install postgresql-15);
 * fails in CI (CI=true), where .ci/run installs it.
 * Run: node --import tsx --test test/evidence/sql/postgres-evidence.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { POSTGRES_SKIP, planNodes, startPostgres, type PlanNode, type Postgres } from '../helpers/postgres.js';
import { audit, createdIndexes, describeFinding, fixSql, proposedFix } from './audit.js';

const MIGRATION = 'db/migrations/001_init.sql';
const QUERIES = 'src/db/queries.sql';

/** The project's migration: what the analyzer reads, and what the database is built from. */
const SCHEMA = `CREATE TABLE tenants (
    id serial PRIMARY KEY,
    slug text NOT NULL UNIQUE,
    name text NOT NULL
);

CREATE TABLE users (
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
    placed_on timestamp NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX orders_placed_on_idx ON orders (placed_on);

-- A Prisma-style table: quoted mixed-case names.
CREATE TABLE "Invoice" (
    "id" SERIAL NOT NULL,
    "tenantId" INTEGER NOT NULL,
    "number" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id")
);
`;

/**
 * Realistic data: 50 surnames × 40 first names, e-mail addresses from the surname, orders spread over
 * a year with a skewed status; users 19 001–20 000 have no orders (a parent row that can be deleted);
 * 30 000 invoices. VACUUMed, as autovacuum keeps a live table (index-only scans see its visibility map).
 */
const DATA = `SELECT setseed(0.14);
INSERT INTO tenants (slug, name) SELECT 'tenant-' || g, 'Tenant ' || g FROM generate_series(1, 200) g;
INSERT INTO users (email, name, created_at)
SELECT lower(s) || '.' || g || '@example.org', s || ', ' || f, now() - g * interval '20 minutes'
FROM generate_series(1, 20000) g,
     LATERAL (SELECT (ARRAY['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez','Martinez',
       'Hernandez','Lopez','Gonzalez','Wilson','Anderson','Thomas','Taylor','Moore','Jackson','Martin','Lee','Perez','Thompson',
       'White','Harris','Sanchez','Clark','Ramirez','Lewis','Robinson','Walker','Young','Allen','King','Wright','Scott','Torres',
       'Nguyen','Hill','Flores','Green','Adams','Nelson','Baker','Hall','Rivera','Campbell','Mitchell','Carter','Roberts'])[1 + g % 50] AS s,
       (ARRAY['Ann','Bob','Carla','Dan','Eve','Frank','Grace','Hugo','Ida','Jack','Kim','Liam','Mia','Noah','Olga','Paul','Quinn',
       'Rosa','Sam','Tina','Uma','Victor','Wendy','Xavier','Yara','Zoe','Alan','Beth','Carl','Dora','Emil','Fay','Gus','Hana',
       'Ivan','Jill','Karl','Lena','Max','Nora'])[1 + (g / 50) % 40] AS f) n;
INSERT INTO orders (user_id, tenant_id, status, reference, total_cents, placed_on, created_at)
SELECT 1 + (g * 7919) % 19000, 1 + (random() * 199)::int,
       CASE WHEN random() < 0.02 THEN 'open' WHEN random() < 0.1 THEN 'cancelled' ELSE 'delivered' END,
       'ORD-' || lpad(g::text, 8, '0'), (random() * 20000)::int,
       timestamp '2026-01-01' + g * interval '9 minutes', now() - g * interval '10 minutes'
FROM generate_series(1, 50000) g;
INSERT INTO "Invoice" ("tenantId", "number", "issuedAt")
SELECT 1 + g % 200, 'INV-' || g, timestamp '2026-01-01' + g * interval '13 minutes' FROM generate_series(1, 30000) g;
VACUUM ANALYZE;
`;

interface Case {
  name: string;
  /** The runtime query, audited in src/db/queries.sql and EXPLAINed. */
  query: string;
  /** Rules whose fix is taken (the first finding of one of them with a fix, in `file`). */
  rules: string[];
  /** Where the finding is: the query file (default) or the migration. */
  file?: string;
  /** Where the schema is, when not in db/migrations/001_init.sql (the fix is then an insert into it). */
  migration?: string;
  /** The table the fix indexes, read by a Seq Scan before the fix. */
  table: string;
  /**
   * The evidence is the plan of a statement run inside the query (a foreign-key check), the one whose
   * text matches, caught by auto_explain while the query runs in a transaction rolled back after.
   */
  nested?: RegExp;
  /**
   * Placeholders ($1, $2): the query is PREPAREd with these parameter types and EXPLAINed as
   * EXECUTE with these values under plan_cache_mode = force_generic_plan, the plan a driver's prepared
   * statement ends up with (it cannot rely on the values).
   */
  params?: { types: string; values: string };
  /** Apply the fixes of every finding of `rules` in the file (an OR needs an index per branch). */
  allFixes?: boolean;
  /** Why this case fails today (the fix is invalid SQL or the planner does not use it). */
  todo?: string;
  /**
   * No index serves this query (the planner keeps its plan whatever is indexed): the rules must
   * propose no index fix. A fix they propose is applied all the same, to show the plan it leaves.
   */
  noIndexHelps?: boolean;
  /** For a todo case: a fix that works, checked on the same data (so that the data is not why the case fails). */
  control?: string;
}

const CASES: Case[] = [
  { name: 'missing-index: WHERE equality → index on the column', query: "SELECT id, total_cents, status FROM orders WHERE reference = 'ORD-00031337';", rules: ['missing-index'], table: 'orders' },
  { name: 'missing-index: two equalities → one two-column index', query: "SELECT id, total_cents FROM orders WHERE tenant_id = 42 AND status = 'open';", rules: ['missing-index'], table: 'orders' },
  { name: 'missing-index: WHERE range → index on the column', query: "SELECT id, total_cents FROM orders WHERE created_at >= now() - interval '2 days';", rules: ['missing-index'], table: 'orders' },
  { name: 'missing-index: equality + ORDER BY … LIMIT → (equality, sort) index', query: 'SELECT id, reference, total_cents FROM orders WHERE tenant_id = 42 ORDER BY created_at DESC LIMIT 20;', rules: ['missing-index'], table: 'orders' },
  { name: 'missing-index (info): top-N ORDER BY … LIMIT → index on the sort column', query: 'SELECT id, reference FROM orders ORDER BY created_at DESC LIMIT 20;', rules: ['missing-index'], table: 'orders' },
  { name: 'missing-index: JOIN column of the probed table', query: "SELECT o.id, o.total_cents FROM tenants t JOIN orders o ON o.tenant_id = t.id WHERE t.slug = 'tenant-42';", rules: ['missing-index'], table: 'orders' },
  {
    name: 'missing-index: placeholders, generic plan → (equality, range) index',
    query: 'SELECT id, total_cents FROM orders WHERE tenant_id = $1 AND created_at >= $2;',
    params: { types: 'integer, timestamptz', values: "42, now() - interval '2 days'" },
    rules: ['missing-index'],
    table: 'orders',
  },
  { name: 'missing-index: OR of two unindexed columns → an index per branch (BitmapOr)', query: "SELECT id FROM orders WHERE tenant_id = 42 OR reference = 'ORD-00000001';", rules: ['missing-index'], table: 'orders', allFixes: true },
  { name: 'missing-index: quoted mixed-case names (Prisma migration) → index on "tenantId", "issuedAt"', query: 'SELECT "id", "number" FROM "Invoice" WHERE "tenantId" = 7 ORDER BY "issuedAt" DESC LIMIT 10;', rules: ['missing-index'], table: 'Invoice' },
  { name: 'missing-index: a plain schema file gets the index inserted after its table', query: "SELECT id, total_cents FROM orders WHERE tenant_id = 42 AND status = 'open';", rules: ['missing-index'], table: 'orders', migration: 'db/schema.sql' },
  { name: 'missing-index (info): GROUP BY of a count → an index-only scan streams the groups', query: 'SELECT status, count(*) FROM orders GROUP BY status;', rules: ['missing-index'], table: 'orders' },
  {
    name: 'missing-index (info): GROUP BY summing another column → index on the group column',
    query: 'SELECT tenant_id, sum(total_cents) FROM orders GROUP BY tenant_id;',
    rules: ['missing-index'],
    table: 'orders',
    noIndexHelps: true,
  },
  { name: 'missing-index: expression lower(name) = … → expression index', query: "SELECT id, email FROM users WHERE lower(name) = 'garcia, eve';", rules: ['missing-index'], table: 'users' },
  {
    name: 'unindexed-foreign-key: the check of a DELETE of a parent row uses the index',
    query: 'DELETE FROM users WHERE id = 19500;',
    rules: ['unindexed-foreign-key'],
    file: MIGRATION,
    table: 'orders',
    nested: /FROM ONLY "public"\."orders"/,
  },
  { name: 'non-sargable-predicate: lower(email) = … with email indexed → expression index', query: "SELECT id, name FROM users WHERE lower(email) = 'garcia.1205@example.org';", rules: ['non-sargable-predicate', 'missing-index'], table: 'users' },
  { name: 'non-sargable-predicate: placed_on::date = … with placed_on indexed → expression index', query: "SELECT id, total_cents FROM orders WHERE placed_on::date = '2026-03-01';", rules: ['non-sargable-predicate', 'missing-index'], table: 'orders' },
  {
    name: "prefix LIKE 'Garcia, E%' on a non-C collation → text_pattern_ops index",
    query: "SELECT id, email FROM users WHERE name LIKE 'Garcia, E%';",
    rules: ['missing-index', 'non-sargable-predicate'],
    table: 'users',
  },
  {
    name: "lower(email) LIKE 'garcia.1%' → (lower(email) text_pattern_ops) expression index",
    query: "SELECT id, name FROM users WHERE lower(email) LIKE 'garcia.1%';",
    rules: ['non-sargable-predicate', 'missing-index'],
    table: 'users',
  },
  {
    name: "leading-wildcard LIKE '%garcia%' → pg_trgm GIN index",
    query: "SELECT id, name FROM users WHERE email LIKE '%garcia%';",
    rules: ['non-sargable-predicate', 'missing-index'],
    table: 'users',
  },
];

const USED = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan']);

interface Row {
  name: string;
  fix: string;
  before: string;
  atOnce: string;
  afterAnalyze: string;
  ok: boolean;
}

function summary(plan: PlanNode, table: string, indexes: readonly string[]): string {
  const nodes = planNodes(plan);
  const onIndex = nodes.filter((n) => USED.has(n['Node Type']) && indexes.includes(n['Index Name'] ?? ''));
  const onTable = nodes.find((n) => n['Relation Name'] === table);
  const what = onIndex.length ? onIndex.map((n) => `${n['Node Type']} using ${n['Index Name']}`).join(' + ') : onTable ? `${onTable['Node Type']}${onTable['Index Name'] ? ` using ${onTable['Index Name']}` : ''} on ${table}` : nodes.map((n) => n['Node Type']).join(' > ');
  return `${what} (cost ${plan['Total Cost']})`;
}

/** The fix's statements on one line, for the table. */
function oneLine(sql: string): string {
  return sql.split('\n').filter((l) => l.trim() && !l.trim().startsWith('--')).join(' ').replace(/\|/g, '\\|');
}

describe('PostgreSQL evidence: the index fixes the SQL rules propose are used by the planner', { skip: POSTGRES_SKIP }, () => {
  let pg: Postgres;
  const rows: Row[] = [];
  let databases = 0;
  before(async () => {
    pg = await startPostgres();
    await pg.sql('CREATE DATABASE shop;');
    await pg.sql(`${SCHEMA}\n${DATA}`, 'shop');
    const collation = (await pg.sql("SELECT datcollate FROM pg_database WHERE datname = 'shop';")).trim();
    assert.notEqual(collation, 'C', 'the database has a non-C collation, like production databases');
  }, { timeout: 60_000 });
  after(async () => {
    if (!pg) return;
    const table = [
      '| case | fix | plan before | after the fix | after ANALYZE | planner uses the fix |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r.name} | ${r.fix} | ${r.before} | ${r.atOnce} | ${r.afterAnalyze} | ${r.ok ? '✅' : '❌'} |`),
    ].join('\n');
    console.log(`\nPostgreSQL ${pg.version}: ${rows.filter((r) => r.ok).length}/${rows.length} fixes used by the planner\n${table}\n`);
    await pg.stop();
  });

  /**
   * On a fresh copy of the shop: the table is read by a Seq Scan, `fix()` gives SQL that runs, and
   * after it (and ANALYZE) the plan uses an index that SQL created, at a lower cost.
   */
  async function check(c: Case, label: string, fix: () => string): Promise<void> {
    const db = `case_${++databases}`;
    const row: Row = { name: label, fix: '—', before: '', atOnce: '', afterAnalyze: '', ok: false };
    rows.push(row);
    await pg.sql(`CREATE DATABASE ${db} TEMPLATE shop;`);
    try {
      const plan = async (): Promise<PlanNode> => {
        if (c.params) return pg.explain(`EXECUTE q(${c.params.values})`, db, `SET plan_cache_mode = force_generic_plan;\nPREPARE q(${c.params.types}) AS ${c.query}`);
        if (!c.nested) return pg.explain(c.query, db);
        const p = (await pg.nestedPlans(c.query, db)).find((x) => c.nested!.test(x.query));
        assert.ok(p, `auto_explain caught the statement ${c.nested} inside ${c.query}`);
        return p.plan;
      };
      const beforePlan = await plan();
      row.before = summary(beforePlan, c.table, []);
      assert.ok(planNodes(beforePlan).some((x) => x['Node Type'] === 'Seq Scan' && x['Relation Name'] === c.table), `before the fix, ${c.table} is read by a Seq Scan: ${row.before}`);
      const sql = fix();
      const indexes = createdIndexes(sql);
      row.fix = oneLine(sql);
      assert.ok(indexes.length, `the fix creates an index: ${sql}`);
      await pg.sql(sql, db); // throws on invalid SQL
      row.atOnce = summary(await plan(), c.table, indexes);
      await pg.sql(`ANALYZE "${c.table}";`, db);
      const analyzed = await plan();
      row.afterAnalyze = summary(analyzed, c.table, indexes);
      const used = new Set(planNodes(analyzed).filter((x) => USED.has(x['Node Type'])).map((x) => x['Index Name'] ?? ''));
      row.ok = c.allFixes ? indexes.every((i) => used.has(i)) : indexes.some((i) => used.has(i));
      assert.ok(row.ok, `the planner uses ${indexes.join(', ')} created by "${row.fix}": ${row.afterAnalyze}`);
      assert.ok(analyzed['Total Cost'] < beforePlan['Total Cost'], `the plan is cheaper with the index: ${row.before} → ${row.afterAnalyze}`);
    } finally {
      await pg.sql(`DROP DATABASE ${db};`);
    }
  }

  for (const c of CASES) {
    test(c.name, { timeout: 60_000, ...(c.todo ? { todo: c.todo } : {}) }, async () => {
      const file = c.file ?? QUERIES;
      const findings = await audit({ [c.migration ?? MIGRATION]: SCHEMA, [QUERIES]: `${c.query}\n` });
      if (c.noIndexHelps) {
        const found = proposedFix(findings, c.rules, file);
        if (found) await check(c, c.name, () => fixSql(found.fix)).catch(() => undefined);
        assert.equal(found && describeFinding(found.finding), undefined, 'no index fix is proposed for a query no index serves');
        return;
      }
      await check(c, c.name, () => {
        const found = proposedFix(findings, c.rules, file);
        assert.ok(found, `a fix is proposed by ${c.rules.join(' or ')} in ${file}; the findings: ${findings.map(describeFinding).join(' | ') || 'none'}`);
        if (!c.allFixes) return fixSql(found.fix);
        const all = findings.filter((f) => c.rules.includes(f.ruleId) && f.file === file).map((f) => f.fixes.find((x) => x.preferred) ?? f.fixes[0]);
        return all.filter((f) => f !== undefined).map(fixSql).join('\n');
      });
    });
    const control = c.control;
    if (control) test(`control for the todo above: ${oneLine(control)}`, { timeout: 60_000 }, () => check(c, `control: ${c.name}`, () => control));
  }
});
