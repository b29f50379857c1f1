import { makeRuleTests } from '../node-server/tester.js';
import { POOL_GATHERERS, POOL_RULES } from '../../../src/analyzers/pools/index.js';

const ruleTests = makeRuleTests(POOL_RULES, POOL_GATHERERS);

ruleTests('pool-client-per-request', {
  valid: [
    { name: 'module-level pool', files: { 'server.js': "const express = require('express');\nconst { Pool } = require('pg');\nconst pool = new Pool();\nconst app = express();\napp.get('/u', async (req, res) => res.json((await pool.query('SELECT 1')).rows));\n" } },
    { name: 'lazy singleton assigned once', files: { 'server.js': "const { Client } = require('pg');\nlet client;\napp.get('/u', async (req, res) => {\n  if (!client) {\n    client = new Client();\n    await client.connect();\n  }\n  res.json((await client.query('SELECT 1')).rows);\n});\n" } },
    { name: 'Next.js global Prisma singleton', files: { 'lib/prisma.ts': "import { PrismaClient } from '@prisma/client';\nconst g = globalThis as unknown as { prisma?: PrismaClient };\nexport const prisma = g.prisma ?? new PrismaClient();\nif (process.env.NODE_ENV !== 'production') g.prisma = prisma;\n" } },
    { name: 'a script, not a handler', files: { 'scripts/migrate.js': "const { Client } = require('pg');\nasync function main() {\n  const c = new Client();\n  await c.connect();\n  await c.query('SELECT 1');\n  await c.end();\n}\nmain();\n" } },
    { name: 'Express: a one-parameter function given to use() is not a handler (error handlers and middleware take 2+)', files: { 'server.js': "const express = require('express');\nconst { createClient } = require('redis');\nconst app = express();\napp.use(setup((opts) => { const r = createClient(opts); return r; }));\napp.use((x) => { const r = createClient(); r.connect(); });\n" } },
    { name: 'an unrelated Client class', files: { 'server.js': "const { Client } = require('./sdk');\napp.get('/x', (req, res) => { const c = new Client(); res.send(c.name); });\n" } },
  ],
  invalid: [
    {
      name: 'pg Client per Express request: hoisted to a module-level Pool, try/finally unwrapped',
      files: { 'server.js': "const express = require('express');\nconst { Client } = require('pg');\nconst app = express();\n\n// List users\napp.get('/users', async (req, res) => {\n  const client = new Client({ connectionString: process.env.DATABASE_URL });\n  await client.connect();\n  try {\n    const { rows } = await client.query('SELECT * FROM users');\n    res.json(rows);\n  } finally {\n    await client.end();\n  }\n});\n" },
      errors: [{
        file: 'server.js', line: 7, column: 18, endLine: 7, endColumn: 76, severity: 'warning',
        message: /^This route handler creates a new pg Client \(a new PostgreSQL connection\) on every request/,
        data: { kind: 'pg.Client', module: 'pg' },
        fixOutput: { 'server.js': "const express = require('express');\nconst { Pool } = require('pg');\nconst app = express();\n\nconst pool = new Pool({ connectionString: process.env.DATABASE_URL });\n\n// List users\napp.get('/users', async (req, res) => {\n  const { rows } = await pool.query('SELECT * FROM users');\n  res.json(rows);\n});\n" },
      }],
    },
    {
      name: 'ESM pg namespace, try/catch/finally: the finally clause goes',
      files: { 'routes.mjs': "import pg from 'pg';\nimport { Router } from 'express';\nexport const router = Router();\nrouter.get('/n', async (req, res) => {\n  const db = new pg.Client();\n  await db.connect();\n  try {\n    res.json((await db.query('SELECT count(*) FROM t')).rows);\n  } catch (e) {\n    res.status(500).end();\n  } finally {\n    db.end();\n  }\n});\n" },
      errors: [{ file: 'routes.mjs', line: 5, column: 14, fixOutput: { 'routes.mjs': "import pg from 'pg';\nimport { Router } from 'express';\nexport const router = Router();\nconst pool = new pg.Pool();\n\nrouter.get('/n', async (req, res) => {\n  try {\n    res.json((await pool.query('SELECT count(*) FROM t')).rows);\n  } catch (e) {\n    res.status(500).end();\n  }\n});\n" } }],
    },
    {
      name: 'mysql2/promise connection in a Fastify route: createPool',
      files: { 'app.ts': "import Fastify from 'fastify';\nimport mysql from 'mysql2/promise';\nconst app = Fastify();\napp.get('/items', async () => {\n  const conn = await mysql.createConnection({ host: 'db', user: 'app', database: 'shop' });\n  const [rows] = await conn.execute('SELECT * FROM items WHERE active = ?', [1]);\n  await conn.end();\n  return rows;\n});\n" },
      errors: [{ file: 'app.ts', line: 5, column: 22, data: { kind: 'mysql.createConnection' }, fixOutput: { 'app.ts': "import Fastify from 'fastify';\nimport mysql from 'mysql2/promise';\nconst app = Fastify();\nconst pool = mysql.createPool({ host: 'db', user: 'app', database: 'shop' });\n\napp.get('/items', async () => {\n  const [rows] = await pool.execute('SELECT * FROM items WHERE active = ?', [1]);\n  return rows;\n});\n" } }],
    },
    {
      name: 'PrismaClient in a Next.js API route',
      files: { 'pages/api/posts.ts': "import { PrismaClient } from '@prisma/client';\n\nexport default async function handler(req, res) {\n  const prisma = new PrismaClient();\n  const posts = await prisma.post.findMany();\n  await prisma.$disconnect();\n  res.json(posts);\n}\n" },
      errors: [{ file: 'pages/api/posts.ts', line: 4, column: 18, message: /Next\.js API route creates a new PrismaClient/, fixOutput: { 'pages/api/posts.ts': "import { PrismaClient } from '@prisma/client';\n\nconst prisma = new PrismaClient();\n\nexport default async function handler(req, res) {\n  const posts = await prisma.post.findMany();\n  res.json(posts);\n}\n" } }],
    },
    {
      name: 'ioredis in Koa middleware',
      files: { 'app.js': "const Koa = require('koa');\nconst Redis = require('ioredis');\nconst app = new Koa();\napp.use(async (ctx, next) => {\n  const redis = new Redis(process.env.REDIS_URL);\n  ctx.state.hits = await redis.incr('hits');\n  redis.quit();\n  await next();\n});\n" },
      errors: [{ file: 'app.js', line: 5, column: 17, data: { kind: 'ioredis', how: 'middleware' }, fixOutput: { 'app.js': "const Koa = require('koa');\nconst Redis = require('ioredis');\nconst app = new Koa();\nconst redis = new Redis(process.env.REDIS_URL);\n\napp.use(async (ctx, next) => {\n  ctx.state.hits = await redis.incr('hits');\n  await next();\n});\n" } }],
    },
    {
      name: 'Koa middleware taking only ctx',
      files: { 'app.mjs': "import Koa from 'koa';\nimport { createClient } from 'redis';\nconst app = new Koa();\napp.use(async (ctx) => {\n  const r = createClient();\n  await r.connect();\n  ctx.body = await r.get('greeting');\n});\n" },
      errors: [{ file: 'app.mjs', line: 5, column: 13, endColumn: 27, message: /middleware creates a new/, data: { kind: 'redis.createClient', how: 'middleware' } }],
    },
    {
      name: 'Nest controller method: hoisted above the decorators',
      files: { 'src/users.controller.ts': "import { Controller, Get } from '@nestjs/common';\nimport { PrismaClient } from '@prisma/client';\n\n@Controller('users')\nexport class UsersController {\n  @Get()\n  async all() {\n    const prisma = new PrismaClient();\n    return prisma.user.findMany();\n  }\n}\n" },
      errors: [{ file: 'src/users.controller.ts', line: 8, column: 20, fixOutput: { 'src/users.controller.ts': "import { Controller, Get } from '@nestjs/common';\nimport { PrismaClient } from '@prisma/client';\n\nconst prisma = new PrismaClient();\n\n@Controller('users')\nexport class UsersController {\n  @Get()\n  async all() {\n    return prisma.user.findMany();\n  }\n}\n" } }],
    },
    {
      name: 'node-redis createClient: no automatic fix',
      files: { 'server.js': "const { createClient } = require('redis');\napp.get('/c', async (req, res) => {\n  const c = createClient();\n  await c.connect();\n  res.send(await c.get('k'));\n});\n" },
      errors: [{ file: 'server.js', line: 3, column: 13, noFix: true, message: /no automatic fix: node-redis clients must be connected/ }],
    },
    {
      name: 'a transaction needs one connection: no fix',
      files: { 'server.js': "const { Client } = require('pg');\napp.post('/t', async (req, res) => {\n  const c = new Client();\n  await c.connect();\n  await c.query('BEGIN');\n  await c.query('UPDATE a SET n = n + 1');\n  await c.query('COMMIT');\n  await c.end();\n  res.end();\n});\n" },
      errors: [{ file: 'server.js', line: 3, column: 13, noFix: true, message: /transaction or session statement/ }],
    },
    {
      name: 'options use the request: no fix',
      files: { 'server.js': "const { Client } = require('pg');\napp.get('/t/:db', async (req, res) => {\n  const c = new Client({ database: req.params.db });\n  await c.connect();\n  res.json((await c.query('SELECT 1')).rows);\n});\n" },
      errors: [{ file: 'server.js', line: 3, column: 13, noFix: true, message: /`req`, which belongs to the handler/ }],
    },
    {
      name: 'a helper called from the handler',
      files: { 'server.js': "const { Client } = require('pg');\nasync function getDb() {\n  const c = new Client();\n  await c.connect();\n  return c;\n}\napp.get('/x', async (req, res) => {\n  const db = await getDb();\n  res.json((await db.query('SELECT 1')).rows);\n});\n" },
      errors: [{ file: 'server.js', line: 3, column: 13, noFix: true, message: /^The helper getDb\(\), called from a route handler, creates/ }],
    },
    {
      name: 'two handlers: both reported, neither fix preferred',
      files: { 'server.js': "const { PrismaClient } = require('@prisma/client');\napp.get('/a', async (req, res) => { const prisma = new PrismaClient(); res.json(await prisma.a.findMany()); });\napp.get('/b', async (req, res) => { const prisma = new PrismaClient(); res.json(await prisma.b.findMany()); });\n" },
      errors: [{ file: 'server.js', line: 2, column: 52 }, { file: 'server.js', line: 3, column: 52 }],
    },
  ],
});

ruleTests('pool-client-per-request', {
  valid: [
    { name: 'Cloudflare Workers (wrangler.toml): a client per request is required', files: { 'wrangler.toml': 'name = "api"\n', 'src/index.ts': "import { Hono } from 'hono';\nimport { PrismaClient } from '@prisma/client';\nconst app = new Hono();\napp.get('/', async (c) => { const prisma = new PrismaClient(); return c.json(await prisma.user.findMany()); });\n" } },
    { name: 'test files', files: { 'test/db.test.js': "const { Client } = require('pg');\napp.get('/x', async () => { const c = new Client(); });\n" } },
  ],
  invalid: [],
});
