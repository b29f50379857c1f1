/** knex-style `?` placeholders numbered for the PostgreSQL parser, with offsets mapped back. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numberNamedPlaceholders, numberQuestionPlaceholders, toPostgresSpelling } from '../../../src/analyzers/sql/placeholders.js';
import { createPostgresParser, loadPostgresParser } from '../../../src/analyzers/sql/dialects/postgres.js';

const cases: { name: string; sql: string; out: string | undefined }[] = [
  { name: 'values', sql: 'SELECT id FROM t WHERE c = ? AND d IN (?, ?) LIMIT ?', out: 'SELECT id FROM t WHERE c = $1 AND d IN ($2, $3) LIMIT $4' },
  { name: 'no space around the comparison, cast', sql: 'SELECT id FROM t WHERE c=? AND d<>?::int', out: 'SELECT id FROM t WHERE c=$1 AND d<>$2::int' },
  { name: 'numbered after existing $n', sql: 'SELECT id FROM t WHERE c = $2 AND d = ?', out: 'SELECT id FROM t WHERE c = $2 AND d = $3' },
  { name: 'strings, E-strings, dollar quotes, quoted identifiers and comments are left alone', sql: "SELECT '?', E'\\'?', $$?$$, $q$?$q$, \"a?\" FROM t -- ?\n/* ? /* ? */ */ WHERE c = ?", out: "SELECT '?', E'\\'?', $$?$$, $q$?$q$, \"a?\" FROM t -- ?\n/* ? /* ? */ */ WHERE c = $1" },
  { name: 'jsonb ?| ?& @? and ? before a string are operators', sql: "SELECT id FROM t WHERE data ?| array['a'] AND data ?& array['b'] AND data @? '$.a' AND data ? 'k' AND c = ?", out: "SELECT id FROM t WHERE data ?| array['a'] AND data ?& array['b'] AND data @? '$.a' AND data ? 'k' AND c = $1" },
  { name: "knex's escaped \\? is the operator", sql: 'SELECT id FROM t WHERE data \\? ?', out: 'SELECT id FROM t WHERE data  ? $1' },
  { name: "knex's ?? (identifier binding) is not a value", sql: 'SELECT ?? FROM t', out: undefined },
  { name: 'nothing to number', sql: "SELECT id FROM t WHERE data ? 'k'", out: undefined },
];

for (const c of cases) {
  test(`numberQuestionPlaceholders: ${c.name}`, () => {
    assert.equal(numberQuestionPlaceholders(c.sql)?.text, c.out);
  });
}

test('numberQuestionPlaceholders: offsets map back through $10 and longer', () => {
  const sql = `SELECT id FROM t WHERE a IN (${Array(11).fill('?').join(', ')}) AND c = ?`;
  const r = numberQuestionPlaceholders(sql)!;
  assert.equal(r.count, 12);
  assert.match(r.text, /\$9, \$10, \$11\) AND c = \$12$/);
  // every character outside a placeholder maps to the same character
  for (let o = 0; o <= r.text.length; o++) {
    const back = r.toOriginal(o);
    if (o < r.text.length && r.text[o] !== '$' && !/\d/.test(r.text[o])) assert.equal(sql[back], r.text[o], `offset ${o}`);
  }
  const c = r.text.lastIndexOf(' c ') + 1;
  assert.equal(r.toOriginal(c), sql.lastIndexOf(' c ') + 1);
  // inside `$12` → the `?`; right after it → after the `?`
  const p = r.text.lastIndexOf('$12');
  assert.equal(r.toOriginal(p + 1), sql.length - 1);
  assert.equal(r.toOriginal(p + 3), sql.length);
});

test('numberQuestionPlaceholders: the result parses as PostgreSQL', async () => {
  await loadPostgresParser();
  const pg = createPostgresParser();
  for (const c of cases) {
    if (c.out === undefined) continue;
    assert.ok(pg.parseStatement(c.sql).error, `original should not parse: ${c.sql}`);
    assert.equal(pg.parseStatement(c.out).error, undefined, c.out);
  }
});

test('parseSqlFile: a knex.raw statement with ? parses in PostgreSQL, its spans in the host file', async () => {
  const { parseSqlFile, StatementParser } = await import('../../../src/analyzers/sql/analyze.js');
  const parser = new StatementParser();
  await parser.ready(['postgresql']);
  const host = "const rows = await knex.raw(\n  'SELECT id FROM t WHERE a IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) AND c = ? AND d = ?',\n  binds,\n);\n";
  const file = parseSqlFile('src/a.ts', host, parser, 'postgresql');
  assert.equal(file.statements.length, 1);
  const st = file.statements[0];
  assert.equal(st.error, undefined);
  assert.equal(st.text, "SELECT id FROM t WHERE a IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) AND c = ? AND d = ?");
  assert.deepEqual(st.query!.uses.map((u) => `${u.column}:${host.slice(u.span.start, u.span.end)}@${u.span.start}`), ['a:a@55', 'c:c@95', 'd:d@105']);
  assert.equal(host.slice(st.span.start, st.span.end), st.text);
});

const named: { name: string; sql: string; out: string | undefined }[] = [
  { name: ':name (Sequelize, knex, TypeORM, SQLAlchemy)', sql: 'SELECT id FROM t WHERE a = :userId AND b IN (:ids) AND c = ANY(ARRAY[:list]::uuid[])', out: 'SELECT id FROM t WHERE a = $1 AND b IN ($2) AND c = ANY(ARRAY[$3]::uuid[])' },
  { name: 'casts, := and slices are SQL', sql: 'SELECT x::int, (a)[1:n], a[lo:hi] FROM t WHERE b = :p', out: 'SELECT x::int, (a)[1:n], a[lo:hi] FROM t WHERE b = $1' },
  { name: '@p1, %s, %(name)s and {{ }}, after existing $n', sql: 'SELECT id FROM t WHERE a = $1 AND b = @p1 AND c = %s AND d = %(name)s AND e = {{ user.id }}', out: 'SELECT id FROM t WHERE a = $1 AND b = $2 AND c = $3 AND d = $4 AND e = $5' },
  { name: 'strings, identifiers and comments are left alone', sql: "SELECT ':a', \":b\", $$:c$$ FROM t -- :d\nWHERE e = :e", out: "SELECT ':a', \":b\", $$:c$$ FROM t -- :d\nWHERE e = $1" },
  { name: 'nothing to rewrite', sql: 'SELECT a::text FROM t', out: undefined },
];
for (const c of named) {
  test(`numberNamedPlaceholders: ${c.name}`, () => {
    assert.equal(numberNamedPlaceholders(c.sql)?.text, c.out);
  });
}

test('numberNamedPlaceholders: offsets map back past longer and shorter placeholders', () => {
  const sql = 'SELECT id FROM t WHERE a = :longName AND b = %(x)s AND c = 1';
  const r = numberNamedPlaceholders(sql)!;
  assert.equal(r.text, 'SELECT id FROM t WHERE a = $1 AND b = $2 AND c = 1');
  assert.equal(r.toOriginal(r.text.indexOf('c = 1')), sql.indexOf('c = 1'));
  assert.equal(r.toOriginal(r.text.indexOf('$2') + 1), sql.indexOf('%(x)s'));
});

test('toPostgresSpelling: MySQL and SQLite quoting for a second opinion', () => {
  assert.equal(toPostgresSpelling("SELECT `a` FROM `t` WHERE b = 'it\\'s' AND c = ?", 'mysql'), "SELECT \"a\" FROM \"t\" WHERE b = 'it''s' AND c = $1");
  assert.equal(toPostgresSpelling('SELECT [a b] FROM [t]', 'sqlite'), 'SELECT "a b" FROM "t"');
});
