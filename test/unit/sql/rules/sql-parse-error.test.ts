import { ruleTests } from '../../../helpers/rule-tester.js';

ruleTests('sql-parse-error', {
  valid: [
    { name: "SQLite's postfix NOT NULL in a WHERE clause (it means NOTNULL)", files: { 'migrations/sqlite/2019-03-25-205630_fix/up.sql': 'UPDATE comment_seers SET user_id = 1 WHERE id NOT NULL;\nDELETE FROM comments WHERE author_id IS NOT NULL AND id NOT NULL;\n' } },
    { name: 'valid PostgreSQL', files: { 'q.sql': 'SELECT 1;\nSELECT $$a;b$$;' } },
    { name: 'valid MySQL with DELIMITER blocks', files: { 'q.sql': '-- dialect: mysql\nSELECT `a` FROM `t`;\n' } },
    {
      name: 'knex-style ? placeholders in a PostgreSQL project parse (jsonb ?| and ? operators kept)',
      files: { 'src/a.ts': "knex.raw('SELECT id FROM t WHERE c = ? AND d = ?', [1, 2]);\nknex.raw(\"SELECT id FROM t WHERE tags ?| array['a'] AND data ? 'k' AND c IN (?, ?)\", ids);\ndb.query(`SELECT id FROM t WHERE c = ${c} AND d = ?`);\n" },
    },
    {
      name: 'Sequelize :name replacements (and ARRAY[:ids]) are placeholders, not syntax',
      files: { 'src/subs.ts': 'await sequelize.query(`INSERT INTO subscriptions ("id", "userId", "event") VALUES (gen_random_uuid(), :userId, :event) ON CONFLICT ("userId", "event") DO UPDATE SET "updatedAt" = EXCLUDED."updatedAt" RETURNING *`, { replacements });\nawait sequelize.query(`SELECT id FROM docs WHERE id = ANY(ARRAY[:ids]::uuid[]) AND created > :since::date`, { replacements });\n' },
    },
    {
      name: '@p1, %s / %(name)s and {{ }} placeholders parse in a retry; :: casts and slices stay SQL',
      files: { 'q.sql': "SELECT id FROM t WHERE a = @p1 AND b = %s AND c = %(name)s AND d = {{ user_id }};\nSELECT (arr)[1:2], x::int FROM t;\n" },
    },
    {
      name: '${…} where a name or a clause goes (a database or table built in code, a filter fragment)',
      files: { 'src/setup.ts': 'await knex.raw(`DROP DATABASE IF EXISTS ${dbName}`);\nawait knex.raw(`CREATE DATABASE ${dbName}`);\nawait sequelize.query(`CREATE UNLOGGED TABLE ${this.table} ("documentId" UUID PRIMARY KEY)`);\nawait sequelize.query(`SELECT id FROM documents WHERE "parentId" = :parentId ${filter} ORDER BY id`);\n' },
    },
    {
      name: 'a ${…} holding keywords (IF NOT EXISTS on all but MySQL) in an app that runs on PostgreSQL, MySQL and SQLite',
      files: {
        'package.json': JSON.stringify({ dependencies: { 'better-sqlite3': '11', mysql2: '3', pg: '8', knex: '3' } }),
        'server/migrations/20241223062111_indexes.js': 'const ifNotExists = isMySQL ? "" : "IF NOT EXISTS";\nexports.up = async (knex) => {\n  await knex.raw(`CREATE INDEX ${ifNotExists} links_user_id_index ON links (user_id);`);\n};\n',
      },
    },
    {
      name: 'PostgreSQL 14 BEGIN ATOMIC function bodies are one statement',
      files: { 'triggers.sql': "CREATE FUNCTION r.parent_ids (path ltree)\n    RETURNS SETOF int\n    LANGUAGE sql\n    IMMUTABLE PARALLEL SAFE\nBEGIN ATOMIC\n    SELECT id::int FROM string_to_table (ltree2text (path), '.') AS id\n    -- skip the first\n    OFFSET 1;\nEND;\nSELECT 1;\n" },
    },
    {
      name: 'MySQL the parser does not cover (JSON_TABLE, a CASE with boolean branches, INSERT () VALUES ()) is not a parse error',
      files: {
        'mysql/a.sql': "INSERT INTO person_email (`email`) SELECT pe.email FROM person AS p JOIN JSON_TABLE(p.emails, '$[*]' COLUMNS(email TEXT PATH '$')) AS pe;\nUPDATE system_setting SET value = 'x' WHERE name = 'STORAGE' AND CASE WHEN JSON_VALID(value) THEN JSON_TYPE(value) = 'OBJECT' AND NOT JSON_CONTAINS_PATH(value, 'one', '$.s') ELSE FALSE END;\nINSERT INTO bar () VALUES ();\n",
      },
    },
    {
      name: 'a PostgreSQL folder script with a MySQL section (backtick quoting) is not a parse error',
      files: { 'db/postgresql/data-migrations/fill.sql': "-- PostgreSQL\nINSERT INTO revenue SELECT gen_random_uuid(), e.id FROM event e;\n-- MySQL\nINSERT INTO `revenue` SELECT UUID() revenue_id, e.id FROM event e;\n" },
    },
    {
      name: 'template markers code fills in (%query%, %order%, FROM %s, ${schema}, {{ table }}) and yesql -- name: queries without ;',
      files: {
        'queries/subscribers.sql': "-- name: query-subscribers\nSELECT id FROM subscribers WHERE status = $1 AND %query%\n    ORDER BY %order% OFFSET $2 LIMIT $3\n\n-- name: delete-by-query\nWITH subs AS (%query%)\nDELETE FROM subscribers WHERE id = ANY(SELECT id FROM subs);\n-- name: count\nSELECT COUNT(%s) FROM %s WHERE created_at > now() - interval '1 day';\n",
        'db/migration/V2__grants.sql': 'GRANT SELECT ON ${schema}.users TO ${readonly_role};\nCREATE INDEX users_email_idx ON ${schema}.users (email);\nSELECT id FROM {{ table }} WHERE id = 1;\n',
      },
    },
    { name: 'an English template literal only guessed to be SQL is not a parse error', files: { 'src/a.ts': 'export const msg = `delete from users where they are inactive`;\nexport const m2 = `update the users table when ready`;\n' } },
  ],
  invalid: [
    {
      name: 'a rollback script that does not parse fails the day it is needed: still reported (its valid statements add no schema)',
      files: { 'migrations/20250402170430_unique_names.down.sql': 'DROP INDEX IF EXISTS name_idx;\nALTER TABLE scripts DROP INDEX name_uniq_idx;\n' },
      errors: [{ file: 'migrations/20250402170430_unique_names.down.sql', line: 2, column: 32, severity: 'info' }],
    },
    {
      name: 'broken MySQL that PostgreSQL also rejects, and an empty select list, are still parse errors',
      files: { 'mysql/q.sql': 'selectt id, first_name from users;\nselect id, first_name from users from where id = ?;\nSELECT FROM bar;\n' },
      errors: [{ file: 'mysql/q.sql', line: 1, column: 9 }, { file: 'mysql/q.sql', line: 2, column: 39 }, { file: 'mysql/q.sql', line: 3, column: 13 }],
    },
    {
      name: 'a template marker does not excuse broken SQL away from it',
      files: { 'queries/q.sql': 'SELECT id FROM subscribers WHERE %query% AND ORDER BY id;\n' },
      errors: [{ file: 'queries/q.sql', line: 1, column: 46, message: /near "ORDER"/ }],
    },
    {
      name: 'a ${…} that is a value does not excuse broken SQL around it',
      files: { 'src/a.ts': 'db.query(`SELECT id FROM t WHERE a = ${a} AND`);\n' },
      errors: [{ file: 'src/a.ts', line: 1, column: 46, message: /end of input/ }],
    },
    {
      name: 'one broken statement among good ones; the rest is still analysed',
      files: { 'q.sql': 'SELECT 1;\nSELEC oops FROM t;\nSELECT 2;' },
      errors: [{ line: 2, column: 1, severity: 'info', message: /Could not parse this postgresql statement \(syntax error at or near "SELEC"\)/ }],
    },
    {
      name: 'broken SQL inside TypeScript is located in the host file',
      files: { 'a.ts': 'db.query("SELECT id FROM WHERE x = 1");' },
      errors: [{ file: 'a.ts', line: 1, column: 26 }],
    },
    {
      name: 'knex-style ? placeholders: when the numbered statement does not parse either, the original error is reported',
      files: { 'src/a.ts': "knex.raw('SELECT id FROM t WHERE c = ? AND');\nknex.raw('SELECT ?? FROM t WHERE c = ?');\n" },
      errors: [{ file: 'src/a.ts', line: 1, column: 40, message: /near "AND"/ }, { file: 'src/a.ts', line: 2, column: 21, message: /near "FROM"/ }],
    },
  ],
});
