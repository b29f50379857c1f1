import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createIndexFix, createIndexSql, indexName, placeNewIndex } from '../../../src/analyzers/sql/fixes.js';
import { quoteIdent } from '../../../src/analyzers/sql/ident.js';
import { parseSqlFile, StatementParser } from '../../../src/analyzers/sql/analyze.js';
import { Schema } from '../../../src/analyzers/sql/schema.js';
import type { Dialect } from '../../../src/analyzers/sql/types.js';

const parser = new StatementParser();
before(() => parser.ready(['postgresql']));

function schemaOf(files: Record<string, string>): { schema: Schema; parsed: ReturnType<typeof parseSqlFile>[] } {
  const parsed = Object.entries(files).map(([p, t]) => parseSqlFile(p, t, parser));
  return { schema: Schema.build(parsed.map((p) => p.fragment), 'postgresql'), parsed };
}

describe('quoteIdent', () => {
  const cases: [string, Dialect, string][] = [
    ['email', 'postgresql', 'email'],
    ['authorId', 'postgresql', '"authorId"'],
    ['user', 'postgresql', '"user"'],
    ['a"b', 'postgresql', '"a""b"'],
    ['Order Items', 'mysql', '`Order Items`'],
    ['OrderItems', 'mysql', 'OrderItems'],
    ['order', 'mysql', '`order`'],
    ['Title', 'sqlite', 'Title'],
    ['1st', 'sqlite', '"1st"'],
  ];
  for (const [name, dialect, expected] of cases) it(`${name} (${dialect}) → ${expected}`, () => assert.equal(quoteIdent(name, dialect), expected));
});

describe('indexName', () => {
  it('adds _1, _2 … past taken names', () => {
    assert.equal(indexName('t', ['a'], 'postgresql'), 't_a_idx');
    assert.equal(indexName('t', ['a'], 'postgresql', new Set(['t_a_idx'])), 't_a_idx_1');
    assert.equal(indexName('t', ['a'], 'postgresql', new Set(['t_a_idx', 't_a_idx_1'])), 't_a_idx_2');
  });
  it('stays within the identifier limit with a suffix', () => {
    const long = 'x'.repeat(80);
    const name = indexName(long, ['a'], 'postgresql', new Set([indexName(long, ['a'], 'postgresql')]));
    assert.ok(name.length <= 63 && name.endsWith('_idx_1'), name);
  });
});

describe('createIndexSql', () => {
  it('keeps the spelling of quoted PostgreSQL names', () => {
    const { schema } = schemaOf({ 'm.sql': 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "authorId" INTEGER NOT NULL);' });
    assert.equal(createIndexSql('post', ['authorid'], 'postgresql', 'post_authorid_idx', undefined, schema.table('post')), 'CREATE INDEX CONCURRENTLY post_authorid_idx ON "Post" ("authorId");');
  });
  it('qualifies a table outside the default schema', () => {
    const { schema } = schemaOf({ 'm.sql': 'CREATE TABLE app.users (id int PRIMARY KEY, name text);' });
    assert.equal(createIndexSql('users', ['name'], 'postgresql', 'users_name_idx', undefined, schema.table('users')), 'CREATE INDEX CONCURRENTLY users_name_idx ON app.users (name);');
  });
});

describe('placeNewIndex', () => {
  const now = new Date('2024-05-06T07:08:09Z');
  const place = (files: Record<string, string>, table: string): ReturnType<typeof placeNewIndex> => {
    const { schema, parsed } = schemaOf(files);
    return placeNewIndex(table, schema, parsed, 'slug', (p) => p in files, now);
  };
  const cases: { name: string; files: Record<string, string>; expected: ReturnType<typeof placeNewIndex> }[] = [
    { name: 'Prisma migration folders', files: { 'prisma/migrations/20240101120000_init/migration.sql': 'CREATE TABLE "Post" (id int);' }, expected: { kind: 'new-file', file: 'prisma/migrations/20240506070809_slug/migration.sql', tool: 'Prisma' } },
    { name: 'numbered with a separator', files: { 'db/migrations/001_init.sql': 'CREATE TABLE t (id int);', 'db/migrations/002_more.sql': 'SELECT 1;' }, expected: { kind: 'new-file', file: 'db/migrations/003_slug.sql', tool: 'numbered migrations' } },
    { name: 'numbered without a separator', files: { 'migrations/001.sql': 'CREATE TABLE t (id int);', 'migrations/002.sql': 'SELECT 1;' }, expected: { kind: 'new-file', file: 'migrations/003.sql', tool: 'numbered migrations' } },
    { name: 'numbered up/down pairs without a separator', files: { 'migrations/1.up.sql': 'CREATE TABLE t (id int);', 'migrations/1.down.sql': 'DROP TABLE t;' }, expected: { kind: 'new-file', file: 'migrations/2.up.sql', tool: 'up/down pairs (golang-migrate, sqlx)', down: 'migrations/2.down.sql' } },
    { name: 'timestamped', files: { 'db/migrations/20230101000000_init.sql': 'CREATE TABLE t (id int);' }, expected: { kind: 'new-file', file: 'db/migrations/20240506070809_slug.sql', tool: 'numbered migrations', sqlxStamp: true } },
    {
      name: 'a migrations folder without numbering gets a new timestamped file, and says why',
      files: { 'db/migrations/init.sql': 'CREATE TABLE t (id int);' },
      expected: { kind: 'new-file', file: 'db/migrations/20240506070809_slug.sql', why: "no migration tool's naming was recognised in db/migrations/, so the file is named by a timestamp: check that your tool picks it up" },
    },
    { name: 'a plain schema file gets the index appended', files: { 'db/schema.sql': 'CREATE TABLE t (id int);\n' }, expected: { kind: 'append', file: 'db/schema.sql', offset: 23 } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(place(c.files, c.name.startsWith('Prisma') ? 'post' : 't'), c.expected));
});

describe('createIndexFix: a new migration in the layout of the project\'s migration tool', () => {
  const now = new Date('2024-05-06T07:08:09Z');
  const PG_TABLE = 'CREATE TABLE posts (id serial PRIMARY KEY, user_id int NOT NULL);\n';
  const fixFor = (files: Record<string, string>, dialect: Dialect = 'postgresql', from?: string): ReturnType<typeof createIndexFix> => {
    const { schema, parsed } = schemaOf(files);
    return createIndexFix({ table: 'posts', keys: ['user_id'], dialect, schema, allFiles: parsed, textOf: (p) => files[p], reason: 'Indexes the foreign key.', now, ...(from ? { from } : {}) });
  };
  const up = '-- Indexes the foreign key.\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE INDEX CONCURRENTLY posts_user_id_idx ON posts (user_id);\n';
  const down = 'DROP INDEX CONCURRENTLY IF EXISTS posts_user_id_idx;\n';
  const created = (fix: ReturnType<typeof createIndexFix>): Record<string, string> => Object.fromEntries((fix?.changes ?? []).filter((c) => c.create).map((c) => [c.file, c.create!.newText]));
  const cases: { name: string; files: Record<string, string>; expected: Record<string, string>; title?: RegExp }[] = [
    {
      name: 'diesel: dated folder with up.sql, down.sql and metadata.toml (CONCURRENTLY outside the transaction)',
      files: { 'migrations/2024-01-01-000000_create_posts/up.sql': PG_TABLE, 'migrations/2024-01-01-000000_create_posts/down.sql': 'DROP TABLE posts;\n' },
      expected: {
        'migrations/2024-05-06-070809_posts_user_id_idx/up.sql': up,
        'migrations/2024-05-06-070809_posts_user_id_idx/down.sql': down,
        'migrations/2024-05-06-070809_posts_user_id_idx/metadata.toml': 'run_in_transaction = false\n',
      },
      title: /\(2024-05-06-070809_posts_user_id_idx\/up\.sql, diesel\)/,
    },
    {
      name: 'golang-migrate: NNNNNN_name.up.sql and .down.sql',
      files: { 'db/migrations/000001_init.up.sql': PG_TABLE, 'db/migrations/000001_init.down.sql': 'DROP TABLE posts;\n' },
      expected: { 'db/migrations/000002_posts_user_id_idx.up.sql': up, 'db/migrations/000002_posts_user_id_idx.down.sql': down },
    },
    {
      name: 'Prisma: migrations/<timestamp>_name/migration.sql, no down',
      files: { 'prisma/migrations/20240101120000_init/migration.sql': PG_TABLE },
      expected: { 'prisma/migrations/20240506070809_posts_user_id_idx/migration.sql': up },
    },
    {
      name: 'goose: one file with Up and Down sections, outside the transaction',
      files: { 'db/migrations/20240101120000_init.sql': `-- +goose Up\n${PG_TABLE}\n-- +goose Down\nDROP TABLE posts;\n` },
      expected: { 'db/migrations/20240506070809_posts_user_id_idx.sql': '-- Indexes the foreign key.\n-- +goose Up\n-- +goose NO TRANSACTION\nCREATE INDEX CONCURRENTLY posts_user_id_idx ON posts (user_id);\n\n-- +goose Down\nDROP INDEX CONCURRENTLY IF EXISTS posts_user_id_idx;\n' },
      title: /goose/,
    },
    {
      name: 'dbmate: migrate:up and migrate:down sections',
      files: { 'db/migrations/20240101120000_init.sql': `-- migrate:up\n${PG_TABLE}\n-- migrate:down\nDROP TABLE posts;\n` },
      expected: { 'db/migrations/20240506070809_posts_user_id_idx.sql': '-- Indexes the foreign key.\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY posts_user_id_idx ON posts (user_id);\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS posts_user_id_idx;\n' },
    },
    {
      name: 'Flyway: V<n>__name.sql',
      files: { 'src/main/resources/db/migration/V1__init.sql': PG_TABLE, 'src/main/resources/db/migration/V2__more.sql': 'SELECT 1;\n' },
      expected: { 'src/main/resources/db/migration/V3__posts_user_id_idx.sql': up },
    },
    {
      name: 'sqlx: <timestamp>_name.sql, first line -- no-transaction (sqlx runs migrations in a transaction otherwise)',
      files: { 'migrations/20240101120000_init.sql': PG_TABLE },
      expected: { 'migrations/20240506070809_posts_user_id_idx.sql': `-- no-transaction\n${up}` },
    },
    {
      name: 'knex: a JavaScript migration, outside the transaction',
      files: { 'db/migrations/20240101120000_init.js': "exports.up = (knex) => knex.raw('CREATE TABLE posts (id serial PRIMARY KEY, user_id int NOT NULL)');\n" },
      expected: {
        'db/migrations/20240506070809_posts_user_id_idx.js': "// Indexes the foreign key.\nexports.config = { transaction: false };\nexports.up = (knex) => knex.schema.raw('CREATE INDEX CONCURRENTLY posts_user_id_idx ON posts (user_id);');\nexports.down = (knex) => knex.schema.raw('DROP INDEX CONCURRENTLY IF EXISTS posts_user_id_idx;');\n",
      },
      title: /knex/,
    },
    {
      name: 'Sequelize: a queryInterface migration with its down',
      files: { 'migrations/20240101120000-init.js': "module.exports = { up: async (queryInterface) => { await queryInterface.sequelize.query('CREATE TABLE posts (id serial PRIMARY KEY, user_id int NOT NULL)'); } };\n" },
      expected: {
        'migrations/20240506070809-posts_user_id_idx.js': "'use strict';\n\n// Indexes the foreign key.\nmodule.exports = {\n  async up(queryInterface) {\n    await queryInterface.addIndex('posts', ['user_id'], { name: 'posts_user_id_idx', concurrently: true });\n  },\n  async down(queryInterface) {\n    await queryInterface.removeIndex('posts', 'posts_user_id_idx', { concurrently: true });\n  },\n};\n",
      },
      title: /Sequelize/,
    },
    {
      name: 'versioned folders (memos): the newest version, numbered after its files; LATEST.sql gets it too',
      files: {
        'store/migration/mysql/0.9/00__init.sql': 'CREATE TABLE posts (id INT PRIMARY KEY, user_id INT NOT NULL);\n',
        'store/migration/mysql/0.10/00__a.sql': 'SELECT 1;\n',
        'store/migration/mysql/0.10/01__b.sql': 'SELECT 1;\n',
        'store/migration/mysql/LATEST.sql': 'CREATE TABLE posts (id INT PRIMARY KEY, user_id INT NOT NULL);\n',
      },
      expected: { 'store/migration/mysql/0.10/02__posts_user_id_idx.sql': '-- Indexes the foreign key.\nCREATE INDEX posts_user_id_idx ON posts (user_id);\n' },
      title: /02__posts_user_id_idx\.sql, versioned migration folders \(0\.10\)\) and in LATEST\.sql/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const dialect: Dialect = c.name.startsWith('versioned') ? 'mysql' : 'postgresql';
      const fix = fixFor(c.files, dialect);
      assert.deepEqual(created(fix), c.expected);
      if (c.title) assert.match(fix!.title, c.title);
    });
  }
  it('versioned folders: the LATEST.sql edit follows the table', () => {
    const files = {
      'store/migration/mysql/0.9/00__init.sql': 'CREATE TABLE posts (id INT PRIMARY KEY, user_id INT NOT NULL);\n',
      'store/migration/mysql/0.10/00__a.sql': 'SELECT 1;\n',
      'store/migration/mysql/LATEST.sql': 'CREATE TABLE posts (id INT PRIMARY KEY, user_id INT NOT NULL);\nCREATE TABLE x (id INT PRIMARY KEY);\n',
    };
    const fix = fixFor(files, 'mysql')!;
    const edit = fix.changes.find((ch) => ch.file === 'store/migration/mysql/LATEST.sql')!;
    assert.equal(edit.edits![0].newText, '\n\nCREATE INDEX posts_user_id_idx ON posts (user_id);');
    assert.equal(edit.edits![0].span.start, files['store/migration/mysql/LATEST.sql'].indexOf(';') + 1);
  });
});

describe('createIndexFix: the fix edits a file of the finding\'s dialect, with columns that exist there', () => {
  const now = new Date('2024-05-06T07:08:09Z');
  const files = {
    'chinook/Chinook_PostgreSql.sql': 'CREATE TABLE artist (artist_id int PRIMARY KEY);\nCREATE TABLE album (album_id int PRIMARY KEY, artist_id int NOT NULL REFERENCES artist (artist_id));\n',
    'chinook/Chinook_Sqlite.sql': 'CREATE TABLE [Artist] ([ArtistId] INTEGER PRIMARY KEY);\nCREATE TABLE [Album] ([AlbumId] INTEGER PRIMARY KEY, [ArtistId] INTEGER NOT NULL REFERENCES [Artist] ([ArtistId]));\n',
  };
  const fix = (dialect: Dialect, keys: string[], from: string): ReturnType<typeof createIndexFix> => {
    const { schema, parsed } = schemaOf(files);
    return createIndexFix({ table: 'album', keys, dialect, schema, allFiles: parsed, textOf: (p) => (files as Record<string, string>)[p], reason: 'r', now, from });
  };
  it('a PostgreSQL finding gets its fix in the PostgreSQL file', () => {
    const f = fix('postgresql', ['artist_id'], 'chinook/Chinook_PostgreSql.sql')!;
    assert.deepEqual(f.changes.map((c) => c.file), ['chinook/Chinook_PostgreSql.sql']);
    assert.match(f.changes[0].edits![0].newText, /CREATE INDEX album_artist_id_idx ON album \(artist_id\);/);
  });
  it('a SQLite finding gets its fix in the SQLite file, spelled as there', () => {
    const f = fix('sqlite', ['artistid'], 'chinook/Chinook_Sqlite.sql')!;
    assert.deepEqual(f.changes.map((c) => c.file), ['chinook/Chinook_Sqlite.sql']);
    assert.match(f.changes[0].edits![0].newText, /CREATE INDEX album_artistid_idx ON Album \(ArtistId\);/);
  });
  it('no fix naming a column the target table does not have', () => {
    assert.equal(fix('sqlite', ['artist_id'], 'chinook/Chinook_Sqlite.sql'), undefined);
  });
  it('no fix when no file of the finding\'s dialect defines the table', () => {
    assert.equal(fix('mysql', ['artist_id'], 'mysql/q.sql'), undefined);
  });
});
