import { makeRuleTests } from './tester.js';
import { SERVER_GATHERERS, SERVER_RULES } from '../../../src/analyzers/node-server/index.js';

const ruleTests = makeRuleTests(SERVER_RULES, SERVER_GATHERERS);
const EXP = "const express = require('express');\nconst app = express();\n";

ruleTests('server-etag-disabled', {
  valid: [
    { name: 'default ETags', files: { 'server.js': `${EXP}app.listen(3000);\n` } },
    { name: 'strong ETags', files: { 'server.js': `${EXP}app.set('etag', 'strong');\n` } },
    { name: 'other settings', files: { 'server.js': `${EXP}app.set('trust proxy', false);\napp.disable('x-powered-by');\n` } },
    { name: 'reading the setting', files: { 'server.js': `${EXP}console.log(app.get('etag'));\n` } },
    { name: 'static with etag: true', files: { 'server.js': `${EXP}app.use(express.static('public', { maxAge: '1h', etag: true }));\n` } },
    { name: 'a Map, not an app', files: { 'cache.js': "const m = new Map();\nm.set('etag', false);\n" } },
  ],
  invalid: [
    {
      name: "app.set('etag', false): the line is removed",
      files: { 'server.js': `${EXP}app.set('etag', false);\napp.listen(3000);\n` },
      errors: [{ file: 'server.js', line: 3, column: 1, endLine: 3, endColumn: 23, severity: 'warning', message: /turns ETags off/, fixOutput: { 'server.js': `${EXP}app.listen(3000);\n` } }],
    },
    {
      name: "app.disable('etag') inside a function, indented, CRLF",
      files: { 'app.ts': "import express from 'express';\r\nexport function make() {\r\n  const app = express();\r\n  app.disable('etag');\r\n  return app;\r\n}\r\n" },
      errors: [{ file: 'app.ts', line: 4, column: 3, fixOutput: { 'app.ts': "import express from 'express';\r\nexport function make() {\r\n  const app = express();\r\n  return app;\r\n}\r\n" } }],
    },
    {
      name: 'NestJS app',
      files: { 'src/main.ts': "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.set('etag', false);\n}\n" },
      errors: [{ file: 'src/main.ts', line: 4, column: 3 }],
    },
    {
      name: 'in an expression: reported without a fix',
      files: { 'server.js': `${EXP}module.exports = app.set('etag', false);\n` },
      errors: [{ file: 'server.js', line: 3, column: 18, noFix: true }],
    },
    {
      name: 'static serving with etag: false',
      files: { 'server.js': `${EXP}app.use(express.static('public', { maxAge: '1h', etag: false }));\n` },
      errors: [{ file: 'server.js', line: 3, column: 56, endColumn: 61, message: /etag: false/, data: { kind: 'static' }, fixOutput: { 'server.js': `${EXP}app.use(express.static('public', { maxAge: '1h', etag: true }));\n` } }],
    },
  ],
});
