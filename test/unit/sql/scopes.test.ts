import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { parseSqlFile, StatementParser } from '../../../src/analyzers/sql/analyze.js';
import { pathDialect, readManifest, SchemaScopes } from '../../../src/analyzers/sql/scopes.js';
import type { SchemaFragment } from '../../../src/analyzers/sql/types.js';

const parser = new StatementParser();
before(() => parser.ready(['postgresql']));

/** Scopes from a workspace (path → text): SQL/Prisma files parsed statement by statement, package.json files read. */
function scopesOf(files: Record<string, string>): SchemaScopes {
  const fragments: SchemaFragment[] = [];
  const manifests = new Map<string, ReturnType<typeof readManifest>>();
  const dialects = new Map<string, ReturnType<typeof parseSqlFile>['dialect'] | undefined>();
  for (const [path, text] of Object.entries(files)) {
    if (path.endsWith('package.json')) {
      manifests.set(path, readManifest(text));
      continue;
    }
    const p = parseSqlFile(path, text, parser);
    dialects.set(path, p.kind === 'prisma' ? p.fragment.dialect : p.dialect);
    if (p.kind === 'prisma') fragments.push(p.fragment);
    else for (const st of p.statements) if (st.schema) fragments.push({ ...st.schema, file: path });
  }
  return SchemaScopes.build(fragments, Object.keys(files), manifests, undefined, (p) => dialects.get(p));
}

describe('schema scopes', () => {
  it('names the dialect of a folder or of a file named after one, not of a numbered migration', () => {
    assert.equal(pathDialect('store/migration/sqlite/0.2/00__x.sql'), 'sqlite');
    assert.equal(pathDialect('db/db_mysql/migrations/1.sql'), 'mysql');
    assert.equal(pathDialect('sqlite.sql'), 'sqlite');
    assert.equal(pathDialect('Chinook_PostgreSql.sql'), 'postgresql');
    assert.equal(pathDialect('migrations/001_pg_trgm.sql'), undefined);
    assert.equal(pathDialect('schema.sql'), undefined);
  });

  it('gives each dialect folder its own schema', () => {
    const s = scopesOf({
      'go.mod': 'module x',
      'store/migration/mysql/LATEST.sql': 'CREATE TABLE memo (id INT PRIMARY KEY, body TEXT);',
      'store/migration/sqlite/LATEST.sql': 'CREATE TABLE memo (id INTEGER PRIMARY KEY);\nCREATE TABLE tag (id INTEGER PRIMARY KEY);',
    });
    assert.deepEqual([...s.schemaFor('store/migration/mysql/LATEST.sql').tables.keys()], ['memo']);
    assert.deepEqual([...s.schemaFor('store/migration/sqlite/LATEST.sql').tables.keys()].sort(), ['memo', 'tag']);
    assert.equal(s.schemaFor('store/migration/mysql/LATEST.sql').dialect, 'mysql');
    // Queries in the project pick the scope of their own dialect.
    assert.ok(s.schemaFor('store/db/sqlite/memo.sql', 'sqlite').tables.has('tag'));
  });

  it('lets an app see the schema of the workspace package it depends on, and not another project\'s', () => {
    const s = scopesOf({
      'package.json': '{"name":"root","private":true}',
      'packages/prisma/package.json': '{"name":"@acme/prisma"}',
      'packages/prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DB")\n}\nmodel Doc {\n  id Int @id\n}\n',
      'packages/lib/package.json': '{"name":"@acme/lib","dependencies":{"@acme/prisma":"*"}}',
      'apps/web/package.json': '{"name":"web","dependencies":{"@acme/lib":"*"}}',
      'apps/other/package.json': '{"name":"other"}',
      'apps/other/db/schema.sql': 'CREATE TABLE audit (id int PRIMARY KEY);',
    });
    assert.ok(s.schemaFor('packages/lib/src/docs.ts').tables.has('doc'));
    assert.ok(s.schemaFor('apps/web/src/page.ts').tables.has('doc'), 'through @acme/lib');
    assert.ok(!s.schemaFor('apps/web/src/page.ts').tables.has('audit'));
    assert.ok(s.schemaFor('apps/other/src/a.ts').tables.has('audit'));
    assert.ok(!s.schemaFor('apps/other/src/a.ts').tables.has('doc'));
  });

  it('falls back to the only scope of the workspace', () => {
    const s = scopesOf({ 'db/schema.sql': 'CREATE TABLE t (id int PRIMARY KEY);', 'server/package.json': '{"name":"server"}' });
    assert.ok(s.schemaFor('server/src/q.ts').tables.has('t'));
  });
});

describe('migration replay', () => {
  const only = (files: Record<string, string>): ReturnType<SchemaScopes['schemaFor']> => scopesOf(files).schemaFor(Object.keys(files)[0]);

  it('MySQL: RENAME TABLE, CHANGE COLUMN, DROP FOREIGN KEY / PRIMARY KEY, MODIFY … NOT NULL', () => {
    const s = only({
      'db/mysql/001.sql': 'CREATE TABLE a (id INT PRIMARY KEY, p INT NULL, CONSTRAINT a_p FOREIGN KEY (p) REFERENCES q (id)) ENGINE=InnoDB;',
      'db/mysql/002.sql': 'RENAME TABLE a TO b;\nALTER TABLE b CHANGE COLUMN p q_id INT NOT NULL;\nALTER TABLE b DROP FOREIGN KEY a_p, DROP PRIMARY KEY;',
    });
    assert.deepEqual([...s.tables.keys()], ['b']);
    assert.deepEqual(s.tables.get('b')!.columns.map((c) => [c.name, c.notNull]), [['id', true], ['q_id', true]]);
    assert.equal(s.tables.get('b')!.hasPrimaryKey, false);
    assert.equal(s.foreignKeys.length, 0);
  });

  it('SQLite: RENAME COLUMN, DROP COLUMN, ALTER TABLE … RENAME TO', () => {
    const s = only({
      'db/sqlite/001.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY, u INTEGER REFERENCES users (id), gone TEXT);\nCREATE INDEX a_gone ON a (gone);',
      'db/sqlite/002.sql': 'ALTER TABLE a RENAME COLUMN u TO user_id;\nALTER TABLE a DROP COLUMN gone;\nALTER TABLE a RENAME TO b;',
    });
    assert.deepEqual(s.tables.get('b')!.columns.map((c) => c.name), ['id', 'user_id']);
    assert.deepEqual(s.foreignKeys.map((f) => [f.table, f.columns]), [['b', ['user_id']]]);
    assert.deepEqual(s.indexesOf('b').map((i) => i.origin), ['primary-key']);
  });

  it('PostgreSQL: ALTER INDEX … RENAME then DROP INDEX by the new name; RENAME CONSTRAINT then DROP CONSTRAINT', () => {
    const s = only({
      'm/001.sql': 'CREATE TABLE a (id int PRIMARY KEY, p int REFERENCES p (id));\nCREATE INDEX a_p ON a (p);',
      'm/002.sql': 'ALTER INDEX a_p RENAME TO a_p_idx;\nDROP INDEX a_p_idx;\nALTER TABLE a RENAME CONSTRAINT a_p_fkey TO a_parent_fk;\nALTER TABLE a DROP CONSTRAINT a_parent_fk;',
    });
    assert.deepEqual(s.indexesOf('a').map((i) => i.origin), ['primary-key']);
    assert.equal(s.foreignKeys.length, 0);
  });
});

describe('down sections', () => {
  it('finds the markers of goose, sql-migrate, dbmate, Play and MyBatis, and nothing in plain SQL', async () => {
    const { downSectionStart } = await import('../../../src/analyzers/sql/rollback.js');
    assert.equal(downSectionStart('-- +goose Up\nCREATE TABLE t (a int);\n-- +goose Down\nDROP TABLE t;'), 37);
    assert.ok(downSectionStart('-- +migrate Up\nx;\n-- +migrate Down\ny;') !== undefined);
    assert.ok(downSectionStart('-- migrate:up\nx;\n-- migrate:down\ny;') !== undefined);
    assert.ok(downSectionStart('# --- !Ups\nx;\n# --- !Downs\ny;') !== undefined);
    assert.ok(downSectionStart('x;\n-- //@UNDO\ny;') !== undefined);
    assert.equal(downSectionStart('-- the down side of this: none\nCREATE TABLE t (a int);'), undefined);
  });
});

describe('down functions of JS/TS migrations', () => {
  it('spans each down function up to the next up, in either order', async () => {
    const { codeDownRanges } = await import('../../../src/analyzers/sql/rollback.js');
    const knex = 'exports.up = function (knex) { return knex.raw("CREATE TABLE t (id int)"); };\nexports.down = function (knex) { return knex.raw("DROP TABLE t"); };\n';
    const k = codeDownRanges(knex);
    assert.equal(k.length, 1);
    assert.ok(knex.slice(k[0].start).startsWith('down = function') && k[0].end === knex.length);
    const sequelize = 'module.exports = {\n  down: async (qi) => { await qi.sequelize.query("DROP TABLE t"); },\n  up: async (qi) => { await qi.sequelize.query("CREATE TABLE t (id int)"); },\n};';
    const r = codeDownRanges(sequelize);
    assert.equal(r.length, 1);
    assert.ok(sequelize.slice(r[0].start, r[0].end).includes('DROP TABLE') && !sequelize.slice(r[0].start, r[0].end).includes('CREATE'));
    const typeorm = 'export class M implements MigrationInterface {\n  public async up(q: QueryRunner) { await q.query(`CREATE TABLE t (id int)`); }\n  public async down(q: QueryRunner) { await q.query(`DROP TABLE t`); }\n}';
    assert.ok(typeorm.slice(codeDownRanges(typeorm)[0].start).startsWith('down('));
    assert.deepEqual(codeDownRanges('const setup = () => lookup(1);'), []);
  });
});

describe('renames keep the new name\'s spelling', () => {
  it('for quoted mixed-case names (used when a fix writes SQL)', () => {
    const s = scopesOf({ 'm/001.sql': 'CREATE TABLE "Post" ("id" int PRIMARY KEY, "authorId" int);\nALTER TABLE "Post" RENAME COLUMN "authorId" TO "ownerId";\nALTER TABLE "Post" RENAME TO "Article";' }).schemaFor('m/001.sql');
    const t = s.tables.get('article')!;
    assert.equal(t.spelling, 'Article');
    assert.deepEqual(t.columns.map((c) => c.spelling ?? c.name), ['id', 'ownerId']);
  });
});
