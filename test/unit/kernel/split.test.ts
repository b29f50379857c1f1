import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitStatements } from '../../../src/analyzers/sql/split.js';
import type { Dialect } from '../../../src/analyzers/sql/types.js';

const cases: { name: string; dialect: Dialect; sql: string; expected: string[] }[] = [
  { name: 'simple', dialect: 'postgresql', sql: 'SELECT 1; SELECT 2;', expected: ['SELECT 1', 'SELECT 2'] },
  { name: 'semicolons in strings and comments', dialect: 'postgresql', sql: "SELECT ';'; -- a;b\nSELECT 2 /* ; */;", expected: ["SELECT ';'", 'SELECT 2 /* ; */'] },
  { name: 'dollar quoting', dialect: 'postgresql', sql: 'CREATE FUNCTION f() RETURNS int AS $body$ BEGIN; RETURN 1; END $body$ LANGUAGE plpgsql;\nSELECT $$;$$;', expected: ['CREATE FUNCTION f() RETURNS int AS $body$ BEGIN; RETURN 1; END $body$ LANGUAGE plpgsql', 'SELECT $$;$$'] },
  { name: 'nested block comments (PostgreSQL)', dialect: 'postgresql', sql: '/* a /* b; */ c; */ SELECT 1;', expected: ['SELECT 1'] },
  { name: 'E-strings with backslash escapes', dialect: 'postgresql', sql: "SELECT E'\\';'; SELECT 2", expected: ["SELECT E'\\';'", 'SELECT 2'] },
  { name: 'MySQL DELIMITER blocks', dialect: 'mysql', sql: 'DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET x = 1; END;;\nDELIMITER ;\nSELECT 1;', expected: ['CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET x = 1; END', 'SELECT 1'] },
  { name: 'MySQL # comments and backslash strings', dialect: 'mysql', sql: "# x;\nSELECT 'a\\';b'; SELECT `a;b`;", expected: ["SELECT 'a\\';b'", 'SELECT `a;b`'] },
  { name: 'SQLite trigger bodies', dialect: 'sqlite', sql: 'CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = 1; DELETE FROM c; END;\nSELECT [a;b] FROM t;', expected: ['CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = 1; DELETE FROM c; END', 'SELECT [a;b] FROM t'] },
  { name: 'unterminated quote runs to the end without throwing', dialect: 'postgresql', sql: "SELECT 1; SELECT 'oops", expected: ['SELECT 1', "SELECT 'oops"] },
  { name: 'only comments', dialect: 'postgresql', sql: '-- nothing\n/* here */', expected: [] },
  {
    name: 'PostgreSQL 14 BEGIN ATOMIC bodies (with CASE … END and comments inside) are one statement',
    dialect: 'postgresql',
    sql: 'CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  -- the second; with a semicolon\n  SELECT 2;\nEND;\nSELECT 3;',
    expected: ['CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  -- the second; with a semicolon\n  SELECT 2;\nEND', 'SELECT 3'],
  },
  { name: 'a BEGIN ATOMIC that is not a routine body does not hold statements together', dialect: 'postgresql', sql: "SELECT 'BEGIN ATOMIC'; SELECT 2;", expected: ["SELECT 'BEGIN ATOMIC'", 'SELECT 2'] },
  { name: '-- name: comments (yesql, goyesql, sqlc) start a query even after one without ;', dialect: 'postgresql', sql: '-- name: a\nSELECT 1\n\n-- name: b\nSELECT 2;\n-- a comment; not a name\nSELECT 3', expected: ['SELECT 1', 'SELECT 2', 'SELECT 3'] },
  { name: 'DO blocks', dialect: 'postgresql', sql: "DO $$ BEGIN IF true THEN RAISE NOTICE 'x;'; END IF; END $$;\nSELECT 1;", expected: ["DO $$ BEGIN IF true THEN RAISE NOTICE 'x;'; END IF; END $$", 'SELECT 1'] },
];

for (const c of cases) {
  test(`splitStatements: ${c.name}`, () => {
    const out = splitStatements(c.sql, c.dialect);
    assert.deepEqual(out.map((s) => s.text), c.expected);
    for (const s of out) assert.equal(c.sql.slice(s.span.start, s.span.end), s.text);
  });
}

test('splitStatements is linear on a large input', () => {
  const sql = 'SELECT a FROM t WHERE b = 1;\n'.repeat(50_000);
  assert.equal(splitStatements(sql, 'postgresql').length, 50_000);
});

test('extraValueRows spans every row after the first, and nothing else', async () => {
  const { extraValueRows } = await import('../../../src/analyzers/sql/analyze.js');
  const rows = Array.from({ length: 200 }, (_, i) => `(${i}, 'a''b,(c)', "x")`).join(',\n');
  const sql = `INSERT INTO t (a, b, c) VALUES ${rows} ON DUPLICATE KEY UPDATE a = 1`;
  const r = extraValueRows(sql)!;
  assert.equal(sql.slice(0, r.start), "INSERT INTO t (a, b, c) VALUES (0, 'a''b,(c)', \"x\")");
  assert.equal(sql.slice(r.end), ' ON DUPLICATE KEY UPDATE a = 1');
  assert.ok(sql.slice(r.start, r.end).startsWith(',\n(1,'));
  assert.equal(extraValueRows('SELECT 1'), undefined);
  assert.equal(extraValueRows("INSERT INTO t VALUES (1, 'short')"), undefined, 'short statements are left alone');
});

test('extraValueRows reads string literals the way each dialect does', async () => {
  const { extraValueRows } = await import('../../../src/analyzers/sql/analyze.js');
  const pad = ', (0)'.repeat(400);
  const head = (sql: string, d: 'postgresql' | 'mysql' | 'sqlite'): string | undefined => {
    const r = extraValueRows(sql, d);
    return r && sql.slice(0, r.start);
  };
  // PostgreSQL: a backslash escapes only inside E'…'; SQLite never; MySQL always.
  assert.equal(head(`INSERT INTO t (a) VALUES ('C:\\'), (E'it\\'s'), ('x')${pad}`, 'postgresql'), "INSERT INTO t (a) VALUES ('C:\\')");
  assert.equal(head(`INSERT INTO t (a) VALUES (E'it\\'s'), ('x')${pad}`, 'postgresql'), "INSERT INTO t (a) VALUES (E'it\\'s')");
  assert.equal(head(`INSERT INTO t (a) VALUES ('C:\\'), ('x')${pad}`, 'sqlite'), "INSERT INTO t (a) VALUES ('C:\\')");
  assert.equal(head(`INSERT INTO t (a) VALUES ('it\\'s'), ('x')${pad}`, 'mysql'), "INSERT INTO t (a) VALUES ('it\\'s')");
  // a dollar-quoted value is not followed: the statement is left whole
  assert.equal(extraValueRows(`INSERT INTO t (a) VALUES ($$x)$$)${pad}`, 'postgresql'), undefined);
  // something that is not a row ends the scan: what follows stays for the parser
  const tail = `INSERT INTO t (a) VALUES (1)${pad} RETURNING a`;
  assert.equal(tail.slice(extraValueRows(tail, 'postgresql')!.end), ' RETURNING a');
});

test('a long INSERT parses with its rows cut out, and a syntax error is the parser\'s own, at its place', async () => {
  const { StatementParser } = await import('../../../src/analyzers/sql/analyze.js');
  const p = new StatementParser();
  await p.ready(['postgresql']);
  const rows = Array.from({ length: 300 }, (_, i) => `(${i}, 'v${i}')`);
  const good = `INSERT INTO t (a, b) VALUES ${rows.join(', ')}`;
  for (const d of ['postgresql', 'mysql', 'sqlite'] as const) assert.equal(p.parse(d, good).error, undefined, d);
  // what follows the rows is still read
  const upsert = `${good} ON CONFLICT (a) DO UPDATE SET b = excluded.b WHERE t.b IS NULL`;
  assert.equal(p.parse('postgresql', upsert).query?.kind, 'insert');
  assert.ok(p.parse('postgresql', `${good} ON CONFLICT (a) DO UPDATE SET b = excluded.b WHERE t.b IS`).error);
  // an error after the rows: the cut statement fails too, the whole one is parsed for the message
  const bad = `${good} RETURNIN a`;
  const e = p.parse('postgresql', bad).error;
  assert.ok(e, 'error reported');
  assert.equal(bad.slice(e.offset, e.offset + 8), 'RETURNIN');
  // between rows, anything but one comma ends the rows: the parser sees it and reports it there
  const broken: [string, string][] = [
    ['missing comma', good.replace(', (150,', ' (150,')],
    ['doubled comma', good.replace(', (150,', ',, (150,')],
    ['stray )', good.replace("(150, 'v150')", "(150, 'v150'))")],
    ['other text', good.replace(', (150,', ', x (150,')],
  ];
  for (const [what, sql] of broken) {
    for (const d of ['postgresql', 'mysql', 'sqlite'] as const) {
      const err = p.parse(d, sql).error;
      assert.ok(err, `${what} (${d}) reported`);
      assert.ok(err.offset > sql.indexOf("(149, 'v149')") && err.offset < sql.indexOf('(151,'), `${what} (${d}) at the break, not at the start: ${sql.slice(err.offset, err.offset + 10)}`);
    }
  }
  // an unterminated string in a later row leaves that row to the parser too
  assert.ok(p.parse('postgresql', `${good}, (1, 'x)`).error);
});

test('psql meta-commands and COPY … FROM stdin data are not statements', () => {
  const sql = "\\connect shop\nSELECT 1;\nCOPY t (a, b) FROM stdin;\n1\tx;y\n2\t'z\n\\.\n\\set ON_ERROR_STOP on\nSELECT 2;";
  assert.deepEqual(splitStatements(sql, 'postgresql').map((s) => s.text), ['SELECT 1', 'COPY t (a, b) FROM stdin', 'SELECT 2']);
});
