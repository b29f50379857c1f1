import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitStatements } from '../../../src/core/sql/split.js';
import type { Dialect } from '../../../src/core/sql/types.js';

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

test('blankExtraValueRows keeps the first row and every offset', async () => {
  const { blankExtraValueRows } = await import('../../../src/core/sql/analyze.js');
  const rows = Array.from({ length: 200 }, (_, i) => `(${i}, 'a''b,(c)', "x")`).join(',\n');
  const sql = `INSERT INTO t (a, b, c) VALUES ${rows} ON DUPLICATE KEY UPDATE a = 1`;
  const out = blankExtraValueRows(sql);
  assert.equal(out.length, sql.length);
  assert.ok(out.startsWith("INSERT INTO t (a, b, c) VALUES (0, 'a''b,(c)', \"x\")"));
  assert.ok(out.endsWith(' ON DUPLICATE KEY UPDATE a = 1'));
  assert.equal(out.split('\n').length, sql.split('\n').length);
  assert.ok(!out.includes('(1,'));
  assert.equal(blankExtraValueRows('SELECT 1'), 'SELECT 1');
});

test('blankExtraValueRows reads string literals the way each dialect does', async () => {
  const { blankExtraValueRows } = await import('../../../src/core/sql/analyze.js');
  const pad = ', (0)'.repeat(400);
  // PostgreSQL: a backslash escapes only inside E'…'; SQLite never; MySQL always.
  const pg = `INSERT INTO t (a) VALUES ('C:\\'), (E'it\\'s'), ('x')${pad}`;
  const out = blankExtraValueRows(pg, 'postgresql');
  assert.equal(out.length, pg.length);
  assert.ok(out.startsWith("INSERT INTO t (a) VALUES ('C:\\')"));
  assert.equal(out.trimEnd(), "INSERT INTO t (a) VALUES ('C:\\')");
  const lite = `INSERT INTO t (a) VALUES ('C:\\'), ('x')${pad}`;
  assert.equal(blankExtraValueRows(lite, 'sqlite').trimEnd(), "INSERT INTO t (a) VALUES ('C:\\')");
  const my = `INSERT INTO t (a) VALUES ('it\\'s'), ('x')${pad}`;
  assert.equal(blankExtraValueRows(my, 'mysql').trimEnd(), "INSERT INTO t (a) VALUES ('it\\'s')");
  // a dollar-quoted value is not followed: the statement is left whole
  const dollar = `INSERT INTO t (a) VALUES ($$x)$$)${pad}`;
  assert.equal(blankExtraValueRows(dollar, 'postgresql'), dollar);
  // something that is not a row ends the scan: what follows stays for the parser
  const tail = `INSERT INTO t (a) VALUES (1)${pad} RETURNING a`;
  assert.ok(blankExtraValueRows(tail, 'postgresql').endsWith(' RETURNING a'));
});

test('a syntax error in a long INSERT is the parser\'s own, at its place, even when rows are blanked', async () => {
  const { StatementParser } = await import('../../../src/core/sql/analyze.js');
  const p = new StatementParser();
  await p.ready(['postgresql']);
  const rows = Array.from({ length: 300 }, (_, i) => `(${i}, 'v${i}')`);
  const good = `INSERT INTO t (a, b) VALUES ${rows.join(', ')}`;
  for (const d of ['postgresql', 'mysql', 'sqlite'] as const) assert.equal(p.parse(d, good).error, undefined, d);
  // an error after the rows: the blanked statement fails too, the whole one is parsed for the message
  const bad = `${good} RETURNIN a`;
  const e = p.parse('postgresql', bad).error;
  assert.ok(e, 'error reported');
  assert.equal(bad.slice(e.offset, e.offset + 8), 'RETURNIN');
});

test('psql meta-commands and COPY … FROM stdin data are not statements', () => {
  const sql = "\\connect shop\nSELECT 1;\nCOPY t (a, b) FROM stdin;\n1\tx;y\n2\t'z\n\\.\n\\set ON_ERROR_STOP on\nSELECT 2;";
  assert.deepEqual(splitStatements(sql, 'postgresql').map((s) => s.text), ['SELECT 1', 'COPY t (a, b) FROM stdin', 'SELECT 2']);
});
