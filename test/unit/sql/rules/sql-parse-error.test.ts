import { ruleTests } from '../../../helpers/rule-tester.js';

ruleTests('sql-parse-error', {
  valid: [
    { name: 'valid PostgreSQL', files: { 'q.sql': 'SELECT 1;\nSELECT $$a;b$$;' } },
    { name: 'valid MySQL with DELIMITER blocks', files: { 'q.sql': '-- dialect: mysql\nSELECT `a` FROM `t`;\n' } },
    {
      name: 'knex-style ? placeholders in a PostgreSQL project parse (jsonb ?| and ? operators kept)',
      files: { 'src/a.ts': "knex.raw('SELECT id FROM t WHERE c = ? AND d = ?', [1, 2]);\nknex.raw(\"SELECT id FROM t WHERE tags ?| array['a'] AND data ? 'k' AND c IN (?, ?)\", ids);\ndb.query(`SELECT id FROM t WHERE c = ${c} AND d = ?`);\n" },
    },
    { name: 'an English template literal only guessed to be SQL is not a parse error', files: { 'src/a.ts': 'export const msg = `delete from users where they are inactive`;\nexport const m2 = `update the users table when ready`;\n' } },
  ],
  invalid: [
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
