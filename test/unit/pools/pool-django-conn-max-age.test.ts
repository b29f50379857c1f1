import { makeRuleTests } from '../node-server/tester.js';
import { POOL_GATHERERS, POOL_RULES } from '../../../src/analyzers/pools/index.js';

const ruleTests = makeRuleTests(POOL_RULES, POOL_GATHERERS);

const DB = (extra: string): string => `DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'shop',${extra}\n    }\n}\n`;

ruleTests('pool-django-conn-max-age', {
  valid: [
    { name: 'CONN_MAX_AGE 600', files: { 'mysite/settings.py': DB("\n        'CONN_MAX_AGE': 600,") } },
    { name: 'CONN_MAX_AGE None (unlimited)', files: { 'mysite/settings.py': DB("\n        'CONN_MAX_AGE': None,") } },
    { name: 'from the environment', files: { 'mysite/settings.py': DB("\n        'CONN_MAX_AGE': env.int('CONN_MAX_AGE', default=60),") } },
    { name: 'SQLite', files: { 'mysite/settings.py': "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.sqlite3',\n        'NAME': BASE_DIR / 'db.sqlite3',\n    }\n}\n" } },
    { name: 'Django 5.1 native pool', files: { 'mysite/settings.py': DB("\n        'OPTIONS': {'pool': True},") } },
    { name: 'set by a later statement', files: { 'mysite/settings.py': `${DB('')}DATABASES['default']['CONN_MAX_AGE'] = 60\n` } },
    { name: 'set through update()', files: { 'mysite/settings.py': `${DB('')}DATABASES['default'].update({'CONN_MAX_AGE': 300})\n` } },
    { name: 'dj_database_url with conn_max_age', files: { 'config/settings/production.py': "import dj_database_url\nDATABASES = {'default': dj_database_url.config(conn_max_age=600, conn_health_checks=True)}\n" } },
    { name: 'split settings: production.py sets it', files: { 'config/settings/base.py': DB(''), 'config/settings/production.py': "from .base import *\nDATABASES['default']['CONN_MAX_AGE'] = 60\n" } },
    { name: 'not a settings module', files: { 'app/models.py': DB('') } },
    { name: 'commented out', files: { 'mysite/settings.py': "# DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n" } },
  ],
  invalid: [
    {
      name: 'absent: the entry is added (trailing commas kept)',
      files: { 'mysite/settings.py': DB('') },
      errors: [{
        file: 'mysite/settings.py', line: 2, column: 5, endColumn: 14, severity: 'warning',
        message: /Database "default" does not set CONN_MAX_AGE \(Django defaults to 0\)/,
        data: { alias: 'default', problem: 'absent', via: 'dict' },
        fixOutput: { 'mysite/settings.py': DB("\n        'CONN_MAX_AGE': 60,") },
      }],
    },
    {
      name: 'absent, no trailing comma, double quotes',
      files: { 'settings.py': 'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.mysql",\n        "NAME": "shop"\n    }\n}\n' },
      errors: [{ file: 'settings.py', line: 2, column: 5, fixOutput: { 'settings.py': 'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.mysql",\n        "NAME": "shop",\n        "CONN_MAX_AGE": 60\n    }\n}\n' } }],
    },
    {
      name: 'explicit 0',
      files: { 'mysite/settings.py': DB("\n        'CONN_MAX_AGE': 0,  # close after each request") },
      errors: [{ file: 'mysite/settings.py', line: 5, column: 25, endColumn: 26, data: { problem: 'zero' }, fixOutput: { 'mysite/settings.py': DB("\n        'CONN_MAX_AGE': 60,  # close after each request") } }],
    },
    {
      name: 'a string',
      files: { 'mysite/settings.py': DB("\n        'CONN_MAX_AGE': '60',") },
      errors: [{ file: 'mysite/settings.py', line: 5, column: 25, data: { problem: 'invalid' }, message: /TypeError/ }],
    },
    {
      name: 'dj_database_url without conn_max_age',
      files: { 'config/settings/production.py': "import dj_database_url\n\nDATABASES = {\n    'default': dj_database_url.config(default='postgres://localhost/shop'),\n}\n" },
      errors: [{ file: 'config/settings/production.py', line: 4, column: 16, data: { via: 'dj_database_url' }, fixOutput: { 'config/settings/production.py': "import dj_database_url\n\nDATABASES = {\n    'default': dj_database_url.config(default='postgres://localhost/shop', conn_max_age=60),\n}\n" } }],
    },
    {
      name: 'DATABASES[alias] = dj_database_url.parse(...) with conn_max_age=0, two aliases',
      files: { 'settings_prod.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'CONN_MAX_AGE': 60}}\nDATABASES['replica'] = dj_database_url.parse(os.environ['REPLICA_URL'], conn_max_age=0)\n" },
      errors: [{ file: 'settings_prod.py', line: 2, column: 86, endColumn: 87, data: { alias: 'replica', problem: 'zero' }, fixOutput: { 'settings_prod.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'CONN_MAX_AGE': 60}}\nDATABASES['replica'] = dj_database_url.parse(os.environ['REPLICA_URL'], conn_max_age=60)\n" } }],
    },
  ],
});

ruleTests('pool-django-conn-max-age', {
  valid: [
    { name: 'test settings', files: { 'tests/settings.py': DB(''), 'mysite/test_settings.py': DB('') } },
    { name: 'django-environ env.db() reads conn_max_age from the URL', files: { 'config/django/base.py': "INSTALLED_APPS = []\nDATABASES = {\n    'default': env.db('DATABASE_URL'),\n}\n" } },
    { name: 'split settings in a folder not named settings', files: { 'config/django/base.py': `INSTALLED_APPS = []\n${DB('')}`, 'config/django/production.py': "from .base import *\nDATABASES['default']['CONN_MAX_AGE'] = 600\n" } },
  ],
  invalid: [
    {
      name: 'a settings module recognised by its content',
      files: { 'config/django/base.py': `ROOT_URLCONF = 'config.urls'\n${DB('')}` },
      errors: [{ file: 'config/django/base.py', line: 3, column: 5 }],
    },
  ],
});
