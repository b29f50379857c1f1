import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractEmbeddedSql, sqlOffsetToHost, sqlSpanToHost, type EmbeddedSql, type ExtractOptions } from '../../../src/analyzers/sql/embedded.js';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'sql', 'embedded');

/** Host text covered by the first occurrence of `needle` in the SQL text. */
function hostOf(host: string, e: EmbeddedSql, needle: string, from = 0): string {
  const i = e.text.indexOf(needle, from);
  assert.ok(i >= 0, `${JSON.stringify(needle)} not in ${JSON.stringify(e.text)}`);
  const span = sqlSpanToHost(e, { start: i, end: i + needle.length });
  // the start is what sqlOffsetToHost gives
  assert.equal(span.start, sqlOffsetToHost(e, i));
  return host.slice(span.start, span.end);
}

interface Expected {
  via: EmbeddedSql['via'];
  text: string;
  /** Host text of the whole SQL (offset 0 → text.length). */
  host?: string;
  /** Host text of the `hostSpan` (quotes included). */
  span?: string;
  /** [needle in SQL text, expected host slice]. */
  maps?: [string, string][];
}

interface Case {
  name: string;
  src: string;
  opts?: ExtractOptions;
  expect: Expected[];
}

const cases: Case[] = [
  // (a) tags
  {
    name: 'sql tag',
    src: 'const r = await sql`SELECT * FROM users WHERE id = 1`;',
    expect: [{ via: 'tag', text: 'SELECT * FROM users WHERE id = 1', span: '`SELECT * FROM users WHERE id = 1`', maps: [['users', 'users']] }],
  },
  {
    name: 'SQL, Prisma.sql, db.sql and sql.unsafe tags',
    src: 'a = SQL`DELETE FROM a`; b = Prisma.sql`SELECT x FROM b`; c = db.sql`UPDATE c SET x = 1`; d = sql.unsafe`DROP TABLE d`;',
    expect: [
      { via: 'tag', text: 'DELETE FROM a' },
      { via: 'tag', text: 'SELECT x FROM b' },
      { via: 'tag', text: 'UPDATE c SET x = 1' },
      { via: 'tag', text: 'DROP TABLE d' },
    ],
  },
  {
    name: 'tag with TS type arguments and slonik-style sql.type(x)',
    src: 'const rows = await sql<Pick<User, "id" | "email">[]>`SELECT id, email FROM users`;\nconst q = sql.type(UserRow)`SELECT * FROM users`;',
    expect: [
      { via: 'tag', text: 'SELECT id, email FROM users' },
      { via: 'tag', text: 'SELECT * FROM users' },
    ],
  },
  {
    name: '$queryRaw / $executeRaw tagged templates with generics',
    src: 'await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "User"`;\nawait tx.$executeRaw`DELETE FROM "Session" WHERE "expiresAt" < ${now}`;',
    expect: [
      { via: 'tag', text: 'SELECT count(*) AS n FROM "User"' },
      { via: 'tag', text: 'DELETE FROM "Session" WHERE "expiresAt" < $1', maps: [['$1', '${now}']] },
    ],
  },
  {
    name: 'other tags are not SQL strings, and sql fragments are not statements',
    src: 'const t = html`SELECT * FROM users`; const w = sql`AND deleted_at IS NULL`; const s = String.raw`DELETE FROM x`;',
    expect: [],
  },
  {
    name: 'sql fragment nested in a reported sql template is not reported on its own',
    src: 'sql`SELECT * FROM t WHERE a = ${a} ${flag ? sql`AND b = ${b}` : sql``}`',
    // the nested fragment stands where no value can: a blank, so that the statement parses
    expect: [{ via: 'tag', text: 'SELECT * FROM t WHERE a = $1  ', maps: [['$1', '${a}']] }],
  },
  {
    name: 'spliced-in SQL fragments become blanks, values stay parameters',
    src: 'rawQuery(`select a, ${expr} as b from website_event ${joinQuery}\n where id = ${id} ${filterQuery}\n and x in (${xs}) and n = \'${raw}\' order by ${col} limit ${n}`)',
    expect: [{ via: 'content', text: "select a, $1 as b from website_event  \n where id = $2  \n and x in ($3) and n = '$4' order by $5 limit $6" }],
  },
  {
    name: '/* sql */ marker comment',
    src: 'const q = /* sql */ `SELECT 1`;',
    expect: [{ via: 'tag', text: 'SELECT 1', span: '`SELECT 1`' }],
  },

  // (b) calls
  {
    name: 'pool.query with a string and a template',
    src: 'pool.query("SELECT a FROM t WHERE id = $1", [id]);\nclient.query(`INSERT INTO t (a) VALUES ($1)`, [a]);',
    expect: [
      { via: 'call', text: 'SELECT a FROM t WHERE id = $1', span: '"SELECT a FROM t WHERE id = $1"' },
      { via: 'call', text: 'INSERT INTO t (a) VALUES ($1)' },
    ],
  },
  {
    name: 'strong call names accept any statement; bare calls too',
    src: 'await query("select 1");\nawait prisma.$queryRawUnsafe(\'SELECT * FROM "Post" WHERE id = $1\', id);\nawait sequelize.query("show tables");',
    expect: [
      { via: 'call', text: 'select 1' },
      { via: 'call', text: 'SELECT * FROM "Post" WHERE id = $1' },
      { via: 'call', text: 'show tables' },
    ],
  },
  {
    name: 'weak call names: member calls with SQL shape only',
    src: [
      'db.prepare("SELECT * FROM users WHERE email = ?").get(email);',
      'db.exec("CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT)");',
      'db.exec("PRAGMA journal_mode = WAL");',
      'knex.raw("select * from orders where id = ?", [1]);',
      'cache.get("select");',
      'router.get("/users", handler);',
      'app.all("*", cors());',
      'const m = /a/.exec("update");',
      'child_process.exec("ls -la");',
    ].join('\n'),
    expect: [
      { via: 'call', text: 'SELECT * FROM users WHERE email = ?' },
      { via: 'call', text: 'CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT)' },
      { via: 'call', text: 'PRAGMA journal_mode = WAL' },
      { via: 'call', text: 'select * from orders where id = ?' },
    ],
  },
  {
    name: 'TS generics, optional calls, type assertions and annotations around calls',
    src: [
      'const rows: Row[] = (await pool.query<Row, [number]>("SELECT id FROM a WHERE x = $1", [1])).rows;',
      'const stmt = (db as Database).prepare<[string], { id: number }>(\'SELECT id FROM b WHERE name = ?\');',
      'db?.query(`SELECT id FROM c`);',
      'this.#db.query?.("SELECT id FROM d");',
      'function query(text: string = "not sql") { return text; }',
    ].join('\n'),
    expect: [
      { via: 'call', text: 'SELECT id FROM a WHERE x = $1' },
      { via: 'call', text: 'SELECT id FROM b WHERE name = ?' },
      { via: 'call', text: 'SELECT id FROM c' },
      { via: 'call', text: 'SELECT id FROM d' },
    ],
  },

  // (c) content
  {
    name: 'content detection of statement shapes',
    src: [
      'const a = "SELECT id FROM users";',
      "const b = 'INSERT INTO audit_log (actor_id, action) VALUES ($1, $2)';",
      'const c = `UPDATE users SET name = $1 WHERE id = $2`;',
      'const d = "DELETE FROM sessions WHERE expires_at < now()";',
      'const e = "WITH recent AS (SELECT * FROM orders) SELECT count(*) FROM recent";',
      'const f = "  -- leading comment\\n  select * from t";',
      'const g = "select id, name from users where id = 1";',
    ].join('\n'),
    expect: [
      { via: 'content', text: 'SELECT id FROM users' },
      { via: 'content', text: 'INSERT INTO audit_log (actor_id, action) VALUES ($1, $2)' },
      { via: 'content', text: 'UPDATE users SET name = $1 WHERE id = $2' },
      { via: 'content', text: 'DELETE FROM sessions WHERE expires_at < now()' },
      { via: 'content', text: 'WITH recent AS (SELECT * FROM orders) SELECT count(*) FROM recent' },
      { via: 'content', text: '  -- leading comment\n  select * from t' },
      { via: 'content', text: 'select id, name from users where id = 1' },
    ],
  },
  {
    name: 'prose and near misses are not SQL',
    src: [
      'const a = "Select a file from the list.";',
      "const b = 'Select files from your computer';",
      'const c = "Delete from favorites";',
      'const d = "update your profile settings";',
      'const e = "Insert into the clipboard";',
      'const f = "SELECT";',
      'const g = "selected from 3 options";',
      'const h = `With a little help from my friends`;',
      'throw new Error("DELETE FROM failed: the row is locked");',
    ].join('\n'),
    expect: [],
  },

  // placeholders
  {
    name: '${} substitutions become $1, $2 in order; offsets inside map to ${',
    src: 'sql`SELECT * FROM t WHERE a = ${x.a} AND b IN (${list.map((v) => `${v}`)})`',
    expect: [
      {
        via: 'tag',
        text: 'SELECT * FROM t WHERE a = $1 AND b IN ($2)',
        host: 'SELECT * FROM t WHERE a = ${x.a} AND b IN (${list.map((v) => `${v}`)})',
        maps: [
          ['$1', '${x.a}'],
          ['$1 AND', '${x.a} AND'],
          ['$2)', '${list.map((v) => `${v}`)})'],
          [' AND b', ' AND b'],
        ],
      },
    ],
  },
  {
    name: 'custom placeholder (MySQL ?)',
    opts: { placeholder: () => '?' },
    src: 'conn.query(`SELECT * FROM t WHERE a = ${a} AND b = ${b}`)',
    expect: [{ via: 'call', text: 'SELECT * FROM t WHERE a = ? AND b = ?', maps: [['? AND b = ?', '${a} AND b = ${b}']] }],
  },

  // escapes
  {
    name: 'escape sequences are decoded with exact offsets',
    src: String.raw`pool.query("SELECT 'it\'s' AS a,\n\t\"q\" AS \u0062, '\\' AS c, '\x41\u{1F600}' AS d FROM t")`,
    expect: [
      {
        via: 'call',
        text: "SELECT 'it's' AS a,\n\t\"q\" AS b, '\\' AS c, 'A\u{1F600}' AS d FROM t",
        maps: [
          ["'it's'", String.raw`'it\'s'`],
          ["s' AS a", "s' AS a"],
          ['\n\t"q"', String.raw`\n\t\"q\"`],
          [' AS b, ', String.raw` AS \u0062, `],
          ["'\\'", String.raw`'\\'`],
          ['A\u{1F600}', String.raw`\x41\u{1F600}`],
          [' FROM t', ' FROM t'],
        ],
      },
    ],
  },
  {
    name: 'line continuation inside a string',
    src: 'pool.query("SELECT a \\\nFROM t")',
    expect: [{ via: 'call', text: 'SELECT a FROM t', maps: [['a FROM', 'a \\\nFROM'], ['FROM t', 'FROM t']] }],
  },

  // concatenation
  {
    name: 'adjacent literals joined by + form one SQL text',
    src: 'const q = "SELECT id, name " +\n  // the table\n  \'FROM users \' +\n  `WHERE active`;',
    expect: [
      {
        via: 'content',
        text: 'SELECT id, name FROM users WHERE active',
        span: '"SELECT id, name " +\n  // the table\n  \'FROM users \' +\n  `WHERE active`',
        maps: [['name FROM', 'name " +\n  // the table\n  \'FROM'], ['users', 'users']],
      },
    ],
  },
  {
    name: 'non-literal + operands become placeholders',
    src: 'db.query("SELECT * FROM " + opts.table + " WHERE id = " + String(id) + ";");\nconst x = "SELECT * FROM t WHERE a = " + a * 2;',
    expect: [
      { via: 'call', text: 'SELECT * FROM $1 WHERE id = $2;', maps: [['$1', 'opts.table'], ['$2;', 'String(id) + ";']] },
      { via: 'content', text: 'SELECT * FROM t WHERE a = ' },
    ],
  },

  // comments and regexes
  {
    name: 'strings inside comments are skipped',
    src: '// pool.query("SELECT * FROM a")\n/* const q = "SELECT * FROM b"; */\n/** `DELETE FROM c` */\npool.query("SELECT * FROM d")',
    expect: [{ via: 'call', text: 'SELECT * FROM d' }],
  },
  {
    name: 'regex literals containing quotes and backticks',
    src: 'const re = /["\'`]/g; const half = n / 2 / 1; const r2 = /\\/"`/;\nconst q = "SELECT * FROM t WHERE x = \'/\'";',
    expect: [{ via: 'content', text: "SELECT * FROM t WHERE x = '/'" }],
  },

  // an app's own query helpers (issue #14 class 10)
  {
    name: "an app's rawQuery helper with {{name}} / {{name::uuid}} placeholders, tx.exec template, db.rawQuery string",
    src: 'const r = await rawQuery(`\n  select count(*) from website_event\n  where website_id = {{websiteId::uuid}} and created_at >= {{startDate}} and x = ${y}\n`, params);\nawait tx.exec(`UPDATE users SET name = ${n} WHERE id = ${id}`);\nconst u = await db.rawQuery("select id from users where email = ?", [e]);',
    expect: [
      { via: 'content', text: '\n  select count(*) from website_event\n  where website_id = $2 and created_at >= $3 and x = $1\n', maps: [['$2', '{{websiteId::uuid}}'], ['$3', '{{startDate}}'], ['and x', 'and x']] },
      { via: 'call', text: 'UPDATE users SET name = $1 WHERE id = $2' },
      { via: 'content', text: 'select id from users where email = ?' },
    ],
  },
  {
    name: 'a literal the code later extends is only the start of a statement',
    src: 'let q = "SELECT id FROM feeds";\nif (c.length) q += " WHERE " + c.join(" AND ");\nlet r = "SELECT id FROM users";\nr = "SELECT id FROM users WHERE id = 1";',
    expect: [{ via: 'content', text: 'SELECT id FROM users' }, { via: 'content', text: 'SELECT id FROM users WHERE id = 1' }],
  },
  {
    name: 'a UI label that starts with SELECT is not SQL',
    src: 'const a = t("SELECT FROM options");\nconst b = "Select the rows from your table";',
    expect: [],
  },

  // robustness
  {
    name: 'unterminated strings and templates never throw',
    src: 'const a = "SELECT * FROM t\nconst b = `SELECT * FROM ${',
    expect: [],
  },
];

describe('extractEmbeddedSql', () => {
  for (const c of cases) {
    it(c.name, () => {
      const found = extractEmbeddedSql(c.src, c.opts);
      assert.deepEqual(
        found.map((e) => ({ via: e.via, text: e.text })),
        c.expect.map((e) => ({ via: e.via, text: e.text })),
      );
      c.expect.forEach((exp, i) => {
        const e = found[i];
        if (exp.host !== undefined) assert.equal(c.src.slice(sqlOffsetToHost(e, 0), sqlOffsetToHost(e, e.text.length)), exp.host);
        if (exp.span !== undefined) assert.equal(c.src.slice(e.hostSpan.start, e.hostSpan.end), exp.span);
        for (const [needle, host] of exp.maps ?? []) assert.equal(hostOf(c.src, e, needle), host, `mapping of ${JSON.stringify(needle)}`);
        // every literal segment maps verbatim
        for (const s of e.segments) assert.equal(c.src.slice(s.hostStart, s.hostStart + s.length), e.text.slice(s.sqlStart, s.sqlStart + s.length));
      });
    });
  }
});

describe('sqlOffsetToHost', () => {
  const src = 'q(sql`SELECT ${a} FROM t`)';
  const [e] = extractEmbeddedSql(src);

  it('maps an offset inside a placeholder to its ${', () => {
    const ph = e.text.indexOf('$1');
    assert.equal(sqlOffsetToHost(e, ph), src.indexOf('${a}'));
    assert.equal(sqlOffsetToHost(e, ph + 1), src.indexOf('${a}'));
  });

  it('maps the offset after a placeholder / escape to right after it in the host', () => {
    const after = e.text.indexOf(' FROM');
    assert.equal(sqlOffsetToHost(e, after), src.indexOf(' FROM'));
    const s2 = 'pool.query("SELECT \\"x\\" FROM t")';
    const [e2] = extractEmbeddedSql(s2);
    assert.equal(e2.text, 'SELECT "x" FROM t');
    assert.equal(sqlOffsetToHost(e2, e2.text.indexOf('x')), s2.indexOf('x'));
    // offset of the decoded `"` maps to its backslash
    assert.equal(sqlOffsetToHost(e2, e2.text.indexOf('"')), s2.indexOf('\\"'));
  });

  it('clamps out-of-range offsets', () => {
    assert.equal(sqlOffsetToHost(e, -5), src.indexOf('SELECT'));
    assert.equal(sqlOffsetToHost(e, 10_000), src.indexOf('`)'));
  });

  it('sqlSpanToHost ends a span at the end of the previous literal', () => {
    const s = 'const q = "SELECT * FROM a" + " WHERE b = 1";';
    const [x] = extractEmbeddedSql(s);
    const span = sqlSpanToHost(x, { start: 0, end: x.text.indexOf(' WHERE') });
    assert.equal(s.slice(span.start, span.end), 'SELECT * FROM a');
  });

  it('falls back to segments when pieces are absent', () => {
    const bare: EmbeddedSql = { ...e, pieces: undefined };
    assert.equal(sqlOffsetToHost(bare, 3), src.indexOf('SELECT') + 3);
    assert.equal(sqlOffsetToHost(bare, e.text.indexOf(' FROM') + 1), src.indexOf('FROM'));
  });
});

describe('bounds', () => {
  it('skips files over 2 MB', () => {
    const big = 'pool.query("SELECT * FROM t");\n' + '// filler\n'.repeat(220_000);
    assert.ok(big.length > 2 * 1024 * 1024);
    assert.deepEqual(extractEmbeddedSql(big), []);
  });

  it('skips minified files (a line over 50k chars)', () => {
    const min = 'pool.query("SELECT * FROM t");' + 'a=1;'.repeat(13_000);
    assert.deepEqual(extractEmbeddedSql(min), []);
    assert.equal(extractEmbeddedSql('pool.query("SELECT * FROM t");\n' + 'a=1;\n'.repeat(13_000)).length, 1);
  });

  it('never throws on odd input', () => {
    for (const s of ['', '`', '${', '}`', '/', '"\\', 'sql`${`${`', '<div>{`SELECT * FROM t`}</div>', '\u0000\uffff\ud800']) {
      assert.doesNotThrow(() => extractEmbeddedSql(s));
    }
    assert.deepEqual(extractEmbeddedSql(undefined as unknown as string), []);
  });
});

describe('fixtures', () => {
  it('orders-repository.ts', () => {
    const src = readFileSync(join(FIXTURES, 'orders-repository.ts'), 'utf8');
    const found = extractEmbeddedSql(src);
    assert.deepEqual(
      found.map((e) => [e.via, e.text.replace(/\s+/g, ' ').trim()]),
      [
        ['call', 'SELECT id, status FROM orders WHERE user_id = $1 ORDER BY placed_at DESC LIMIT 20'],
        ['tag', 'SELECT id, status FROM orders WHERE status = $1 AND total_cents > $2'],
        ['tag', 'SELECT email FROM users WHERE id = ANY($1)'],
        ['content', "SELECT id, title FROM products WHERE title ILIKE '%' || $1 || '%' ORDER BY title"],
        ['content', "SELECT count(*) FROM orders WHERE status = 'paid'"],
        ['call', 'UPDATE orders SET updated_at = now() WHERE id = $1'],
      ],
    );
    const tagged = found[1];
    assert.equal(hostOf(src, tagged, '$2'), '${limit * 100}');
    assert.equal(hostOf(src, tagged, 'FROM orders'), 'FROM orders');
    const concat = found[3];
    assert.equal(hostOf(src, concat, "products WHERE"), "products ' +\n    \"WHERE");
  });

  it('OrderSearch.tsx (JSX text with quotes and a backtick)', () => {
    const src = readFileSync(join(FIXTURES, 'OrderSearch.tsx'), 'utf8');
    const expected = [
      ['tag', 'SELECT id, total_cents FROM orders WHERE status = $1'],
      ['content', "SELECT id FROM orders WHERE status = 'pending'"],
    ];
    for (const jsx of [undefined, 'auto', true] as const) {
      const found = extractEmbeddedSql(src, jsx === undefined ? undefined : { jsx });
      assert.deepEqual(found.map((e) => [e.via, e.text]), expected, `jsx: ${jsx}`);
      for (const e of found) assert.equal(src.slice(sqlOffsetToHost(e, 0), sqlOffsetToHost(e, e.text.length)).replace('${status}', '$1'), e.text);
    }
    // A plain JS tokenizer is derailed by the backtick in the JSX text and misses the last query.
    assert.equal(extractEmbeddedSql(src, { jsx: false }).length, 1);
  });
});
