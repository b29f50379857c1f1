import { ruleTests } from '../../../helpers/rule-tester.js';

ruleTests('unindexed-foreign-key', {
  valid: [
    { name: 'referencing column has an index', files: { 'db/migrations/001.sql': 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));\nCREATE INDEX c_p_id_idx ON c (p_id);' } },
    { name: 'index added in a later migration', files: { 'db/migrations/001.sql': 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));', 'db/migrations/002.sql': 'CREATE INDEX ON c (p_id, id);' } },
    { name: 'composite FK served by a composite index in any order of its prefix', files: { 's.sql': 'CREATE TABLE c (a int, b int, PRIMARY KEY (b, a), FOREIGN KEY (a, b) REFERENCES p (x, y));' } },
    { name: 'FK column is the primary key', files: { 's.sql': 'CREATE TABLE profile (user_id int PRIMARY KEY REFERENCES users (id));' } },
    { name: 'MySQL InnoDB indexes foreign keys automatically', files: { 's.sql': '-- dialect: mysql\nCREATE TABLE c (id INT PRIMARY KEY, p_id INT, FOREIGN KEY (p_id) REFERENCES p (id)) ENGINE=InnoDB;' } },
    { name: 'suppressed', files: { 's.sql': 'CREATE TABLE c (\n  id int PRIMARY KEY,\n  -- perf-audit-disable-next-line unindexed-foreign-key\n  p_id int REFERENCES p (id)\n);' } },
  ],
  invalid: [
    {
      name: 'inline REFERENCES, fix appended to the schema file',
      files: { 'schema.sql': 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));\n' },
      errors: [{
        file: 'schema.sql', line: 2, column: 37, endColumn: 41, message: /Foreign key c\(p_id\) → p has no index/,
        fixOutput: { 'schema.sql': 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));\n\nCREATE INDEX c_p_id_idx ON c (p_id);\n' },
      }],
    },
    {
      name: 'table constraint and ALTER TABLE ADD CONSTRAINT, fix in a new migration',
      files: {
        'db/migrations/0001_init.sql': 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, p_id int, q_id int,\n  CONSTRAINT c_p_fk FOREIGN KEY (p_id) REFERENCES p (id));',
        'db/migrations/0002_fk.sql': 'ALTER TABLE c ADD CONSTRAINT c_q_fk FOREIGN KEY (q_id) REFERENCES p (id);',
      },
      errors: [
        { file: 'db/migrations/0001_init.sql', line: 3, column: 3, endColumn: 57, fixOutput: { 'db/migrations/0003_c_p_id_idx.sql': '-- Indexes the foreign key c(p_id) → p.\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE INDEX CONCURRENTLY c_p_id_idx ON c (p_id);\n' } },
        { file: 'db/migrations/0002_fk.sql', line: 1, column: 1 },
      ],
    },
    {
      name: 'an index on the wrong leading column does not count',
      files: { 's.sql': 'CREATE TABLE c (id int PRIMARY KEY, a int, p_id int REFERENCES p (id));\nCREATE INDEX c_a_p ON c (a, p_id);' },
      errors: [{ file: 's.sql', line: 1, column: 44 }],
    },
    {
      name: 'a partial index does not serve the constraint check',
      files: { 's.sql': 'CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id), live bool);\nCREATE INDEX c_live ON c (p_id) WHERE live;' },
      errors: [{ file: 's.sql', line: 1, column: 37 }],
    },
    {
      name: 'Prisma relation without @@index',
      files: { 'prisma/schema.prisma': 'model User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n}\n' },
      errors: [{ file: 'prisma/schema.prisma', line: 8, column: 15, fixOutput: { 'prisma/schema.prisma': 'model User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n  @@index([authorId])\n}\n' } }],
    },
  ],
});
