import { makeRuleTests } from './tester.js';
import { SERVER_GATHERERS, SERVER_RULES } from '../../../src/analyzers/node-server/index.js';

const ruleTests = makeRuleTests(SERVER_RULES, SERVER_GATHERERS);

const PKG = `{
  "name": "shop",
  "version": "1.0.0",
  "dependencies": {
    "express": "^4.21.2",
    "pg": "^8.13.1"
  }
}
`;

ruleTests('server-compression-missing', {
  valid: [
    { name: 'compression before static and routes; body parsers before it are fine', files: { 'server.js': "const express = require('express');\nconst compression = require('compression');\nconst app = express();\napp.use(express.json());\napp.use(compression());\napp.use(express.static('dist'));\napp.get('/api', h);\n" } },
    { name: 'a route of another app registered earlier', files: { 'server.js': "const express = require('express');\nconst compression = require('compression');\nconst admin = express();\nadmin.get('/', h);\nconst app = express();\napp.use(compression());\napp.get('/', h);\n" } },
    { name: 'Fastify plugins apply regardless of order', files: { 'server.js': "const fastify = require('fastify')();\nfastify.get('/', async () => 'hi');\nfastify.register(require('@fastify/compress'));\n" } },
    {
      name: 'express with compression()',
      files: {
        'package.json': PKG,
        'server.js': "const express = require('express');\nconst compression = require('compression');\nconst app = express();\napp.use(compression());\napp.listen(3000);\n",
      },
    },
    {
      name: 'ESM import under another name, with options',
      files: { 'server.mjs': "import express from 'express';\nimport compress from 'compression';\nconst app = express();\napp.use(compress({ threshold: 0 }));\n" },
    },
    {
      name: 'compression registered by a middleware module of the same package',
      files: {
        'package.json': PKG,
        'src/app.js': "const express = require('express');\nconst applyMiddleware = require('./middleware');\nconst app = express();\napplyMiddleware(app);\nmodule.exports = app;\n",
        'src/middleware.js': "const compression = require('compression');\nmodule.exports = (app) => {\n  app.use(compression());\n};\n",
      },
    },
    {
      name: 'fastify with @fastify/compress',
      files: { 'server.js': "const fastify = require('fastify')({ logger: true });\nfastify.register(require('@fastify/compress'));\nfastify.listen({ port: 3000 });\n" },
    },
    {
      name: 'koa with koa-compress',
      files: { 'server.js': "const Koa = require('koa');\nconst compress = require('koa-compress');\nconst app = new Koa();\napp.use(compress());\n" },
    },
    {
      name: 'NestJS with compression',
      files: { 'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport * as compression from 'compression';\nimport { AppModule } from './app.module';\n\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.use(compression());\n  await app.listen(3000);\n}\nbootstrap();\n" },
    },
    {
      name: 'Next.js custom server (Next compresses by default)',
      files: {
        'server.js': "const { createServer } = require('http');\nconst next = require('next');\nconst app = next({ dev: false });\nconst handle = app.getRequestHandler();\napp.prepare().then(() => {\n  createServer((req, res) => handle(req, res)).listen(3000);\n});\n",
        'next.config.js': 'module.exports = { reactStrictMode: true };\n',
      },
    },
    { name: 'a router module creates no app', files: { 'routes.js': "const express = require('express');\nconst router = express.Router();\nrouter.get('/', (req, res) => res.send('ok'));\nmodule.exports = router;\n" } },
    { name: 'a file Babel cannot parse: no finding, no crash', files: { 'server.js': "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => { res.send('x' });\n" } },
    { name: 'not a server', files: { 'util.js': 'export const add = (a, b) => a + b;\n', 'lib/express-like.js': 'function express() {}\nconst app = express();\n' } },
    { name: 'suppressed', files: { 'server.js': "const express = require('express');\n// perf-audit-disable-next-line server-compression-missing\nconst app = express();\n" } },
    { name: 'node_modules and dist are not read', files: { 'node_modules/x/server.js': "const app = require('express')();\n", 'dist/server.js': "const express = require('express');\nconst app = express();\n" } },
  ],
  invalid: [
    {
      name: 'static files precompressed by express-static-gzip: the other responses are still uncompressed (info)',
      files: { 'server.js': "const express = require('express');\nconst expressStaticGzip = require('express-static-gzip');\nconst app = express();\napp.use('/', expressStaticGzip('dist', { enableBrotli: true }));\napp.get('/api/items', (req, res) => res.json([]));\napp.listen(3000);\n" },
      errors: [{ file: 'server.js', line: 3, column: 13, severity: 'info', message: /serves its static files precompressed \(expressStaticGzip\)/, data: { precompressed: true } }],
    },
    {
      name: 'compression after static and a route: moved before the first of them',
      files: { 'server.js': "const express = require('express');\nconst compression = require('compression');\nconst app = express();\napp.use(express.static('dist'));\napp.get('/api', h);\napp.use(compression());\napp.listen(3000);\n" },
      errors: [{
        file: 'server.js', line: 6, column: 9, endColumn: 22, message: /`compression\(\)` is registered after `app\.use\(express\.static\('dist'\)\)` \(line 4\): Express runs middleware in registration order/, data: { reason: 'after-routes' },
        fixOutput: { 'server.js': "const express = require('express');\nconst compression = require('compression');\nconst app = express();\napp.use(compression());\napp.use(express.static('dist'));\napp.get('/api', h);\napp.listen(3000);\n" },
      }],
    },
    {
      name: 'compression after a route, indented inside a function: moved with its options',
      files: { 'src/app.ts': "import express from 'express';\nimport compression from 'compression';\nexport function createApp() {\n  const app = express();\n  app.use(express.json());\n  app.get('/health', (req, res) => res.send('ok'));\n  app.use(compression({ threshold: 0 }));\n  return app;\n}\n" },
      errors: [{
        file: 'src/app.ts', line: 7, column: 11, message: /after `app\.get\('\/health', \(req, res\) => res\.send\('ok'\)\)` \(line 6\)/,
        fixOutput: { 'src/app.ts': "import express from 'express';\nimport compression from 'compression';\nexport function createApp() {\n  const app = express();\n  app.use(express.json());\n  app.use(compression({ threshold: 0 }));\n  app.get('/health', (req, res) => res.send('ok'));\n  return app;\n}\n" },
      }],
    },
    {
      name: 'compression after a mounted router',
      files: { 'server.js': "const express = require('express');\nconst compression = require('compression');\nconst app = express();\nconst api = express.Router();\napi.get('/users', list);\napp.use('/api', api);\napp.use(compression());\n" },
      errors: [{ file: 'server.js', line: 7, column: 9, message: /after `app\.use\('\/api', api\)` \(line 6\)/, fixOutput: { 'server.js': "const express = require('express');\nconst compression = require('compression');\nconst app = express();\nconst api = express.Router();\napi.get('/users', list);\napp.use(compression());\napp.use('/api', api);\n" } }],
    },
    {
      name: 'compression options declared between the route and the compression: reported, no fix',
      files: { 'server.js': "const express = require('express');\nconst compression = require('compression');\nconst app = express();\napp.get('/', home);\nconst opts = { level: 6 };\napp.use(compression(opts));\n" },
      errors: [{ file: 'server.js', line: 6, column: 9, data: { reason: 'after-routes' }, noFix: true }],
    },
    {
      name: 'compression registered together with other middleware: reported, no fix',
      files: { 'server.js': "const express = require('express');\nconst compression = require('compression');\nconst app = express();\napp.use(express.static('public'));\napp.use(helmet(), compression());\n" },
      errors: [{ file: 'server.js', line: 5, column: 19, noFix: true }],
    },
    {
      name: 'Koa: koa-compress after koa-static',
      files: { 'app.js': "const Koa = require('koa');\nconst serve = require('koa-static');\nconst compress = require('koa-compress');\nconst app = new Koa();\napp.use(serve('public'));\napp.use(compress());\n" },
      errors: [{ file: 'app.js', line: 6, column: 9, message: /Koa runs middleware in registration order/, fixOutput: { 'app.js': "const Koa = require('koa');\nconst serve = require('koa-static');\nconst compress = require('koa-compress');\nconst app = new Koa();\napp.use(compress());\napp.use(serve('public'));\n" } }],
    },
    {
      name: 'CommonJS express: require + app.use after the app, dependency added in order',
      files: {
        'package.json': PKG,
        'server.js': "'use strict';\nconst express = require('express');\nconst { Pool } = require('pg');\n\nconst app = express();\nconst pool = new Pool();\n\napp.get('/', (req, res) => res.send('hi'));\napp.listen(3000);\n",
      },
      errors: [{
        file: 'server.js', line: 5, column: 13, endLine: 5, endColumn: 22,
        message: /^Express app `app` sends responses uncompressed.*app\.use\(compression\(\)\)/,
        severity: 'warning',
        data: { framework: 'express' },
        fixOutput: {
          'server.js': "'use strict';\nconst express = require('express');\nconst { Pool } = require('pg');\nconst compression = require('compression');\n\nconst app = express();\napp.use(compression());\nconst pool = new Pool();\n\napp.get('/', (req, res) => res.send('hi'));\napp.listen(3000);\n",
          'package.json': '{\n  "name": "shop",\n  "version": "1.0.0",\n  "dependencies": {\n    "compression": "^1.8.2",\n    "express": "^4.21.2",\n    "pg": "^8.13.1"\n  }\n}\n',
        },
      }],
    },
    {
      name: 'ESM, no semicolons, double quotes, CRLF; package.json without dependencies',
      files: {
        'package.json': '{\r\n\t"name": "api",\r\n\t"type": "module",\r\n\t"scripts": {\r\n\t\t"start": "node index.js"\r\n\t}\r\n}\r\n',
        'index.js': 'import express from "express"\r\nimport cors from "cors"\r\n\r\nconst app = express()\r\napp.use(cors())\r\n',
      },
      errors: [{
        file: 'index.js', line: 4, column: 13,
        fixOutput: {
          'index.js': 'import express from "express"\r\nimport cors from "cors"\r\nimport compression from "compression"\r\n\r\nconst app = express()\r\napp.use(compression())\r\napp.use(cors())\r\n',
          'package.json': '{\r\n\t"name": "api",\r\n\t"type": "module",\r\n\t"scripts": {\r\n\t\t"start": "node index.js"\r\n\t},\r\n\t"dependencies": {\r\n\t\t"compression": "^1.8.2"\r\n\t}\r\n}\r\n',
        },
      }],
    },
    {
      name: 'TypeScript with esModuleInterop: default import and @types/compression',
      files: {
        'package.json': '{\n  "dependencies": {\n    "express": "^4.21.2"\n  },\n  "devDependencies": {\n    "@types/express": "^4.17.21",\n    "typescript": "^5.9.3"\n  }\n}\n',
        'tsconfig.json': '{ "compilerOptions": { "esModuleInterop": true, "strict": true } }\n',
        'src/app.ts': "import express from 'express';\n\nexport function createApp() {\n  const app = express();\n  app.use(express.json());\n  return app;\n}\n",
      },
      errors: [{
        file: 'src/app.ts', line: 4, column: 15,
        fixOutput: {
          'src/app.ts': "import express from 'express';\nimport compression from 'compression';\n\nexport function createApp() {\n  const app = express();\n  app.use(compression());\n  app.use(express.json());\n  return app;\n}\n",
          'package.json': '{\n  "dependencies": {\n    "compression": "^1.8.2",\n    "express": "^4.21.2"\n  },\n  "devDependencies": {\n    "@types/compression": "^1.8.1",\n    "@types/express": "^4.17.21",\n    "typescript": "^5.9.3"\n  }\n}\n',
        },
      }],
    },
    {
      name: 'NestJS (Express): namespace import without esModuleInterop',
      files: {
        'package.json': '{\n  "dependencies": {\n    "@nestjs/core": "^11.0.1"\n  }\n}\n',
        'tsconfig.json': '{\n  "compilerOptions": {\n    "module": "commonjs",\n    "experimentalDecorators": true\n  }\n}\n',
        'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(process.env.PORT ?? 3000);\n}\nbootstrap();\n",
      },
      errors: [{
        file: 'src/main.ts', line: 5, column: 21, endColumn: 50,
        message: /^NestJS app `app`/,
        fixOutput: {
          'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nimport * as compression from 'compression';\n\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.use(compression());\n  await app.listen(process.env.PORT ?? 3000);\n}\nbootstrap();\n",
          'package.json': '{\n  "dependencies": {\n    "@nestjs/core": "^11.0.1",\n    "compression": "^1.8.2"\n  },\n  "devDependencies": {\n    "@types/compression": "^1.8.1"\n  }\n}\n',
        },
      }],
    },
    {
      name: 'NestJS on Fastify: await app.register(compression) from @fastify/compress',
      files: {
        'package.json': '{\n  "dependencies": {\n    "@nestjs/platform-fastify": "^11.0.1"\n  }\n}\n',
        'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';\nimport { AppModule } from './app.module';\n\nasync function bootstrap() {\n  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());\n  await app.listen(3000);\n}\nbootstrap();\n",
      },
      errors: [{
        file: 'src/main.ts', line: 6, column: 21,
        message: /^NestJS \(Fastify adapter\) app `app`.*@fastify\/compress/,
        data: { framework: 'nest', adapter: 'fastify' },
        fixOutput: {
          'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';\nimport { AppModule } from './app.module';\nimport compression from '@fastify/compress';\n\nasync function bootstrap() {\n  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());\n  await app.register(compression);\n  await app.listen(3000);\n}\nbootstrap();\n",
          'package.json': '{\n  "dependencies": {\n    "@fastify/compress": "^9.2.0",\n    "@nestjs/platform-fastify": "^11.0.1"\n  }\n}\n',
        },
      }],
    },
    {
      name: 'Fastify 4: @fastify/compress 7.x',
      files: {
        'package.json': '{\n  "dependencies": {\n    "fastify": "^4.28.1"\n  }\n}\n',
        'server.js': "const Fastify = require('fastify');\nconst app = Fastify({ logger: true });\napp.get('/', async () => ({ ok: true }));\napp.listen({ port: 3000 });\n",
      },
      errors: [{
        file: 'server.js', line: 2, column: 13,
        message: /^Fastify app `app`/,
        fixOutput: {
          'server.js': "const Fastify = require('fastify');\nconst fastifyCompress = require('@fastify/compress');\nconst app = Fastify({ logger: true });\napp.register(fastifyCompress);\napp.get('/', async () => ({ ok: true }));\napp.listen({ port: 3000 });\n",
          'package.json': '{\n  "dependencies": {\n    "@fastify/compress": "^7.0.3",\n    "fastify": "^4.28.1"\n  }\n}\n',
        },
      }],
    },
    {
      name: 'Koa: koa-compress',
      files: {
        'package.json': '{ "dependencies": { "koa": "^2.15.3" } }\n',
        'app.js': "const Koa = require('koa');\nconst app = new Koa();\napp.use(async (ctx) => { ctx.body = 'hi'; });\n",
      },
      errors: [{
        file: 'app.js', line: 2, column: 13,
        message: /^Koa app `app`.*koa-compress/,
        fixOutput: {
          'app.js': "const Koa = require('koa');\nconst compress = require('koa-compress');\nconst app = new Koa();\napp.use(compress());\napp.use(async (ctx) => { ctx.body = 'hi'; });\n",
          // jsonc-parser re-lays out a one-line object it inserts into (as npm would).
          'package.json': '{\n  "dependencies": {\n    "koa": "^2.15.3",\n    "koa-compress": "^5.2.2"\n  }\n}\n',
        },
      }],
    },
    {
      name: 'compression passed without calling it (requests hang)',
      files: { 'server.js': "const express = require('express');\nconst compression = require('compression');\nconst app = express();\napp.use(compression);\n" },
      errors: [
        { file: 'server.js', line: 3, column: 13 },
        { file: 'server.js', line: 4, column: 9, endColumn: 20, severity: 'error', message: /without being called/, fixOutput: { 'server.js': "const express = require('express');\nconst compression = require('compression');\nconst app = express();\napp.use(compression());\n" } },
      ],
    },
    {
      name: 'the binding of an unused compression import is reused; no package.json: code-only fix',
      files: { 'server.js': "const express = require('express');\nconst compression = require('compression');\nconst app = express();\nmodule.exports = app;" },
      errors: [{ file: 'server.js', line: 3, column: 13, fixOutput: { 'server.js': "const express = require('express');\nconst compression = require('compression');\nconst app = express();\napp.use(compression());\nmodule.exports = app;" } }],
    },
    {
      name: 'app created on the last line without a newline; invalid package.json left alone',
      files: { 'package.json': '{ "dependencies": { ', 'server.js': "const express = require('express');\nconst app = express();" },
      errors: [{ file: 'server.js', line: 2, column: 13, fixOutput: { 'server.js': "const express = require('express');\nconst compression = require('compression');\nconst app = express();\napp.use(compression());\n", 'package.json': '{ "dependencies": { ' } }],
    },
    {
      name: 'Next.js custom server with compress: false',
      files: {
        'server.js': "const { createServer } = require('http');\nconst next = require('next');\nconst app = next({ dev: false });\nconst handle = app.getRequestHandler();\napp.prepare().then(() => createServer(handle).listen(3000));\n",
        'next.config.js': 'module.exports = {\n  compress: false,\n};\n',
      },
      errors: [{ file: 'server.js', line: 3, column: 13, message: /next\.config\.js sets `compress: false`/, noFix: true }],
    },
    {
      name: '@fastify/compress with global: false',
      files: { 'server.js': "import Fastify from 'fastify';\nimport compress from '@fastify/compress';\nconst app = Fastify();\nawait app.register(compress, { global: false });\n" },
      errors: [{ file: 'server.js', line: 3, column: 13, message: /global: false/, noFix: true }],
    },
    {
      name: 'an app held in a class field (no fix: no statement to insert after)',
      files: { 'server.ts': "import express from 'express';\nexport class Server {\n  app = express();\n}\n" },
      errors: [{ file: 'server.ts', line: 3, column: 9, noFix: true }],
    },
    {
      name: 'recovered syntax errors elsewhere in the file',
      files: { 'server.js': "const express = require('express');\nconst app = express();\nconst port = 1;\nconst port = 2;\n" },
      errors: [{ file: 'server.js', line: 2, column: 13 }],
    },
  ],
});

ruleTests('server-compression-missing', {
  valid: [
    { name: 'test files are not the served app', files: { 'test/app.test.js': "const Fastify = require('fastify');\nconst app = Fastify();\n", 'src/server.spec.ts': "import express from 'express';\nconst app = express();\n" } },
  ],
  invalid: [
    {
      name: 'const app = module.exports = new Koa(): the app is `app`',
      files: { 'app.js': "const Koa = require('koa');\nconst app = module.exports = new Koa();\napp.use(async (ctx) => { ctx.body = 'hi'; });\n" },
      errors: [{ file: 'app.js', line: 2, column: 30, message: /^Koa app `app`/, fixOutput: { 'app.js': "const Koa = require('koa');\nconst compress = require('koa-compress');\nconst app = module.exports = new Koa();\napp.use(compress());\napp.use(async (ctx) => { ctx.body = 'hi'; });\n" } }],
    },
  ],
});
