import { makeRuleTests } from '../node-server/tester.js';
import { POOL_GATHERERS, POOL_RULES } from '../../../src/analyzers/pools/index.js';

const ruleTests = makeRuleTests(POOL_RULES, POOL_GATHERERS);

ruleTests('pool-prisma-connection-limit', {
  valid: [
    { name: 'a larger limit', files: { '.env': 'DATABASE_URL="postgresql://app@db:5432/shop?connection_limit=10"\n' } },
    { name: 'no limit', files: { '.env': 'DATABASE_URL="postgresql://app@db:5432/shop?schema=public"\n' } },
    { name: 'serverless (vercel.json): 1 is the recommended start', files: { 'vercel.json': '{}', '.env': 'DATABASE_URL="postgresql://app@db/shop?connection_limit=1"\n' } },
    { name: 'connection_limit=10 is not connection_limit=1', files: { 'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url      = "postgresql://app@db/shop?connection_limit=12"\n}\n' } },
  ],
  invalid: [
    {
      name: '.env, last parameter',
      files: { '.env': '# database\nDATABASE_URL="postgresql://app:secret@db:5432/shop?schema=public&connection_limit=1"\n' },
      errors: [{ file: '.env', line: 2, column: 66, endColumn: 84, severity: 'warning', message: /single database connection/, fixOutput: { '.env': '# database\nDATABASE_URL="postgresql://app:secret@db:5432/shop?schema=public"\n' } }],
    },
    {
      name: '.env.production, first parameter',
      files: { '.env.production': 'DATABASE_URL=postgresql://app@db/shop?connection_limit=1&pool_timeout=20\n' },
      errors: [{ file: '.env.production', line: 1, column: 39, fixOutput: { '.env.production': 'DATABASE_URL=postgresql://app@db/shop?pool_timeout=20\n' } }],
    },
    {
      name: 'schema.prisma url literal, only parameter',
      files: { 'prisma/schema.prisma': 'datasource db {\n  provider = "mysql"\n  url      = "mysql://app@db/shop?connection_limit=1"\n}\n' },
      errors: [{ file: 'prisma/schema.prisma', line: 3, column: 35, fixOutput: { 'prisma/schema.prisma': 'datasource db {\n  provider = "mysql"\n  url      = "mysql://app@db/shop"\n}\n' } }],
    },
    {
      name: 'datasource URL in code',
      files: { 'lib/db.ts': "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient({ datasources: { db: { url: `${process.env.DB}?connection_limit=1` } } });\n" },
      errors: [{ file: 'lib/db.ts', line: 2, column: 87, fixOutput: { 'lib/db.ts': "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient({ datasources: { db: { url: `${process.env.DB}` } } });\n" } }],
    },
  ],
});
