import { makeRuleTests } from '../node-server/tester.js';
import { POOL_GATHERERS, POOL_RULES } from '../../../src/analyzers/pools/index.js';

const ruleTests = makeRuleTests(POOL_RULES, POOL_GATHERERS);

ruleTests('pool-sqlalchemy-nullpool', {
  valid: [
    { name: 'QueuePool (default)', files: { 'app.py': "from flask import Flask\nfrom sqlalchemy import create_engine\nengine = create_engine(URL, pool_size=10)\n" } },
    { name: 'a script, no web framework', files: { 'etl/load.py': "from sqlalchemy import create_engine\nfrom sqlalchemy.pool import NullPool\nengine = create_engine(URL, poolclass=NullPool)\n" } },
    { name: 'tests', files: { 'requirements.txt': 'fastapi==0.115.0\n', 'tests/conftest.py': "from sqlalchemy.pool import NullPool\nengine = create_engine(URL, poolclass=NullPool)\n" } },
    { name: 'behind PgBouncer', files: { 'app.py': "from fastapi import FastAPI\n# PgBouncer in transaction mode pools for us\nengine = create_async_engine(PGBOUNCER_URL, poolclass=NullPool)\n" } },
    { name: 'serverless (Zappa)', files: { 'zappa_settings.json': '{}', 'app.py': "from flask import Flask\nengine = create_engine(URL, poolclass=NullPool)\n" } },
    { name: 'in a string or comment', files: { 'app.py': "from flask import Flask\n# engine = create_engine(URL, poolclass=NullPool)\nDOC = 'poolclass=NullPool'\n" } },
  ],
  invalid: [
    {
      name: 'Flask app: the argument and the now-unused import go',
      files: { 'app.py': "from flask import Flask\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.pool import NullPool\n\napp = Flask(__name__)\nengine = create_engine(DATABASE_URL, poolclass=NullPool)\n" },
      errors: [{
        file: 'app.py', line: 6, column: 38, endColumn: 56, severity: 'warning', message: /flask application/, data: { form: 'kwarg', framework: 'flask' },
        fixOutput: { 'app.py': "from flask import Flask\nfrom sqlalchemy import create_engine\n\napp = Flask(__name__)\nengine = create_engine(DATABASE_URL)\n" },
      }],
    },
    {
      name: 'FastAPI from requirements.txt, multi-line call, shared import',
      files: {
        'requirements.txt': 'fastapi==0.115.0\nsqlalchemy==2.0.36\n',
        'app/db.py': "from sqlalchemy.ext.asyncio import create_async_engine\nfrom sqlalchemy.pool import NullPool, AsyncAdaptedQueuePool\n\nengine = create_async_engine(\n    settings.database_url,\n    poolclass=NullPool,\n    echo=False,\n)\n",
      },
      errors: [{ file: 'app/db.py', line: 6, column: 5, data: { framework: 'fastapi' }, fixOutput: { 'app/db.py': "from sqlalchemy.ext.asyncio import create_async_engine\nfrom sqlalchemy.pool import AsyncAdaptedQueuePool\n\nengine = create_async_engine(\n    settings.database_url,\n    echo=False,\n)\n" } }],
    },
    {
      name: 'Flask-SQLAlchemy engine options dict, qualified name',
      files: { 'config.py': "import flask\nimport sqlalchemy\nSQLALCHEMY_ENGINE_OPTIONS = {'poolclass': sqlalchemy.pool.NullPool, 'pool_pre_ping': True}\n" },
      errors: [{ file: 'config.py', line: 3, column: 30, data: { form: 'dict' }, fixOutput: { 'config.py': "import flask\nimport sqlalchemy\nSQLALCHEMY_ENGINE_OPTIONS = {'pool_pre_ping': True}\n" } }],
    },
  ],
});

ruleTests('pool-sqlalchemy-nullpool', {
  valid: [
    { name: "Alembic's env.py", files: { 'requirements.txt': 'fastapi\n', 'backend/app/alembic/env.py': "from alembic import context\nfrom sqlalchemy import engine_from_config, pool\nconnectable = engine_from_config(config, prefix='sqlalchemy.', poolclass=pool.NullPool)\n" } },
  ],
  invalid: [],
});
