import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkTypeormEntities, readTypeormEntities, typeormCamelCase, typeormSnakeCase, type TypeormLinked } from '../../../../src/analyzers/sql/orm/typeorm-entities.js';
import { extractTypeormQueries, type TypeormQuery, type TypeormSkip } from '../../../../src/analyzers/sql/orm/typeorm-queries.js';
import { parseWhereSql } from '../../../../src/analyzers/sql/orm/typeorm-builder.js';
import type { OrmCondition } from '../../../../src/analyzers/sql/orm/model.js';
import type { Span } from '../../../../src/analyzers/sql/types.js';

const slice = (text: string, s: Span | undefined): string => (s ? text.slice(s.start, s.end) : '<no span>');

function schema(linked: TypeormLinked[]) {
  const all = linked.flatMap((l) => [l]);
  return {
    tables: all.flatMap((l) => l.fragment.tables.map((t) => `${t.name}${t.spelling ? `(${t.spelling})` : ''}${t.hasPrimaryKey ? ' pk' : ''}: ${t.columns.map((c) => `${c.name}${c.spelling ? `(${c.spelling})` : ''}${c.notNull ? '!' : ''}${c.type ? `:${c.type}` : ''}`).join(',')}`)),
    indexes: all.flatMap((l) => l.fragment.indexes.map((i) => `${i.origin} ${i.name ?? '-'} ${i.table}(${i.keys.map((k) => (k.kind === 'column' ? k.column : k.text)).join(',')})${i.unique ? ' unique' : ''}`)),
    fks: all.flatMap((l) => l.fragment.foreignKeys.map((f) => `${f.table}(${f.columns.join(',')}) -> ${f.refTable}(${f.refColumns.join(',')})`)),
    models: all.flatMap((l) => l.models.map((m) => `${m.names.join('|')} -> ${m.table}${m.pk ? ` pk:${m.pk}` : ''}${m.paranoid ? ` paranoid:${m.paranoid}` : ''}${m.activeRecord ? ' ar' : ''} {${[...m.columns].map(([k, v]) => (k === v ? k : `${k}=${v}`)).join(',')}} rel{${[...m.relations].map(([k, v]) => `${k}:${v}`).join(',')}}`)),
  };
}

function cond(text: string, c: OrmCondition): unknown {
  if ('or' in c) return { or: c.or.map((b) => b.map((x) => cond(text, x))) };
  return `${[...c.via, c.field].join('.')} ${c.op}${c.sqlOp ? ` ${c.sqlOp}` : ''}${c.value ? ` ${c.value}` : ''}${c.insensitive ? ' ci' : ''} @${slice(text, c.span)}`;
}

function query(text: string, q: TypeormQuery) {
  return {
    call: `${q.model}.${q.method} ${q.operation}${q.limited ? ' limited' : ''}${q.paranoidOff ? ' withDeleted' : ''}${q.activeRecord ? ' ar' : ''}`,
    name: slice(text, q.nameSpan),
    where: q.where.map((c) => cond(text, c)),
    order: q.orderBy.map((o) => `${[...o.via, o.field].join('.')}${o.desc ? ' desc' : ''}`),
    joins: q.joins.map((j) => j.relation),
    ...(q.inLoop ? { loop: `${q.inLoop.kind}${q.inLoop.usesItem ? ' item' : ''}` } : {}),
    ...(q.functionName ? { fn: q.functionName } : {}),
  };
}

describe('typeorm names', () => {
  for (const [input, out] of [['User', 'user'], ['UserProfile', 'user_profile'], ['APIKey', 'api_key'], ['OAuth2Token', 'o_auth2_token'], ['ABCd', 'ab_cd']] as const) {
    it(`snakeCase(${input})`, () => assert.equal(typeormSnakeCase(input), out));
  }
  for (const [input, out] of [['team_id', 'teamId'], ['createdBy_id', 'createdById'], ['Team_uuid', 'teamUuid']] as const) {
    it(`camelCase(${input})`, () => assert.equal(typeormCamelCase(input), out));
  }
});

const TEAM = `import { Entity, PrimaryGeneratedColumn, Column, OneToMany } from 'typeorm';

@Entity('teams')
export class Team {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ unique: true })
  slug: string;

  @OneToMany(() => User, (u) => u.team)
  users: User[];
}
`;

const USER = `import { Entity, PrimaryGeneratedColumn, Column, ManyToOne, JoinColumn, CreateDateColumn, DeleteDateColumn, Index, Unique, RelationId, BaseEntity } from 'typeorm';
import { Team } from './team';

@Entity()
@Index(['team', 'createdAt'])
@Unique('uq_user_handle', ['handle'])
export class UserAccount extends BaseEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ name: 'email_address' })
  email: string;

  @Column({ nullable: true })
  handle: string | null;

  @Column({ type: 'enum', enum: ['a', 'b'] })
  status: string;

  @ManyToOne(() => Team, (t) => t.users, { nullable: false })
  team: Team;

  @RelationId((u: UserAccount) => u.team)
  teamId: string;

  @ManyToOne(() => UserAccount)
  @JoinColumn({ name: 'invited_by' })
  invitedBy: UserAccount;

  @CreateDateColumn()
  createdAt: Date;

  @DeleteDateColumn()
  deletedAt: Date | null;
}
`;

describe('readTypeormEntities + linkTypeormEntities', () => {
  it('tables, columns, indexes, foreign keys and names (default naming strategy)', () => {
    const s = schema(linkTypeormEntities([readTypeormEntities('src/team.ts', TEAM), readTypeormEntities('src/user.ts', USER)]));
    assert.deepEqual(s.tables, [
      'teams pk: id!:uuid,slug!:varchar',
      'user_account pk: id!:integer,email_address!:varchar,handle:varchar,status!:enum,createdat(createdAt)!:timestamp,deletedat(deletedAt):timestamp,teamid(teamId)!:uuid,invited_by:integer',
    ]);
    assert.deepEqual(s.indexes, [
      'unique-constraint - teams(slug) unique',
      'primary-key - teams(id) unique',
      'primary-key - user_account(id) unique',
      'create-index - user_account(email_address)',
      'create-index - user_account(teamid,createdat)',
      'unique-constraint uq_user_handle user_account(handle) unique',
    ]);
    // No index for a many-to-one's join column: PostgreSQL creates none.
    assert.deepEqual(s.fks, ['user_account(teamid) -> teams(id)', 'user_account(invited_by) -> user_account(id)']);
    assert.deepEqual(s.models, [
      'Team -> teams pk:id {id,slug} rel{}',
      'UserAccount -> user_account pk:id paranoid:deletedat ar {id,email=email_address,handle,status,createdAt=createdat,deletedAt=deletedat,team=teamid,invitedBy=invited_by,email_address,teamId=teamid,invited_by} rel{team:Team,invitedBy:UserAccount}',
    ]);
  });

  it('base classes across files, one-to-one join column, composite primary key, class index by function', () => {
    const base = readTypeormEntities('src/base.ts', `import { PrimaryGeneratedColumn, CreateDateColumn, BaseEntity } from 'typeorm';
export abstract class Base extends BaseEntity { @PrimaryGeneratedColumn('uuid') id: string; @CreateDateColumn() createdAt: Date; }`);
    const profile = readTypeormEntities('src/profile.ts', `import { Entity, Column, OneToOne, JoinColumn, Index } from 'typeorm';
@Entity({ name: 'profiles' })
@Index((p: Profile) => [p.owner, p.kind], { unique: true })
export class Profile extends Base { @Column() kind: string; @OneToOne(() => Owner) @JoinColumn() owner: Owner; }
@Entity()
export class Owner extends Base {}
@Entity()
export class Membership { @PrimaryColumn() userId: number; @PrimaryColumn() teamId: number; }`);
    const s = schema(linkTypeormEntities([base, profile]));
    assert.deepEqual(s.tables, ['profiles pk: id!:uuid,createdat(createdAt)!:timestamp,kind!:varchar,ownerid(ownerId):uuid', 'owner pk: id!:uuid,createdat(createdAt)!:timestamp', 'membership pk: userid(userId)!:integer,teamid(teamId)!:integer']);
    assert.deepEqual(s.indexes, ['unique-constraint - profiles(ownerid) unique', 'primary-key - profiles(id) unique', 'create-index - profiles(ownerid,kind) unique', 'primary-key - owner(id) unique', 'primary-key - membership(userid,teamid) unique']);
    assert.deepEqual(s.fks, ['profiles(ownerid) -> owner(id)']);
    assert.deepEqual(s.models.map((m) => m.replace(/ \{.*/, '')), ['Profile -> profiles pk:id ar', 'Owner -> owner pk:id ar', 'Membership -> membership']);
  });

  it('SnakeNamingStrategy from typeorm-naming-strategies: snake_case columns and join columns', () => {
    const config = readTypeormEntities('src/data-source.ts', `import { DataSource } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';
export const AppDataSource = new DataSource({ type: 'postgres', namingStrategy: new SnakeNamingStrategy() });`);
    assert.equal(config.naming, 'snake');
    const s = schema(linkTypeormEntities([config, readTypeormEntities('src/team.ts', TEAM), readTypeormEntities('src/user.ts', USER)]));
    assert.deepEqual(s.tables[1], 'user_account pk: id!:integer,email_address!:varchar,handle:varchar,status!:enum,created_at!:timestamp,deleted_at:timestamp,team_id!:uuid,invited_by:integer');
  });

  it('a custom naming strategy: names unknown, no entity read', () => {
    const custom = readTypeormEntities('src/naming.ts', `import { DefaultNamingStrategy } from 'typeorm';\nexport class MyNaming extends DefaultNamingStrategy {}`);
    assert.equal(custom.naming, 'custom');
    assert.deepEqual(linkTypeormEntities([custom, readTypeormEntities('src/team.ts', TEAM)]), []);
  });

  it('what is not read: a dynamic table name, a partial index, an embedded column, Mongo entities, a broken file', () => {
    const r = readTypeormEntities('src/x.ts', `import { Entity, Column, Index, ObjectIdColumn } from 'typeorm';
@Entity(TABLE) export class A { @Column() a: string; }
@Entity() @Index(['b'], { where: '"b" IS NOT NULL' }) export class B { @PrimaryColumn() id: number; @Column() b: string; @Column(() => Name) name: Name; }
@Entity() export class M { @ObjectIdColumn() _id: string; }`);
    assert.deepEqual(r.errors.map((e) => e.message), ['@Entity: the table name of A is not a string literal: not read', '@Index on B: a partial index (where) is not read']);
    assert.deepEqual(schema(linkTypeormEntities([r])).tables, ['b pk: id!:integer,b!:varchar']);
    assert.doesNotThrow(() => readTypeormEntities('src/y.ts', `import { Entity } from 'typeorm'; @Entity( class {`));
  });

  it('the import edit for a fix: extends the named import from typeorm, or adds one', () => {
    assert.deepEqual(readTypeormEntities('a.ts', `import { Entity, Column } from 'typeorm';\n@Entity() export class A { @Column() a: string; }`).importAt, { at: 23, text: ', Index' });
    assert.equal(readTypeormEntities('a.ts', `import { Entity, Index } from 'typeorm';\n@Entity() export class A { @Column() a: string; }`).importAt, undefined);
    assert.deepEqual(readTypeormEntities('a.ts', `import * as typeorm from 'typeorm';\n@typeorm.Entity() export class A { @typeorm.Column() a: string; }`).importAt, { at: 35, text: "\nimport { Index } from 'typeorm';" });
  });
});

describe('extractTypeormQueries: repositories, managers, Active Record', () => {
  const cases: { name: string; text: string; expect: ReturnType<typeof query>[]; skipped?: string[] }[] = [
    {
      name: 'find options: where with operators, order, take, relations, withDeleted',
      text: `import { In, LessThan, MoreThanOrEqual, Between, Like, ILike, IsNull, Not, Equal } from 'typeorm';
const users = dataSource.getRepository(User);
export async function list(teamId: string, since: Date, q: string) {
  return users.find({
    where: { teamId, status: In(['a', 'b']), createdAt: MoreThanOrEqual(since), score: LessThan(3), age: Between(1, 2), name: Like('ab%'), bio: Like('%x'), nick: ILike('ab%'), deletedAt: IsNull(), archivedAt: Not(IsNull()), kind: Not('x'), plan: Equal('pro'), role: 'admin', team: { id: teamId }, owner: { email: q } },
    order: { createdAt: 'DESC', name: 'asc', team: { slug: 'ASC' } },
    take: 20,
    relations: ['team', 'team.owner'],
    withDeleted: true,
  });
}`,
      expect: [{
        call: 'User.find select limited withDeleted',
        name: 'users.find',
        where: [
          'teamId eq @teamId',
          "status eq IN @status: In(['a', 'b'])",
          'createdAt range >= @createdAt: MoreThanOrEqual(since)',
          'score range < @score: LessThan(3)',
          'age range BETWEEN @age: Between(1, 2)',
          "name prefix @name: Like('ab%')",
          "bio other @bio: Like('%x')",
          "nick prefix ci @nick: ILike('ab%')",
          'deletedAt eq null @deletedAt: IsNull()',
          'archivedAt other not-null @archivedAt: Not(IsNull())',
          "kind other <> @kind: Not('x')",
          "plan eq 'pro' @plan: Equal('pro')",
          "role eq 'admin' @role: 'admin'",
          'team eq @id: teamId',
          'owner.email eq @email: q',
        ],
        order: ['createdAt desc', 'name', 'team.slug'],
        joins: ['team', 'team.owner'],
        fn: 'list',
      }],
    },
    {
      name: 'where as an array is an OR; findOneBy, countBy, existsBy; a local const where',
      text: `async function f(repo: Repository<Doc>, id: string, email: string) {
  const where = { email };
  await repo.findOneBy([{ email }, { handle: email }]);
  await repo.countBy({ teamId: id });
  await repo.existsBy(where);
  await repo.findOne({ where: [{ a: 1 }] });
}`,
      expect: [
        { call: 'Doc.findOneBy select limited', name: 'repo.findOneBy', where: [{ or: [['email eq @email'], ['handle eq @handle: email']] }], order: [], joins: [], fn: 'f' },
        { call: 'Doc.countBy count', name: 'repo.countBy', where: ['teamId eq @teamId: id'], order: [], joins: [], fn: 'f' },
        { call: 'Doc.existsBy exists limited', name: 'repo.existsBy', where: ['email eq @email'], order: [], joins: [], fn: 'f' },
        { call: 'Doc.findOne select limited', name: 'repo.findOne', where: ['a eq 1 @a: 1'], order: [], joins: [], fn: 'f' },
      ],
    },
    {
      name: 'NestJS: @InjectRepository constructor parameter, typed property, property initialised from a data source',
      text: `@Injectable()
export class UsersService {
  private readonly audits: Repository<Audit>;
  private tokens = this.dataSource.getRepository(Token);
  constructor(@InjectRepository(User) private readonly usersRepository: Repository<User>, private dataSource: DataSource) {}
  findByEmail(email: string) { return this.usersRepository.findOne({ where: { email } }); }
  purge(teamId: string) { return this.audits.delete({ teamId }); }
  async revoke(userId: string) { await this.tokens.update({ userId }, { revoked: true }); }
  byId = async (id: number) => this.usersRepository.findOneBy({ id });
}`,
      expect: [
        { call: 'User.findOne select limited', name: 'this.usersRepository.findOne', where: ['email eq @email'], order: [], joins: [], fn: 'findByEmail' },
        { call: 'Audit.delete delete', name: 'this.audits.delete', where: ['teamId eq @teamId'], order: [], joins: [], fn: 'purge' },
        { call: 'Token.update update', name: 'this.tokens.update', where: ['userId eq @userId'], order: [], joins: [], fn: 'revoke' },
        { call: 'User.findOneBy select limited', name: 'this.usersRepository.findOneBy', where: ['id eq @id'], order: [], joins: [], fn: 'byId' },
      ],
    },
    {
      name: 'EntityManager: the entity first; primary key criteria; inline getRepository; Active Record; this in a static method',
      text: `async function g(manager: EntityManager, em, userId: string, ids: string[]) {
  await manager.find(User, { where: { teamId: 1 }, take: 5 });
  await this.entityManager.findOneBy(User, { email: 'x' });
  await dataSource.manager.delete(Session, userId);
  await queryRunner.manager.update(User, ids, { active: false });
  await AppDataSource.getRepository(Post).softDelete({ authorId: userId });
  await User.findBy({ email: 'a' });
  await em.find(User, { where: { a: 1 } });
}
class Post extends BaseEntity { static byAuthor(a: string) { return this.find({ where: { authorId: a } }); } }
export class TagRepository extends Repository<Tag> { byName(name: string) { return this.createQueryBuilder('t').where('t.name = :name', { name }).getOne(); } }
export const Custom = dataSource.getRepository(Note).extend({ byTitle(title: string) { return this.findOneBy({ title }); } });`,
      expect: [
        { call: 'User.find select limited', name: 'manager.find', where: ['teamId eq 1 @teamId: 1'], order: [], joins: [], fn: 'g' },
        { call: 'User.findOneBy select limited', name: 'this.entityManager.findOneBy', where: ["email eq 'x' @email: 'x'"], order: [], joins: [], fn: 'g' },
        { call: 'Session.delete delete', name: 'dataSource.manager.delete', where: ['pk eq @userId'], order: [], joins: [], fn: 'g' },
        { call: 'User.update update', name: 'queryRunner.manager.update', where: ['pk eq IN @ids'], order: [], joins: [], fn: 'g' },
        { call: 'Post.softDelete update', name: 'AppDataSource.getRepository(Post).softDelete', where: ['authorId eq @authorId: userId'], order: [], joins: [], fn: 'g' },
        { call: 'User.findBy select ar', name: 'User.findBy', where: ["email eq 'a' @email: 'a'"], order: [], joins: [], fn: 'g' },
        { call: 'Post.find select ar', name: 'this.find', where: ['authorId eq @authorId: a'], order: [], joins: [], fn: 'byAuthor' },
        { call: 'Tag.getOne select', name: "createQueryBuilder('t')", where: ['name eq @t.name = :name'], order: [], joins: [], fn: 'byName' },
        { call: 'Note.findOneBy select limited', name: 'this.findOneBy', where: ['title eq @title'], order: [], joins: [], fn: 'byTitle' },
      ],
    },
    {
      name: 'loops: for-of over rows found, Promise.all(map), a constant list is not a loop',
      text: `async function h(repo: Repository<Doc>, teamId: string) {
  const docs = await repo.findBy({ teamId });
  for (const d of docs) await repo.findOneBy({ parentId: d.id });
  await Promise.all(docs.map((d) => repo.count({ where: { ownerId: d.ownerId } })));
  for (const s of ['a', 'b']) await repo.countBy({ status: s });
}`,
      expect: [
        { call: 'Doc.findBy select', name: 'repo.findBy', where: ['teamId eq @teamId'], order: [], joins: [], fn: 'h' },
        { call: 'Doc.findOneBy select limited', name: 'repo.findOneBy', where: ['parentId eq @parentId: d.id'], order: [], joins: [], loop: 'for-of item', fn: 'h' },
        { call: 'Doc.count count', name: 'repo.count', where: ['ownerId eq @ownerId: d.ownerId'], order: [], joins: [], loop: 'promise-all item', fn: 'h' },
        { call: 'Doc.countBy count', name: 'repo.countBy', where: ['status eq @status: s'], order: [], joins: [], fn: 'h' },
      ],
    },
    {
      name: 'skipped: Raw, null, spread, where built elsewhere, parameter options; ignored: unknown receivers, arrays, globals',
      text: `async function k(repo: Repository<Doc>, opts, where, items: string[]) {
  await repo.find({ where: { a: Raw((x) => \`\${x} > 1\`) } });
  await repo.findOneBy({ deletedAt: null });
  await repo.find({ ...opts, where: { a: 1 } });
  await repo.findBy(where);
  await repo.find(opts);
  await repo.update(criteria, { a: 1 });
  await repo.findOne({ where: { a: Custom(1) } });
  await repo.findOne({ slug: 'x' });
  await something.find({ where: { a: 1 } });
  items.find((x) => x === 'a');
  Math.max(1, 2);
  await repo.delete({ id: In(ids) });
}`,
      expect: [{ call: 'Doc.delete delete', name: 'repo.delete', where: ['id eq IN @id: In(ids)'], order: [], joins: [], fn: 'k' }],
      skipped: [
        'Doc.find: a: a Raw condition is not read',
        'Doc.findOneBy: deletedAt: null in a where is not a filter in TypeORM 0.3',
        'Doc.find: the options have a spread, a method or a computed key',
        'Doc.findBy: where `where` is not a local const literal left unchanged',
        'Doc.find: the options `opts` is not a local const literal left unchanged',
        'Doc.update: the criteria `criteria` is not a local const literal left unchanged',
        'Doc.findOne: a: the operator Custom is not read',
        'Doc.findOne: `slug` is no find option (TypeORM 0.2 conditions?)',
      ],
    },
    { name: 'not parseable: nothing', text: `repo.find({ where: { a: `, expect: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const skipped: TypeormSkip[] = [];
      const qs = extractTypeormQueries('src/x.ts', c.text, skipped);
      assert.deepEqual(qs.map((q) => query(c.text, q)), c.expect);
      if (c.skipped) assert.deepEqual(skipped.map((s) => s.reason), c.skipped);
    });
  }
  it('a deep where does not throw', () => {
    const text = `repo.find({ where: ${'{ a: '.repeat(80)}1${' }'.repeat(80)} })`;
    assert.doesNotThrow(() => extractTypeormQueries('src/x.ts', text));
  });
});

describe('extractTypeormQueries: QueryBuilder chains', () => {
  const cases: { name: string; text: string; expect: ReturnType<typeof query>[]; skipped?: string[] }[] = [
    {
      name: 'where / andWhere / orWhere strings, parameters, joins, order, take',
      text: `async function search(repo: Repository<User>, teamId: string, ids: number[]) {
  return repo.createQueryBuilder('u')
    .leftJoinAndSelect('u.team', 't')
    .where('u.teamId = :teamId AND u.status = :status', { teamId, status: 'active' })
    .andWhere('u.id IN (:...ids)', { ids })
    .andWhere('u.deletedAt IS NULL')
    .andWhere('t.plan = :plan', { plan: 'pro' })
    .andWhere('t.id = :tid', { tid: 1 })
    .andWhere('u.name LIKE :q', { q: 'ab%' })
    .andWhere("u.bio ILIKE '%x'")
    .andWhere('u.score BETWEEN :a AND :b')
    .orderBy('u.createdAt', 'DESC')
    .addOrderBy('t.name')
    .take(10)
    .getMany();
}`,
      expect: [{
        call: 'User.getMany select limited',
        name: "createQueryBuilder('u')",
        where: [
          'teamId eq @u.teamId = :teamId',
          "status eq 'active' @u.status = :status",
          'id eq IN @u.id IN (:...ids)',
          'deletedAt eq null @u.deletedAt IS NULL',
          "team.plan eq 'pro' @t.plan = :plan",
          'team eq 1 @t.id = :tid',
          'name prefix @u.name LIKE :q',
          "bio other ci @u.bio ILIKE '%x'",
          'score range BETWEEN @u.score BETWEEN :a AND :b',
        ],
        order: ['createdAt desc'],
        joins: ['team'],
        fn: 'search',
      }],
    },
    {
      name: 'orWhere: an OR of what came before; a data source root with from(); update and delete builders; database column names without alias; a table in from()',
      text: `async function f(ds: DataSource, manager, repo: Repository<Subscription>) {
  await ds.createQueryBuilder(User, 'u').where('u.email = :e').orWhere('u.handle = :e').getOne();
  await ds.createQueryBuilder().select('p').from(Post, 'p').where('p.authorId = :a').getCount();
  await manager.createQueryBuilder(Post, 'p').update().set({ x: 1 }).where({ authorId: 1 }).execute();
  await User.createQueryBuilder('u').delete().where('u.createdAt < :d').execute();
  await ds.createQueryBuilder(User, 'u').where('u.a = 1 OR u.b = 2').getExists();
  await repo.createQueryBuilder().where('user_uuid = :u').andWhere('ends_at > :t').orderBy('created_at', 'ASC').getMany();
  await repo.createQueryBuilder('item').delete().from('items').where('uuid IN (:...uuids)').execute();
  await repo.createQueryBuilder('u').leftJoin('u.team', 't').where('slug = :s').getMany();
  await ds.createQueryBuilder(User, 'u').from(Post, 'p').getMany();
}`,
      expect: [
        { call: 'User.getOne select', name: "createQueryBuilder(User, 'u')", where: [{ or: [['email eq @u.email = :e'], ['handle eq @u.handle = :e']] }], order: [], joins: [], fn: 'f' },
        { call: 'Post.getCount count', name: 'createQueryBuilder()', where: ['authorId eq @p.authorId = :a'], order: [], joins: [], fn: 'f' },
        { call: 'Post.execute update', name: "createQueryBuilder(Post, 'p')", where: ['authorId eq 1 @authorId: 1'], order: [], joins: [], fn: 'f' },
        { call: 'User.execute delete ar', name: "createQueryBuilder('u')", where: ['createdAt range < @u.createdAt < :d'], order: [], joins: [], fn: 'f' },
        { call: 'User.getExists exists limited', name: "createQueryBuilder(User, 'u')", where: [{ or: [['a eq 1 @u.a = 1'], ['b eq 2 @u.b = 2']] }], order: [], joins: [], fn: 'f' },
        { call: 'Subscription.getMany select', name: 'createQueryBuilder()', where: ['user_uuid eq @user_uuid = :u', 'ends_at range > @ends_at > :t'], order: ['created_at'], joins: [], fn: 'f' },
        { call: 'undefined.execute delete', name: "createQueryBuilder('item')", where: ['uuid eq IN @uuid IN (:...uuids)'], order: [], joins: [], fn: 'f' },
      ],
      skipped: ['User.getMany: where names slug, not alias.property of a known alias', 'User.getMany: from() adds a second table'],
    },
    {
      name: 'skipped: functions, Brackets, column comparisons, unknown aliases and methods, inner join conditions, OR among several clauses',
      text: `async function g(repo: Repository<User>) {
  await repo.createQueryBuilder('u').where('LOWER(u.email) = :e').getOne();
  await repo.createQueryBuilder('u').where(new Brackets((qb) => qb.where('u.a = 1'))).getMany();
  await repo.createQueryBuilder('u').where('u.a = u.b').getMany();
  await repo.createQueryBuilder('u').leftJoin(Team, 't', 't.id = u.teamId').where('t.plan = :p').getMany();
  await repo.createQueryBuilder('u').innerJoin('u.team', 't', 't.plan = :p').getMany();
  await repo.createQueryBuilder('u').where('u.a = 1').andWhere('u.b = 1 OR u.c = 1').getMany();
  await repo.createQueryBuilder('u').where('u.a = 1').setFindOptions({}).getMany();
  const qb = repo.createQueryBuilder('u');
  await qb.where('u.a = 1').getMany();
  await db.selectFrom('x').execute();
}`,
      expect: [],
      skipped: [
        "User.getOne: where 'LOWER(u.email) = :e' is not a simple comparison",
        'User.getMany: a where that is not an SQL string or an object literal',
        "User.getMany: where 'u.a = u.b' is not a simple comparison",
        'User.getMany: where names t.plan, not alias.property of a known alias',
        'User.getMany: innerJoin: an inner join with a condition of its own',
        'User.getMany: an OR inside one of several where clauses',
        'User.getMany: .setFindOptions() is not read',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const skipped: TypeormSkip[] = [];
      const qs = extractTypeormQueries('src/x.ts', c.text, skipped);
      assert.deepEqual(qs.map((q) => query(c.text, q)), c.expect);
      if (c.skipped) assert.deepEqual(skipped.map((s) => s.reason.replace(/^\?\./, 'User.')), c.skipped);
    });
  }
});

describe('parseWhereSql', () => {
  const ok: [string, string][] = [
    ['u.a = :a', 'u.a eq'],
    ['u.a >= 3 and u.b <> :b', 'u.a range >= | u.b other <>'],
    ['u.a NOT IN (:...a) OR u.b IS NOT NULL', 'u.a other NOT IN / u.b other not-null'],
    ["u.a IN ('x', 'y')", 'u.a eq IN'],
    ["u.a LIKE 'it''s%'", 'u.a other like'],
  ];
  for (const [input, out] of ok) {
    it(input, () => {
      const r = parseWhereSql(input);
      assert.equal(r?.map((b) => b.map((c) => `${c.ref} ${c.op}${c.sqlOp ? ` ${c.sqlOp}` : ''}${c.isNull === 'not-null' ? ' not-null' : ''}${c.like ? ` ${c.like}` : ''}`).join(' | ')).join(' / '), out);
    });
  }
  for (const bad of ['(u.a = 1)', 'u.a = 1 AND', 'u.a = :', '"u"."a" = 1', 'u.a = $1', 'u.a IN ()', 'u.a ~ :x', 'u.a = 1 u.b = 2', "u.a = 'unterminated", 'u.a']) {
    it(`not read: ${bad}`, () => assert.equal(parseWhereSql(bad), undefined));
  }
  it('a long fragment is read in linear time', () => {
    const s = `${'u.a = :a AND '.repeat(20000)}u.b = :b`;
    const t = Date.now();
    assert.equal(parseWhereSql(s)?.[0].length, 20001);
    assert.ok(Date.now() - t < 2000);
  });
});
