import { ruleTests } from './rule-tester.js';

ruleTests('sql-parse-error', {
  valid: [
    { name: 'valid PostgreSQL', files: { 'q.sql': 'SELECT 1;\nSELECT $$a;b$$;' } },
    { name: 'valid MySQL with DELIMITER blocks', files: { 'q.sql': '-- dialect: mysql\nSELECT `a` FROM `t`;\n' } },
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
  ],
});
