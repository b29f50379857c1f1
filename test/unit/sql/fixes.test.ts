import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createIndexSql, indexName, placeNewIndex } from '../../../src/analyzers/sql/fixes.js';
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
    { name: 'Prisma migration folders', files: { 'prisma/migrations/20240101120000_init/migration.sql': 'CREATE TABLE "Post" (id int);' }, expected: { kind: 'new-file', file: 'prisma/migrations/20240506070809_slug/migration.sql' } },
    { name: 'numbered with a separator', files: { 'db/migrations/001_init.sql': 'CREATE TABLE t (id int);', 'db/migrations/002_more.sql': 'SELECT 1;' }, expected: { kind: 'new-file', file: 'db/migrations/003_slug.sql' } },
    { name: 'numbered without a separator', files: { 'migrations/001.sql': 'CREATE TABLE t (id int);', 'migrations/002.sql': 'SELECT 1;' }, expected: { kind: 'new-file', file: 'migrations/003.sql' } },
    { name: 'numbered up/down pairs without a separator', files: { 'migrations/1.up.sql': 'CREATE TABLE t (id int);', 'migrations/1.down.sql': 'DROP TABLE t;' }, expected: { kind: 'new-file', file: 'migrations/2.up.sql' } },
    { name: 'timestamped', files: { 'db/migrations/20230101000000_init.sql': 'CREATE TABLE t (id int);' }, expected: { kind: 'new-file', file: 'db/migrations/20240506070809_slug.sql' } },
    { name: 'a migrations folder without numbering gets a new timestamped file', files: { 'db/migrations/init.sql': 'CREATE TABLE t (id int);' }, expected: { kind: 'new-file', file: 'db/migrations/20240506070809_slug.sql' } },
    { name: 'a plain schema file gets the index appended', files: { 'db/schema.sql': 'CREATE TABLE t (id int);\n' }, expected: { kind: 'append', file: 'db/schema.sql', offset: 23 } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(place(c.files, c.name.startsWith('Prisma') ? 'post' : 't'), c.expected));
});
