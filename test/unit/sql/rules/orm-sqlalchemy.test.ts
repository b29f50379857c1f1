/** missing-index, n-plus-one-query and unbounded-select on SQLAlchemy queries, judged against the app's models; fixes in __table_args__. */
import { ruleTests } from '../../../helpers/rule-tester.js';

const MODELS = `from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, DateTime
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Team(Base):
    __tablename__ = "teams"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), unique=True)


class Member(Base):
    __tablename__ = "members"
    id = Column(Integer, primary_key=True)
    team_id = Column(Integer, ForeignKey("teams.id"))
    team = relationship("Team")
    email = Column(String(200), index=True)
    status = Column(String(20))
    created_at = Column(DateTime, default=datetime.utcnow)
`;
const REQS = 'flask==3.0.0\nSQLAlchemy==2.0.36\n';
const FLASK_MODELS = `from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Index, UniqueConstraint

db = SQLAlchemy()


class DataSourceGroup(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    data_source_id = db.Column(db.Integer, db.ForeignKey("data_sources.id"))
    data_source = db.relationship("DataSource")
    group_id = db.Column(db.Integer, db.ForeignKey("groups.id"))

    __table_args__ = (
        UniqueConstraint("group_id", "data_source_id"),
        {"extend_existing": True},
    )
`;
const TEAM_ARGS = `from sqlalchemy import Column, DateTime, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (Index("ix_teams_slug", "slug"),)
    id = Column(Integer, primary_key=True)
    slug = Column(String(50))
    created_on = Column(DateTime)
`;
const ws = (views: string, models = MODELS): Record<string, string> => ({ 'requirements.txt': REQS, 'app/models.py': models, 'app/views.py': views });

ruleTests('missing-index', {
  valid: [
    { name: 'an index=True column', files: ws('def by_email(session, email):\n    return session.query(Member).filter(Member.email == email).first()\n') },
    { name: 'a unique column (2.0 select)', files: ws('def team(session, name):\n    return session.scalars(select(Team).where(Team.name == name)).one()\n') },
    { name: 'the primary key (session.get)', files: ws('def member(session, id):\n    return session.get(Member, id)\n') },
    { name: 'no SQLAlchemy in the manifests: not read', files: { 'requirements.txt': 'flask==3.0.0\n', 'app/models.py': MODELS, 'app/views.py': 'def by_team(session, t):\n    return session.query(Member).filter(Member.team_id == t).all()\n' } },
    { name: 'a filter built elsewhere is skipped', files: ws('def find(session, conds):\n    return session.query(Member).filter(*conds).all()\n') },
    {
      name: 'an index an Alembic revision creates',
      files: {
        ...ws('def by_status(session, s):\n    return session.query(Member).filter(Member.status == s, Member.team_id == 1).all()\n'),
        'migrations/versions/3f2a_member_status.py': 'from alembic import op\n\nrevision = "3f2a"\ndown_revision = "1b1c"\n\n\ndef upgrade():\n    op.create_index("ix_members_status_team", "members", ["status", "team_id"], unique=False)\n\n\ndef downgrade():\n    op.drop_index("ix_members_status_team", table_name="members")\n',
      },
    },
    { name: 'a text() filter is skipped', files: ws("def find(session):\n    return session.query(Member).filter(text('status = 1')).all()\n") },
  ],
  invalid: [
    {
      name: 'a ForeignKey column: SQLAlchemy creates no index for it (relationship comparison)',
      files: ws('def members(session, team):\n    return session.query(Member).filter(Member.team == team).all()\n'),
      errors: [{
        file: 'app/views.py', line: 2, column: 41, severity: 'info',
        message: /^No index on members\(team_id\): .*\(Member\.all runs SELECT … FROM members WHERE team_id = \$1\.\) \(SQLAlchemy reading is in preview: its findings are info until they are measured at 90% precision on real applications\.\)$/,
        fixTitle: /^Add Index\('ix_members_team_id', 'team_id'\) to Member\.__table_args__ \(then run `alembic revision --autogenerate` for the migration\)$/,
        fixOutput: { 'app/models.py': MODELS.replace('from sqlalchemy import Column, ForeignKey, Integer, String, DateTime\n', 'from sqlalchemy import Column, ForeignKey, Integer, String, DateTime, Index\n').replace('    __tablename__ = "members"\n', '    __tablename__ = "members"\n    __table_args__ = (Index(\'ix_members_team_id\', \'team_id\'),)\n') },
      }],
    },
  
    {
      name: 'Flask-SQLAlchemy: an existing __table_args__ tuple with a dict last gets the index before the dict',
      files: {
        'requirements.txt': 'Flask-SQLAlchemy==3.1.1\n',
        'app/models.py': FLASK_MODELS,
        'app/views.py': 'def groups(ds):\n    return DataSourceGroup.query.filter(DataSourceGroup.data_source == ds)\n',
      },
      errors: [{
        file: 'app/views.py', line: 2, column: 41, severity: 'info',
        message: /^No index on data_source_group\(data_source_id\): .*\(DataSourceGroup\.filter runs SELECT … FROM data_source_group WHERE data_source_id = \$1\.\) \(SQLAlchemy reading is in preview: its findings are info until they are measured at 90% precision on real applications\.\)$/,
        fixOutput: { 'app/models.py': FLASK_MODELS.replace('from sqlalchemy import Index, UniqueConstraint\n', 'from sqlalchemy import Index, UniqueConstraint\n').replace('    __table_args__ = (\n        UniqueConstraint("group_id", "data_source_id"),\n        {"extend_existing": True},\n    )', '    __table_args__ = (\n        UniqueConstraint("group_id", "data_source_id"),\n        Index(\'ix_data_source_group_data_source_id\', \'data_source_id\'), {"extend_existing": True},\n    )') },
      }],
    },
    {
      name: 'a 2.0 statement run through a local name; the index goes into a tuple without a dict',
      files: ws('def recent(session, since):\n    stmt = select(Team).where(Team.created_on > since)\n    return session.scalars(stmt).all()\n', TEAM_ARGS),
      errors: [{
        file: 'app/views.py', line: 2, column: 31, severity: 'info',
        message: /\(Team\.all runs SELECT … FROM teams WHERE created_on > \$1\.\) \(SQLAlchemy reading is in preview: its findings are info until they are measured at 90% precision on real applications\.\)$/,
        fixOutput: { 'app/models.py': TEAM_ARGS.replace('    __table_args__ = (Index("ix_teams_slug", "slug"),)\n', '    __table_args__ = (Index("ix_teams_slug", "slug"), Index(\'ix_teams_created_on\', \'created_on\'))\n') },
      }],
    },
  ],
});

ruleTests('n-plus-one-query', {
  valid: [
    { name: 'a loop over a literal tuple', files: ws("def counts(session):\n    for s in ('a', 'b'):\n        session.query(Member).filter_by(status=s).count()\n") },
    { name: 'a read that does not depend on the item', files: ws('def f(session, team):\n    for m in session.query(Member).all():\n        print(m)\n') },
  ],
  invalid: [
    {
      name: 'a query per row of a query, with the SQLAlchemy advice',
      files: ws('def teams(session):\n    members = session.query(Member).filter(Member.status == "x").all()\n    for m in members:\n        m.t = session.query(Team).filter(Team.id == m.team_id).first()\n'),
      errors: [{ file: 'app/views.py', line: 4, column: 15, severity: 'info', message: /^Team\.first runs once per item of the for loop \(an N\+1 query: one round trip per item, `SELECT … FROM teams WHERE id = \$1 LIMIT 1` each time\)\. .*(?:joinedload|selectinload)/, data: { orm: 'sqlalchemy' } }],
    },
  ],
});

ruleTests('unbounded-select', {
  valid: [
    { name: 'a filter', files: ws('def f(session, t):\n    return session.query(Member).filter(Member.team_id == t).all()\n') },
    { name: 'a limit', files: ws('def f(session):\n    return session.scalars(select(Member).limit(50)).all()\n') },
  ],
  invalid: [
    {
      name: '.all() with no filter and no limit on a table that records when its rows were created',
      files: ws('def f(session):\n    return session.query(Member).all()\n'),
      errors: [{ file: 'app/views.py', line: 2, column: 12, message: /SELECT … FROM members/ }],
    },
  ],
});

ruleTests('unindexed-foreign-key', {
  valid: [],
  invalid: [
    {
      name: 'a key only SQLAlchemy models declare: info while SQLAlchemy reading is in preview, with the reason',
      files: ws('def noop():\n    return None\n'),
      errors: [
        { file: 'app/models.py', line: 18, column: 5, severity: 'info', message: /^Foreign key members\(team_id\) → teams has no index: .* \(SQLAlchemy reading is in preview: its findings are info until they are measured at 90% precision on real applications\.\)$/, data: { preview: true } },
      ],
    },
  ],
});
