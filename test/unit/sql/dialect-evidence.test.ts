/**
 * The dialect of each SQL file from the project's own evidence: drivers in manifests, ORM
 * configuration, the Prisma provider, folder names (which win for the files under them), then syntax.
 */
import { describe, it, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DialectEvidence, engineFromPath, evidenceOf, foreignSyntax, type Engine } from '../../../src/analyzers/sql/dialect-evidence.js';
import { detectEngine, parseSqlFile, StatementParser } from '../../../src/analyzers/sql/analyze.js';
import { ruleTests } from '../../helpers/rule-tester.js';
import { auditSources } from '../../../src/analyzers/index.js';

describe('evidenceOf: drivers and ORM settings', () => {
  const cases: [string, string, Engine[] | undefined][] = [
    ['package.json', JSON.stringify({ dependencies: { express: '4', pg: '8' }, devDependencies: { 'better-sqlite3': '9' } }), ['postgresql']],
    ['package.json', JSON.stringify({ devDependencies: { 'better-sqlite3': '9' } }), ['sqlite']],
    ['package.json', JSON.stringify({ dependencies: { mysql2: '3', '@clickhouse/client': '1' } }), ['mysql', 'clickhouse']],
    ['package.json', JSON.stringify({ dependencies: { react: '18' } }), undefined],
    ['go.mod', 'module x\n\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.5.0\n\tgithub.com/go-sql-driver/mysql v1.7.1\n)\n', ['postgresql', 'mysql']],
    ['go.mod', 'module x\nrequire modernc.org/sqlite v1.29.0\nrequire github.com/ClickHouse/clickhouse-go/v2 v2.0.0\n', ['sqlite', 'clickhouse']],
    ['Cargo.toml', '[dependencies]\ndiesel = { version = "2", features = ["postgres", "chrono"] }\n', ['postgresql']],
    ['Cargo.toml', '[dependencies.sqlx]\nversion = "0.8"\nfeatures = ["runtime-tokio", "sqlite"]\n', ['sqlite']],
    ['Cargo.toml', '[dependencies]\nrusqlite = "0.31"\n', ['sqlite']],
    ['requirements.txt', 'Django==5.0\npsycopg[binary]>=3.1\n', ['postgresql']],
    ['pyproject.toml', '[project]\ndependencies = ["mysqlclient>=2", "django"]\n', ['mysql']],
    ['Gemfile', "source 'https://rubygems.org'\ngem 'rails'\ngem \"pg\", \"~> 1.1\"\n", ['postgresql']],
    ['config/database.yml', 'default: &default\n  adapter: mysql2\n', ['mysql']],
    ['app/settings.py', "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}", ['sqlite']],
    ['knexfile.js', "module.exports = { client: 'pg', connection: process.env.DATABASE_URL };", ['postgresql']],
    ['config/config.json', '{"production": {"dialect": "mariadb"}}', ['mysql']],
    ['prisma/schema.prisma', 'generator client {\n  provider = "prisma-client-js"\n}\ndatasource db {\n  provider = "mysql"\n  url = env("DATABASE_URL")\n}\n', ['mysql']],
  ];
  for (const [path, text, engines] of cases) it(`${path}: ${engines?.join(', ') ?? 'nothing'}`, () => assert.deepEqual(evidenceOf(path, text)?.engines, engines));
});

describe('engineFromPath: folders win, innermost first; then the file name', () => {
  const cases: [string, Engine | undefined][] = [
    ['db/clickhouse/migrations/01_init.sql', 'clickhouse'],
    ['store/migration/mysql/0.31/01__x.sql', 'mysql'],
    ['migrations/postgres/001.sql', 'postgresql'],
    ['sqlc/mysql/exec__go_postgresql__query.sql', 'mysql'],
    ['sqlc/skipped/x__mssql__schema.sql', 'mssql'],
    ['db/schema.sqlite.sql', 'sqlite'],
    ['db/pg/001.sql', 'postgresql'],
    ['src/databases/migrations/mysqldb/1620000000000-Init.ts', 'mysql'],
    ['src/databases/migrations/postgresdb/1620000000000-Init.ts', 'postgresql'],
    ['db/db_sqlite3/migrations/20170104220731_init.sql', 'sqlite'],
    ['db/charts/001.sql', undefined],
    ['migrations/0042_snowflake_ids.sql', undefined],
    ['warehouse/snowflake/models.sql', 'snowflake'],
    ['migrations/001_init.sql', undefined],
  ];
  for (const [path, engine] of cases) it(`${path} → ${engine ?? 'nothing'}`, () => assert.equal(engineFromPath(path)?.engines[0], engine));
});

describe('foreignSyntax', () => {
  it('ClickHouse, T-SQL, Oracle, CQL; not the supported dialects', () => {
    assert.equal(foreignSyntax('CREATE TABLE e (id UUID, n LowCardinality(String)) ENGINE = ReplacingMergeTree ORDER BY id;'), 'clickhouse');
    assert.equal(foreignSyntax('CREATE TABLE t (id INT IDENTITY(1,1) PRIMARY KEY, n NVARCHAR(MAX));\nGO\n'), 'mssql');
    assert.equal(foreignSyntax('CREATE TABLE t (id NUMBER(10), n VARCHAR2(20));'), 'oracle');
    assert.equal(foreignSyntax("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy'};"), 'cassandra');
    assert.equal(foreignSyntax('CREATE TABLE `t` (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;'), undefined);
    assert.equal(foreignSyntax('CREATE TABLE t (id bigserial PRIMARY KEY, doc jsonb);'), undefined);
  });
});

describe('detectEngine: the order of the evidence', () => {
  const ev = (engines: Engine[], scope = ''): { engines: Engine[]; source: string; scope: string } => ({ engines, source: 'test', scope });
  it('project evidence beats syntax guessing; folder names beat project evidence', () => {
    // `[x]` looks like SQLite to the syntax score, but the project only has a PostgreSQL driver
    assert.equal(detectEngine('migrations/001.sql', 'SELECT a[1] FROM t;', undefined, ev(['postgresql'])).engine, 'postgresql');
    assert.equal(detectEngine('db/mysql/001.sql', 'SELECT 1;', undefined, ev(['postgresql'])).engine, 'mysql');
  });
  it('several drivers: syntax decides among them only', () => {
    assert.equal(detectEngine('m/001.sql', 'CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);', undefined, ev(['postgresql', 'mysql'])).engine, 'postgresql'); // no SQLite driver
    assert.equal(detectEngine('m/001.sql', 'CREATE TABLE `t` (id INT AUTO_INCREMENT);', undefined, ev(['postgresql', 'mysql'])).engine, 'mysql');
  });
  it('ClickHouse syntax in a project that also has PostgreSQL; a project whose only database is unsupported', () => {
    assert.equal(detectEngine('m/002.sql', 'CREATE TABLE e (id UUID) ENGINE = MergeTree ORDER BY id;', undefined, ev(['postgresql', 'clickhouse'])).engine, 'clickhouse');
    assert.equal(detectEngine('m/002.sql', 'ALTER TABLE e ADD COLUMN x String;', undefined, ev(['clickhouse'])).engine, 'clickhouse');
  });
  it('a dialect comment and the setting still come first', () => {
    assert.equal(detectEngine('db/clickhouse/x.sql', '-- dialect: postgresql\nSELECT 1;', undefined).engine, 'postgresql');
    assert.equal(detectEngine('db/clickhouse/x.sql', 'SELECT 1;', 'mysql').engine, 'mysql');
  });
});

describe('DialectEvidence: per project folder', () => {
  const evidence = new DialectEvidence([
    { path: 'package.json', text: JSON.stringify({ dependencies: { pg: '8', '@clickhouse/client': '1' } }) },
    { path: 'services/legacy/package.json', text: JSON.stringify({ dependencies: { mysql2: '3' } }) },
    { path: 'services/other/package.json', text: JSON.stringify({ dependencies: { react: '18' } }) },
    { path: 'api/prisma/schema.prisma', text: 'datasource db {\n  provider = "sqlite"\n}\n' },
  ]);
  it('the nearest folder with evidence', () => {
    assert.deepEqual(evidence.forFile('db/001.sql')?.engines, ['postgresql', 'clickhouse']);
    assert.deepEqual(evidence.forFile('services/legacy/migrations/001.sql')?.engines, ['mysql']);
    assert.deepEqual(evidence.forFile('services/other/q.sql')?.engines, ['postgresql', 'clickhouse']);
    assert.deepEqual(evidence.forFile('api/migrations/001.sql')?.engines, ['sqlite']);
  });
});

describe('parseSqlFile: an unsupported engine is not parsed', () => {
  const parser = new StatementParser();
  before(() => parser.ready(['postgresql']));
  it('a TypeScript migration under a sqlite folder is SQLite whatever the workspace', () => {
    const f = parseSqlFile('src/migrations/sqlite/1620-Init.ts', "await queryRunner.query('CREATE TABLE `t` (`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL)');", parser, undefined, 'postgresql');
    assert.equal(f.dialect, 'sqlite');
    assert.equal(f.statements[0]?.error, undefined);
  });
  it('ClickHouse under db/clickhouse: no statements, no parse errors', () => {
    const f = parseSqlFile('db/clickhouse/schema.sql', 'CREATE TABLE e (id UUID) ENGINE = MergeTree ORDER BY id;\nALTER TABLE e ADD COLUMN x String AFTER id;', parser);
    assert.equal(f.statements.length, 0);
    assert.deepEqual(f.unsupported && { engine: f.unsupported.engine, scope: f.unsupported.scope }, { engine: 'clickhouse', scope: 'db/clickhouse' });
  });
});

ruleTests('sql-parse-error', {
  valid: [
    {
      name: 'MySQL-only syntax in a project whose package.json has mysql2 is parsed as MySQL',
      files: { 'package.json': JSON.stringify({ dependencies: { mysql2: '3' } }), 'migrations/001.sql': 'UPDATE t SET a = 1 WHERE id = 2 LIMIT 1;\nSELECT id FROM t LIMIT 1, 2;\n' },
    },
  ],
  invalid: [
    {
      name: 'one note per folder of ClickHouse SQL, on its first file; PostgreSQL beside it still parsed',
      files: {
        'package.json': JSON.stringify({ dependencies: { pg: '8', '@clickhouse/client': '1' } }),
        'db/clickhouse/schema.sql': 'CREATE TABLE e (id UUID, n LowCardinality(String)) ENGINE = MergeTree ORDER BY id;\n',
        'db/clickhouse/migrations/01_add.sql': 'ALTER TABLE e ADD COLUMN x String AFTER id;\n',
        'db/postgresql/001.sql': 'CREATE TABLE t (id int PRIMARY KEY);\nSELEC 1;\n',
      },
      errors: [
        { file: 'db/clickhouse/migrations/01_add.sql', line: 1, column: 1, message: /^2 ClickHouse SQL files under db\/clickhouse\/ not analysed \(the folder name db\/clickhouse says ClickHouse\)/ },
        { file: 'db/postgresql/001.sql', line: 2, column: 1, message: /near "SELEC"/ },
      ],
    },
  ],
});

test('a query file that names no dialect takes the dialect of its project schema files: the MySQL fix has no CONCURRENTLY', async () => {
  const { findings } = await auditSources([
    { path: 'db/migrations/001_init.sql', text: 'CREATE TABLE `orders` (`id` int NOT NULL AUTO_INCREMENT, `reference` varchar(32) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB;' },
    { path: 'db/query/orders.sql', text: "-- name: OrderByReference :one\nSELECT id FROM orders WHERE reference = 'ORD-1';\n" },
  ]);
  const f = findings.find((x) => x.ruleId === 'missing-index' && x.file === 'db/query/orders.sql');
  assert.ok(f, findings.map((x) => `${x.ruleId} ${x.file}`).join('\n'));
  const sql = f.fixes.flatMap((x) => x.changes).map((c) => c.create?.newText ?? (c.edits ?? []).map((e) => e.newText).join('')).join('\n');
  assert.match(sql, /CREATE INDEX orders_reference_idx ON orders \(reference\);/);
  assert.doesNotMatch(sql, /CONCURRENTLY/);
});

test('a portable query file read with its project dialect is not parsed again on an unchanged second run; without the schema it reverts', async () => {
  const { sqlAnalysis } = await import('../../../src/analyzers/sql/gather.js');
  const { parseSettings } = await import('../../../src/analyzers/index.js');
  const session = sqlAnalysis.createSession();
  await session.prepare();
  const { settings } = parseSettings('{}');
  const schema = { path: 'db/migrations/001_init.sql', text: 'CREATE TABLE `orders` (`id` int NOT NULL, `reference` varchar(32) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB;', hash: 'a' };
  const query = { path: 'db/query/orders.sql', text: "SELECT id FROM orders WHERE reference = 'x';\n", hash: 'b' };
  const pause = async (): Promise<void> => {};
  const first = await session.parse([schema, query], settings, pause);
  const second = await session.parse([schema, query], settings, pause);
  assert.equal(first[1].dialect, 'mysql');
  assert.equal(second[1], first[1], 'the same parsed file, not a new parse');
  const alone = await session.parse([query], settings, pause);
  assert.equal(alone[0].dialect, 'postgresql');
});
