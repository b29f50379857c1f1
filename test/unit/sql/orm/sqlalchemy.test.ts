import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractSqlalchemyQueries, flaskTableName, readSqlalchemyModels, scanSqlalchemyQueries, type SqlalchemyModelRead, type SqlalchemyQuery } from '../../../../src/analyzers/sql/orm/sqlalchemy.js';
import { pythonOrmPackagesOf, isPythonManifest } from '../../../../src/analyzers/sql/orm/python-deps.js';
import type { OrmCondition } from '../../../../src/analyzers/sql/orm/model.js';
import type { Span } from '../../../../src/analyzers/sql/types.js';
import { readAlembicIndexes } from '../../../../src/analyzers/sql/orm/sqlalchemy-alembic.js';

const slice = (text: string, s: Span | undefined): string => (s ? text.slice(s.start, s.end) : '<no span>');

function indexes(r: SqlalchemyModelRead): string[] {
  return r.fragment.indexes.map((i) => `${i.table} ${i.origin}${i.unique ? ' unique' : ''}${i.name ? ` ${i.name}` : ''} (${i.keys.map((k) => (k.kind === 'column' ? k.column : k.text)).join(', ')})${i.where ? ' WHERE …' : ''}${i.method ? ` USING ${i.method}` : ''}`);
}

const SHOP = `import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class TimestampMixin:
    created_at = Column(sa.DateTime, server_default=func.now(), nullable=False)


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(50), unique=True)
    members: Mapped[list["Member"]] = relationship(back_populates="team")


class Member(TimestampMixin, Base):
    __tablename__ = "members"
    __table_args__ = (
        Index("ix_members_team_status", "team_id", "status"),
        UniqueConstraint("team_id", "email_address", name="uq_member_email"),
        {"comment": "people"},
    )
    id = Column(Integer, primary_key=True)
    team_id = Column(Integer, ForeignKey("teams.id"), nullable=False)
    team = relationship("Team", back_populates="members")
    email = Column("email_address", String(200))
    status: Mapped[str | None] = mapped_column(index=True)
    nickname: Mapped[str]
    manager_id = mapped_column(ForeignKey("members.id"))
    manager = relationship("Member", foreign_keys=[manager_id])


tags = Table(
    "member_tags",
    Base.metadata,
    Column("member_id", ForeignKey("members.id"), primary_key=True),
    Column("tag", String(30), primary_key=True),
)

Index("ix_members_lower_email", func.lower(Member.email))
`;

describe('readSqlalchemyModels', () => {
  it('reads tables, columns, indexes (none for a ForeignKey) and foreign keys', () => {
    const r = readSqlalchemyModels('app/models.py', SHOP);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.fragment.tables.map((t) => `${t.name}: ${t.columns.map((c) => `${c.name} ${c.type}${c.notNull ? '' : '?'}`).join(', ')}`),
      [
        'teams: id integer, slug varchar',
        'members: created_at timestamp, id integer, team_id integer, email_address varchar?, status ?, nickname varchar, manager_id integer?',
        'member_tags: member_id integer, tag varchar',
      ],
    );
    assert.deepEqual(indexes(r), [
      'teams primary-key unique (id)',
      'teams unique-constraint unique (slug)',
      'members primary-key unique (id)',
      'members create-index ix_members_status (status)',
      'members create-index ix_members_team_status (team_id, status)',
      'members unique-constraint unique uq_member_email (team_id, email_address)',
      'member_tags primary-key unique (member_id, tag)',
      'members create-index ix_members_lower_email (lower(email_address))',
    ]);
    assert.deepEqual(r.fragment.foreignKeys.map((f) => `${f.table}(${f.columns.join()}) → ${f.refTable}(${f.refColumns.join()})`), ['members(team_id) → teams(id)', 'members(manager_id) → members(id)', 'member_tags(member_id) → members(id)']);
  });

  it('gives the model names: attribute → column, relationships → their foreign key, pk, insertion point', () => {
    const r = readSqlalchemyModels('app/models.py', SHOP);
    const member = r.models.find((m) => m.names[0] === 'Member')!;
    assert.equal(member.table, 'members');
    assert.equal(member.pk, 'id');
    assert.equal(member.columns.get('email'), 'email_address');
    assert.equal(member.columns.get('team'), 'team_id');
    assert.equal(member.columns.get('manager'), 'manager_id');
    assert.equal(member.columns.get('created_at'), 'created_at');
    assert.deepEqual([...member.relations], [['team', 'Team'], ['manager', 'Member']]);
    assert.equal(member.indexInsert?.kind, 'tuple');
    const before = member.indexInsert?.before ?? 0;
    assert.equal(slice(SHOP, { start: before, end: before + 9 }), '{"comment');
    const team = r.models.find((m) => m.names[0] === 'Team')!;
    assert.equal(team.indexInsert?.kind, 'class');
    assert.equal(team.columns.has('members'), false);
  });

  it('Flask-SQLAlchemy: db.Model without __tablename__ takes the snake-case class name; single-table inheritance', () => {
    const text = 'from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n\n\nclass DataSourceGroup(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    data_source_id = db.Column(db.Integer, db.ForeignKey("data_sources.id"))\n    data_source = db.relationship("DataSource", backref="groups")\n\n\nclass HTTPLog(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    kind = db.Column(db.String(20))\n\n\nclass ErrorLog(HTTPLog):\n    code = db.Column(db.Integer)\n';
    const r = readSqlalchemyModels('app/models.py', text);
    assert.deepEqual(r.models.map((m) => `${m.names[0]} ${m.table}`), ['DataSourceGroup data_source_group', 'HTTPLog http_log', 'ErrorLog http_log']);
    assert.deepEqual(r.fragment.tables.map((t) => `${t.name}: ${t.columns.map((c) => c.name).join(', ')}`), ['data_source_group: id, data_source_id', 'http_log: id, kind, code']);
    assert.deepEqual(indexes(r), ['data_source_group primary-key unique (id)', 'http_log primary-key unique (id)']);
    assert.equal(r.models[0].columns.get('data_source'), 'data_source_id');
  });

  it('snake case as Flask-SQLAlchemy writes it', () => {
    assert.equal(flaskTableName('User'), 'user');
    assert.equal(flaskTableName('DataSourceGroup'), 'data_source_group');
    assert.equal(flaskTableName('HTTPResponse'), 'http_response');
    assert.equal(flaskTableName('OAuth2Token'), 'o_auth2_token');
  });

  it('not models: a class without a table name on a plain base, an abstract base, a helper-built id counts as the primary key', () => {
    const text = 'from sqlalchemy.orm import declarative_base\nBase = declarative_base()\n\n\nclass Abstract(Base):\n    __abstract__ = True\n    id = Column(Integer, primary_key=True)\n\n\nclass NoTable(Base):\n    x = Column(Integer)\n\n\nclass Thing(Base):\n    __tablename__ = "things"\n    id = primary_key("Thing")\n    name = Column(String)\n';
    const r = readSqlalchemyModels('m.py', text);
    assert.deepEqual(r.models.map((m) => m.table), ['things']);
    assert.deepEqual(indexes(r), ['things primary-key unique (id)']);
  });

  const hostile = ['class', 'class X(Base', 'class X(Base):\n    __tablename__ = "x"\n    a = Column(\n', 'class X(Base):\n  __table_args__ = 5\n', '"""', '\u0000\uffff'.repeat(50), 'class A(Base):\n' + '    x = Column(' + '('.repeat(5000), 'Index(' + 'X.a, '.repeat(2000)];
  for (const [i, text] of hostile.entries()) {
    it(`never throws on malformed input #${i}`, () => {
      const r = readSqlalchemyModels('a/models.py', text);
      assert.ok(Array.isArray(r.models));
    });
  }

  it('refuses files over 512 KB', () => {
    const r = readSqlalchemyModels('a/models.py', 'x'.repeat(512 * 1024 + 1));
    assert.equal(r.errors.length, 1);
  });
});

describe('Python manifests naming SQLAlchemy', () => {
  it('finds the packages, not names containing them', () => {
    assert.deepEqual(pythonOrmPackagesOf('flask==3\nSQLAlchemy>=2.0\n'), ['sqlalchemy']);
    assert.deepEqual(pythonOrmPackagesOf('dependencies = [\n  "flask-sqlalchemy==2.5.1",\n]\n'), ['flask-sqlalchemy']);
    assert.deepEqual(pythonOrmPackagesOf('[packages]\nsqlalchemy = "*"\n'), ['sqlalchemy']);
    assert.deepEqual(pythonOrmPackagesOf('sqlalchemy-utils==0.38\nmy_sqlalchemy_helpers\n'), []);
    assert.equal(isPythonManifest('requirements/prod.txt'), false);
    assert.equal(isPythonManifest('requirements-dev.txt'), true);
    assert.equal(isPythonManifest('backend/pyproject.toml'), true);
  });
});

// ---------------------------------------------------------------------------------------------

function cond(c: OrmCondition): string {
  if ('or' in c) return `(${c.or.map((b) => b.map(cond).join(' AND ')).join(' OR ')})`;
  return `${[...c.via, c.field].join('.')} ${c.op}${c.sqlOp ? ` ${c.sqlOp}` : ''}${c.insensitive ? '/i' : ''}${c.value ? ` ${c.value}` : ''}`;
}

function brief(q: SqlalchemyQuery): string {
  const parts = [q.model ?? '?', q.operation, q.method];
  if (q.where.length) parts.push(`where ${q.where.map(cond).join(' & ')}`);
  if (q.conditionalWhere) parts.push(`maybe ${q.conditionalWhere.map(cond).join(' & ')}`);
  if (q.orderBy.length) parts.push(`order ${q.orderBy.map((o) => (o.desc ? '-' : '') + o.field).join(',')}`);
  if (q.limited) parts.push('limited');
  if (q.joins.length) parts.push(`join ${q.joins.map((j) => j.relation).join(',')}`);
  if (q.loads) parts.push(`loads ${q.loads.map((j) => j.relation).join(',')}`);
  if (q.inLoop) parts.push(`loop ${q.inLoop.kind}${q.inLoop.usesItem ? ' item' : ''}${q.inLoop.overQueryRows ? ' rows' : ''}`);
  return parts.join(' | ');
}

const fn = (body: string): string => `def view(session, ids, email, team):\n${body.split('\n').map((l) => `    ${l}`).join('\n')}\n`;

describe('extractSqlalchemyQueries', () => {
  const cases: { name: string; text: string; out: string[] }[] = [
    { name: 'legacy Query: filter ==, first', text: fn('return session.query(User).filter(User.email == email).first()'), out: ['User | select | first | where email eq | limited'] },
    { name: 'filter_by, one', text: fn("return db.session.query(User).filter_by(email=email, status='active').one()"), out: ["User | select | one | where email eq & status eq 'active'"] },
    { name: 'Flask-SQLAlchemy Model.query, order_by desc, limit, all', text: fn('return User.query.filter(User.team_id == team).order_by(User.created_at.desc()).limit(10).all()'), out: ['User | select | all | where team_id eq | order -created_at | limited'] },
    { name: 'operators: != None, <, in_, is_(None), like prefix, ilike, startswith, between', text: fn("return User.query.filter(User.a != None, User.b < 5, User.k.in_(ids), User.d.is_(None), User.e.like('ab%'), User.f.ilike('%x'), User.g.startswith(email), User.h.between(1, 2)).all()"), out: ["User | select | all | where a other not-null & b range < & k eq IN & d eq null & e prefix & f other/i & g prefix & h range BETWEEN"] },
    { name: 'reversed operands, and_, or_, not_, ~, a bare boolean column', text: fn('return User.query.filter(5 < User.age, and_(User.a == 1, or_(User.b == 2, User.k == 3)), not_(User.d == 4), ~User.active, User.verified).all()'), out: ['User | select | all | where age range > & a eq 1 & (b eq 2 OR k eq 3) & d other & active eq false & verified eq true'] },
    { name: 'a relationship compared to an object; count; delete; update', text: fn('User.query.filter(User.team == team).count()\nsession.query(User).filter(User.id.in_(ids)).delete()\nUser.query.filter_by(email=email).update({"status": 1})'), out: ['User | count | count | where team eq', 'User | delete | delete | where id eq IN', 'User | update | update | where email eq'] },
    { name: 'get, get_or_404, session.get', text: fn('a = User.query.get(1)\nb = User.query.get_or_404(email)\nc = session.get(User, email)\nd = db.get_or_404(User, email)'), out: ['User | select | get | where pk eq', 'User | select | get_or_404 | where pk eq', 'User | select | get | where pk eq', 'User | select | get_or_404 | where pk eq'] },
    { name: '2.0: session.scalars(select().where()).all(), execute().scalar_one()', text: fn('a = session.scalars(select(User).where(User.email == email, User.team_id == team)).all()\nb = session.execute(select(User).filter_by(email=email)).scalar_one()'), out: ['User | select | all | where email eq & team_id eq', 'User | select | scalar_one | where email eq'] },
    { name: '2.0: a statement bound to a name, extended, then run', text: fn('stmt = select(User).where(User.team_id == team)\nif email:\n    stmt = stmt.where(User.email == email)\nreturn session.scalars(stmt.order_by(User.name)).all()'), out: ['User | select | all | where team_id eq | maybe email eq | order name'] },
    { name: '2.0: update / delete statements, count with select_from', text: fn('session.execute(update(User).where(User.id == 1).values(a=2))\nsession.execute(sa.delete(User).where(User.team_id == team))\nsession.scalar(select(func.count()).select_from(User).where(User.a == 1))'), out: ['User | update | execute | where id eq 1', 'User | delete | execute | where team_id eq', 'User | count | scalar | where a eq 1'] },
    { name: 'a statement not run here (returned, a subquery) is no query', text: fn('sub = select(User.id).where(User.a == 1).subquery()\nreturn select(User).where(User.b == 2)'), out: [] },
    { name: 'joins and loads', text: fn('return session.query(User).join(User.team).options(joinedload(User.profile), selectinload(User.posts)).filter(Team.name == email).all()'), out: ['User | select | all | where Team.name eq | join team,profile | loads posts'] },
    { name: 'a Query bound to a name, used as a whole', text: fn('q = User.query.filter(User.a == 1)\nq = q.filter(User.b == 2)\nreturn q'), out: ['User | select | filter | where a eq 1 & b eq 2'] },
    { name: 'models.User.query and cls.query', text: 'class User(db.Model):\n    @classmethod\n    def by_email(cls, email):\n        return cls.query.filter(cls.email == email).one()\n\n\ndef f(email):\n    return models.User.query.filter(models.User.email == email).first()\n', out: ['User | select | one | where email eq', 'User | select | first | where email eq | limited'] },
    { name: 'skipped: *filters, text(), a variable, .any(), two entities, a join condition, a custom method', text: fn("session.query(User).filter(*conds).all()\nsession.query(User).filter(text('a = 1')).all()\nsession.query(User).filter(cond).all()\nsession.query(User).filter(User.posts.any(Post.id == 1)).all()\nsession.query(User, Team).all()\nsession.query(User).filter(User.team_id == Team.id).all()\nUser.query.search(email).all()"), out: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(extractSqlalchemyQueries('app/views.py', c.text).map(brief), c.out);
    });
  }

  it('loops: a read per item of a query\'s rows, per item of another list, bounded loops, comprehensions', () => {
    const text = fn("for u in User.query.all():\n    Post.query.filter(Post.user_id == u.id).first()\nfor i in ids:\n    Post.query.filter(Post.id == i).first()\nfor s in ('a', 'b'):\n    Post.query.filter_by(status=s).count()\nusers = session.query(User).all()\nx = [Post.query.get(u.id) for u in users]\nfor i, u in enumerate(User.query.order_by(User.name)):\n    Post.query.filter_by(user_id=u.id).all()");
    assert.deepEqual(extractSqlalchemyQueries('v.py', text).map(brief), [
      'User | select | all',
      'Post | select | first | where user_id eq | limited | loop for item rows',
      'Post | select | first | where id eq | limited | loop for item',
      "Post | count | count | where status eq",
      'User | select | all',
      'Post | select | get | where pk eq | loop comprehension item rows',
      'User | select | all | order name',
      'Post | select | all | where user_id eq | loop for item rows',
    ]);
    assert.ok(extractSqlalchemyQueries('v.py', text).every((q) => q.functionName === 'view'));
  });

  it('spans: the whole chain, the model and its first method, each condition', () => {
    const text = fn('return User.query.filter(User.email == email, User.a.in_(ids)).first()');
    const q = extractSqlalchemyQueries('v.py', text)[0];
    assert.equal(slice(text, q.span), 'User.query.filter(User.email == email, User.a.in_(ids)).first()');
    assert.equal(slice(text, q.nameSpan), 'User.query.filter');
    assert.deepEqual(q.where.map((c) => slice(text, c.span)), ['User.email == email', 'User.a.in_(ids)']);
  });

  const hostile = ['User.query.filter(', 'session.query(User).filter(User.a ==', 'def f(:\n  User.query.get(and_(', 'x = User.query' + '.filter(User.a == 1)'.repeat(3000), 'User.query.filter(' + 'and_('.repeat(3000), '~'.repeat(1000), 'for\n' + '    '.repeat(200) + 'User.query.get()', 'session.execute(' + 'select('.repeat(2000)];
  for (const [i, text] of hostile.entries()) {
    it(`never throws on malformed input #${i}`, () => {
      const r = scanSqlalchemyQueries('x.py', text);
      assert.ok(Array.isArray(r.queries));
      assert.ok(!r.skipped.some((s) => s.reason.startsWith('extractor failed')), JSON.stringify(r.skipped));
    });
  }
});

describe('readAlembicIndexes', () => {
  it('reads the indexes upgrade() creates (op., batch_op., add_column index=True), not downgrade()', () => {
    const text = 'from alembic import op\nimport sqlalchemy as sa\n\n\ndef upgrade():\n    op.create_index("ix_a", "orders", ["status", "created_at"], unique=False, postgresql_where=sa.text("archived = false"))\n    op.create_unique_constraint("uq_b", "orders", ["number"])\n    op.add_column("orders", sa.Column("ref", sa.String(), index=True))\n    with op.batch_alter_table("items") as batch_op:\n        batch_op.create_index("ix_items_sku", ["sku"])\n\n\ndef downgrade():\n    op.create_index("ix_never", "orders", ["x"])\n';
    const f = readAlembicIndexes('migrations/versions/abc_.py', text);
    assert.deepEqual(f?.indexes.map((i) => `${i.table} ${i.origin}${i.unique ? ' unique' : ''}${i.name ? ` ${i.name}` : ''} (${i.keys.map((k) => (k.kind === 'column' ? k.column : k.text)).join(', ')})${i.where ? ` WHERE ${i.where.text}` : ''}`), [
      'orders create-index ix_a (status, created_at) WHERE archived = false',
      'orders unique-constraint unique uq_b (number)',
      'orders create-index (ref)',
      'items create-index ix_items_sku (sku)',
    ]);
    assert.equal(readAlembicIndexes('m.py', 'def upgrade():\n    op.create_index(\n'), undefined);
  });
});
