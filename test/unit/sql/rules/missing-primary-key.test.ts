import { ruleTests } from '../../../helpers/rule-tester.js';

ruleTests('missing-primary-key', {
  valid: [
    { name: 'inline PRIMARY KEY', files: { 's.sql': 'CREATE TABLE t (id int PRIMARY KEY);' } },
    { name: 'table constraint', files: { 's.sql': 'CREATE TABLE t (a int, b int, PRIMARY KEY (a, b));' } },
    { name: 'added later by ALTER TABLE in another file', files: { 'm/001.sql': 'CREATE TABLE t (id int);', 'm/002.sql': 'ALTER TABLE ONLY t ADD CONSTRAINT t_pkey PRIMARY KEY (id);' } },
    { name: 'MySQL inline', files: { 's.sql': '-- dialect: mysql\nCREATE TABLE `t` (`id` INT NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;' } },
    { name: 'Prisma models always have an id', files: { 'schema.prisma': 'model A {\n  id Int @id\n}\n' } },
  ],
  invalid: [
    { name: 'no key', files: { 's.sql': 'CREATE TABLE public.event_log (at timestamptz, payload jsonb);' }, errors: [{ file: 's.sql', line: 1, column: 21, endColumn: 30, noFix: true, data: { table: 'event_log' } }] },
    { name: 'UNIQUE is not a primary key', files: { 's.sql': 'CREATE TABLE t (\n  a int UNIQUE\n);' }, errors: [{ file: 's.sql', line: 1, column: 14 }] },
    { name: 'SQLite', files: { 's.sql': '-- dialect: sqlite\nCREATE TABLE [t] (a TEXT);' }, errors: [{ file: 's.sql', line: 2, column: 14 }] },
  ],
});
