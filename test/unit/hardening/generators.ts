/**
 * Grammar-based generators for the property tests: SQL statements (the three dialects' DDL and
 * queries, which token soup almost never forms, so the AST adapters behind the parsers run), SQL in
 * JS/TS code, and Node server / database client modules.
 */
import fc from 'fast-check';

const pick = <T>(...xs: T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
const opt = (a: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof(fc.constant(''), a);
const list = (a: fc.Arbitrary<string>, max = 3, sep = ', '): fc.Arbitrary<string> => fc.array(a, { minLength: 1, maxLength: max }).map((xs) => xs.join(sep));

const table = pick('users', 'orders', 'public.users', '"Users"', '`orders`', '[items]', 'order_items', 'x');
const column = pick('id', 'email', 'user_id', 'status', 'created_at', 'u.id', 'o.user_id', '"Email"', '`name`', 'data', 'x');
const literal = pick('1', '0', '-1', '3.14', "'a'", "'%a%'", "'a''b'", 'NULL', 'TRUE', '$1', '$2', '?', ':name', "E'\\n'", 'now()', "'{}'::jsonb", 'CURRENT_TIMESTAMP', '@v', 'X\'ff\'');
const op = pick('=', '<>', '<', '>=', 'AND', 'OR', '+', '||', '->>', 'LIKE', 'ILIKE', '@>', 'IS DISTINCT FROM');
const type = pick('int', 'integer', 'bigint', 'serial', 'BIGSERIAL', 'text', 'varchar(255)', 'jsonb', 'timestamptz', 'uuid', 'boolean', 'decimal(10,2)', 'int unsigned', 'INTEGER', 'TINYINT(1)', 'text[]', 'enum(\'a\',\'b\')');
const colConstraint = pick(' PRIMARY KEY', ' NOT NULL', ' UNIQUE', ' DEFAULT 0', " DEFAULT ''", ' REFERENCES users(id)', ' REFERENCES users', ' REFERENCES users (id) ON DELETE CASCADE', ' AUTO_INCREMENT', ' AUTOINCREMENT', ' CHECK (x > 0)', ' GENERATED ALWAYS AS IDENTITY', ' COLLATE "C"');

const { select, expr } = fc.letrec<{ select: string; expr: string }>((tie) => {
  const e = tie('expr');
  const s = tie('select');
  return {
    expr: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      column, literal,
      fc.tuple(e, op, e).map(([a, o, b]) => `${a} ${o} ${b}`),
      fc.tuple(pick('lower', 'upper', 'coalesce', 'date', 'count', 'sum', 'json_extract', 'DATE_FORMAT'), list(e, 2)).map(([f, a]) => `${f}(${a})`),
      e.map((a) => `(${a})`), e.map((a) => `NOT ${a}`), e.map((a) => `${a} IS NOT NULL`), e.map((a) => `${a}::text`),
      fc.tuple(e, list(e)).map(([a, l]) => `${a} IN (${l})`),
      fc.tuple(e, s).map(([a, q]) => `${a} IN (${q})`),
      s.map((q) => `EXISTS (${q})`),
      fc.tuple(e, e, e).map(([a, b, c]) => `CASE WHEN ${a} THEN ${b} ELSE ${c} END`),
      fc.tuple(e, e, e).map(([a, b, c]) => `${a} BETWEEN ${b} AND ${c}`),
      fc.constant('count(*)'),
    ),
    select: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      fc
        .tuple(opt(pick('DISTINCT ')), fc.oneof(pick('*', 'u.*'), list(e)), table, opt(pick(' u', ' AS o')), opt(fc.tuple(pick(' JOIN ', ' LEFT JOIN ', ', '), table, e).map(([j, t, c]) => `${j}${t} ON ${c}`)),
          opt(e.map((c) => ` WHERE ${c}`)), opt(column.map((c) => ` GROUP BY ${c}`)), opt(fc.tuple(column, pick('', ' DESC', ' ASC NULLS LAST')).map(([c, d]) => ` ORDER BY ${c}${d}`)), opt(pick(' LIMIT 10', ' LIMIT 10 OFFSET 5', ' LIMIT ?', ' FOR UPDATE')))
        .map(([d, cols, t, a, j, w, g, o, l]) => `SELECT ${d}${cols} FROM ${t}${a}${j}${w}${g}${o}${l}`),
      fc.tuple(s, s).map(([a, b]) => `${a} UNION ALL ${b}`),
      fc.tuple(s, s).map(([a, b]) => `WITH c AS (${a}) ${b}`),
    ),
  };
});

const colDef = fc.tuple(column, type, fc.array(colConstraint, { maxLength: 2 })).map(([c, t, k]) => `${c} ${t}${k.join('')}`);
const tableConstraint = fc.oneof(
  list(column, 2).map((c) => `PRIMARY KEY (${c})`),
  fc.tuple(opt(pick('CONSTRAINT fk ')), list(column, 2), table, column, opt(pick(' ON DELETE CASCADE', ' ON DELETE SET NULL', ' ON UPDATE CASCADE'))).map(([n, c, t, r, a]) => `${n}FOREIGN KEY (${c}) REFERENCES ${t}(${r})${a}`),
  list(column, 2).map((c) => `UNIQUE (${c})`),
  fc.tuple(pick('INDEX', 'KEY', 'UNIQUE KEY'), list(column, 2)).map(([k, c]) => `${k} idx (${c})`),
);
const indexKey = fc.oneof(column, column.map((c) => `lower(${c})`), column.map((c) => `${c} DESC`), expr.map((x) => `(${x})`));

export const sqlStatement: fc.Arbitrary<string> = fc.oneof(
  select,
  expr.map((x) => `EXPLAIN ANALYZE SELECT * FROM users WHERE ${x}`),
  fc.tuple(table, list(column), list(expr), fc.nat({ max: 40 }), opt(pick(' RETURNING id', ' ON CONFLICT (id) DO NOTHING', ' ON DUPLICATE KEY UPDATE x = 1'))).map(([t, c, v, rows, r]) => `INSERT INTO ${t} (${c}) VALUES (${v})${', (1, 2)'.repeat(rows)}${r}`),
  fc.tuple(table, select).map(([t, q]) => `INSERT INTO ${t} ${q}`),
  fc.tuple(table, column, expr, opt(expr.map((x) => ` WHERE ${x}`))).map(([t, c, v, w]) => `UPDATE ${t} SET ${c} = ${v}${w}`),
  fc.tuple(table, opt(expr.map((x) => ` WHERE ${x}`))).map(([t, w]) => `DELETE FROM ${t}${w}`),
  fc.tuple(opt(pick('IF NOT EXISTS ', 'TEMPORARY ')), table, fc.array(colDef, { minLength: 1, maxLength: 5 }), fc.array(tableConstraint, { maxLength: 2 }), opt(pick(' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4', ' WITHOUT ROWID', ' PARTITION BY RANGE (id)')))
    .map(([i, t, cols, cons, tail]) => `CREATE TABLE ${i}${t} (${[...cols, ...cons].join(', ')})${tail}`),
  fc.tuple(opt(pick('UNIQUE ')), opt(pick('CONCURRENTLY ')), opt(pick('IF NOT EXISTS ')), table, opt(pick(' USING gin', ' USING btree')), list(indexKey, 2), opt(expr.map((x) => ` WHERE ${x}`)))
    .map(([u, c, i, t, using, keys, w]) => `CREATE ${u}INDEX ${c}${i}idx ON ${t}${using} (${keys})${w}`),
  fc.tuple(table, colDef).map(([t, c]) => `ALTER TABLE ${t} ADD COLUMN ${c}`),
  fc.tuple(table, tableConstraint).map(([t, c]) => `ALTER TABLE ${t} ADD ${c}`),
  fc.tuple(table, column).map(([t, c]) => `ALTER TABLE ${t} DROP COLUMN ${c}`),
  table.map((t) => `DROP TABLE IF EXISTS ${t}`),
  pick('DROP INDEX idx', 'DROP INDEX idx ON users', 'BEGIN', 'COMMIT', 'SET search_path = public', 'PRAGMA foreign_keys = ON', 'CREATE EXTENSION pg_trgm', 'USE app', 'LOCK TABLES users WRITE', 'VACUUM', 'CREATE VIEW v AS SELECT 1',
    'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql', 'CREATE TRIGGER t AFTER INSERT ON users FOR EACH ROW BEGIN UPDATE x SET a = 1; END', 'DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //\nDELIMITER ;'),
);

const COMMENT = pick('', '', '-- c\n', '/* c */ ', '# c\n', '-- dialect: mysql\n', '-- perf-audit-disable-next-line\n');
/** A .sql file: statements separated by `;`, with comments. */
export const sqlFile: fc.Arbitrary<string> = fc.array(fc.tuple(COMMENT, sqlStatement), { maxLength: 12, size: 'medium' }).map((xs) => xs.map(([c, s]) => `${c}${s};\n`).join(''));

const quoteSingle = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, ' ')}'`;
/** SQL in JS/TS: tagged templates, query calls, strings built with `+`, and code around them. */
export const sqlInCode: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      sqlStatement.map((s) => `await db.query(\`${s.replace(/[`\\]/g, '')}\`, [id]);`),
      sqlStatement.map((s) => `const rows = await sql\`${s.replace(/[`\\]/g, '').replace(/\$1/g, '${id}')}\`;`),
      sqlStatement.map((s) => `pool.query(${quoteSingle(s)});`),
      sqlStatement.map((s) => `await prisma.$queryRaw\`${s.replace(/[`\\]/g, '').replace(/\?/g, '${x}')}\`;`),
      sqlStatement.map((s) => `knex.raw(${quoteSingle(s)}, [a, b]);`),
      sqlStatement.map((s) => `const q = ${quoteSingle(s.slice(0, s.length >> 1))} + where + ${quoteSingle(s.slice(s.length >> 1))};`),
      pick('const x = <div className="a">{y}</div>;', 'function f<T>(a: T): T { return a; }', '// select from users where they are inactive', 'const s = "delete from users";', 'export default {};'),
    ),
    { maxLength: 8, size: 'medium' },
  )
  .map((xs) => `import { sql } from 'db';\n${xs.join('\n')}\n`);

// ---------------------------------------------------------------- Node servers and database clients

const value = pick('0', '1', '60', '3600000', "'1y'", "'1d'", '"7 days"', 'true', 'false', 'null', 'undefined', 'x', 'process.env.MAX', '1000 * 60 * 60', "'public, max-age=31536000'", '[]', '{}', '() => {}', 'Infinity', '-1', 'NaN', "'0'");
const optionsObject = (keys: string[]): fc.Arbitrary<string> => fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 4 }).map((kv) => `{ ${kv.map(([k, v]) => `${k}: ${v}`).join(', ')} }`);
const staticOpts = optionsObject(['maxAge', 'immutable', 'etag', 'lastModified', 'setHeaders', 'index', 'cacheControl', 'root', 'prefix', 'maxage']);
const poolOpts = optionsObject(['max', 'min', 'idleTimeoutMillis', 'connectionTimeoutMillis', 'connectionString', 'connectionLimit', 'waitForConnections', 'host', 'datasources', 'url']);
const where = pick("'public'", 'path.join(__dirname, "public")', "'dist/assets'", "'/srv'", 'dir');

const statementJs = fc.oneof(
  fc.constantFrom('app.use(compression());', 'app.use(compression({ threshold: 0 }));', "app.disable('etag');", "app.set('etag', false);", 'app.use(helmet());', "app.get('/health', (req, res) => res.send('ok'));"),
  fc.tuple(where, opt(staticOpts.map((o) => `, ${o}`))).map(([w, o]) => `app.use(express.static(${w}${o}));`),
  fc.tuple(pick("'/static'", "'/'"), where, staticOpts).map(([p, w, o]) => `app.use(${p}, serveStatic(${w}, ${o}));`),
  value.map((v) => `app.get('/api/x', (req, res) => { res.set('Cache-Control', ${v}); res.json(data); });`),
  staticOpts.map((o) => `fastify.register(require('@fastify/static'), ${o});`),
  staticOpts.map((o) => `app.use(serve('public', ${o}));`),
  staticOpts.map((o) => `app.useStaticAssets(join(__dirname, '..', 'public'), ${o});`),
  poolOpts.map((o) => `const pool = new Pool(${o});`),
  poolOpts.map((o) => `const pool = mysql.createPool(${o});`),
  poolOpts.map((o) => `export async function handler(event) { const client = new Client(${o}); await client.connect(); return client.query('SELECT 1'); }`),
  poolOpts.map((o) => `app.get('/', async (req, res) => { const pool = new Pool(${o}); res.json(await pool.query('SELECT 1')); });`),
  poolOpts.map((o) => `const prisma = new PrismaClient(${o});`),
  pick("const redis = new Redis(process.env.REDIS_URL);", "const r = createClient({ url: 'redis://localhost' });", "const db = new PrismaClient({ datasources: { db: { url: 'postgres://u@h/db?connection_limit=1' } } });"),
);
const header = pick(
  "const express = require('express');\nconst compression = require('compression');\nconst app = express();",
  "import express from 'express';\nimport serveStatic from 'serve-static';\nconst app = express();",
  "import Fastify from 'fastify';\nconst fastify = Fastify();",
  "import Koa from 'koa';\nimport serve from 'koa-static';\nconst app = new Koa();",
  "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);",
  "import { Pool, Client } from 'pg';\nimport mysql from 'mysql2/promise';\nimport { PrismaClient } from '@prisma/client';\nimport Redis from 'ioredis';",
);
/** A server or database module: imports, an app, middleware, routes and clients with random options. */
export const jsModule: fc.Arbitrary<string> = fc
  .tuple(header, fc.array(statementJs, { maxLength: 8, size: 'medium' }), pick('app.listen(3000);', 'module.exports = app;', 'export default app;', '}\nbootstrap();', ''))
  .map(([h, body, tail]) => `${h}\n${body.join('\n')}\n${tail}\n`);
