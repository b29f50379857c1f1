import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractKnexQueries, extractKyselyQueries, readStringConstants, type BuilderQuery, type BuilderSkip } from '../../../../src/analyzers/sql/orm/builders.js';
import type { OrmCondition } from '../../../../src/analyzers/sql/orm/model.js';
import type { Span } from '../../../../src/analyzers/sql/types.js';

const slice = (text: string, s: Span | undefined): string => (s ? text.slice(s.start, s.end) : '<no span>');

function cond(text: string, c: OrmCondition): string {
  if ('or' in c) return `(${c.or.map((b) => b.map((x) => cond(text, x)).join(' & ')).join(' | ')})`;
  return `${[...c.via, c.field].join('.')} ${c.op}${c.value ? ` ${c.value}` : ''}${c.insensitive ? ' ci' : ''}`;
}

function show(text: string, q: BuilderQuery) {
  return {
    call: `${q.operation} ${q.table} ${q.method}${q.limited ? ' limited' : ''}`,
    name: slice(text, q.nameSpan),
    where: q.where.map((c) => cond(text, c)),
    ...(q.conditionalWhere ? { conditional: q.conditionalWhere.map((c) => cond(text, c)) } : {}),
    order: q.orderBy.map((o) => `${[...o.via, o.field].join('.')}${o.desc ? ' desc' : ''}`),
    joins: q.joins.map((j) => j.relation),
    ...(q.functionName ? { fn: q.functionName } : {}),
    ...(q.inLoop ? { loop: `${q.inLoop.kind}${q.inLoop.usesItem ? ' item' : ''}` } : {}),
  };
}

type Case = { name: string; text: string; expect: Partial<ReturnType<typeof show>>[]; skips?: string[] };

function run(extract: (p: string, t: string, o: { skipped: BuilderSkip[] }) => BuilderQuery[], cases: Case[]): void {
  for (const c of cases) {
    it(c.name, () => {
      const skipped: BuilderSkip[] = [];
      const got = extract('a.ts', c.text, { skipped }).map((q) => show(c.text, q));
      assert.equal(got.length, c.expect.length, JSON.stringify(got));
      c.expect.forEach((e, i) => {
        const g = got[i] as Record<string, unknown>;
        for (const k of Object.keys(e)) assert.deepEqual(g[k], (e as Record<string, unknown>)[k], `${k} of query ${i}`);
      });
      assert.deepEqual(skipped.map((s) => s.reason), c.skips ?? []);
    });
  }
}

describe('extractKyselyQueries', () => {
  run(extractKyselyQueries, [
    {
      name: 'select with alias, join, operators, order, limit',
      text: `async function find(x) {
  return await db.selectFrom('person as p').innerJoin('pet', 'pet.owner_id', 'p.id')
    .where('p.age', '>', 18).where('first_name', '=', 'Ann').where('name', 'like', 'abc%').where('title', 'like', '%abc')
    .where('deleted_at', 'is', null).where('id', 'in', x).where('pet.name', '=', x).where('email', 'ilike', x)
    .orderBy('created_at', 'desc').limit(10).execute();
}`,
      expect: [{
        call: 'select person selectFrom limited', name: `selectFrom('person as p')`,
        where: ['age range', "first_name eq 'Ann'", 'name prefix', 'title other', 'deleted_at eq null', 'id eq', 'pet.name eq', 'email other ci'],
        order: ['created_at desc'], joins: ['pet'], fn: 'find',
      }],
    },
    {
      name: 'expression-builder callbacks: or / and, destructured and plain',
      text: `const f = async () => {
  await this.db.selectFrom('t').where(({ eb, or }) => or([eb('a', '=', 1), eb('b', '=', 2)])).executeTakeFirst();
  await trx.selectFrom('t').where((eb) => eb.and([eb('a', '=', 1), eb('c', '<', 3)])).executeTakeFirstOrThrow();
};`,
      expect: [
        { call: 'select t selectFrom limited', where: ['(a eq 1 | b eq 2)'], fn: 'f' },
        { call: 'select t selectFrom limited', where: ['a eq 1', 'c range'] },
      ],
    },
    {
      name: 'update, delete in a loop, insert not reported',
      text: `async function g(ids) {
  await db.updateTable('users').set({ a: 1 }).where('id', '=', 5).execute();
  for (const id of ids) await kyselyPrisma.$kysely.deleteFrom('t').where('id', '=', id).execute();
  await db.insertInto('t').values({ a: 1 }).execute();
}`,
      expect: [
        { call: 'update users updateTable', where: ['id eq 5'] },
        { call: 'delete t deleteFrom', where: ['id eq'], loop: 'for-of item' },
      ],
    },
    {
      name: 'builder kept in a variable: conditional filters and a ternary OR',
      text: `async function list(folderId, status) {
  let qb = db.selectFrom('Envelope').select(['Envelope.id']);
  qb = folderId !== undefined ? qb.where('Envelope.folderId', '=', folderId) : qb.where('Envelope.folderId', 'is', null);
  qb = qb.where('Envelope.deletedAt', 'is', null);
  if (status) qb = qb.where('Envelope.status', '=', status);
  const data = qb.orderBy('Envelope.createdAt', 'desc').limit(10);
  return data.execute();
}`,
      expect: [{
        call: 'select Envelope selectFrom limited', name: `selectFrom('Envelope')`,
        where: ['(folderId eq | folderId eq null)', 'deletedAt eq null'], conditional: ['status eq'], order: ['createdAt desc'],
      }],
    },
    {
      name: 'never run, subqueries and unreadable callbacks',
      text: `async function h() {
  const sub = (eb) => eb.selectFrom('r').whereRef('r.id', '=', 'e.rid');
  await db.selectFrom('e').where((eb) => { const x = 1; return eb('a', '=', x); }).execute();
  await db.selectFrom(sub().as('s')).selectAll().execute();
  await db.selectFrom('e').where('e.a', 'in', db.selectFrom('r').select('r.id')).execute();
}`,
      expect: [{ call: 'select e selectFrom', where: ['a eq'] }],
      skips: ['kysely: where callback does more than compare', 'kysely: selectFrom of something other than a table name'],
    },
  ]);
});

describe('extractKnexQueries', () => {
  run(extractKnexQueries, [
    {
      name: 'where forms, first, order, join',
      text: `async function find(email, ids) {
  await knex('users').where({ email, team_id: 3, deleted_at: null }).first();
  await knex('users as u').where('u.age', '>', 18).whereIn('id', ids).whereNull('deleted_at').whereNot('role', 'x').orderBy('created_at', 'desc').limit(5);
  await db('users').join('teams', 'teams.id', 'users.team_id').where('teams.name', 'n').where('email', email);
}`,
      expect: [
        { call: 'select users first limited', name: `knex('users')`, where: ['email eq', 'team_id eq 3', 'deleted_at eq null'] },
        { call: 'select users select limited', where: ['age range', 'id eq', 'deleted_at eq null', 'role other'], order: ['created_at desc'] },
        { where: ["teams.name eq 'n'", 'email eq'], joins: ['teams'] },
      ],
    },
    {
      name: 'orWhere is an OR of both sides; update, del, count',
      text: `async function m(id) {
  await trx('users').where('a', 1).orWhere('b', 2);
  await knex('users').where('id', id).update({ a: 1 });
  await knex('users').where('id', id).del();
  return knex('users').count();
}`,
      expect: [
        { where: ['(a eq 1 | b eq 2)'] },
        { call: 'update users update', where: ['id eq'] },
        { call: 'delete users del', where: ['id eq'] },
        { call: 'count users count', where: [] },
      ],
    },
    {
      name: 'knex callees: this.knex, typed parameter, choice, transaction callback, factory, select().from()',
      text: `const TableNote = 'note';
enum F { id = 'id', owner = 'owner_id' }
const k = require('knex')(config);
class S {
  constructor(private readonly knex: Knex) {}
  async a(id: number, transaction?: Knex) {
    const actor = transaction ?? this.knex;
    await actor(TableNote).where(F.id, id).first();
    await this.knex(TableNote).where(\`\${TableNote}.\${F.owner}\`, id);
    await this.knex.transaction(async (t) => { await t(TableNote).where(F.id, id).del(); });
    await k.select('a').from('users').where('id', id);
  }
}`,
      expect: [
        { call: 'select note first limited', where: ['id eq'], fn: 'a' },
        { where: ['owner_id eq'] },
        { call: 'delete note del', where: ['id eq'] },
        { call: 'select users select', name: `from('users')`, where: ['id eq'] },
      ],
    },
    {
      name: 'not knex, inserts, stored builders, skips',
      text: `async function n(x) {
  await foo('users').where('id', 1);
  await knex('users').insert({ a: 1 });
  const q = knex('users').where('a', 1);
  await q.where('b', 2);
  await knex('users').whereRaw('lower(email) = ?', [x]);
  await knex('users').where((b) => b.where('a', 1));
  await knex('users').where({ ...x });
}`,
      expect: [{ where: ['a eq 1', 'b eq 2'] }],
      skips: ['knex: whereRaw() not followed', 'knex: where() with a grouping callback', 'knex: where object with a spread'],
    },
    {
      name: 'in a loop using the item',
      text: `async function l(ids) { await Promise.all(ids.map((id) => knex('t').where('id', id).first())); }`,
      expect: [{ where: ['id eq'], loop: 'promise-all item' }],
    },
    { name: 'hostile input never throws', text: 'knex(( where(', expect: [] },
  ]);
});

describe('readStringConstants', () => {
  it('consts, enums, as-const objects', () => {
    const m = readStringConstants('c.ts', `export const TableUser = 'user'; export const enum F { id = 'id', name = 'display_name' } const O = { a: 'x' } as const; let z = 'no';`);
    assert.deepEqual([...m], [['TableUser', 'user'], ['F.id', 'id'], ['F.name', 'display_name'], ['O.a', 'x']]);
  });
});
