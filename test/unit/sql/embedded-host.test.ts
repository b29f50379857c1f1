/** SQL in Go and Python source (issue #14 class 10): what is extracted, and what is not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractHostSql, type HostLanguage } from '../../../src/analyzers/sql/embedded-host.js';
import { sqlOffsetToHost } from '../../../src/analyzers/sql/embedded.js';
import { ruleTests } from '../../helpers/rule-tester.js';

const cases: { name: string; lang: HostLanguage; src: string; sql: string[] }[] = [
  { name: 'Go raw string assigned, then passed to Query', lang: 'go', src: 'query := `\n\tSELECT id FROM entries WHERE user_id=$1\n`\nrows, err := s.db.Query(query, id)', sql: ['\n\tSELECT id FROM entries WHERE user_id=$1\n'] },
  { name: 'Go QueryRowContext(ctx, "…") with ?', lang: 'go', src: 'err := db.QueryRowContext(ctx, "SELECT id FROM users WHERE name = ?", n).Scan(&id)', sql: ['SELECT id FROM users WHERE name = ?'] },
  { name: 'Go concatenation with helper calls becomes placeholders', lang: 'go', src: 'tx.ExecContext(ctx, "DELETE FROM memo WHERE id = "+placeholder(1), id)', sql: ['DELETE FROM memo WHERE id = $1'] },
  { name: 'Go: an operand where no value can stand is a spliced-in fragment', lang: 'go', src: 'q := "SELECT id FROM memo " + joins + " WHERE " + strings.Join(where, " AND ")', sql: ['SELECT id FROM memo   WHERE $1'] },
  { name: 'a literal the code later extends is only the start of a statement', lang: 'go', src: 'query := `SELECT id FROM feeds`\nif len(c) > 0 {\n\tquery += " WHERE " + strings.Join(c, " AND ")\n}\nq2 := "SELECT id FROM users"\nq2 = "SELECT id FROM users WHERE id = 1"', sql: ['SELECT id FROM users', 'SELECT id FROM users WHERE id = 1'] },
  { name: 'Python: sql += …', lang: 'python', src: 'sql = "SELECT id FROM t"\nif x:\n    sql += " WHERE a = %s"', sql: [] },
  { name: 'Go fmt.Sprintf verbs outside SQL strings', lang: 'go', src: 'q := fmt.Sprintf("SELECT id FROM t WHERE a = \'%s\' ORDER BY %s", a, b)', sql: ["SELECT id FROM t WHERE a = '%s' ORDER BY $1"] },
  { name: 'Go DDL in a string of its own (a migration list)', lang: 'go', src: 'sql := `\n  CREATE TABLE users (id serial, name text, primary key (id));\n`\n_, err = tx.Exec(sql)\nmsg := "Create table of contents from the headings"', sql: ['\n  CREATE TABLE users (id serial, name text, primary key (id));\n'] },
  { name: 'Go SQL that starts with a comment', lang: 'go', src: 'sql := `\n  -- Speed up has_enclosure\n  CREATE INDEX enclosures_entry_id_idx ON enclosures(entry_id);\n`', sql: ['\n  -- Speed up has_enclosure\n  CREATE INDEX enclosures_entry_id_idx ON enclosures(entry_id);\n'] },
  { name: 'Go DDL is SQL as the argument of Exec', lang: 'go', src: 'db.Exec("CREATE INDEX t_a ON t (a)")', sql: ['CREATE INDEX t_a ON t (a)'] },
  { name: 'Go DDL assembled from code: a built type becomes text, other built parts are left out', lang: 'go', src: 't.Exec(`CREATE TABLE userinvites (\n  id ` + db.typeChar(6) + ` NOT NULL,\n  PRIMARY KEY (id)\n) ` + db.engine() + `;`)', sql: ['CREATE TABLE userinvites (\n  id text NOT NULL,\n  PRIMARY KEY (id)\n) ;'] },
  { name: 'Go DDL: a type helper named for a primary key keeps the key', lang: 'go', src: 't.Exec(`CREATE TABLE jobs (\n  id ` + db.typeIntPrimaryKey() + `,\n  post_id ` + db.typeVarChar(16) + ` not null\n)`)', sql: ['CREATE TABLE jobs (\n  id text PRIMARY KEY,\n  post_id text not null\n)'] },
  { name: 'Go DDL whose table name is built is not schema', lang: 'go', src: 'db.Exec("CREATE TABLE " + name + " (id int)")\ndb.Exec(fmt.Sprintf("ALTER TABLE %s ADD COLUMN x int", t))', sql: [] },
  { name: 'Go comments, runes and UI labels are not SQL', lang: 'go', src: '// SELECT * FROM commented\nr := \'"\'\nlabel := "Select a feed from the list"\nmsg := "Update your profile"', sql: [] },
  { name: 'Python %s and %(name)s (psycopg)', lang: 'python', src: 'cursor.execute("SELECT id FROM dcim_device WHERE name = %s AND site_id = %(site)s", [n])', sql: ['SELECT id FROM dcim_device WHERE name = $1 AND site_id = $2'] },
  { name: 'Python f-string substitutions and doubled braces', lang: 'python', src: 'q = f"SELECT id FROM users WHERE id = {uid} AND tag = \'{{x}}\'"', sql: ["SELECT id FROM users WHERE id = $1 AND tag = '{x}'"] },
  { name: 'SQLAlchemy text() with :name', lang: 'python', src: 'conn.execute(text("select id from accounts where email = :email and ts::date = now()::date"), {"email": e})', sql: ['select id from accounts where email = $1 and ts::date = now()::date'] },
  { name: 'Python implicit concatenation and triple quotes', lang: 'python', src: 'sql = ("SELECT a FROM t "\n       "WHERE b = %s")\ndoc = """\n  UPDATE things SET x = 1 WHERE id = %s\n"""', sql: ['SELECT a FROM t WHERE b = $1', '\n  UPDATE things SET x = 1 WHERE id = $1\n'] },
  { name: 'Python comments and prose are not SQL', lang: 'python', src: "# SELECT * FROM x\nprint('Select a device from the list')\n_('Delete from the list?')", sql: [] },
];
for (const c of cases) {
  test(`extractHostSql: ${c.name}`, () => assert.deepEqual(extractHostSql(c.src, c.lang).map((e) => e.text), c.sql));
}

test('extractHostSql maps SQL offsets back to the host (escapes, placeholders)', () => {
  const src = 'db.Query("SELECT id FROM t\\tWHERE a = "+x+" AND b = 1")';
  const [e] = extractHostSql(src, 'go');
  assert.equal(e.text, 'SELECT id FROM t\tWHERE a = $1 AND b = 1');
  const at = (s: string): string => src.slice(sqlOffsetToHost(e, e.text.indexOf(s)), sqlOffsetToHost(e, e.text.indexOf(s)) + s.length);
  assert.equal(at('WHERE'), 'WHERE');
  assert.equal(at('AND b'), 'AND b');
});

// Through the rules: runtime Go / Python queries are judged, their tests are not.
const SCHEMA = 'CREATE TABLE entries (id bigserial PRIMARY KEY, user_id bigint NOT NULL, title text);\n';
ruleTests('missing-index', {
  valid: [
    { name: 'Go test file', files: { 'schema.sql': SCHEMA, 'internal/storage/entry_test.go': 'package storage\nfunc TestX() { db.Query("SELECT id FROM entries WHERE user_id = $1", 1) }\n' } },
    { name: 'Python test module', files: { 'schema.sql': SCHEMA, 'app/tests/test_entries.py': 'cursor.execute("SELECT id FROM entries WHERE user_id = %s", [1])\n' } },
  ],
  invalid: [
    {
      name: 'Go runtime query',
      files: { 'schema.sql': SCHEMA, 'internal/storage/entry.go': 'package storage\nfunc f() {\n\trows, err := s.db.Query(`SELECT id FROM entries WHERE user_id = $1`, uid)\n}\n' },
      errors: [{ file: 'internal/storage/entry.go', line: 3, column: 56, message: /No index on entries\(user_id\)/ }],
    },
    {
      name: 'Python runtime query',
      files: { 'schema.sql': SCHEMA, 'app/entries.py': 'def f(c, uid):\n    c.execute("SELECT id FROM entries WHERE user_id = %s", [uid])\n' },
      errors: [{ file: 'app/entries.py', line: 2, column: 45, message: /No index on entries\(user_id\)/ }],
    },
  ],
});

// DDL in test code never builds the app's schema (a test that creates its own copy of a table).
ruleTests('missing-primary-key', {
  valid: [
    { name: 'CREATE TABLE in a Go test', files: { 'store/test/migrator_test.go': 'package test\nfunc TestM() { db.Exec(`CREATE TABLE system_setting (name text NOT NULL, value text)`) }\n' } },
  ],
  invalid: [],
});
ruleTests('missing-index', {
  valid: [
    {
      name: 'an index created by test code does not serve runtime queries, nor does its table count',
      files: { 'store/test/setup_test.go': 'package test\nfunc TestS() { db.Exec(`CREATE TABLE entries (id int PRIMARY KEY, user_id int)`) }\n', 'internal/storage/entry.go': 'package storage\nfunc f() { db.Query(`SELECT id FROM entries WHERE user_id = $1`, 1) }\n' },
    },
  ],
  invalid: [],
});
