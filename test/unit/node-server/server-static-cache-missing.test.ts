import { makeRuleTests } from './tester.js';
import { SERVER_GATHERERS, SERVER_RULES } from '../../../src/analyzers/node-server/index.js';

const ruleTests = makeRuleTests(SERVER_RULES, SERVER_GATHERERS);
const EXP = "const express = require('express');\nconst path = require('path');\nconst app = express();\n";

ruleTests('server-static-cache-missing', {
  valid: [
    { name: 'a middleware registered before express.static sets Cache-Control (send keeps it)', files: { 'server.js': `${EXP}app.use('/assets', (req, res, next) => {\n  res.set('Cache-Control', 'public, max-age=31536000, immutable');\n  next();\n});\napp.use('/assets', express.static('dist/assets'));\n` } },
    { name: 'maxAge 1h on a public folder', files: { 'server.js': `${EXP}app.use(express.static('public', { maxAge: '1h' }));\n` } },
    { name: 'a year, immutable, on build output', files: { 'server.js': `${EXP}app.use('/assets', express.static(path.join(__dirname, 'dist', 'assets'), { maxAge: 31536000000, immutable: true }));\n` } },
    { name: 'constant arithmetic', files: { 'server.js': `${EXP}app.use(express.static('build', { maxAge: 1000 * 60 * 60 * 24 * 30 }));\n` } },
    { name: 'setHeaders decides', files: { 'server.js': `${EXP}app.use(express.static('public', { setHeaders: (res) => res.set('Cache-Control', 'no-store') }));\n` } },
    { name: 'options from a variable', files: { 'server.js': `${EXP}const opts = { maxAge: '1d' };\napp.use(express.static('public', opts));\n` } },
    { name: 'maxAge from a constant', files: { 'server.js': `${EXP}const ONE_DAY = 86400000;\napp.use(express.static('public', { maxAge: ONE_DAY }));\n` } },
    { name: 'koa-static with maxage', files: { 'app.js': "const Koa = require('koa');\nconst serve = require('koa-static');\nconst app = new Koa();\napp.use(serve('public', { maxage: 86400000 }));\n" } },
    { name: '@fastify/static with maxAge', files: { 'app.js': "import Fastify from 'fastify';\nimport fastifyStatic from '@fastify/static';\nconst app = Fastify();\napp.register(fastifyStatic, { root: '/srv/public', maxAge: '1d' });\n" } },
    { name: 'ServeStaticModule with serveStaticOptions', files: { 'src/app.module.ts': "import { Module } from '@nestjs/common';\nimport { ServeStaticModule } from '@nestjs/serve-static';\n@Module({ imports: [ServeStaticModule.forRoot({ rootPath: 'client', serveStaticOptions: { maxAge: '1h' } })] })\nexport class AppModule {}\n" } },
    { name: 'a static helper of another library is ignored', files: { 'server.js': "const thing = require('thing');\nthing.static('public');\n" } },
  ],
  invalid: [
    {
      name: 'a folder that holds only documents (the CLI lists it): info, revalidation is right',
      loader: true,
      files: { 'backend/package.json': '{"name":"b"}\n', 'backend/src/app.ts': "import Fastify from 'fastify';\nimport path from 'path';\nconst app = Fastify();\nawait app.register(import('@fastify/static'), { root: path.resolve('public'), prefix: '/public/' });\n", 'backend/public/.gitkeep': '', 'backend/public/intro.md': '# Hi\n', 'backend/public/motd.md': 'Hello\n' },
      errors: [{ file: 'backend/src/app.ts', line: 4, column: 7, severity: 'info', message: /serves only documents \(backend\/public: intro\.md, motd\.md\)/, data: { documentsOnly: true } }],
    },
    {
      name: 'the same folder with a stylesheet in it: warning',
      loader: true,
      files: { 'backend/package.json': '{"name":"b"}\n', 'backend/src/app.ts': "import Fastify from 'fastify';\nimport path from 'path';\nconst app = Fastify();\nawait app.register(import('@fastify/static'), { root: path.resolve('public'), prefix: '/public/' });\n", 'backend/public/intro.md': '# Hi\n', 'backend/public/site.css': 'body{}\n' },
      errors: [{ file: 'backend/src/app.ts', line: 4, column: 7, severity: 'warning' }],
    },
    {
      name: 'a no-cache middleware before it changes nothing; the folder has assets',
      files: { 'server.js': `${EXP}app.use((req, res, next) => { res.set('Cache-Control', 'no-store'); next(); });\napp.use(express.static('public'));\n`, 'public/app.css': 'body{}\n' },
      errors: [{ file: 'server.js', line: 5, column: 9 }],
    },
    {
      name: 'express.static without options on a public folder: 1 hour',
      files: { 'server.js': `${EXP}app.use(express.static('public'));\n` },
      errors: [{
        file: 'server.js', line: 4, column: 9, endColumn: 33, severity: 'warning',
        message: /^express\.static\('public'\) has no maxAge, so it sends `Cache-Control: public, max-age=0`/,
        data: { problem: 'no-max-age', hashed: false, maxAgeSeconds: 0 },
        fixOutput: { 'server.js': `${EXP}app.use(express.static('public', { maxAge: '1h' }));\n` },
      }],
    },
    {
      name: 'build output: a year, immutable, HTML revalidated',
      files: { 'server.js': `${EXP}app.use(express.static(path.join(__dirname, "client", "dist")));\n` },
      errors: [{
        file: 'server.js', line: 4, column: 9,
        message: /content-hashed/,
        data: { hashed: true },
        fixOutput: { 'server.js': `${EXP}app.use(express.static(path.join(__dirname, "client", "dist"), { maxAge: '1y', immutable: true, setHeaders: (res, filePath) => { if (filePath.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache') } }));\n` },
      }],
    },
    {
      name: 'serve-static with other options (one line)',
      files: { 'server.js': "const serveStatic = require('serve-static');\nconst express = require('express');\nconst app = express();\napp.use(serveStatic('public', { index: false }));\n" },
      errors: [{ file: 'server.js', line: 4, column: 9, fixOutput: { 'server.js': "const serveStatic = require('serve-static');\nconst express = require('express');\nconst app = express();\napp.use(serveStatic('public', { index: false, maxAge: '1h' }));\n" } }],
    },
    {
      name: 'maxAge 0 in a multi-line object with a trailing comma',
      files: { 'server.ts': "import express from 'express';\nconst app = express();\napp.use(\n  express.static('public', {\n    index: false,\n    maxAge: 0,\n  }),\n);\n" },
      errors: [{ file: 'server.ts', line: 4, column: 3, endLine: 7, endColumn: 5, data: { problem: 'zero' }, fixOutput: { 'server.ts': "import express from 'express';\nconst app = express();\napp.use(\n  express.static('public', {\n    index: false,\n    maxAge: '1h',\n  }),\n);\n" } }],
    },
    {
      name: 'a maxAge string ms cannot parse falls back to 0',
      files: { 'server.js': `${EXP}app.use(express.static('public', { maxAge: 'forever' }));\n` },
      errors: [{ file: 'server.js', line: 4, column: 9, message: /'forever' is not a duration/, data: { problem: 'invalid' }, fixOutput: { 'server.js': `${EXP}app.use(express.static('public', { maxAge: '1h' }));\n` } }],
    },
    {
      name: 'hashed assets cached for only an hour (multi-line: one property per line)',
      files: { 'server.js': `${EXP}app.use('/assets', express.static('dist/assets', {\n  maxAge: '1h',\n}));\n` },
      errors: [{
        file: 'server.js', line: 4, column: 20, data: { problem: 'short', maxAgeSeconds: 3600 },
        message: /only `max-age=3600`/,
        fixOutput: { 'server.js': `${EXP}app.use('/assets', express.static('dist/assets', {\n  maxAge: '1y',\n  immutable: true,\n  setHeaders: (res, filePath) => { if (filePath.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache') },\n}));\n` },
      }],
    },
    {
      name: 'cacheControl: false',
      files: { 'server.js': `${EXP}app.use(express.static('public', { cacheControl: false }));\n` },
      errors: [{ file: 'server.js', line: 4, column: 9, data: { problem: 'cache-control-off' }, fixOutput: { 'server.js': `${EXP}app.use(express.static('public', { cacheControl: true, maxAge: '1h' }));\n` } }],
    },
    {
      name: 'koa-static: maxage in milliseconds',
      files: { 'app.js': "const Koa = require('koa');\nconst serve = require('koa-static');\nconst app = new Koa();\napp.use(serve(__dirname + '/public'));\n" },
      errors: [{ file: 'app.js', line: 4, column: 9, message: /no maxage/, fixOutput: { 'app.js': "const Koa = require('koa');\nconst serve = require('koa-static');\nconst app = new Koa();\napp.use(serve(__dirname + '/public', { maxage: 3600000 }));\n" } }],
    },
    {
      name: '@fastify/static: properties added to the registration options',
      files: { 'app.js': "const path = require('node:path');\nconst fastify = require('fastify')();\nfastify.register(require('@fastify/static'), {\n  root: path.join(__dirname, 'public'),\n  prefix: '/public/'\n});\n" },
      errors: [{ file: 'app.js', line: 3, column: 1, endLine: 6, endColumn: 3, fixOutput: { 'app.js': "const path = require('node:path');\nconst fastify = require('fastify')();\nfastify.register(require('@fastify/static'), {\n  root: path.join(__dirname, 'public'),\n  prefix: '/public/',\n  maxAge: '1h'\n});\n" } }],
    },
    {
      name: 'NestJS useStaticAssets',
      files: { 'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { NestExpressApplication } from '@nestjs/platform-express';\nimport { join } from 'path';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create<NestExpressApplication>(AppModule);\n  app.useStaticAssets(join(__dirname, '..', 'public'));\n  await app.listen(3000);\n}\nbootstrap();\n" },
      errors: [{ file: 'src/main.ts', line: 7, column: 3, message: /^useStaticAssets\(join\(__dirname, '\.\.', 'public'\)\)/, fixOutput: { 'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { NestExpressApplication } from '@nestjs/platform-express';\nimport { join } from 'path';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create<NestExpressApplication>(AppModule);\n  app.useStaticAssets(join(__dirname, '..', 'public'), { maxAge: '1h' });\n  await app.listen(3000);\n}\nbootstrap();\n" } }],
    },
    {
      name: 'NestJS ServeStaticModule over a client build',
      files: { 'src/app.module.ts': "import { Module } from '@nestjs/common';\nimport { ServeStaticModule } from '@nestjs/serve-static';\nimport { join } from 'path';\n\n@Module({\n  imports: [\n    ServeStaticModule.forRoot({\n      rootPath: join(__dirname, '..', 'client', 'dist'),\n    }),\n  ],\n})\nexport class AppModule {}\n" },
      errors: [{ file: 'src/app.module.ts', line: 7, column: 31, endLine: 9, endColumn: 6, fixOutput: { 'src/app.module.ts': "import { Module } from '@nestjs/common';\nimport { ServeStaticModule } from '@nestjs/serve-static';\nimport { join } from 'path';\n\n@Module({\n  imports: [\n    ServeStaticModule.forRoot({\n      rootPath: join(__dirname, '..', 'client', 'dist'),\n      serveStaticOptions: { maxAge: '1y', immutable: true, setHeaders: (res, filePath) => { if (filePath.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache') } },\n    }),\n  ],\n})\nexport class AppModule {}\n" } }],
    },
  ],
});

ruleTests('server-static-cache-missing', {
  valid: [],
  invalid: [
    {
      name: 'a setHeaders callback that does not touch Cache-Control does not excuse a missing maxAge',
      files: { 'server.js': `${EXP}app.use(express.static('public', { setHeaders: (res) => res.set('X-Robots-Tag', 'noindex') }));\n` },
      errors: [{ file: 'server.js', line: 4, column: 9, fixOutput: { 'server.js': `${EXP}app.use(express.static('public', { setHeaders: (res) => res.set('X-Robots-Tag', 'noindex'), maxAge: '1h' }));\n` } }],
    },
  ],
});
