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
const ws = (views: string, models = MODELS): Record<string, string> => ({ 'requirements.txt': REQS, 'app/models.py': models, 'app/views.py': views });

ruleTests('missing-index', {
  valid: [
    { name: 'an index=True column', files: ws('def by_email(session, email):\n    return session.query(Member).filter(Member.email == email).first()\n') },
    { name: 'a unique column (2.0 select)', files: ws('def team(session, name):\n    return session.scalars(select(Team).where(Team.name == name)).one()\n') },
    { name: 'the primary key (session.get)', files: ws('def member(session, id):\n    return session.get(Member, id)\n') },
    { name: 'no SQLAlchemy in the manifests: not read', files: { 'requirements.txt': 'flask==3.0.0\n', 'app/models.py': MODELS, 'app/views.py': 'def by_team(session, t):\n    return session.query(Member).filter(Member.team_id == t).all()\n' } },
    { name: 'a filter built elsewhere is skipped', files: ws('def find(session, conds):\n    return session.query(Member).filter(*conds).all()\n') },
    { name: 'a text() filter is skipped', files: ws("def find(session):\n    return session.query(Member).filter(text('status = 1')).all()\n") },
  ],
  invalid: [
    {
      name: 'a ForeignKey column: SQLAlchemy creates no index for it (relationship comparison)',
      files: ws('def members(session, team):\n    return session.query(Member).filter(Member.team == team).all()\n'),
      errors: [{
        file: 'app/views.py', line: 2, column: 41, severity: 'warning',
        message: /^No index on members\(team_id\): .*\(Member\.all runs SELECT … FROM members WHERE team_id = \$1\.\)$/,
        fixTitle: /^Add Index\('ix_members_team_id', 'team_id'\) to Member\.__table_args__ \(then run `alembic revision --autogenerate` for the migration\)$/,
        fixOutput: { 'app/models.py': MODELS.replace('from sqlalchemy import Column, ForeignKey, Integer, String, DateTime\n', 'from sqlalchemy import Column, ForeignKey, Integer, String, DateTime, Index\n').replace('    __tablename__ = "members"\n', '    __tablename__ = "members"\n    __table_args__ = (Index(\'ix_members_team_id\', \'team_id\'),)\n') },
      }],
    },
  ],
});
