import { makeRuleTests } from '../node-server/tester.js';
import { POOL_GATHERERS, POOL_RULES } from '../../../src/analyzers/pools/index.js';

const ruleTests = makeRuleTests(POOL_RULES, POOL_GATHERERS);

ruleTests('pool-options-missing', {
  valid: [
    { name: 'pg Pool with all options', files: { 'db.js': "const { Pool } = require('pg');\nmodule.exports = new Pool({ max: 20, idleTimeoutMillis: 30000, connectionTimeoutMillis: 2000 });\n" } },
    { name: 'options from a config object', files: { 'db.js': "const { Pool } = require('pg');\nconst config = require('./config');\nmodule.exports = new Pool(config.db);\n" } },
    { name: 'spread options', files: { 'db.js': "import { Pool } from 'pg';\nexport const pool = new Pool({ ...base, max: 5 });\n" } },
    { name: 'mysql2 pool with connectionLimit', files: { 'db.js': "const mysql = require('mysql2');\nmodule.exports = mysql.createPool({ host: 'db', connectionLimit: 15 });\n" } },
    { name: 'a pool created per request is reported by pool-client-per-request', files: { 'server.js': "const { Pool } = require('pg');\napp.get('/', async (req, res) => { const p = new Pool(); res.json((await p.query('SELECT 1')).rows); });\n" } },
  ],
  invalid: [
    {
      name: 'new Pool() from PG* environment variables',
      files: { 'db.js': "const { Pool } = require('pg');\nconst pool = new Pool();\nmodule.exports = pool;\n" },
      errors: [{ file: 'db.js', line: 2, column: 14, endColumn: 24, severity: 'info', message: /waits forever/, data: { lib: 'pg', missing: ['max', 'idleTimeoutMillis', 'connectionTimeoutMillis'] }, fixOutput: { 'db.js': "const { Pool } = require('pg');\nconst pool = new Pool({ max: 10, idleTimeoutMillis: 10000, connectionTimeoutMillis: 5000 });\nmodule.exports = pool;\n" } }],
    },
    {
      name: 'connectionString only, multi-line',
      files: { 'db.ts': "import pg from 'pg';\nexport const pool = new pg.Pool({\n  connectionString: process.env.DATABASE_URL,\n  max: 20,\n});\n" },
      errors: [{ file: 'db.ts', line: 2, column: 33, endLine: 5, endColumn: 2, data: { missing: ['idleTimeoutMillis', 'connectionTimeoutMillis'] }, fixOutput: { 'db.ts': "import pg from 'pg';\nexport const pool = new pg.Pool({\n  connectionString: process.env.DATABASE_URL,\n  max: 20,\n  idleTimeoutMillis: 10000,\n  connectionTimeoutMillis: 5000,\n});\n" } }],
    },
    {
      name: 'mysql2 createPool without connectionLimit',
      files: { 'db.js': "const mysql = require('mysql2/promise');\nexports.pool = mysql.createPool({ uri: process.env.DATABASE_URL });\n" },
      errors: [{ file: 'db.js', line: 2, column: 33, data: { lib: 'mysql', missing: ['connectionLimit'] }, fixOutput: { 'db.js': "const mysql = require('mysql2/promise');\nexports.pool = mysql.createPool({ uri: process.env.DATABASE_URL, connectionLimit: 10 });\n" } }],
    },
  ],
});

ruleTests('pool-options-extreme', {
  valid: [
    { name: 'knex defaults', files: { 'db.js': "const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });\n" } },
    { name: 'knex pool 0..10', files: { 'knexfile.js': "module.exports = { production: { client: 'pg', connection: {}, pool: { min: 0, max: 10 } } };\n" } },
    { name: 'sqlite with one connection', files: { 'knexfile.js': "module.exports = { client: 'better-sqlite3', connection: { filename: './db.sqlite' }, pool: { min: 1, max: 1 } };\n" } },
    { name: 'TypeORM extra.max 20', files: { 'data-source.ts': "import { DataSource } from 'typeorm';\nexport const ds = new DataSource({ type: 'postgres', extra: { max: 20 } });\n" } },
    { name: 'pg Pool max 30', files: { 'db.js': "const { Pool } = require('pg');\nnew Pool({ max: 30, idleTimeoutMillis: 1, connectionTimeoutMillis: 1 });\n" } },
    { name: 'new Sequelize(url, options) with a sane pool and no dialect key', files: { 'db.js': "const { Sequelize } = require('sequelize');\nmodule.exports = new Sequelize(process.env.DATABASE_URL, { pool: { max: 20, idle: 10000 } });\n" } },
    { name: 'new Sequelize on SQLite with one connection', files: { 'db.ts': "import { Sequelize } from 'sequelize';\nexport const db = new Sequelize('sqlite::memory:', { pool: { max: 1 } });\n" } },
    { name: 'a Sequelize class of another module is not read', files: { 'db.js': "const { Sequelize } = require('./orm');\nconst x = require('sequelize');\nnew Sequelize(url, { pool: { max: 1000 } });\n" } },
  ],
  invalid: [
    {
      name: 'knex max 1 on PostgreSQL',
      files: { 'knexfile.js': "module.exports = {\n  client: 'pg',\n  connection: process.env.DATABASE_URL,\n  pool: { min: 1, max: 1 },\n};\n" },
      errors: [{ file: 'knexfile.js', line: 4, column: 24, endColumn: 25, severity: 'warning', message: /max 1: every query waits/, data: { lib: 'knex', problem: 'one' }, noFix: true }],
    },
    {
      name: 'knex min over max (tarn throws)',
      files: { 'db.js': "const knex = require('knex');\nmodule.exports = knex({ client: 'mysql2', connection: {}, pool: { min: 20, max: 10 } });\n" },
      errors: [{ file: 'db.js', line: 2, column: 72, severity: 'error', message: /tarn throws/, data: { problem: 'min-over-max' } }],
    },
    {
      name: 'pg Pool with 500 connections',
      files: { 'db.js': "const { Pool } = require('pg');\nnew Pool({ max: 500, idleTimeoutMillis: 1, connectionTimeoutMillis: 1 });\n" },
      errors: [{ file: 'db.js', line: 2, column: 17, endColumn: 20, data: { lib: 'pg', problem: 'too-large' } }],
    },
    {
      name: 'Sequelize pool max 0',
      files: { 'db.js': "const { Sequelize } = require('sequelize');\nmodule.exports = new Sequelize(process.env.DATABASE_URL, { dialect: 'postgres', pool: { max: 0 } });\n" },
      errors: [{ file: 'db.js', line: 2, column: 94, severity: 'error', data: { lib: 'sequelize', problem: 'below-one' } }],
    },
    {
      name: 'new Sequelize(process.env.DATABASE_URL, …) with max 1000: no dialect key needed',
      files: { 'db.js': "const { Sequelize } = require('sequelize');\nmodule.exports = new Sequelize(process.env.DATABASE_URL, { pool: { max: 1000 } });\n" },
      errors: [{ file: 'db.js', line: 2, column: 73, endColumn: 77, severity: 'warning', message: /Sequelize pool allows 1000 connections \(max\)/, data: { lib: 'sequelize', problem: 'too-large' }, noFix: true }],
    },
    {
      name: 'new Sequelize(db, user, password, options) with max 1: Sequelize\'s own default (5) is suggested',
      files: { 'db.ts': "import { Sequelize } from '@sequelize/core';\nexport const db = new Sequelize('app', 'app', process.env.PW, {\n  host: 'db',\n  pool: { max: 1 },\n});\n" },
      errors: [{ file: 'db.ts', line: 4, column: 16, endColumn: 17, message: /Sequelize pool has max 1: .*Use the default \(5\)/, data: { lib: 'sequelize', problem: 'one' } }],
    },
    {
      name: 'a default-imported Sequelize with dialect and pool: reported once',
      files: { 'db.mjs': "import Sequelize from 'sequelize';\nexport default new Sequelize({ dialect: 'postgres', pool: { min: 10, max: 5 } });\n" },
      errors: [{ file: 'db.mjs', line: 2, column: 66, severity: 'error', message: /min 10 greater than max 5/, data: { lib: 'sequelize', problem: 'min-over-max' } }],
    },
    {
      name: 'pg Pool max 1: pg\'s default (10) is suggested',
      files: { 'db.js': "const { Pool } = require('pg');\nnew Pool({ max: 1, idleTimeoutMillis: 1, connectionTimeoutMillis: 1 });\n" },
      errors: [{ file: 'db.js', line: 2, column: 17, endColumn: 18, message: /pg Pool has max 1: .*Use the default \(10\)/, data: { lib: 'pg', problem: 'one' } }],
    },
    {
      name: 'TypeORM poolSize 200',
      files: { 'app.module.ts': "TypeOrmModule.forRoot({ type: 'mysql', poolSize: 200, entities: [] });\n" },
      errors: [{ file: 'app.module.ts', line: 1, column: 50, data: { lib: 'typeorm', problem: 'too-large' } }],
    },
  ],
});
