import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkDrizzleTables, normalizeExpr, readDrizzleTables, type DrizzleModelRead } from '../../../../src/analyzers/sql/orm/drizzle-schema.js';
import { extractDrizzleQueries, type DrizzleQuery, type DrizzleSkip } from '../../../../src/analyzers/sql/orm/drizzle-queries.js';
import type { OrmCondition } from '../../../../src/analyzers/sql/orm/model.js';
import type { Span } from '../../../../src/analyzers/sql/types.js';

const slice = (text: string, s: Span | undefined): string => (s ? text.slice(s.start, s.end) : '<no span>');

function schema(text: string, r: DrizzleModelRead) {
  return {
    tables: r.fragment.tables.map((t) => `${t.schema ? `${t.schema}.` : ''}${t.name}${t.spelling ? `(${t.spelling})` : ''} ${t.dialect}${t.hasPrimaryKey ? ' pk' : ''}: ${t.columns.map((c) => `${c.name}${c.notNull ? '!' : ''}:${c.type}`).join(',')} @${slice(text, t.nameSpan)}`),
    indexes: r.fragment.indexes.map((i) => `${i.origin} ${i.name ?? '-'} ${i.table}(${i.keys.map((k) => (k.kind === 'column' ? k.column + (k.opclass ? ` ${k.opclass}` : '') : k.text)).join(',')})${i.unique ? ' unique' : ''}${i.method ? ` using ${i.method}` : ''}${i.where ? ` where ${i.where.text} [${(i.where.facts ?? []).map((f) => `${f.column} ${f.is}${'value' in f && f.value ? ` ${f.value}` : ''}`).join('; ')}]` : ''}`),
    fks: r.fragment.foreignKeys.map((f) => `${f.table}(${f.columns.join(',')}) -> ${f.refTable}(${f.refColumns.join(',')}) @${slice(text, f.span).split('\n')[0]}`),
    models: r.models.map((m) => `${m.names.join('|')} -> ${m.table} {${[...m.columns].map(([k, v]) => (k === v ? k : `${k}=${v}`)).join(',')}}${m.relations.size ? ` rel{${[...m.relations].map(([k, v]) => `${k}:${v}`).join(',')}}` : ''}`),
    pending: r.pending.map((p) => (p.kind === 'fk' ? `fk ${p.table}(${p.columns.join(',')}) -> ${p.refVar}.${p.refFields.join(',')}` : `relations ${p.model}`)),
    errors: r.errors.map((e) => e.message),
  };
}

describe('readDrizzleTables', () => {
  const cases: { name: string; path?: string; text: string; expect: Partial<ReturnType<typeof schema>> }[] = [
    {
      name: 'pgTable: builder names, property keys, modifiers, array extra config, references, relations',
      text: `import { pgTable, serial, text, integer, timestamp, index, uniqueIndex } from 'drizzle-orm/pg-core';
export const teams = pgTable('teams', { id: serial('id').primaryKey(), name: text('name').notNull() });
export const users = pgTable('Users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull().unique(),
  teamId: integer('team_id').references(() => teams.id),
  createdAt: timestamp('created_at', { withTimezone: true }).defaultNow(),
  nickname: text(),
}, (t) => [index('users_team_idx').on(t.teamId), uniqueIndex('users_team_email').on(t.teamId, t.email)]);
export const usersRelations = relations(users, ({ one, many }) => ({
  team: one(teams, { fields: [users.teamId], references: [teams.id] }),
  posts: many(posts),
}));`,
      expect: {
        tables: [
          'teams postgresql pk: id!:serial,name!:text @\'teams\'',
          "users(Users) postgresql pk: id!:serial,email!:text,team_id:integer,created_at:timestamptz,nickname:text @'Users'",
        ],
        indexes: [
          'primary-key - teams(id) unique',
          'primary-key - users(id) unique',
          'unique-constraint users_email_unique users(email) unique',
          'create-index users_team_idx users(team_id)',
          'create-index users_team_email users(team_id,email) unique',
        ],
        fks: ["users(team_id) -> teams(id) @teamId: integer('team_id').references(() => teams.id)"],
        models: ['teams -> teams {id,name}', 'users -> users {id,email,teamId=team_id,createdAt=created_at,nickname,team=team_id} rel{team:teams,posts:posts}'],
        pending: [],
        errors: [],
      },
    },
    {
      name: 'sqliteTable: object extra config, composite primary key, unique().on, partial and expression indexes, enum and boolean modes',
      text: `export const member = sqliteTable('member', {
  workspaceId: integer('workspace_id').notNull(),
  userId: integer('user_id').notNull(),
  role: text('role', { enum: ['owner', 'member'] }),
  active: integer('active', { mode: 'boolean' }),
  slug: text('slug'),
  deletedAt: integer('deleted_at'),
}, (t) => ({
  pk: primaryKey({ columns: [t.workspaceId, t.userId] }),
  bySlug: unique().on(t.workspaceId, t.slug),
  live: index('member_live_idx').on(t.userId).where(sql\`\${t.deletedAt} IS NULL and \${t.active} = 1\`),
  lower: index('member_lower_slug').on(sql\`LOWER( \${t.slug} )\`),
  byRole: index('member_role').on(t.role).where(eq(t.role, 'owner')),
}));`,
      expect: {
        tables: ["member sqlite pk: workspace_id!:integer,user_id!:integer,role:enum,active:boolean,slug:text,deleted_at:integer @'member'"],
        indexes: [
          'primary-key - member(workspace_id,user_id) unique',
          'unique-constraint member_workspace_id_slug_unique member(workspace_id,slug) unique',
          'create-index member_live_idx member(user_id) where deleted_at IS NULL AND active = 1 [deleted_at null; active eq 1]',
          'create-index member_lower_slug member(lower(slug))',
          "create-index member_role member(role) where role = 'owner' [role eq 'owner']",
        ],
        errors: [],
      },
    },
    {
      name: 'mysqlTable and pgSchema tables, foreignKey(), imported reference pending, opclass and using',
      text: `const auth = pgSchema('auth');
export const accounts = auth.table('accounts', { id: uuid('id').primaryKey(), ownerId: uuid('owner_id'), email: varchar('email', { length: 255 }) },
  (t) => [foreignKey({ columns: [t.ownerId], foreignColumns: [people.id], name: 'acc_owner_fk' }), index('acc_email').using('btree', t.email.op('text_pattern_ops'))]);
export const logs = mysqlTable('logs', { id: int('id').primaryKey().autoincrement(), accountId: int('account_id').references(() => accounts.id) });`,
      expect: {
        tables: ["auth.accounts postgresql pk: id!:uuid,owner_id:uuid,email:varchar @'accounts'", "logs mysql pk: id!:int,account_id:int @'logs'"],
        indexes: ['primary-key - accounts(id) unique', 'create-index acc_email accounts(email text_pattern_ops) using btree', 'primary-key - logs(id) unique'],
        fks: ["logs(account_id) -> accounts(id) @accountId: int('account_id').references(() => accounts.id)"],
        pending: ['fk accounts(owner_id) -> people.id'],
        errors: [],
      },
    },
    {
      name: 'invalid: dynamic table name, spread columns, non-column index key are errors, not throws',
      text: `export const a = pgTable(name, { id: serial('id') });
export const b = pgTable('b', { ...base, id: serial('id') }, (t) => [index('b_x').on(other.x)]);`,
      expect: {
        tables: ['b postgresql: id!:serial @\'b\''],
        indexes: [],
        errors: ['a: the table name is not a string literal', 'b: a column is a spread or has a computed key', 'b: an index key is not a column of this table'],
      },
    },
    { name: 'not Drizzle: nothing', text: 'const x = table("users", {});', expect: { tables: [], models: [], errors: [] } },
    { name: 'unparseable file: an error', text: 'export const t = pgTable("t", { id: serial("id") ', expect: { tables: [] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = readDrizzleTables(c.path ?? 'src/db/schema.ts', c.text);
      const got = schema(c.text, r);
      for (const k of Object.keys(c.expect) as (keyof typeof got)[]) assert.deepEqual(got[k], c.expect[k], k);
    });
  }

  it('sets dialect, modelDefinitions and ormModels on the fragment', () => {
    const r = readDrizzleTables('s.ts', `export const t = sqliteTable('t', { id: integer('id').primaryKey() });`);
    assert.equal(r.fragment.dialect, 'sqlite');
    assert.equal(r.fragment.modelDefinitions, true);
    assert.equal(r.fragment.ormModels?.[0].orm, 'drizzle');
  });

  it('index insertion points', () => {
    const arr = `export const a = pgTable('a', {\n  id: serial('id'),\n}, (t) => [\n  index('a_id').on(t.id),\n]);`;
    const ra = readDrizzleTables('s.ts', arr).models[0];
    assert.deepEqual(ra.indexInsert, { kind: 'array', indent: '  ', param: 't', leadingComma: false });
    assert.equal(arr.slice(0, ra.indexInsertAt), "export const a = pgTable('a', {\n  id: serial('id'),\n}, (t) => [\n  index('a_id').on(t.id),");
    const noComma = `export const a = pgTable('a', { id: serial('id') }, (table) => ({ x: index('a_id').on(table.id) }));`;
    const rb = readDrizzleTables('s.ts', noComma).models[0];
    assert.deepEqual(rb.indexInsert, { kind: 'object', indent: '', param: 'table', leadingComma: true });
    assert.equal(noComma.slice(rb.indexInsertAt), ' }));');
    const none = `export const a = pgTable('a', { id: serial('id') });`;
    const rc = readDrizzleTables('s.ts', none).models[0];
    assert.deepEqual(rc.indexInsert, { kind: 'argument', indent: '  ', param: 'table', leadingComma: true });
    assert.equal(none.slice(rc.indexInsertAt), ');');
    const empty = `export const a = pgTable('a', { id: serial('id') }, (t) => []);`;
    const rd = readDrizzleTables('s.ts', empty).models[0];
    assert.equal(rd.indexInsert?.leadingComma, false);
    assert.equal(empty.slice(rd.indexInsertAt), ']);');
  });

  it('links foreign keys and relations across files', () => {
    const a = readDrizzleTables('a.ts', `export const teams = pgTable('teams', { id: serial('id').primaryKey(), ownerId: integer('owner_id') });`);
    const b = readDrizzleTables('b.ts', `export const users = pgTable('users', { id: serial('id').primaryKey(), teamId: integer('team_id').references(() => teams.id) });
export const teamsRelations = relations(teams, ({ one }) => ({ owner: one(users, { fields: [teams.ownerId], references: [users.id] }) }));`);
    assert.deepEqual(b.pending.map((p) => p.kind), ['relations', 'fk']);
    const [la, lb] = linkDrizzleTables([a, b]);
    assert.deepEqual(lb.fragment.foreignKeys.map((f) => `${f.table}.${f.columns[0]}->${f.refTable}.${f.refColumns[0]}`), ['users.team_id->teams.id']);
    assert.deepEqual(lb.pending, []);
    assert.deepEqual([...la.models[0].relations], [['owner', 'users']]);
    assert.equal(la.models[0].columns.get('owner'), 'owner_id');
    // the inputs are left alone
    assert.equal(a.models[0].relations.size, 0);
  });

  for (const [input, out] of [['LOWER( slug )', 'lower(slug)'], ['coalesce(a,b)', 'coalesce(a, b)'], ["lower(x) = 'A B'", "lower(x) = 'A B'"]] as const) {
    it(`normalizeExpr(${input})`, () => assert.equal(normalizeExpr(input), out));
  }
});

function cond(text: string, c: OrmCondition): unknown {
  if ('or' in c) return { or: c.or.map((b) => b.map((x) => cond(text, x))) };
  return `${[...c.via, c.field].join('.')} ${c.op}${c.value ? ` ${c.value}` : ''}${c.insensitive ? ' ci' : ''} @${slice(text, c.span)}`;
}

function query(text: string, q: DrizzleQuery) {
  return {
    call: `${q.model}.${q.method} ${q.operation}${q.limited ? ' limited' : ''}`,
    name: slice(text, q.nameSpan),
    where: q.where.map((c) => cond(text, c)),
    order: q.orderBy.map((o) => `${o.field}${o.desc ? ' desc' : ''} @${slice(text, o.span)}`),
    joins: q.joins.map((j) => j.relation),
    ...(q.joinWhere ? { joinWhere: q.joinWhere.map((j) => `${j.table}: ${j.where.map((c) => cond(text, c)).join('; ')}`) } : {}),
    ...(q.functionName ? { fn: q.functionName } : {}),
    ...(q.inLoop ? { loop: `${q.inLoop.kind}${q.inLoop.usesItem ? ' item' : ''}` } : {}),
  };
}

describe('extractDrizzleQueries', () => {
  const cases: { name: string; text: string; expect: ReturnType<typeof query>[]; skipped?: string[] }[] = [
    {
      name: 'select chain with every operator, order and limit',
      text: `async function list(db, x, y, ids) {
  return db.select().from(users).where(and(eq(users.email, x), gt(users.createdAt, y), inArray(users.id, ids), isNull(users.deletedAt), like(users.name, 'abc%'), ilike(users.city, '%x'), or(eq(users.role, 'admin'), lte(users.age, 3)), not(eq(users.a, 1)))).orderBy(desc(users.createdAt), users.id).limit(20);
}`,
      expect: [{
        call: 'users.select select limited', name: 'select().from(users)',
        where: ['email eq @eq(users.email, x)', 'createdAt range @gt(users.createdAt, y)', 'id eq @inArray(users.id, ids)', 'deletedAt eq null @isNull(users.deletedAt)', "name prefix @like(users.name, 'abc%')", "city other ci @ilike(users.city, '%x')",
          { or: [["role eq 'admin' @eq(users.role, 'admin')"], ['age range @lte(users.age, 3)']] }],
        order: ['createdAt desc @desc(users.createdAt)', 'id @users.id'], joins: [], fn: 'list',
      }],
    },
    {
      name: 'joins: conditions on a joined table go to joinWhere, the ON condition is not a filter; schema.x qualifiers',
      text: `const rows = await db.select().from(schema.posts).innerJoin(schema.teams, eq(schema.posts.teamId, schema.teams.id)).where(and(eq(schema.teams.ownerId, id), eq(schema.posts.status, post.status))).all();`,
      expect: [{ call: 'posts.select select', name: 'select().from(schema.posts)', where: ['status eq @eq(schema.posts.status, post.status)'], order: [], joins: ['teams'], joinWhere: ['teams: ownerId eq @eq(schema.teams.ownerId, id)'] }],
    },
    {
      name: 'a local object named like the table is not the table (schema.monitor vs monitor.id)',
      text: `await db.update(schema.monitor).set({ status: 'ok' }).where(eq(schema.monitor.id, monitor.id));`,
      expect: [{ call: 'monitor.update update', name: 'update(schema.monitor)', where: ['id eq @eq(schema.monitor.id, monitor.id)'], order: [], joins: [] }],
    },
    {
      name: 'update, delete, $count, count select, get() is one row',
      text: `async function f() {
  await db.update(users).set({ a: 1 }).where(eq(users.id, 1));
  await db.delete(users).where(lt(users.createdAt, cutoff));
  const n = await db.$count(users, eq(users.teamId, t));
  const [{ c }] = await db.select({ c: count() }).from(users).where(eq(users.teamId, t));
  const one = db.select().from(users).where(eq(users.email, e)).get();
}`,
      expect: [
        { call: 'users.update update', name: 'update(users)', where: ['id eq 1 @eq(users.id, 1)'], order: [], joins: [], fn: 'f' },
        { call: 'users.delete delete', name: 'delete(users)', where: ['createdAt range @lt(users.createdAt, cutoff)'], order: [], joins: [], fn: 'f' },
        { call: 'users.$count count', name: 'db.$count(users, eq(users.teamId, t))', where: ['teamId eq @eq(users.teamId, t)'], order: [], joins: [], fn: 'f' },
        { call: 'users.select count', name: 'select({ c: count() }).from(users)', where: ['teamId eq @eq(users.teamId, t)'], order: [], joins: [], fn: 'f' },
        { call: 'users.select select limited', name: 'select().from(users)', where: ['email eq @eq(users.email, e)'], order: [], joins: [], fn: 'f' },
      ],
    },
    {
      name: 'relational findMany: callback where, orderBy, limit, nested with; findFirst with object where (RQB v2)',
      text: `const getPosts = async (ctx) => {
  await ctx.db.query.users.findMany({ where: (u, { eq }) => eq(u.email, x), orderBy: [desc(users.createdAt)], limit: 10, with: { posts: { with: { comments: true } }, team: true, off: false } });
  await db.query.users.findFirst({ where: { email: x, age: { gt: 18 }, OR: [{ role: 'a' }, { role: 'b' }], posts: { title: { like: 'x%' } } }, orderBy: { id: 'desc' } });
};`,
      expect: [
        { call: 'users.findMany select limited', name: 'users.findMany', where: ['email eq @eq(u.email, x)'], order: ['createdAt desc @desc(users.createdAt)'], joins: ['posts', 'posts.comments', 'team'], fn: 'getPosts' },
        { call: 'users.findFirst select limited', name: 'users.findFirst', where: ['email eq @email: x', 'age range @gt: 18', { or: [["role eq 'a' @role: 'a'"], ["role eq 'b' @role: 'b'"]] }, "posts.title prefix @like: 'x%'"], order: ["id desc @id: 'desc'"], joins: [], fn: 'getPosts' },
      ],
    },
    {
      name: 'loops: for-of with the item, Promise.all(map), a literal list is no loop',
      text: `async function sync(ids) {
  for (const id of ids) await db.select().from(users).where(eq(users.id, id));
  await Promise.all(ids.map((id) => db.query.users.findFirst({ where: eq(users.id, id) })));
  for (const r of ['a', 'b']) await db.delete(users).where(eq(users.role, r));
}`,
      expect: [
        { call: 'users.select select', name: 'select().from(users)', where: ['id eq @eq(users.id, id)'], order: [], joins: [], fn: 'sync', loop: 'for-of item' },
        { call: 'users.findFirst select limited', name: 'users.findFirst', where: ['id eq @eq(users.id, id)'], order: [], joins: [], fn: 'sync', loop: 'promise-all item' },
        { call: 'users.delete delete', name: 'delete(users)', where: ['role eq @eq(users.role, r)'], order: [], joins: [], fn: 'sync' },
      ],
    },
    {
      name: 'skipped: sql conditions, spreads, variables, built-up chains, subqueries',
      text: `await db.select().from(users).where(sql\`lower(\${users.email}) = \${e}\`);
await db.select().from(users).where(and(...conds));
await db.select().from(users).where(filters);
let q = db.select().from(users);
await db.select().from(sub).where(eq(users.id, 1));
await db.query.page.findFirst({ where: sql\`x\` });
await db.query.page.findMany(opts);`,
      expect: [],
      skipped: ['users: a sql`…` condition', 'users: and() with a spread', 'users: the where is not written as operator calls', 'users: the query is assigned to a variable and built further', "sub: eq() of something other than a column of the query's tables", 'page: a sql`…` condition', 'page.findMany: the options are not an object literal'],
    },
    {
      name: 'not Drizzle: Prisma, knex, Map.delete, TypeORM query builders',
      text: `await prisma.user.update({ where: { id } });
await knex.select('*').from('users').where('id', 1);
cache.delete(key);
await dataSource.createQueryBuilder().update(User).set({ a: 1 }).where('id = :id', { id });
db.select();`,
      expect: [],
    },
    {
      name: 'conditional conjuncts are left out',
      text: `await db.select().from(users).where(and(eq(users.teamId, t), q ? like(users.name, q) : undefined, flag && eq(users.a, 1)));`,
      expect: [{ call: 'users.select select', name: 'select().from(users)', where: ['teamId eq @eq(users.teamId, t)'], order: [], joins: [] }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const skipped: DrizzleSkip[] = [];
      const got = extractDrizzleQueries('src/app.ts', c.text, skipped).map((q) => query(c.text, q));
      assert.deepEqual(got, c.expect);
      assert.deepEqual(skipped.map((s) => s.reason), c.skipped ?? []);
    });
  }
  it('hostile input does not throw', () => {
    const deep = `db.select().from(t).where(${'and('.repeat(90)}eq(t.a, 1)${')'.repeat(90)});`;
    assert.equal(extractDrizzleQueries('a.ts', deep).length, 1);
    assert.deepEqual(extractDrizzleQueries('a.ts', 'db.select().from(t).where(('), []);
    assert.deepEqual(readDrizzleTables('a.ts', `pgTable(${'('.repeat(200)}`).fragment.tables, []);
  });
});
