/**
 * Property-based robustness of the parsers of workspace text (fast-check): SQL (files in the three
 * dialects, SQL in code, statement splitting, Prisma schemas), nginx, Apache, hosting configs and
 * their path patterns, Node servers and pools (JS), Python settings. For random text that mixes each
 * language's own tokens with random strings: no call throws, and each call returns in < BUDGET_MS.
 * The other readers (lockfiles, manifests, source maps, imports, markup, kernel) are in
 * readers.property.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSqlFile, StatementParser } from '../../../src/analyzers/sql/analyze.js';
import { splitStatements } from '../../../src/analyzers/sql/split.js';
import { parsePrismaSchema } from '../../../src/analyzers/sql/prisma.js';
import { extractEmbeddedSql } from '../../../src/analyzers/sql/embedded.js';
import type { Dialect } from '../../../src/analyzers/sql/types.js';
import { parseNginx } from '../../../src/analyzers/nginx/parser.js';
import { analyzeNginx } from '../../../src/analyzers/nginx/analyze.js';
import { parseApacheConfig } from '../../../src/analyzers/apache/parse.js';
import { analyzeApache } from '../../../src/analyzers/apache/analyze.js';
import { apacheGatherer } from '../../../src/analyzers/apache/gather.js';
import { readFirebaseJson, readVercelJson } from '../../../src/analyzers/hosting/json.js';
import { readNetlifyToml } from '../../../src/analyzers/hosting/netlify.js';
import { readHeadersFile } from '../../../src/analyzers/hosting/headers-file.js';
import { compilePattern, literalPrefix } from '../../../src/analyzers/hosting/patterns.js';
import type { PatternKind } from '../../../src/analyzers/hosting/model.js';
import { serverFacts } from '../../../src/analyzers/node-server/server-model.js';
import { serverGatherer } from '../../../src/analyzers/node-server/gather.js';
import { poolFacts } from '../../../src/analyzers/pools/pool-model.js';
import { djangoFacts } from '../../../src/analyzers/pools/django.js';
import { nullPoolUses } from '../../../src/analyzers/pools/sqlalchemy.js';
import { readSqlalchemyModels, scanSqlalchemyQueries } from '../../../src/analyzers/sql/orm/sqlalchemy.js';
import { pythonPoolFacts } from '../../../src/analyzers/pools/gather.js';
import { readExpr, statements, tokenize } from '../../../src/lang/python/tokenize.js';
import { parseJs } from '../../../src/lang/javascript/ast.js';
import type { WorkspaceView } from '../../../src/kernel/contracts.js';
import { jsonTextOf, mutated, PARAMS, textOf, timed, warm } from './fuzz.js';
import { jsModule, sqlFile, sqlInCode } from './generators.js';

// ---------------------------------------------------------------- SQL

const SQL = [
  'SELECT', 'select', '*', 'FROM', 'users', 'u', 'orders', 'WHERE', 'id', 'email', '=', '<>', '>', '1', '42', '0.5', "'x'", "'a''b'", "E'\\n'", "'%foo'",
  'AND', 'OR', 'NOT', 'NULL', 'IS', 'IN', '(', ')', ',', ';', '.', 'LIKE', 'ILIKE', 'lower(email)', 'JOIN', 'LEFT JOIN', 'ON', 'u.id', 'o.user_id',
  'ORDER BY', 'GROUP BY', 'LIMIT', 'OFFSET', 'WITH', 'AS', 'UNION', 'INSERT INTO', 'VALUES', '(1, 2)', 'UPDATE', 'SET', 'DELETE FROM', 'RETURNING',
  'CREATE TABLE', 'CREATE INDEX', 'CREATE UNIQUE INDEX', 'CONCURRENTLY', 'IF NOT EXISTS', 'ALTER TABLE', 'ADD COLUMN', 'ADD CONSTRAINT', 'DROP TABLE',
  'DROP INDEX', 'PRIMARY KEY', 'FOREIGN KEY', 'REFERENCES', 'UNIQUE', 'int', 'bigint', 'text', 'varchar(255)', 'SERIAL', 'JSONB', 'AUTO_INCREMENT',
  'AUTOINCREMENT', 'ENGINE=InnoDB', 'WITHOUT ROWID', 'PRAGMA foreign_keys = ON', 'USING gin', '::text', '$1', '?', ':name', '@var', '"quoted"', '`bt`',
  '[br]', '--', '-- c\n', '/*', '*/', '/*!50503', '#', '$$', '$fn$', '$', 'BEGIN', 'END', 'DELIMITER //', 'DELIMITER ;', '//', 'CREATE TRIGGER t',
  'CREATE PROCEDURE p()', 'CREATE FUNCTION f() RETURNS trigger AS', 'LANGUAGE plpgsql', 'EXPLAIN', 'ANALYZE', 'COPY', 'FROM stdin', '\\.', '\\', "'", '"',
];
const CODE = [
  'sql`', '`', '${', '}', '${id}', 'db.query(', 'pool.query(', 'knex.raw(', 'prisma.$queryRaw`', 'prisma.$executeRawUnsafe(', 'conn.execute(', 'stmt.all(',
  ')', '(', "'", '"', '+', ', [id]', 'const q =', 'await', 'return', 'function f() {', '=>', '//', '/*', '*/', '/re/g', '<div>', '</div>', '/>', '\\n', '\\',
  '// dialect: mysql\n', 'x.get(', 'typeof', '?.', ...SQL.slice(0, 60),
];
const sqlText = fc.oneof(textOf(SQL), mutated(sqlFile, SQL));
const codeText = fc.oneof(textOf(CODE), mutated(sqlInCode, CODE));
const DIALECTS: Dialect[] = ['postgresql', 'mysql', 'sqlite'];
const INTERNAL = /^(?:internal parser error|Internal error)\b/;

/** A parser without cached statements for each call (the PostgreSQL WASM module, loaded once, is shared). */
const parser = (): StatementParser => new StatementParser();

test('SQL files in every dialect and SQL in code: parseSqlFile never throws, bounded (property)', async () => {
  await parser().ready(['postgresql']);
  warm(() => DIALECTS.map((d) => parseSqlFile('db/w.sql', 'SELECT 1; CREATE TABLE t (id int);', parser(), d)));
  warm(() => parseSqlFile('src/w.ts', "db.query('SELECT 1')", parser()));
  fc.assert(
    fc.property(sqlText, fc.constantFrom(...DIALECTS), (text, dialect) => {
      const f = timed(`parseSqlFile(.sql, ${dialect})`, () => parseSqlFile('db/schema.sql', text, parser(), dialect));
      assert.deepEqual(f.statements.filter((s) => INTERNAL.test(s.error?.message ?? '')).map((s) => s.error?.message), []);
    }),
    PARAMS,
  );
  fc.assert(
    fc.property(codeText, fc.constantFrom(...DIALECTS), fc.constantFrom('src/db.ts', 'src/view.tsx', 'lib/q.js'), (text, dialect, path) => {
      const f = timed(`parseSqlFile(${path}, ${dialect})`, () => parseSqlFile(path, text, parser(), undefined, dialect));
      assert.deepEqual(f.statements.filter((s) => INTERNAL.test(s.error?.message ?? '')).map((s) => s.error?.message), []);
    }),
    PARAMS,
  );
});

test('splitStatements and extractEmbeddedSql never throw, bounded (property)', () => {
  fc.assert(
    fc.property(sqlText, fc.constantFrom(...DIALECTS), (text, dialect) => {
      const problems: { message: string; span: { start: number; end: number } }[] = [];
      const parts = timed(`splitStatements(${dialect})`, () => splitStatements(text, dialect, problems));
      for (const p of parts) assert.ok(p.span.start >= 0 && p.span.start <= p.span.end && p.span.end <= text.length, 'spans inside the text');
    }),
    PARAMS,
  );
  fc.assert(
    fc.property(codeText, fc.constantFrom<boolean | 'auto'>(true, false, 'auto'), (text, jsx) => {
      timed('extractEmbeddedSql', () => extractEmbeddedSql(text, { jsx }));
    }),
    PARAMS,
  );
});

const PRISMA = [
  'datasource db {', 'provider = "postgresql"', 'provider = "mysql"', 'url = env("DATABASE_URL")', 'generator client {', 'model User {', 'model Post {', '}', '{',
  'id', 'Int', 'String', 'String?', 'Post[]', 'User', '@id', '@default(autoincrement())', '@unique', '@map("user_id")', '@@map("users")', '@@index([authorId])',
  '@@unique([a, b])', '@@id([a, b])', '@relation(fields: [authorId], references: [id])', '@relation("R")', 'onDelete: Cascade', 'authorId', 'author', 'enum Role {',
  'type Address {', 'view V {', '@db.VarChar(255)', '//', '///', '/*', '*/', '"', '(', ')', '[', ']', ',', ':', '=', '@', '@@', '?', '\\',
];

test('parsePrismaSchema never throws (no internal error either), bounded (property)', () => {
  fc.assert(
    fc.property(textOf(PRISMA), (text) => {
      const r = timed('parsePrismaSchema', () => parsePrismaSchema(text, 'prisma/schema.prisma'));
      assert.deepEqual(r.errors.filter((e) => /Internal error/.test(e.message)).map((e) => e.message), []);
    }),
    PARAMS,
  );
});

// ---------------------------------------------------------------- nginx

const NGINX = [
  '{', '}', ';', '"', "'", '\\', '#', '$', '${x}', 'events', 'http', 'server', 'location', '=', '~', '~*', '^~', '@named', '\\.(css|js)$', '/assets/', '/',
  'gzip', 'on', 'off', 'gzip_types', 'text/css', 'application/javascript', 'brotli', 'expires', '1y', 'max', '-1', 'add_header', 'Cache-Control', '"public, max-age=31536000"',
  'always', 'upstream', 'backend', 'keepalive', '32', 'proxy_pass', 'http://backend', 'proxy_cache', 'proxy_cache_path', 'listen', '443', 'ssl', 'http2', 'sendfile',
  'include', '*.conf', 'a.conf', 'conf.d/*.conf', 'b.conf', 'if', '($x)', '(', ')', 'map', '$uri', '$cache', 'types', 'default', 'root', '/srv', 'try_files',
  'content_by_lua_block', 'access_by_lua_block', 'return 200', 'load_module', 'worker_processes', 'auto', 'stream',
];
const nginxText = textOf(NGINX);

test('nginx: parseNginx and analyzeNginx (includes through a workspace stub) never throw, bounded (property)', () => {
  warm(() => analyzeNginx('nginx/nginx.conf', 'events {}\nhttp { include conf.d/*.conf; server { listen 80; } }\n', { paths: () => [], textOf: () => undefined }));
  fc.assert(
    fc.property(nginxText, nginxText, nginxText, (main, a, b) => {
      timed('parseNginx', () => parseNginx(main, 'nginx/nginx.conf'));
      const files: Record<string, string> = { 'nginx/nginx.conf': `events {}\n${main}`, 'nginx/a.conf': a, 'nginx/conf.d/b.conf': b, 'nginx/sites-enabled/site': a };
      const ws: WorkspaceView = { paths: () => Object.keys(files), textOf: (p) => files[p] };
      for (const path of Object.keys(files)) timed(`analyzeNginx(${path})`, () => analyzeNginx(path, files[path], ws));
    }),
    PARAMS,
  );
});

// ---------------------------------------------------------------- Apache

const APACHE = [
  '<VirtualHost *:80>', '</VirtualHost>', '<Directory /srv>', '</Directory>', '<IfModule mod_deflate.c>', '<IfModule !mod_expires.c>', '</IfModule>', '<FilesMatch "\\.(css|js)$">',
  '</FilesMatch>', '<LocationMatch "^/assets/">', '</LocationMatch>', '<If "%{REQUEST_URI} =~ m#^/x#">', '</If>', '<Else>', '</Else>', '<IfDefine X>', '</IfDefine>', '<', '>', '</',
  'ExpiresActive On', 'ExpiresByType', 'text/css', '"access plus 1 year"', 'A31536000', 'ExpiresDefault', 'Header set Cache-Control', 'Header always set', '"max-age=31536000, public"',
  'Header unset ETag', 'AddOutputFilterByType DEFLATE', 'application/javascript', 'SetOutputFilter DEFLATE', 'BROTLI_COMPRESS', 'AddEncoding gzip .gz', 'LoadModule deflate_module m.so',
  'DocumentRoot /var/www', 'ServerName example.com', 'Define X', '${X}', 'Include conf.d/*.conf', 'RewriteEngine On', 'RewriteRule ^(.*)$ /x [L]', '\\', '\\\n', '#', '"', "'", ' ',
];

test('Apache: parseApacheConfig, analyzeApache and the gatherer never throw, bounded (property)', () => {
  fc.assert(
    fc.property(textOf(APACHE), fc.constantFrom('apache2/apache2.conf', 'public/.htaccess', 'etc/httpd/conf.d/site.conf', 'sites-enabled/x'), (text, path) => {
      const config = timed('parseApacheConfig', () => parseApacheConfig(text));
      timed('analyzeApache', () => analyzeApache(config));
      timed('apacheGatherer.gather', () => apacheGatherer.gather(path, text, { paths: () => [path], textOf: () => text }));
    }),
    PARAMS,
  );
});

// ---------------------------------------------------------------- hosting

const HOSTING_KEYS = ['headers', 'source', 'key', 'value', 'routes', 'src', 'continue', 'has', 'missing', 'hosting', 'public', 'glob', 'regex', 'site', 'target', 'rewrites', 'framework', 'outputDirectory', 'cleanUrls', 'trailingSlash', 'buildCommand'];
const HOSTING_LEAVES = fc.constantFrom('Cache-Control', 'cache-control', 'public, max-age=31536000, immutable', 'no-cache', 'max-age=0', '/assets/(.*)', '/:path*', '/(.*)\\.(js|css)', '^/static/(.*)$', '**/*.@(js|css)', '**', '(', 'dist', 'nextjs', true, 1);
const NETLIFY = [
  '[[headers]]', '[headers.values]', '[build]', '[[redirects]]', '[context.production]', '[[plugins]]', 'for = "/*"', 'for = "/assets/*"', "for = '/:lang/*'", 'Cache-Control = "public, max-age=31536000"',
  '"Cache-Control" = "no-cache"', 'values = { Cache-Control = "max-age=0" }', 'values.Cache-Control = "x"', 'publish = "dist"', 'base = "web"', 'command = "npm run build"', '"""', "'''",
  '=', '[', ']', '{', '}', '"', "'", '#', ',', '.', 'for', 'true', '1979-05-27', '+inf', '0x1F',
];
const HEADERS = ['/*', '/assets/*', '/:lang/*', 'https://example.com/*', '  Cache-Control: public, max-age=31536000, immutable', '  cache-control: no-cache', '  ! Cache-Control', '  X-Frame-Options: DENY', ':splat', ':', '!', '#', '  ', '\n', '/'];
const PATTERN = ['/', 'assets', '(', ')', '(.*)', '.*', '*', '**', ':path', ':path*', ':p+', ':p?', '{', '}', '{a,b}', '[', ']', '[a-z]', '\\', '|', '+', '?', '^', '$', '(?:', '(?=x)', '@(', '!(', '+(', '*(', 'a', '.', 'x{1000}', '(a+)+', '(a|aa)*', '\\d', '#'];
const KINDS: PatternKind[] = ['path-to-regexp', 'regex', 'splat', 'glob'];

test('hosting: vercel.json, firebase.json, netlify.toml and _headers readers never throw, bounded (property)', () => {
  const json = fc.oneof(jsonTextOf(HOSTING_KEYS, HOSTING_LEAVES), textOf(['{', '}', '[', ']', ':', ',', '"headers"', '"source"', '"hosting"', '"Cache-Control"', '"value"', '"key"', '//', '/*', '*/', 'null', '"']));
  fc.assert(
    fc.property(json, (text) => {
      timed('readVercelJson', () => readVercelJson(text));
      timed('readFirebaseJson', () => readFirebaseJson(text));
    }),
    PARAMS,
  );
  fc.assert(
    fc.property(textOf(NETLIFY), textOf(HEADERS), (toml, headers) => {
      timed('readNetlifyToml', () => readNetlifyToml(toml));
      timed('readHeadersFile', () => readHeadersFile(headers));
    }),
    PARAMS,
  );
});

test('hosting: compilePattern and the matcher it returns are bounded, also on long paths (property)', () => {
  const pattern = fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PATTERN) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }), { maxLength: 40 }).map((a) => a.join(''));
  const segment = fc.constantFrom('a', 'aa', 'assets', 'x.js', '.', '..', '', 'a-b_c', '%2F', '(', '*', ':', '\\');
  const longPath = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 600 }), fc.constantFrom('', '/', '!', '.css', 'b')).map(([segs, n, tail]) => `/${`${segs.join('/')}/`.repeat(n)}`.slice(0, 5000) + tail);
  fc.assert(
    fc.property(pattern, fc.constantFrom(...KINDS), longPath, (p, kind, path) => {
      const match = timed(`compilePattern(${kind})`, () => compilePattern(p, kind));
      timed(`literalPrefix(${kind})`, () => literalPrefix(p, kind));
      timed(`${kind} matcher on a ${path.length}-character path`, () => match(path));
      timed(`${kind} matcher on a long run of one character`, () => match(`/${'a'.repeat(5000)}!`));
    }),
    PARAMS,
  );
});

test('regression (property): firebase.json globs run on RE2, a repeated group cannot hang the matcher', () => {
  // picomatch's own RegExp backtracked: `(**)+Z` took 2 minutes on this sample URL of the CRA layout, `(a+)+` hung on the long path
  const cases: [string, string][] = [['(**)+Z', '/static/js/main.3f9a2c1b.chunk.js'], ['(a+)+', `/${'a'.repeat(5000)}!`], ['(a+)+}:p?', `/${'a'.repeat(5000)}!`], ['+(*|**)Z', `/${'ab/'.repeat(1000)}`]];
  for (const [glob, path] of cases) assert.equal(timed(`the ${glob} matcher`, () => compilePattern(glob, 'glob')(path)), false);
  // what firebase.json globs mean is unchanged: extglobs, braces, globstars, negation, the pattern itself
  const m = (glob: string, path: string): boolean => compilePattern(glob, 'glob')(path);
  assert.ok(m('**/*.@(jpg|jpeg|gif|png|svg|webp|js|css|woff2)', '/static/js/main.3f9a2c1b.chunk.js'));
  assert.ok(m('assets/**/*.{js,css}', '/assets/a/b.css') && m('/assets/**', '/assets') && m('**', '/x/y.js'));
  assert.ok(m('!**/*.html', '/assets/a.js') && !m('!**/*.html', '/index.html'));
  assert.ok(m('a(b', '/a(b') && !m('a?c', '/a/c') && m('[a-z]*.js', '/app.js'));
  // a negated extglob needs a look-around RE2 cannot run: kernel/glob.ts reads `!(…)` as `*` (it over-matches
  // rather than invent a missing header)
  assert.equal(m('**/!(*.html)', '/assets/a.js'), true);
});

// ---------------------------------------------------------------- JS: Node servers, pools, the parse helper

const JS = [
  'const express = require("express");', "import express from 'express';", "import compression from 'compression';", 'const app = express();', 'app.use(', 'compression()',
  'express.static(', '"public"', '{ maxAge: "1y", immutable: true }', '{ maxAge: 0 }', 'app.get("/", (req, res) => {', 'res.set("Cache-Control", "max-age=60");', 'res.send(x);', '});',
  'app.disable("etag");', 'app.set("etag", false);', "import Fastify from 'fastify';", 'const f = Fastify();', "f.register(require('@fastify/static'), { root: r });", 'f.register(',
  "import Koa from 'koa';", 'new Koa()', "import serve from 'koa-static';", 'NestFactory.create(AppModule)', 'app.useStaticAssets(', 'ServeStaticModule.forRoot(', 'app.listen(3000);',
  "import { Pool, Client } from 'pg';", 'new Pool(', 'new Client(', '{ max: 20, idleTimeoutMillis: 1000 }', "const mysql = require('mysql2');", 'mysql.createPool(', 'mysql.createConnection(',
  'connectionLimit: 5', "import Redis from 'ioredis';", 'new Redis()', "import { PrismaClient } from '@prisma/client';", 'new PrismaClient()', 'process.env.DATABASE_URL',
  '"postgres://u:p@h/db?connection_limit=1"', 'export async function handler(event) {', 'export default async function (req, res) {', 'export const GET = async () => {', 'await client.connect();',
  'client.end();', 'module.exports = app;', 'export default app;', 'function', 'async', 'await', 'return', 'new', 'const', 'let', 'x', '=', '=>', '{', '}', '(', ')', '[', ']', ',', ';',
  '.', '?.', '...', '`', '${', "'", '"', '//', '/*', '*/', '<div>', '</div>', '/>', 'as any', ': string', '@Module({})', 'class A {', 'if (x)', 'else', '1e3', '60 * 60',
];
const jsText = fc.oneof(textOf(JS), mutated(jsModule, JS));
const JS_PATHS = ['server.js', 'src/app.ts', 'src/main.ts', 'app/api/x/route.ts', 'pages/api/x.js', 'lib/db.mjs', 'src/index.tsx', 'netlify/functions/f.cjs'];

test('Node servers and pools: serverFacts, the server gatherer, poolFacts and parseJs never throw, bounded (property)', () => {
  warm(() => parseJs('w.ts', 'const x = 1;'));
  fc.assert(
    fc.property(jsText, fc.constantFrom(...JS_PATHS), (text, path) => {
      timed('parseJs', () => parseJs(path, text));
      timed('serverFacts', () => serverFacts(path, text));
      timed('serverGatherer.gather', () => serverGatherer.gather(path, text, { paths: () => [path, 'package.json'], textOf: (p) => (p === path ? text : '{"dependencies":{"express":"4"}}') }));
      timed('poolFacts', () => poolFacts(path, text));
    }),
    PARAMS,
  );
});

// ---------------------------------------------------------------- Python: tokenizer, Django settings, SQLAlchemy

const PY = [
  'DATABASES = {', "'default': {", "'ENGINE': 'django.db.backends.postgresql',", "'CONN_MAX_AGE': 0,", "'CONN_MAX_AGE': None,", "'CONN_MAX_AGE': 60,", "'OPTIONS': {},", '}', '{',
  "DATABASES['default']['CONN_MAX_AGE'] = 0", 'INSTALLED_APPS = []', 'dj_database_url.config(conn_max_age=600)', 'from sqlalchemy.pool import NullPool', 'from sqlalchemy import create_engine',
  'engine = create_engine(url, poolclass=NullPool)', 'create_engine(', 'poolclass=NullPool', 'pool_size=5,', 'NullPool', '(', ')', '[', ']', ':', ',', '=', '**', '*', '.', '@',
  '"""', "'''", 'f"', 'rb"', "b'", '"', "'", '#', '\\', '\\\n', '    ', '\t', 'import os', 'os.environ.get("X", 0)', 'env.int("X")', 'True', 'None', 'lambda x: x', '0', '60',
  '1e3', '0x1F', '1_000', 'if', 'else', 'for', 'in', 'dict(', 'def f():', 'class C:', 'return',
];

test('regression (property): Python expressions with an unclosed bracket or a long operator chain', () => {
  // shrunk counterexample: readExpr spun 100,000 turns at the end of each unclosed bracket, once per `poolclass=` (20 ms each)
  const unclosed = `${'poolclass=NullPool('.repeat(300)}((`;
  timed('nullPoolUses', () => nullPoolUses(unclosed, tokenize(unclosed)));
  const open = tokenize('x = (1, 2');
  const r = readExpr(open, 2);
  assert.deepEqual(r.expr.kind === 'list' && r.expr.items.map((e) => e.kind), ['number', 'number']);
  assert.equal(r.next, open.length);
  // 10,000 chained operators: readExpr recursed past its depth limit, a stack overflow out of the pool gatherer
  const chain = `DATABASES = {'default': {'ENGINE': 'x', 'CONN_MAX_AGE': ${'1 + '.repeat(10_000)}1}}\nINSTALLED_APPS = []\n`;
  timed('pythonPoolFacts', () => pythonPoolFacts('mysite/settings.py', chain));
  assert.equal(readExpr(tokenize('x = 60 * 60 * 24'), 2).expr.kind, 'number', 'short arithmetic is still folded');
});

test('Python: tokenize, statements, readExpr, djangoFacts, nullPoolUses and the pool gatherer never throw, bounded (property)', () => {
  fc.assert(
    fc.property(textOf(PY), fc.nat(), fc.constantFrom('mysite/settings.py', 'app/db.py', 'config/settings/base.py'), (text, at, path) => {
      const tokens = timed('tokenize', () => tokenize(text));
      timed('statements', () => statements(tokens));
      if (tokens.length) timed('readExpr', () => readExpr(tokens, at % tokens.length));
      timed('djangoFacts', () => djangoFacts(text, tokens));
      timed('nullPoolUses', () => nullPoolUses(text, tokens));
      timed('pythonPoolFacts', () => pythonPoolFacts(path, `DATABASES = {}\nINSTALLED_APPS = []\n${text}`));
    }),
    PARAMS,
  );
});

const SQLA = [
  'class User(Base):', 'class M(db.Model):', '    __tablename__ = "users"', '    __table_args__ = (', 'Index("ix", "a", "b"),', '{"x": 1},', ')', '    id = Column(Integer, primary_key=True)',
  '    team_id = mapped_column(ForeignKey("teams.id"), index=True)', '    team = relationship("Team", backref="users")', '    name: Mapped[str]', 'session.query(User)', 'User.query', '.filter(', '.filter_by(a=1)',
  'User.email == x', ' != None', '.in_(ids)', '.like("a%")', 'and_(', 'or_(', '~', '|', '&', '.order_by(User.a.desc())', '.first()', '.all()', 'select(User)', '.where(', 'session.scalars(', 'session.execute(',
  'stmt = ', 'q = q.filter(', 'for u in users:', 'def f(session):', '(', ')', ',', '\n', '    ', 'cls.query', 'func.count()', '.select_from(User)', 'session.get(User, 1)',
];

test('SQLAlchemy: the model reader and the query extractor never throw, bounded (property)', () => {
  fc.assert(
    fc.property(textOf(SQLA), (text) => {
      timed('readSqlalchemyModels', () => readSqlalchemyModels('app/models.py', text));
      const r = timed('scanSqlalchemyQueries', () => scanSqlalchemyQueries('app/views.py', text));
      assert.ok(!r.skipped.some((x) => x.reason.startsWith('extractor failed')), JSON.stringify(r.skipped));
    }),
    PARAMS,
  );
});
