import { ruleTests } from '../../../helpers/rule-tester.js';

ruleTests('missing-primary-key', {
  valid: [
    { name: 'inline PRIMARY KEY', files: { 's.sql': 'CREATE TABLE t (id int PRIMARY KEY);' } },
    { name: 'table constraint', files: { 's.sql': 'CREATE TABLE t (a int, b int, PRIMARY KEY (a, b));' } },
    { name: 'added later by ALTER TABLE in another file', files: { 'm/001.sql': 'CREATE TABLE t (id int);', 'm/002.sql': 'ALTER TABLE ONLY t ADD CONSTRAINT t_pkey PRIMARY KEY (id);' } },
    { name: 'MySQL inline', files: { 's.sql': '-- dialect: mysql\nCREATE TABLE `t` (`id` INT NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;' } },
    { name: 'MySQL: added later by ALTER TABLE', files: { 'db/mysql/001.sql': 'CREATE TABLE t (id INT NOT NULL);', 'db/mysql/002.sql': 'ALTER TABLE t ADD PRIMARY KEY (id);' } },
    { name: 'Prisma models always have an id', files: { 'schema.prisma': 'model A {\n  id Int @id\n}\n' } },
    { name: 'a temporary table dropped by a later statement', files: { 'm/001.sql': 'CREATE TABLE t_tmp (a int);\nINSERT INTO t_tmp SELECT 1;\nDROP TABLE t_tmp;' } },
    {
      name: 'SQLite rebuild gives the table a key',
      files: { 'db/sqlite/001.sql': 'CREATE TABLE t (a TEXT);', 'db/sqlite/002.sql': 'CREATE TABLE t_new (a TEXT PRIMARY KEY);\nINSERT INTO t_new SELECT a FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;' },
    },
    { name: 'a down.sql is no part of the schema', files: { 'migrations/2020-01-01-000000_x/up.sql': 'CREATE TABLE t (id int PRIMARY KEY);', 'migrations/2020-01-01-000000_x/down.sql': 'DROP TABLE t;\nCREATE TABLE legacy (a int);' } },
  ],
  invalid: [
    { name: 'no key', files: { 's.sql': 'CREATE TABLE public.event_log (at timestamptz, payload jsonb);' }, errors: [{ file: 's.sql', line: 1, column: 21, endColumn: 30, noFix: true, severity: 'warning', data: { table: 'event_log' } }] },
    { name: 'a nullable UNIQUE column is not a key', files: { 's.sql': 'CREATE TABLE t (\n  a int UNIQUE\n);' }, errors: [{ file: 's.sql', line: 1, column: 14, severity: 'warning' }] },
    {
      name: 'a UNIQUE NOT NULL column is a usable key: info, with the replication reason',
      files: { 's.sql': 'CREATE TABLE system_setting (name text NOT NULL UNIQUE, value text);' },
      errors: [{ file: 's.sql', line: 1, column: 14, severity: 'info', message: /UNIQUE NOT NULL key \(name\).*replication/ }],
    },
    {
      name: 'a join table with a composite UNIQUE on NOT NULL columns, made NOT NULL later: info',
      files: { 'm/001.sql': 'CREATE TABLE memo_tag (memo_id int, tag_id int);\nCREATE UNIQUE INDEX memo_tag_uq ON memo_tag (memo_id, tag_id);', 'm/002.sql': 'ALTER TABLE memo_tag ALTER COLUMN memo_id SET NOT NULL, ALTER COLUMN tag_id SET NOT NULL;' },
      errors: [{ file: 'm/001.sql', line: 1, column: 14, severity: 'info' }],
    },
    {
      name: "a migration tool's bookkeeping table: info, with where a key still matters",
      files: { 'db/schema.sql': 'CREATE TABLE appmigrations (version int NOT NULL, migrated timestamp NOT NULL, result text NOT NULL);\nCREATE TABLE schema_version (version text NOT NULL);' },
      errors: [
        { file: 'db/schema.sql', line: 1, column: 14, severity: 'info', message: /bookkeeping.*sql_require_primary_key/ },
        { file: 'db/schema.sql', line: 2, column: 14, severity: 'info', message: /bookkeeping/ },
      ],
    },
    {
      name: "an app's own schema-version table (every column a version): info; a table with a version column among others stays a warning",
      files: { 's.sql': "CREATE TABLE shiori_system (database_schema_version TEXT NOT NULL DEFAULT '0.0.0');\nCREATE TABLE documents (title text, version int);" },
      errors: [
        { file: 's.sql', line: 1, column: 14, severity: 'info', message: /bookkeeping/ },
        { file: 's.sql', line: 2, column: 14, severity: 'warning' },
      ],
    },
    { name: 'a table that only mentions migrations in its name is judged as usual', files: { 's.sql': 'CREATE TABLE user_migration_requests (user_id int, note text);' }, errors: [{ file: 's.sql', line: 1, column: 14, severity: 'warning' }] },
    { name: 'SQLite: every table has a rowid: info', files: { 's.sql': '-- dialect: sqlite\nCREATE TABLE [t] (a TEXT);' }, errors: [{ file: 's.sql', line: 2, column: 14, severity: 'info', message: /rowid/ }] },
    {
      name: 'the Down section of a goose migration does not run forward: its DROP TABLE drops nothing',
      files: { 'db/migrations/20160118194630_init.sql': '-- +goose Up\nCREATE TABLE IF NOT EXISTS group_targets (group_id bigint, target_id bigint);\n\n-- +goose Down\nDROP TABLE group_targets;\n' },
      errors: [{ file: 'db/migrations/20160118194630_init.sql', line: 2, column: 28, severity: 'warning' }],
    },
    {
      name: 'the down function of a JS migration does not run forward',
      files: { 'migrations/20200101_events.js': 'exports.down = async (knex) => {\n  await knex.raw(`DROP TABLE event_log`);\n};\nexports.up = async (knex) => {\n  await knex.raw(`CREATE TABLE event_log (at timestamptz, payload jsonb)`);\n};\n' },
      errors: [{ file: 'migrations/20200101_events.js', line: 5, column: 32, severity: 'warning' }],
    },
    { name: 'primary key dropped by a later migration', files: { 'm/001.sql': 'CREATE TABLE t (id int PRIMARY KEY);', 'm/002.sql': 'ALTER TABLE t DROP CONSTRAINT t_pkey;' }, errors: [{ file: 'm/001.sql', line: 1, column: 14, severity: 'warning' }] },
    {
      name: 'one project\'s keys do not decide another\'s',
      files: {
        'apps/a/package.json': '{"name":"a"}', 'apps/a/db/001.sql': 'CREATE TABLE events (id int);',
        'apps/b/package.json': '{"name":"b"}', 'apps/b/db/001.sql': 'CREATE TABLE events (id int PRIMARY KEY);',
      },
      errors: [{ file: 'apps/a/db/001.sql', line: 1, column: 14, severity: 'warning' }],
    },
  ],
});
