import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPrismaQueries } from '../../../../src/analyzers/sql/orm/prisma-client.js';
import type { OrmCondition, OrmQuery } from '../../../../src/analyzers/sql/orm/model.js';

/** A compact view: conditions as `via.field op[ value]`, spans as the text they cover. */
function view(text: string, q: OrmQuery) {
  const cond = (c: OrmCondition): unknown => ('or' in c ? { or: c.or.map((b) => b.map(cond)) } : `${[...c.via, c.field].join('.')} ${c.op}${c.insensitive ? ' i' : ''}${c.value ? ` ${c.value}` : ''}`);
  return {
    model: q.model, method: q.method, operation: q.operation, limited: q.limited,
    name: text.slice(q.nameSpan.start, q.nameSpan.end),
    where: q.where.map(cond),
    orderBy: q.orderBy.map((o) => `${o.field}${o.desc ? ' desc' : ''}`),
    joins: q.joins.map((j) => j.relation),
    ...(q.inLoop ? { loop: `${q.inLoop.kind}${q.inLoop.usesItem ? ' item' : ''}` } : {}),
    ...(q.functionName ? { fn: q.functionName } : {}),
  };
}

const cases: { name: string; code: string; expect: ReturnType<typeof view>[] }[] = [
  {
    name: 'findMany: shorthand, literal, null, operators, orderBy, take, include',
    code: "export async function listDocs(teamId: number) {\n  return prisma.document.findMany({ where: { teamId, status: 'DRAFT', deletedAt: null, createdAt: { gte: since } }, orderBy: { createdAt: 'desc' }, take: 20, include: { team: true, _count: true } });\n}\n",
    expect: [{ model: 'document', method: 'findMany', operation: 'select', limited: true, name: 'document.findMany', where: ['teamId eq', "status eq 'DRAFT'", 'deletedAt eq null', 'createdAt range'], orderBy: ['createdAt desc'], joins: ['team'], fn: 'listDocs' }],
  },
  {
    name: 'OR / AND / NOT, insensitive contains, startsWith, not null, a relation filter',
    code: "const f = async () => db.user.findFirst({ where: { AND: [{ OR: [{ email: { equals: e, mode: 'insensitive' } }, { name: { startsWith: q } }] }], NOT: { role: 'ADMIN' }, emailVerified: { not: null }, team: { ownerId: 3 } } });\n",
    expect: [{ model: 'user', method: 'findFirst', operation: 'select', limited: true, name: 'user.findFirst', where: [{ or: [['email eq i'], ['name prefix']] }, 'emailVerified other not-null', 'team.ownerId eq 3'], orderBy: [], joins: [], fn: 'f' }],
  },
  {
    name: 'a where the extractor cannot see whole (spread, variable) is skipped; a JSON path filter is no index key',
    code: 'prisma.a.findMany({ where: { ...filters, id: 1 } });\nprisma.b.findMany({ where });\nprisma.c.count({ where: { payload: { path: ["k"], equals: 1 }, jobId } });\n',
    expect: [{ model: 'c', method: 'count', operation: 'count', limited: false, name: 'c.count', where: ['payload other', 'jobId eq'], orderBy: [], joins: [] }],
  },
  {
    name: 'loops: for…of body (the head is not), Promise.all(map) reading the item, a paging while loop not reading an item, a literal list',
    code: [
      'async function run(items) {',
      '  for (const item of await prisma.parent.findMany()) {',
      '    await prisma.child.findMany({ where: { parentId: item.id } });',
      '  }',
      '  await Promise.all(items.map(async (it) => prisma.field.count({ where: { itemId: it.id } })));',
      '  while (more) { await prisma.log.findMany({ where: { id: { gt: cursor } }, take: 100 }); }',
      "  for (const role of ['A', 'B']) await prisma.member.count({ where: { role } });",
      '}',
    ].join('\n'),
    expect: [
      { model: 'parent', method: 'findMany', operation: 'select', limited: false, name: 'parent.findMany', where: [], orderBy: [], joins: [], fn: 'run' },
      { model: 'child', method: 'findMany', operation: 'select', limited: false, name: 'child.findMany', where: ['parentId eq'], orderBy: [], joins: [], loop: 'for-of item', fn: 'run' },
      { model: 'field', method: 'count', operation: 'count', limited: false, name: 'field.count', where: ['itemId eq'], orderBy: [], joins: [], loop: 'promise-all item', fn: 'run' },
      { model: 'log', method: 'findMany', operation: 'select', limited: true, name: 'log.findMany', where: ['id range'], orderBy: [], joins: [], loop: 'while', fn: 'run' },
      { model: 'member', method: 'count', operation: 'count', limited: false, name: 'member.count', where: ['role eq'], orderBy: [], joins: [], fn: 'run' },
    ],
  },
  {
    name: 'not Prisma: array methods and calls on a plain name',
    code: 'items.find((x) => x.id === 1);\nlist.count();\nfindMany({ where: { a: 1 } });\n',
    expect: [],
  },
];

for (const c of cases) {
  test(`extractPrismaQueries: ${c.name}`, () => {
    assert.deepEqual(extractPrismaQueries('src/a.ts', c.code).map((q) => view(c.code, q)), c.expect);
  });
}

test('extractPrismaQueries: broken code and a huge where never throw', () => {
  assert.deepEqual(extractPrismaQueries('src/a.ts', 'prisma.a.findMany({ where: { '), []);
  const big = `prisma.a.findMany({ where: { ${Array.from({ length: 500 }, (_, i) => `f${i}: 1`).join(', ')} } });`;
  assert.deepEqual(extractPrismaQueries('src/a.ts', big), []);
});
