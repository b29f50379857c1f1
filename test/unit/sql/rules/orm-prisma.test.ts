/** missing-index and n-plus-one-query on Prisma Client calls, judged against schema.prisma. */
import { ruleTests } from '../../../helpers/rule-tester.js';

const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Team {
  id        Int        @id @default(autoincrement())
  name      String
  ownerId   Int        @map("owner_id")
  documents Document[]

  @@map("teams")
}

model Document {
  id        Int       @id @default(autoincrement())
  teamId    Int       @map("team_id")
  team      Team      @relation(fields: [teamId], references: [id])
  status    String
  title     String
  slug      String    @unique
  createdAt DateTime  @default(now()) @map("created_at")
  deletedAt DateTime? @map("deleted_at")

  @@index([status])
  @@map("documents")
}
`;
const ws = (code: string, extra: Record<string, string> = {}): Record<string, string> => ({ 'prisma/schema.prisma': SCHEMA, 'src/documents.ts': code, ...extra });
const withIndex = (attr: string): string => SCHEMA.replace('  @@index([status])\n  @@map("documents")\n}', `  @@index([status])\n  @@map("documents")\n  ${attr}\n}`);

ruleTests('missing-index', {
  valid: [
    { name: 'a unique field (findUnique by slug)', files: ws("export const bySlug = (slug: string) => prisma.document.findUnique({ where: { slug } });\n") },
    { name: 'the primary key', files: ws('prisma.document.findFirst({ where: { id: 1 } });\n') },
    { name: 'an @@index leading column', files: ws("prisma.document.findMany({ where: { status: 'DRAFT', title: t } });\n") },
    { name: 'a relation filter beside a filter of its own: reached through the indexed relation key, no index on the filtered column needed', files: { 'prisma/schema.prisma': withIndex('@@index([teamId])'), 'src/documents.ts': 'prisma.document.findFirst({ where: { title: t, team: { ownerId: userId } } });\n' } },
    { name: 'a model the schema does not define is skipped', files: ws('prisma.invoice.findMany({ where: { teamId } });\n') },
    { name: 'test code is not judged', files: { 'prisma/schema.prisma': SCHEMA, 'src/documents.test.ts': 'prisma.document.findMany({ where: { teamId } });\n' } },
    { name: 'a case-insensitive contains search: no B-tree index serves it', files: ws("prisma.document.findMany({ where: { title: { contains: q, mode: 'insensitive' } }, take: 10 });\n") },
    { name: 'a where built elsewhere is not guessed', files: ws('prisma.document.findMany({ where: { ...scope, teamId } });\n') },
    { name: 'sql.orm false: ORM calls are not read (the unindexed relation scalar below)', files: ws("export async function listForTeam(teamId: number) {\n  return prisma.document.findMany({ where: { teamId, deletedAt: null }, orderBy: { createdAt: 'desc' }, take: 20 });\n}\n"), config: (c) => { c.sql.orm = false; } },
  ],
  invalid: [
    {
      name: 'an unindexed relation scalar: @@index with field names, in the model, and the SQL shape in the message',
      files: ws("export async function listForTeam(teamId: number) {\n  return prisma.document.findMany({ where: { teamId, deletedAt: null }, orderBy: { createdAt: 'desc' }, take: 20 });\n}\n"),
      errors: [{
        file: 'src/documents.ts', line: 2, column: 46, endColumn: 52, severity: 'warning',
        message: /^No index on documents\(team_id\): this query filters documents by team_id, so the database reads every row of documents\. Add an index on documents \(team_id, deleted_at, created_at\)\. \(document\.findMany runs SELECT … FROM documents WHERE team_id = \$1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT \$2\.\)$/,
        data: { table: 'documents', column: 'team_id', orm: 'prisma' },
        fixTitle: /^Add @@index\(\[teamId, deletedAt, createdAt\]\) to model in schema\.prisma \(then run `prisma migrate dev`/,
        fixOutput: { 'prisma/schema.prisma': withIndex('@@index([teamId, deletedAt, createdAt])') },
      }],
    },
    {
      name: 'a function whose only call is commented out (an import left behind) is dead code: info; one passed by reference or called is a warning',
      files: {
        'prisma/schema.prisma': SCHEMA,
        'src/jobs/reminders.ts': 'export async function remindStaleTeams(teamId: number) {\n  return prisma.document.findMany({ where: { teamId } });\n}\nexport async function remindOtherTeams(teamId: number) {\n  return prisma.document.findMany({ where: { teamId } });\n}\nexport const remindThirdTeams = async (teamId: number) => prisma.document.findMany({ where: { teamId } });\n',
        'src/worker.ts': 'import { remindStaleTeams, remindOtherTeams, remindThirdTeams } from "./jobs/reminders";\n// remindStaleTeams(1);\n/* remindThirdTeams(2); */\nsetInterval(remindOtherTeams, 1000);\n',
      },
      errors: [
        { file: 'src/jobs/reminders.ts', line: 2, column: 46, severity: 'info', message: /but remindStaleTeams is never called: every other mention of it in the workspace is an import or a comment/, data: { neverCalled: true } },
        { file: 'src/jobs/reminders.ts', line: 5, column: 46, severity: 'warning' },
        { file: 'src/jobs/reminders.ts', line: 7, column: 95, severity: 'info', data: { neverCalled: true } },
      ],
    },
    {
      name: 'a fallback in a catch block or a .catch() callback runs on the error path: info with the reason; the same call outside it: a warning',
      files: ws("export async function find(teamId: number) {\n  try {\n    return await load();\n  } catch (e) {\n    return prisma.document.findFirst({ where: { teamId } });\n  }\n}\nexport const again = (teamId: number) => load().catch(() => prisma.document.findFirst({ where: { teamId } }));\nexport const list = (teamId: number) => prisma.document.findFirst({ where: { teamId } });\n"),
      errors: [
        { file: 'src/documents.ts', line: 5, column: 49, severity: 'info', message: /but it runs only in an error handler \(a catch block\)/, data: { errorPath: true } },
        { file: 'src/documents.ts', line: 8, column: 98, severity: 'info', data: { errorPath: true } },
        { file: 'src/documents.ts', line: 9, column: 78, severity: 'warning' },
      ],
    },
    {
      name: 'a relation filter alone: the related table by its filter, and this table by the relation key',
      files: ws('prisma.document.findMany({ where: { team: { ownerId: userId } } });\n'),
      errors: [
        { file: 'src/documents.ts', line: 1, column: 45, message: /^No index on documents\(team_id\): .* \(document\.findMany runs SELECT … FROM documents WHERE team_id IN \(SELECT id FROM teams WHERE owner_id = \$1\)\.\)$/, data: { table: 'documents', column: 'team_id' } },
        { file: 'src/documents.ts', line: 1, column: 45, data: { table: 'teams', column: 'owner_id' } },
      ],
    },
  ],
});

ruleTests('n-plus-one-query', {
  valid: [
    { name: 'a query whose filter does not read the loop item (paging)', files: ws('async function all() {\n  while (more) {\n    const page = await prisma.document.findMany({ where: { id: { gt: cursor } }, take: 100 });\n  }\n}\n') },
    { name: 'a loop over a list written in the code', files: ws("for (const status of ['DRAFT', 'DONE']) await prisma.document.count({ where: { status } });\n") },
    { name: 'the loop head runs once', files: ws('for (const d of await prisma.document.findMany({ where: { teamId: 1 } })) console.log(d);\n') },
    { name: 'sql.orm false: no N+1 from ORM calls', files: ws('export async function load(teams) {\n  for (const team of teams) team.docs = await prisma.document.findMany({ where: { teamId: team.id } });\n}\n'), config: (c) => { c.sql.orm = false; } },
  ],
  invalid: [
    {
      name: 'a read per item of for…of and of Promise.all(map): warning; a write per item: info',
      files: ws([
        'export async function load(ownerId: number) {',
        '  const teams = await prisma.team.findMany({ where: { ownerId } });',
        '  for (const team of teams) {',
        '    team.docs = await prisma.document.findMany({ where: { teamId: team.id } });',
        '  }',
        '  await Promise.all(teams.map((t) => prisma.document.count({ where: { teamId: t.id } })));',
        '  await Promise.all(teams.map((t) => prisma.team.update({ where: { id: t.id }, data: { name: t.name } })));',
        '}',
      ].join('\n')),
      errors: [
        { file: 'src/documents.ts', line: 4, column: 23, severity: 'warning', message: /^document\.findMany runs once per item of the for…of loop \(an N\+1 query: one round trip per item, `SELECT … FROM documents WHERE team_id = \$1` each time\)\. Load them in one query before the loop/, data: { orm: 'prisma', method: 'findMany', loop: 'for-of', overQueryRows: true } },
        { file: 'src/documents.ts', line: 6, column: 38, severity: 'warning', data: { loop: 'promise-all' } },
        { file: 'src/documents.ts', line: 7, column: 38, severity: 'info', message: /^team\.update writes once per item/ },
      ],
    },
    {
      name: "a loop over a list that is not a query's rows (the request's input): info, N is that list's length",
      files: ws('export async function titles(ids: number[]) {\n  return Promise.all(ids.map((id) => prisma.document.findFirst({ where: { teamId: id } })));\n}\n'),
      errors: [{ file: 'src/documents.ts', line: 2, column: 38, severity: 'info', message: /The loop walks a list that does not come from a query here/ }],
    },
    {
      name: 'a helper only queue tasks call runs in the background: info naming the callers; one a route also calls: a warning',
      files: {
        'prisma/schema.prisma': SCHEMA,
        'src/helpers/recipients.ts': 'export async function teamRecipients(ownerId: number) {\n  const teams = await prisma.team.findMany({ where: { ownerId } });\n  for (const team of teams) await prisma.document.findMany({ where: { teamId: team.id } });\n}\n',
        'src/helpers/shared.ts': 'export async function sharedRecipients(ownerId: number) {\n  const teams = await prisma.team.findMany({ where: { ownerId } });\n  for (const team of teams) await prisma.document.findMany({ where: { teamId: team.id } });\n}\n',
        'src/queues/tasks/NotifyTask.ts': 'import { teamRecipients, sharedRecipients } from "../../helpers/recipients";\nexport const run = (id: number) => teamRecipients(id).then(() => sharedRecipients(id));\n',
        'src/routes/teams.ts': 'export const get = (id: number) => sharedRecipients(id);\n',
      },
      errors: [
        { file: 'src/helpers/recipients.ts', line: 3, column: 35, severity: 'info', message: /in background job code \(teamRecipients is called only from src\/queues\/tasks\/NotifyTask\.ts\)/, data: { background: true } },
        { file: 'src/helpers/shared.ts', line: 3, column: 35, severity: 'warning' },
      ],
    },
    {
      name: 'in background job code (a queue processor): info, no request waits on it',
      files: { 'prisma/schema.prisma': SCHEMA, 'src/queues/processors/TeamProcessor.ts': 'export async function perform(teams) {\n  for (const team of teams) await prisma.document.findMany({ where: { teamId: team.id } });\n}\n' },
      errors: [{ file: 'src/queues/processors/TeamProcessor.ts', line: 2, column: 35, severity: 'info', message: /in background job code: no request waits on it/, data: { background: true } }],
    },
  ],
});
