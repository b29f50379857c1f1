import { ruleTests } from '../../../helpers/rule-tester.js';

ruleTests('unindexed-foreign-key', {
  valid: [
    { name: 'referencing column has an index', files: { 'db/migrations/001.sql': 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));\nCREATE INDEX c_p_id_idx ON c (p_id);' } },
    { name: 'index added in a later migration', files: { 'db/migrations/001.sql': 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));', 'db/migrations/002.sql': 'CREATE INDEX ON c (p_id, id);' } },
    { name: 'composite FK served by a composite index in any order of its prefix', files: { 's.sql': 'CREATE TABLE c (a int, b int, PRIMARY KEY (b, a), FOREIGN KEY (a, b) REFERENCES p (x, y));' } },
    { name: 'FK column is the primary key', files: { 's.sql': 'CREATE TABLE profile (user_id int PRIMARY KEY REFERENCES users (id));' } },
    { name: 'MySQL InnoDB indexes foreign keys automatically', files: { 's.sql': '-- dialect: mysql\nCREATE TABLE c (id INT PRIMARY KEY, p_id INT, FOREIGN KEY (p_id) REFERENCES p (id)) ENGINE=InnoDB;' } },
    // Migration replay (class 1): what a later migration drops, renames or indexes is judged as it ends up.
    { name: 'FK dropped by name in a later migration', files: { 'm/001_init.sql': 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, p_id int, CONSTRAINT c_p_fk FOREIGN KEY (p_id) REFERENCES p (id));', 'm/002_drop.sql': 'ALTER TABLE c DROP CONSTRAINT IF EXISTS c_p_fk;' } },
    { name: 'FK with PostgreSQL\'s default name dropped', files: { 'm/001_init.sql': 'CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));', 'm/002_drop.sql': 'ALTER TABLE c DROP CONSTRAINT c_p_id_fkey;' } },
    { name: 'DROP COLUMN takes its FK with it', files: { 'm/001_init.sql': 'CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));', 'm/002_drop.sql': 'ALTER TABLE c DROP COLUMN p_id;' } },
    { name: 'DROP TABLE takes its FKs with it', files: { 'm/001_init.sql': 'CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));', 'm/002_drop.sql': 'DROP TABLE IF EXISTS c CASCADE;' } },
    { name: 'table renamed, then indexed under its new name', files: { 'm/001_init.sql': 'CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));', 'm/002_rename.sql': 'ALTER TABLE c RENAME TO child;\nCREATE INDEX child_p_id_idx ON child (p_id);' } },
    { name: 'column renamed, then indexed under its new name', files: { 'm/001_init.sql': 'CREATE TABLE c (id int PRIMARY KEY, user_id int REFERENCES p (id));', 'm/002_rename.sql': 'ALTER TABLE c RENAME COLUMN user_id TO person_id;\nCREATE INDEX ON c (person_id);' } },
    { name: 'a partial index WHERE fk IS NOT NULL serves the lookups by key', files: { 's.sql': 'CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));\nCREATE INDEX c_p ON c (p_id) WHERE p_id IS NOT NULL;' } },
    {
      name: 'SQLite table rebuild: new table, copy, drop, rename, index',
      files: {
        'migrations/sqlite/001.sql': 'CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id));',
        'migrations/sqlite/002.sql': 'CREATE TABLE c_new (id INTEGER PRIMARY KEY, p_id INTEGER NOT NULL REFERENCES p (id));\nINSERT INTO c_new SELECT * FROM c;\nDROP TABLE c;\nALTER TABLE c_new RENAME TO c;\nCREATE INDEX idx_c_p ON c (p_id);',
      },
    },
    { name: 'MySQL: DROP FOREIGN KEY, and InnoDB indexes the others', files: { 'db/mysql/001.sql': 'CREATE TABLE c (id INT PRIMARY KEY, p_id INT, q_id INT, CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id), FOREIGN KEY (q_id) REFERENCES q (id)) ENGINE=InnoDB;', 'db/mysql/002.sql': 'ALTER TABLE c DROP FOREIGN KEY c_p;' } },
    // Rollback scripts (class 12) never run forward: an FK a down.sql re-adds is not in the schema.
    {
      name: 'down.sql re-adding an FK is no part of the schema',
      files: {
        'migrations/2020-01-01-000000_init/up.sql': 'CREATE TABLE c (id int PRIMARY KEY, p_id int);',
        'migrations/2020-01-01-000000_init/down.sql': 'DROP TABLE c;',
        'migrations/2020-02-01-000000_fk/up.sql': 'ALTER TABLE c DROP COLUMN p_id;',
        'migrations/2020-02-01-000000_fk/down.sql': 'ALTER TABLE c ADD COLUMN p_id int REFERENCES p (id);',
        'migrations/003_x.down.sql': 'ALTER TABLE c ADD CONSTRAINT c_fk FOREIGN KEY (id) REFERENCES p (id);',
      },
    },
    {
      name: 'a lone postgres/ folder beside PostgreSQL migrations is the same database',
      files: { 'db/migrations/001_init.sql': 'CREATE TABLE p (id bigserial PRIMARY KEY);\nCREATE TABLE c (id bigserial PRIMARY KEY, p_id bigint REFERENCES p (id));', 'docker/postgres/init-indexes.sql': 'CREATE INDEX c_p_id_idx ON c (p_id);' },
    },
    { name: 'suppressed', files: { 's.sql': 'CREATE TABLE c (\n  id int PRIMARY KEY,\n  -- perf-audit-disable-next-line unindexed-foreign-key\n  p_id int REFERENCES p (id)\n);' } },
  ],
  invalid: [
    {
      name: 'a soft-deleted parent (deleted_at) that no runtime code deletes: info (no delete checks the key); deleted by runtime code: a warning',
      files: {
        'db/001_init.sql': 'CREATE TABLE users (id int PRIMARY KEY, deleted_at timestamptz);\nCREATE TABLE teams (id int PRIMARY KEY, deleted_at timestamptz);\nCREATE TABLE notes (id int PRIMARY KEY, user_id int REFERENCES users (id));\nCREATE TABLE boards (id int PRIMARY KEY, team_id int REFERENCES teams (id));\n',
        'src/teams.ts': 'export const remove = (id: number) => db.query("DELETE FROM teams WHERE id = $1", [id]);\n',
      },
      errors: [
        { file: 'db/001_init.sql', line: 3, column: 41, severity: 'info', message: /users is soft-deleted \(it has a deletion-time column\) and no runtime code of the project deletes its rows/, data: { softDeletedParent: true } },
        { file: 'db/001_init.sql', line: 4, column: 42, severity: 'warning' },
      ],
    },
    {
      name: 'a parent no runtime ORM call deletes (nor a table it refers to): info; one that is deleted: a warning',
      files: {
        'package.json': '{"dependencies":{"@prisma/client":"5.0.0"}}',
        'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel User {\n  id Int @id\n  posts Post[]\n  tags Tag[]\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n}\nmodel Tag {\n  id Int @id\n  ownerId Int\n  owner User @relation(fields: [ownerId], references: [id])\n}\n',
        'src/posts.ts': 'export const drop = (id: number) => prisma.post.delete({ where: { id } });\n',
      },
      errors: [
        { file: 'prisma/schema.prisma', line: 13, column: 15, severity: 'info', message: /no runtime code of the project deletes rows of user \(nor of a table it refers to\)/, data: { neverDeletedParent: true } },
        { file: 'prisma/schema.prisma', line: 18, column: 14, severity: 'info', data: { neverDeletedParent: true } },
      ],
    },
    {
      name: 'a table the migrations create but the Prisma schema no longer defines: info (left over), even when its parent is deleted',
      files: {
        'package.json': '{"dependencies":{"@prisma/client":"5.0.0"}}',
        'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel User {\n  id Int @id\n  posts Post[]\n  tags Tag[]\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n}\nmodel Tag {\n  id Int @id\n  ownerId Int\n  owner User @relation(fields: [ownerId], references: [id])\n}\n',
        'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "Post" ("id" INTEGER NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\nCREATE INDEX "Post_authorId_idx" ON "Post"("authorId");\nCREATE TABLE "Tag" ("id" INTEGER NOT NULL, "ownerId" INTEGER NOT NULL, CONSTRAINT "Tag_pkey" PRIMARY KEY ("id"));\nCREATE INDEX "Tag_ownerId_idx" ON "Tag"("ownerId");\nCREATE TABLE "Badge" ("id" INTEGER NOT NULL, "userId" INTEGER NOT NULL REFERENCES "User"("id"), CONSTRAINT "Badge_pkey" PRIMARY KEY ("id"));\n',
        'src/users.ts': 'export const drop = (id: number) => prisma.user.delete({ where: { id } });\n',
      },
      errors: [
        { file: 'prisma/migrations/20240101000000_init/migration.sql', line: 6, column: 46, severity: 'info', message: /badge is in the database only: the Prisma schema that the app queries through defines no model for it/, data: { unmappedTable: true } },
      ],
    },
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
      name: 'an FK dropped and re-added is reported once, where it was re-added',
      files: {
        'm/001_init.sql': 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, p_id int, CONSTRAINT c_p_fk FOREIGN KEY (p_id) REFERENCES p (id));',
        'm/002_cascade.sql': 'ALTER TABLE c DROP CONSTRAINT c_p_fk;\nALTER TABLE c ADD CONSTRAINT c_p_fk FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE;',
      },
      errors: [{ file: 'm/002_cascade.sql', line: 2, column: 1, message: /Foreign key c\(p_id\) → p has no index/ }],
    },
    {
      name: 'the same FK in a migration and in the Prisma model is one finding, at the migration',
      files: {
        'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n}\n',
        'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "Post" ("id" INTEGER NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;',
      },
      // The fix goes into the model: Prisma Migrate would drop an index that only a SQL migration creates.
      errors: [{ file: 'prisma/migrations/20240101000000_init/migration.sql', line: 3, column: 1, fixOutput: { 'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n  @@index([authorId])\n}\n' } }],
    },
    {
      name: 'a renamed table is reported under its final name, at its creation',
      files: { 'm/001_init.sql': 'CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));', 'm/002_rename.sql': 'ALTER TABLE c RENAME TO child;' },
      errors: [{ file: 'm/001_init.sql', line: 1, column: 37, message: /Foreign key child\(p_id\) → p/ }],
    },
    {
      name: 'an index on a dropped column no longer serves the FK',
      files: { 'm/001_init.sql': 'CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id), old int);\nCREATE INDEX c_idx ON c (old, p_id);\nCREATE INDEX c_p ON c (p_id);', 'm/002.sql': 'DROP INDEX c_p;' },
      errors: [{ file: 'm/001_init.sql', line: 1, column: 37 }],
    },
    {
      name: 'each dialect folder is its own schema: the SQLite folder\'s index does not serve the PostgreSQL FK',
      files: {
        'store/migration/postgres/001.sql': 'CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id));',
        'store/migration/sqlite/001.sql': 'CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id));\nCREATE INDEX idx_c_p ON c (p_id);',
      },
      errors: [{ file: 'store/migration/postgres/001.sql', line: 1, column: 37 }],
    },
    {
      name: 'Prisma relation without @@index',
      files: { 'prisma/schema.prisma': 'model User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n}\n' },
      errors: [{ file: 'prisma/schema.prisma', line: 8, column: 15, fixOutput: { 'prisma/schema.prisma': 'model User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n  @@index([authorId])\n}\n' } }],
    },
  ],
});
