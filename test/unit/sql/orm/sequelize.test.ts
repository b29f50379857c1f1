import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkSequelizeModels, pluralize, readSequelizeModels, sequelizeIndexName, underscore, type SequelizeModelRead } from '../../../../src/analyzers/sql/orm/sequelize-models.js';
import { extractSequelizeQueries, type SequelizeQuery, type SequelizeSkip } from '../../../../src/analyzers/sql/orm/sequelize-queries.js';
import type { OrmCondition } from '../../../../src/analyzers/sql/orm/model.js';
import type { Span } from '../../../../src/analyzers/sql/types.js';

const slice = (text: string, s: Span | undefined): string => (s ? text.slice(s.start, s.end) : '<no span>');

function schema(text: string, r: SequelizeModelRead) {
  return {
    tables: r.fragment.tables.map((t) => `${t.name}${t.spelling ? `(${t.spelling})` : ''}${t.hasPrimaryKey ? ' pk' : ''}: ${t.columns.map((c) => `${c.name}${c.notNull ? '!' : ''}`).join(',')}`),
    indexes: r.fragment.indexes.map((i) => `${i.origin} ${i.name ?? '-'} ${i.table}(${i.keys.map((k) => (k.kind === 'column' ? k.column : k.text)).join(',')})${i.unique ? ' unique' : ''}${i.where ? ` where ${i.where.text}` : ''}`),
    fks: r.fragment.foreignKeys.map((f) => `${f.table}(${f.columns.join(',')}) -> ${f.refTable}(${f.refColumns.join(',')}) @${slice(text, f.span).split('\n')[0]}`),
    models: r.models.map((m) => `${m.names.join('|')} -> ${m.table}${m.paranoid ? ` paranoid:${m.paranoid}` : ''} {${[...m.columns].map(([k, v]) => (k === v ? k : `${k}=${v}`)).join(',')}}`),
    errors: r.errors.map((e) => e.message),
  };
}

function cond(text: string, c: OrmCondition): unknown {
  if ('or' in c) return { or: c.or.map((b) => b.map((x) => cond(text, x))) };
  return `${[...c.via, c.field].join('.')} ${c.op}${c.value ? ` ${c.value}` : ''}${c.insensitive ? ' ci' : ''} @${slice(text, c.span)}`;
}

function query(text: string, q: SequelizeQuery) {
  return {
    call: `${q.model}.${q.method} ${q.operation}${q.limited ? ' limited' : ''}${q.paranoidOff ? ' paranoid:false' : ''}`,
    name: slice(text, q.nameSpan),
    where: q.where.map((c) => cond(text, c)),
    order: q.orderBy.map((o) => `${[...o.via, o.field].join('.')}${o.desc ? ' desc' : ''}`),
    joins: q.joins.map((j) => j.relation),
    ...(q.inLoop ? { loop: `${q.inLoop.kind}${q.inLoop.usesItem ? ' item' : ''} @${slice(text, q.inLoop.span).slice(0, 20)}` } : {}),
  };
}

describe('sequelize names', () => {
  for (const [input, out] of [['documentId', 'document_id'], ['apiKeys_userId', 'api_keys_user_id'], ['APIKey', 'api_key'], ['users_email', 'users_email'], ['a2B', 'a2_b']] as const) {
    it(`underscore(${input})`, () => assert.equal(underscore(input), out));
  }
  for (const [input, out] of [['User', 'Users'], ['Category', 'Categories'], ['Box', 'Boxes'], ['Key', 'Keys']] as const) {
    it(`pluralize(${input})`, () => assert.equal(pluralize(input), out));
  }
  it('index names', () => assert.equal(sequelizeIndexName('documents', ['urlId', 'deletedAt']), 'documents_url_id_deleted_at'));
});

describe('readSequelizeModels: models', () => {
  const cases: { name: string; path?: string; text: string; expect: Partial<ReturnType<typeof schema>> }[] = [
    {
      name: 'define with tableName, field, indexes, unique and references',
      text: `const User = sequelize.define('User', {
  email: { type: DataTypes.STRING, allowNull: false, unique: true },
  teamId: { type: DataTypes.UUID, field: 'team_id', references: { model: 'teams', key: 'id' } },
}, { tableName: 'app_users', indexes: [{ fields: ['teamId', 'email'], unique: true }, { name: 'by_live', fields: ['email'], where: { deletedAt: null } }] });`,
      expect: {
        tables: ['app_users pk: id!,email!,team_id,createdat!,updatedat!'],
        indexes: ['unique-constraint - app_users(email) unique', 'primary-key - app_users(id) unique', 'create-index app_users_team_id_email app_users(team_id,email) unique', 'create-index by_live app_users(email) where deletedat IS NULL'],
        fks: ["app_users(team_id) -> teams(id) @teamId: { type: DataTypes.UUID, field: 'team_id', references: { model: 'teams', key: 'id' } }"],
        models: ['User -> app_users {id,email,teamId=team_id,createdAt=createdat,updatedAt=updatedat}'],
        errors: [],
      },
    },
    {
      name: 'define: default plural table, underscored, paranoid, timestamps off',
      text: `module.exports = (sequelize, DataTypes) => sequelize.define('Category', { parentId: DataTypes.INTEGER }, { underscored: true, paranoid: true, updatedAt: false });`,
      expect: {
        tables: ['categories pk: id!,parent_id,created_at!,deleted_at'],
        models: ['Category -> categories paranoid:deleted_at {id,parentId=parent_id,createdAt=created_at,deletedAt=deleted_at}'],
      },
    },
    {
      name: 'class + init with sequelize, freezeTableName',
      text: `class Order extends Model {}
Order.init({ id: { type: DataTypes.UUID, primaryKey: true }, status: DataTypes.STRING }, { sequelize, modelName: 'order', freezeTableName: true, timestamps: false });`,
      expect: { tables: ['order pk: id!,status'], models: ['Order|order -> order {id,status}'] },
    },
    {
      name: 'sequelize-typescript decorators',
      text: `@Table({ tableName: "documents", modelName: "document", paranoid: true })
class Document extends Model {
  @PrimaryKey
  @Column(DataType.UUID)
  id: string;

  @Unique
  @Column(DataType.STRING)
  urlId: string;

  @Index("documents_team_title")
  @Column
  teamId: string;

  @Index("documents_team_title")
  @Column({ type: DataType.STRING, field: "title_text" })
  title: string;

  @Column(DataType.VIRTUAL)
  virtualThing: string;

  @BelongsTo(() => Team, "teamId")
  team: Team;

  @ForeignKey(() => User)
  @Column(DataType.UUID)
  createdById: string;
}`,
      expect: {
        tables: ['documents pk: id!,urlid,teamid,title_text,createdbyid,createdat!,updatedat!,deletedat'],
        indexes: ['unique-constraint - documents(urlid) unique', 'primary-key - documents(id) unique', 'create-index documents_team_title documents(teamid,title_text)'],
        fks: [],
        models: ['Document|document -> documents paranoid:deletedat {id,urlId=urlid,teamId=teamid,title=title_text,createdById=createdbyid,createdAt=createdat,updatedAt=updatedat,deletedAt=deletedat,team=teamid}'],
      },
    },
    {
      name: 'not a model file: nothing, no error',
      text: `export const x = 1;`,
      expect: { tables: [], models: [], errors: [] },
    },
    {
      name: 'attributes built elsewhere: error, model still named',
      text: `const T = sequelize.define('Thing', attrs, { tableName: 'things' });`,
      expect: { tables: ['things pk: id!,createdat!,updatedat!'], errors: ['Model attributes are not an object literal: not read'] },
    },
    {
      name: 'broken syntax does not throw',
      text: `sequelize.define('X', { a: { type: `,
      expect: { tables: [], errors: ['Unexpected token'] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = readSequelizeModels(c.path ?? 'src/models/x.ts', c.text);
      const s = schema(c.text, r);
      for (const k of Object.keys(c.expect) as (keyof typeof s)[]) assert.deepEqual(s[k], c.expect[k], k);
    });
  }

  it('links base classes (paranoid, id) and @ForeignKey targets across files', () => {
    const base = readSequelizeModels('models/base/ParanoidModel.ts', `class IdModel extends Model {
  @PrimaryKey @Column(DataType.UUID) id: string;
  @CreatedAt createdAt: Date;
}
class ParanoidModel extends IdModel { @DeletedAt deletedAt: Date | null; }`);
    const team = readSequelizeModels('models/Team.ts', `@Table({ tableName: "teams", modelName: "team" })\nclass Team extends IdModel { @Column name: string; }`);
    const key = readSequelizeModels('models/ApiKey.ts', `@Table({ tableName: "apiKeys", modelName: "apiKey" })
class ApiKey extends ParanoidModel {
  @ForeignKey(() => Team) @Column(DataType.UUID) teamId: string;
}`);
    assert.deepEqual(base.bases.map((b) => `${b.name}<${b.baseClass ?? ''}> ${b.attributes.map((a) => a.attr).join(',')} ${b.deletedAt ?? ''}`), ['IdModel<> id,createdAt ', 'ParanoidModel<IdModel> deletedAt deletedAt']);
    assert.equal(key.pendingForeignKeys.length, 1);
    linkSequelizeModels([base, team, key]);
    const ks = schema('', key);
    assert.deepEqual(ks.tables, ['apikeys(apiKeys) pk: teamid,deletedat,id!,createdat']);
    assert.deepEqual(ks.models, ['ApiKey|apiKey -> apikeys paranoid:deletedat {teamId=teamid,deletedAt=deletedat,id,createdAt=createdat}']);
    assert.deepEqual(key.fragment.foreignKeys.map((f) => `${f.table}(${f.columns.join(',')}) -> ${f.refTable}(${f.refColumns.join(',')})`), ['apikeys(teamid) -> teams(id)']);
    assert.deepEqual(key.pendingForeignKeys, []);
  });
});

describe('readSequelizeModels: migrations', () => {
  const text = `'use strict';
module.exports = {
  up: async (queryInterface, Sequelize) => {
    await queryInterface.createTable('users', {
      id: { type: Sequelize.UUID, primaryKey: true, allowNull: false },
      email: { type: Sequelize.STRING, unique: true },
      teamId: { type: Sequelize.UUID, references: { model: 'teams', key: 'id' } },
    });
    await queryInterface.addIndex('users', ['teamId', 'createdAt']);
    await queryInterface.addIndex('users', { fields: ['email'], unique: true, name: 'users_email_live', where: { deletedAt: null } });
    await queryInterface.addIndex('users', ['name'], { indicesType: 'UNIQUE' });
    await queryInterface.removeIndex('users', ['teamId']);
    await queryInterface.removeIndex('users', 'old_name');
    await queryInterface.addColumn('users', 'groupId', { type: Sequelize.UUID, references: { model: 'groups' } });
    await queryInterface.removeColumn('users', 'legacy');
    await queryInterface.renameTable('collection_users', 'userPermissions');
    await queryInterface.renameColumn('users', 'name', 'fullName');
    await queryInterface.addIndex(tableVar, ['x']);
    await queryInterface.sequelize.query('CREATE INDEX x ON users (email)');
  },
  down: async (queryInterface) => {
    await queryInterface.dropTable('users');
  },
};`;
  const r = readSequelizeModels('server/migrations/20200101-users.js', text);
  it('tables, indexes, foreign keys', () => {
    const s = schema(text, r);
    assert.deepEqual(s.tables, ['users pk: id!,email,teamid']);
    assert.deepEqual(s.indexes, [
      'unique-constraint - users(email) unique',
      'primary-key - users(id) unique',
      'create-index users_team_id_created_at users(teamid,createdat)',
      'create-index users_email_live users(email) unique where deletedat IS NULL',
      'create-index users_name users(name) unique',
    ]);
    assert.deepEqual(s.fks, ["users(teamid) -> teams(id) @teamId: { type: Sequelize.UUID, references: { model: 'teams', key: 'id' } }", "users(groupid) -> groups(id) @queryInterface.addColumn('users', 'groupId', { type: Sequelize.UUID, references: { model: 'groups' } })"]);
    assert.deepEqual(s.models, []);
    assert.deepEqual(s.errors, ['addIndex: the table name is not a string literal: not read']);
  });
  it('drops, renames and added columns; down is not read', () => {
    assert.deepEqual(r.fragment.dropped, { tables: [], indexes: ['users_team_id', 'old_name'] });
    assert.deepEqual(r.fragment.droppedColumns, [{ table: 'users', column: 'legacy' }]);
    assert.deepEqual(r.fragment.renamed, [
      { kind: 'table', table: 'collection_users', from: 'collection_users', to: 'userpermissions', toSpelling: 'userPermissions' },
      { kind: 'column', table: 'users', from: 'name', to: 'fullname', toSpelling: 'fullName' },
    ]);
    assert.deepEqual(r.fragment.addedColumns?.map((a) => `${a.table}.${a.column.name}`), ['users.groupid']);
  });
  it('export function up (ESM)', () => {
    const t = `export async function up({ context: qi }) { await qi.addConstraint('a', { fields: ['b'], type: 'foreign key', references: { table: 'c', field: 'id' } }); }
export async function down({ context: qi }) { await qi.removeIndex('a', 'x'); }`;
    const m = readSequelizeModels('db/migrations/001.ts', t);
    assert.deepEqual(schema(t, m).fks, ["a(b) -> c(id) @qi.addConstraint('a', { fields: ['b'], type: 'foreign key', references: { table: 'c', field: 'id' } })"]);
    assert.deepEqual(m.fragment.dropped.indexes, []);
  });
});

describe('extractSequelizeQueries', () => {
  const cases: { name: string; text: string; names?: string[]; expect: ReturnType<typeof query>[]; skipped?: string[] }[] = [
    {
      name: 'findAll with operators, order, limit, include',
      text: `async function list(teamId, since) {
  return User.findAll({
    where: { teamId, createdAt: { [Op.gt]: since, [Op.lte]: now }, role: { [Op.in]: ['a', 'b'] }, name: { [Op.like]: 'ab%' }, bio: { [Op.iLike]: '%x' }, deletedAt: null, archivedAt: { [Op.ne]: null },
      [Op.or]: [{ status: 'active' }, { '$team.ownerId$': teamId }] },
    order: [['createdAt', 'DESC'], 'name', [sortVar, 'ASC']],
    limit: 10,
    include: [{ model: Team, as: 'team', where: { plan: 'pro' } }, Group],
  });
}`,
      expect: [{
        call: 'User.findAll select limited',
        name: 'User.findAll',
        where: [
          'teamId eq @teamId',
          'createdAt range @[Op.gt]: since',
          'createdAt range @[Op.lte]: now',
          'role eq @[Op.in]: [\'a\', \'b\']',
          "name prefix @[Op.like]: 'ab%'",
          "bio other ci @[Op.iLike]: '%x'",
          'deletedAt eq null @deletedAt: null',
          'archivedAt other not-null @[Op.ne]: null',
          { or: [["status eq 'active' @status: 'active'"], ["team.ownerId eq @'$team.ownerId$': teamId"]] },
          "team.plan eq 'pro' @plan: 'pro'",
        ],
        order: ['createdAt desc', 'name'],
        joins: ['team', 'Group'],
      }],
    },
    {
      name: 'findByPk, count, update, destroy, paranoid:false, local const where',
      text: `async function f(id) {
  const where = { teamId: id };
  await Doc.findByPk(id, { paranoid: false });
  await Doc.count({ where });
  await Doc.update({ title: 'x' }, { where: { id } });
  await Doc.destroy({ where: { [Op.and]: [{ a: 1 }, { b: true }] } });
}`,
      expect: [
        { call: 'Doc.findByPk select limited paranoid:false', name: 'Doc.findByPk', where: ['id eq @id'], order: [], joins: [] },
        { call: 'Doc.count count', name: 'Doc.count', where: ['teamId eq @teamId: id'], order: [], joins: [] },
        { call: 'Doc.update update', name: 'Doc.update', where: ['id eq @id'], order: [], joins: [] },
        { call: 'Doc.destroy delete', name: 'Doc.destroy', where: ['a eq 1 @a: 1', 'b eq true @b: true'], order: [], joins: [] },
      ],
    },
    {
      name: 'this in a static method, scopes, a const scope',
      text: `class Document extends Model {
  static findByToken(t) { return this.findOne({ where: { token: t } }); }
  static async byUrl(u) { const scope = this.scope('withUser'); return scope.findOne({ where: { urlId: u } }); }
  async instance() { return this.findOne({ where: { x: 1 } }); }
}
Document.scope(['a', { method: ['b', 1] }]).findAll();`,
      expect: [
        { call: 'Document.findOne select limited', name: 'this.findOne', where: ['token eq @token: t'], order: [], joins: [] },
        { call: 'Document.findOne select limited', name: 'scope.findOne', where: ['urlId eq @urlId: u'], order: [], joins: [] },
        { call: 'Document.findAll select', name: "Document.scope(['a', { method: ['b', 1] }]).findAll", where: [], order: [], joins: [] },
      ],
    },
    {
      name: 'loops: for-of, map in Promise.all, forEach, while',
      text: `async function g(ids) {
  for (const id of ids) await User.findByPk(id);
  await Promise.all(ids.map(async (id) => Team.findOne({ where: { id } })));
  ids.forEach((id) => Group.count({ where: { id } }));
  while (more) await Item.findAll({ limit: 1 });
}`,
      expect: [
        { call: 'User.findByPk select limited', name: 'User.findByPk', where: ['id eq @id'], order: [], joins: [], loop: 'for-of item @for (const id of ids' },
        { call: 'Team.findOne select limited', name: 'Team.findOne', where: ['id eq @id'], order: [], joins: [], loop: 'promise-all item @map' },
        { call: 'Group.count count', name: 'Group.count', where: ['id eq @id'], order: [], joins: [], loop: 'forEach item @forEach' },
        { call: 'Item.findAll select limited', name: 'Item.findAll', where: [], order: [], joins: [], loop: 'while @while (more) ' },
      ],
    },
    {
      name: 'skipped: mutated where, parameter where, spread, literal; ignored: globals, other names',
      names: ['User', 'Doc'],
      text: `async function h(where, opts) {
  const w = { a: 1 };
  w.b = 2;
  await User.findAll({ where: w });
  await User.findAll({ where });
  await User.findOne({ where: { ...opts } });
  await User.findAll({ where: Sequelize.literal('x') });
  await User.findAll({ where: { [Op.or]: [cond] } });
  await Other.findAll({ where: { a: 1 } });
  Math.max(1, 2);
  await Doc.findAll({ ...opts, where: { a: 1 } });
}`,
      // `...opts` may carry another where, a limit or an include: the call is not seen whole.
      expect: [],
      skipped: [
        'User.findAll: where `w` is not a local const object literal left unchanged',
        'User.findAll: where `where` is not a local const object literal left unchanged',
        'User.findOne: where holds a spread or a method',
        'User.findAll: where is not an object literal',
        'User.findAll: an Op.or / Op.and branch is not an object literal',
        'Doc.findAll: the options have a spread or a computed key',
      ],
    },
    { name: 'not parseable: nothing', text: `User.findAll({ where: { a: `, expect: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const skipped: SequelizeSkip[] = [];
      const qs = extractSequelizeQueries('src/x.ts', c.text, c.names ? new Set(c.names) : undefined, skipped);
      assert.deepEqual(qs.map((q) => query(c.text, q)), c.expect);
      if (c.skipped) assert.deepEqual(skipped.map((s) => s.reason), c.skipped);
    });
  }
  it('a deep where does not throw', () => {
    const text = `User.findAll({ where: ${'{ [Op.or]: ['.repeat(60)}{ a: 1 }${']}'.repeat(60)} })`;
    assert.doesNotThrow(() => extractSequelizeQueries('src/x.ts', text));
  });
});

describe('extractSequelizeQueries: function name and loop item', () => {
  /** `Model.method fn=<name> <loop kind>[ item]`; the loop's span text after `@`. */
  const where = (text: string, q: SequelizeQuery): string =>
    `${q.model}.${q.method} fn=${q.functionName ?? '-'}${q.inLoop ? ` ${q.inLoop.kind}${q.inLoop.usesItem ? ' item' : ''} @${slice(text, q.inLoop.span)}` : ''}`;
  const cases: { name: string; text: string; expect: string[] }[] = [
    {
      name: 'function names: declaration, const arrow, class method, object method, property arrow, top level',
      text: `async function load(id) { return User.findByPk(id); }
const byTeam = async (teamId) => User.findAll({ where: { teamId } });
class Svc { async run() { return User.count(); } static async sweep() { return User.destroy({ where: { a: 1 } }); } }
const api = { list() { return User.findAll(); }, one: async (id) => User.findOne({ where: { id } }) };
const handler = function named() { return User.findAll(); };
User.findAll();`,
      expect: ['User.findByPk fn=load', 'User.findAll fn=byTeam', 'User.count fn=run', 'User.destroy fn=sweep', 'User.findAll fn=list', 'User.findOne fn=one', 'User.findAll fn=named', 'User.findAll fn=-'],
    },
    {
      name: 'an anonymous callback takes the name of the function around it',
      text: `export async function presentAll(docs) {
  return Promise.all(docs.map(async (doc) => User.findByPk(doc.createdById)));
}`,
      expect: ['User.findByPk fn=presentAll promise-all item @map'],
    },
    {
      name: 'the item read: for-of variable, destructured, callback parameter, through a local const where',
      text: `async function f(docs, pairs) {
  for (const doc of docs) await User.findOne({ where: { id: doc.userId } });
  for (const { teamId } of docs) await Team.findByPk(teamId);
  for (const [k, v] of pairs) await Team.count({ where: { key: v } });
  docs.forEach((d) => Group.update({ n: 1 }, { where: { docId: d.id } }));
  await Promise.all(docs.map(async (doc) => { const w = { docId: doc.id }; return View.findAll({ where: w }); }));
}`,
      expect: [
        'User.findOne fn=f for-of item @for (const doc of docs) ',
        'Team.findByPk fn=f for-of item @for (const { teamId } of docs) ',
        'Team.count fn=f for-of item @for (const [k, v] of pairs) ',
        'Group.update fn=f forEach item @forEach',
        'View.findAll fn=f promise-all item @map',
      ],
    },
    {
      name: 'the item read through locals declared from it in the loop body (chains too); not through locals from elsewhere',
      text: `async function k(nodes, teamId) {
  const outside = teamId;
  for (const node of nodes) {
    const doc = await Doc.findByPk(node.id);
    const { collectionId: cid } = doc;
    const rel = await Rel.findOne({ where: { documentId: doc.id } });
    await Col.count({ where: { id: cid } });
    await Team.count({ where: { id: outside } });
    const later = node.x;
  }
  await Promise.all(nodes.map(async (n) => { const key = n.key; return Key.findOne({ where: { key } }); }));
}`,
      expect: [
        'Doc.findByPk fn=k for-of item @for (const node of nodes) ',
        'Rel.findOne fn=k for-of item @for (const node of nodes) ',
        'Col.count fn=k for-of item @for (const node of nodes) ',
        'Team.count fn=k for-of @for (const node of nodes) ',
        'Key.findOne fn=k promise-all item @map',
      ],
    },
    {
      name: 'in a loop without reading the item: paging, a counter loop, a callback without parameters',
      text: `async function g(ids) {
  let offset = 0;
  while (true) { const rows = await Doc.findAll({ where: { teamId }, offset, limit: 100 }); offset += 100; }
  for (let i = 0; i < 3; i++) await Doc.count({ where: { teamId } });
  ids.forEach(() => Doc.count());
  for (const id of ids) await Doc.findAll({ where: { teamId } });
}`,
      expect: [
        'Doc.findAll fn=g while @while (true) ',
        'Doc.count fn=g for @for (let i = 0; i < 3; i++) ',
        'Doc.count fn=g forEach @forEach',
        'Doc.findAll fn=g for-of @for (const id of ids) ',
      ],
    },
    {
      name: 'not in a loop: an array literal written in the code, the loop head, a nested named function',
      text: `async function h(ids) {
  for (const status of ['draft', 'done']) await Doc.count({ where: { status } });
  await Promise.all(['a', 'b'].map((kind) => Doc.count({ where: { kind } })));
  for (const d of await Doc.findAll({ where: { teamId: 1 } })) console.log(d);
  for (const id of ids) { async function inner() { return Doc.findByPk(id); } }
}`,
      expect: ['Doc.count fn=h', 'Doc.count fn=h', 'Doc.findAll fn=h', 'Doc.findByPk fn=inner'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(extractSequelizeQueries('src/x.ts', c.text).map((q) => where(c.text, q)), c.expect));
  }
});
