import { makeRuleTests } from './tester.js';
import { SERVER_GATHERERS, SERVER_RULES } from '../../../src/analyzers/node-server/index.js';

const ruleTests = makeRuleTests(SERVER_RULES, SERVER_GATHERERS);
const EXP = "const express = require('express');\nconst { Pool } = require('pg');\nconst pool = new Pool();\nconst app = express();\n";

ruleTests('server-response-caching-missing', {
  valid: [
    { name: 'sets Cache-Control', files: { 'server.js': `${EXP}app.get('/products', async (req, res) => {\n  const { rows } = await pool.query('SELECT * FROM products');\n  res.set('Cache-Control', 'public, max-age=60');\n  res.json(rows);\n});\n` } },
    { name: 'header object', files: { 'server.js': `${EXP}app.get('/p', async (req, res) => {\n  res.set({ 'cache-control': 'max-age=30' }).json((await pool.query('SELECT 1')).rows);\n});\n` } },
    { name: 'reads a Redis cache first', files: { 'server.js': `${EXP}app.get('/p', async (req, res) => {\n  const hit = await redis.get('p');\n  if (hit) return res.json(JSON.parse(hit));\n  res.json((await pool.query('SELECT 1')).rows);\n});\n` } },
    { name: 'apicache route middleware', files: { 'server.js': `${EXP}const apicache = require('apicache');\nconst cache = apicache.middleware;\napp.get('/p', cache('5 minutes'), async (req, res) => res.json((await pool.query('SELECT 1')).rows));\n` } },
    { name: 'app-wide cache middleware', files: { 'server.js': `${EXP}app.use(require('apicache').middleware('1 minute'));\napp.get('/p', async (req, res) => res.json((await pool.query('SELECT 1')).rows));\n` } },
    { name: 'POST handlers are not cached', files: { 'server.js': `${EXP}app.post('/p', async (req, res) => res.json((await pool.query('INSERT INTO p DEFAULT VALUES')).rows));\n` } },
    { name: 'GET without a database call', files: { 'server.js': `${EXP}app.get('/health', (req, res) => res.send('ok'));\n` } },
    { name: 'a settings read is not a route', files: { 'server.js': `${EXP}const env = app.get('env');\n` } },
    { name: 'cache.get(key, fn) is not a route', files: { 'server.js': `${EXP}const v = cache.get('k', () => pool.query('SELECT 1'));\n` } },
    { name: 'Nest: CacheInterceptor on the controller', files: { 'src/products.controller.ts': "import { Controller, Get, UseInterceptors } from '@nestjs/common';\nimport { CacheInterceptor } from '@nestjs/cache-manager';\n@Controller('products')\n@UseInterceptors(CacheInterceptor)\nexport class ProductsController {\n  constructor(private readonly prisma: PrismaService) {}\n  @Get()\n  findAll() {\n    return this.prisma.product.findMany();\n  }\n}\n" } },
    { name: 'Next route with revalidate', files: { 'app/api/products/route.ts': "import { prisma } from '@/lib/prisma';\nexport const revalidate = 60;\nexport async function GET() {\n  return Response.json(await prisma.product.findMany());\n}\n" } },
    { name: 'a GET that writes (marks the notification read) is not a cacheable read', files: { 'server.js': `${EXP}app.get('/n/:id/pixel', async (req, res) => {\n  const n = await Notification.findByPk(req.params.id);\n  await n.update({ viewedAt: new Date() });\n  res.end();\n});\n` } },
    { name: 'a GET that deletes through a helper', files: { 'routes.js': "const express = require('express');\nconst router = express.Router();\nasync function drop(id) {\n  const s = await Subscription.findOne({ where: { id } });\n  await s.destroy();\n}\nrouter.get('/subscriptions/:id/drop', async (req, res) => {\n  await drop(req.params.id);\n  res.redirect('/');\n});\nmodule.exports = router;\n" } },
    { name: 'a GET that locks rows (FOR UPDATE, lock: true)', files: { 'server.js': `${EXP}app.get('/next-job', async (req, res) => res.json((await pool.query('SELECT * FROM jobs ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED')).rows));\napp.get('/seat', async (req, res) => res.json(await Seat.findOne({ where: { free: true }, lock: true })));\n` } },
    { name: 'route-level auth, a transaction middleware', files: { 'api.js': "const Router = require('@koa/router');\nconst router = new Router();\nrouter.get('documents.list', auth(), async (ctx) => { ctx.body = await Document.findAll({ where: { userId: ctx.state.user.id } }); });\nrouter.get('notifications.unsubscribe', validate(S), transaction(), async (ctx) => { ctx.body = await User.findByPk(ctx.query.id); });\nmodule.exports = router;\n" } },
    { name: 'router-level and app-level authentication or session', files: { 'routes/me.js': "const express = require('express');\nconst router = express.Router();\nrouter.use(requireAuth);\nrouter.get('/orders', async (req, res) => res.json(await Order.findAll({ where: { userId: req.user.id } })));\nmodule.exports = router;\n", 'server.js': `${EXP}app.use(session({ secret: 's' }));\napp.use(passport.session());\napp.get('/dashboard', async (req, res) => res.json((await pool.query('SELECT * FROM widgets WHERE owner = $1', [req.user.id])).rows));\n` } },
    { name: 'health checks and OAuth callbacks', files: { 'server.js': `${EXP}app.get('/_health', async (req, res) => { await pool.query('SELECT 1'); res.send('OK'); });\napp.get('/auth/gitlab/callback', async (req, res) => { const a = await pool.query('SELECT * FROM auths WHERE state = $1', [req.query.state]); res.redirect('/'); });\n` } },
    { name: 'Nest: a guarded controller', files: { 'src/me.controller.ts': "import { Controller, Get, UseGuards } from '@nestjs/common';\n@Controller('me')\n@UseGuards(JwtAuthGuard)\nexport class MeController {\n  constructor(private readonly prisma: PrismaService) {}\n  @Get('notes')\n  notes() {\n    return this.prisma.note.findMany();\n  }\n}\n" } },
  ],
  invalid: [
    {
      name: 'a public read next to guarded routes of another router is still a candidate',
      files: { 'api.js': "const Router = require('@koa/router');\nconst router = new Router();\nconst admin = new Router();\nadmin.use(auth());\nrouter.get('/shares/:id', validate(S), async (ctx) => { ctx.body = await Share.findByPk(ctx.params.id); });\nmodule.exports = { router, admin };\n" },
      errors: [{ file: 'api.js', line: 5, column: 1, data: { path: '/shares/:id' } }],
    },
    {
      name: 'Express GET with pool.query',
      files: { 'server.js': `${EXP}app.get('/products', async (req, res) => {\n  const { rows } = await pool.query('SELECT * FROM products');\n  res.json(rows);\n});\n` },
      errors: [{ file: 'server.js', line: 5, column: 1, endLine: 5, endColumn: 20, severity: 'info', message: /^GET \/products queries the database \(pool\.query\)/, data: { framework: 'express', path: '/products', dbCall: 'pool.query' }, noFix: true }],
    },
    {
      name: 'router file, handler declared elsewhere, DB call in a helper',
      files: { 'routes/users.js': "const express = require('express');\nconst router = express.Router();\nasync function loadUsers() {\n  return User.findAll({ limit: 50 });\n}\nrouter.get('/', async function list(req, res) {\n  res.json(await loadUsers());\n});\nmodule.exports = router;\n" },
      errors: [{ file: 'routes/users.js', line: 6, column: 1, data: { dbCall: 'User.findAll' } }],
    },
    {
      name: 'router.route().get() with Prisma',
      files: { 'routes.ts': "import { Router } from 'express';\nconst r = Router();\nr.route('/posts').get(async (req, res) => res.json(await prisma.post.findMany()));\nexport default r;\n" },
      errors: [{ file: 'routes.ts', line: 3, column: 1, data: { dbCall: 'prisma.post.findMany', path: '/posts' } }],
    },
    {
      name: 'Fastify route with knex',
      files: { 'app.js': "const fastify = require('fastify')();\nconst knex = require('knex')({ client: 'pg' });\nfastify.get('/items', async (request, reply) => knex('items').select('*'));\n" },
      errors: [{ file: 'app.js', line: 3, column: 1, message: /reply\.header/, data: { framework: 'fastify', dbCall: "knex('items').select" } }],
    },
    {
      name: 'Fastify plugin file (no import) with route options',
      files: { 'routes/items.js': "module.exports = async function (fastify, opts) {\n  fastify.get('/items', { schema: {} }, async () => fastify.pg.query('SELECT 1'));\n};\n" },
      errors: [{ file: 'routes/items.js', line: 2, column: 3, data: { dbCall: 'fastify.pg.query' } }],
    },
    {
      name: 'Koa router with a TypeORM repository',
      files: { 'routes.ts': "import Router from '@koa/router';\nconst router = new Router();\nrouter.get('/orders', async (ctx) => {\n  ctx.body = await orderRepository.find();\n});\n" },
      errors: [{ file: 'routes.ts', line: 3, column: 1, message: /ctx\.set/, data: { framework: 'koa' } }],
    },
    {
      name: 'Nest controller GET hitting a repository',
      files: { 'src/orders.controller.ts': "import { Controller, Get } from '@nestjs/common';\n@Controller('orders')\nexport class OrdersController {\n  constructor(private readonly ordersRepository: Repository<Order>) {}\n  @Get(':id')\n  one() {\n    return this.ordersRepository.findOneBy({ id: 1 });\n  }\n}\n" },
      errors: [{ file: 'src/orders.controller.ts', line: 5, column: 3, endColumn: 14, message: /CacheInterceptor/, data: { framework: 'nest', path: ':id' } }],
    },
    {
      name: 'Next pages API route',
      files: { 'pages/api/products.ts': "import { prisma } from '../../lib/prisma';\nexport default async function handler(req, res) {\n  res.json(await prisma.product.findMany());\n}\n" },
      errors: [{ file: 'pages/api/products.ts', line: 2, column: 1, endColumn: 15, data: { framework: 'next' } }],
    },
    {
      name: 'Next app route GET with sql``',
      files: { 'src/app/api/stats/route.ts': "import { sql } from '@vercel/postgres';\nexport async function GET() {\n  const { rows } = await sql`SELECT count(*) FROM orders`;\n  return Response.json(rows);\n}\n" },
      errors: [{ file: 'src/app/api/stats/route.ts', line: 2, column: 23, endColumn: 26, message: /revalidate/, data: { dbCall: 'sql' } }],
    },
  ],
});
