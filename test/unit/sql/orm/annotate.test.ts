/** Annotations: what the editor shows on hover over an ORM call (the SQL it runs, which index serves each filter). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSources } from '../../../../src/analyzers/index.js';

const SCHEMA = 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n\nmodel Document {\n  id     Int    @id\n  teamId Int    @map("team_id")\n  status String\n  slug   String @unique\n\n  @@map("documents")\n}\n';

test('an ORM call is annotated with its SQL shape and, per filter, the index that serves it or that none does', async () => {
  const code = "export const list = (teamId: number, slug: string) => Promise.all([\n  prisma.document.findMany({ where: { teamId, status: { in: ['A', 'B'] } }, take: 10 }),\n  prisma.document.findUnique({ where: { slug } }),\n]);\n";
  const r = await auditSources([{ path: 'prisma/schema.prisma', text: SCHEMA }, { path: 'src/list.ts', text: code }]);
  const a = (r.annotations ?? []).filter((x) => x.file === 'src/list.ts');
  assert.deepEqual(a.map((x) => ({ line: x.range.start.line + 1, character: x.range.start.character + 1, title: x.title, detail: x.detail })), [
    { line: 2, character: 3, title: 'prisma: document.findMany', detail: ['SELECT … FROM documents WHERE team_id = $1 AND status IN ($2, …) LIMIT $3', 'team_id: no index of documents leads with it', 'status: no index of documents leads with it'] },
    { line: 3, character: 3, title: 'prisma: document.findUnique', detail: ['SELECT … FROM documents WHERE slug = $1 LIMIT 1', 'slug: served by documents_slug_key (prisma/schema.prisma)'] },
  ]);
});

test('no annotations without ORM calls; the CLI reports never include them', async () => {
  const r = await auditSources([{ path: 'q.sql', text: 'SELECT 1;' }]);
  assert.equal(r.annotations, undefined);
});
