/**
 * Hostile and broken workspaces through the real CLI (dist/cli.js), generated here (nothing large is
 * committed). For every case: no crash (exit 0, 1 or 2, never 3 or a signal), done in < 10 s, no byte
 * of a file outside the workspace in any output, no write outside the workspace, no secret echoed —
 * and, where the case says so, one clear message naming the bad file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const MARKER = 'OUTSIDE-CONTENT-7f3a9c';
const SECRET = 's3cr3t-Pa55w0rd';
const BUDGET_MS = 10_000;

interface Case {
  name: string;
  /** Builds the workspace in `ws`; `outside` is a folder beside it holding files no output may show. */
  setup: (ws: string, outside: string) => void;
  /** Extra CLI arguments (the workspace path comes first). */
  args?: (ws: string, outside: string) => string[];
  /** Text the combined output must contain (e.g. the bad file's name). */
  mentions?: (string | RegExp)[];
  /** Run from this folder (default: the workspace). */
  skip?: string | false;
}

const w = (file: string, text: string | Buffer): void => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};
const schema = (ws: string): void => w(path.join(ws, 'db/schema.sql'), 'CREATE TABLE users (id int PRIMARY KEY, email text);\n');
const mkfifo = (file: string): boolean => spawnSync('mkfifo', [file]).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

const CASES: Case[] = [
  {
    name: 'a .sql file linked to a file outside the workspace is not read',
    setup: (ws, out) => { schema(ws); symlinkSync(path.join(out, 'secret.sql'), path.join(ws, 'db/leak.sql')); },
    mentions: ['db/leak.sql'],
  },
  {
    name: 'a folder linked outside the workspace is not entered',
    setup: (ws, out) => { schema(ws); symlinkSync(out, path.join(ws, 'linked')); },
  },
  {
    name: 'a FIFO named like a SQL file does not hang the audit',
    setup: (ws) => { schema(ws); mkfifo(path.join(ws, 'db/pipe.sql')); },
  },
  {
    name: 'a link to /dev/zero is refused, not read',
    setup: (ws) => { schema(ws); symlinkSync('/dev/zero', path.join(ws, 'db/zero.sql')); },
    mentions: ['db/zero.sql'],
  },
  {
    name: 'a link to /dev/zero named package.json and a link loop',
    setup: (ws) => { schema(ws); symlinkSync('/dev/zero', path.join(ws, 'package.json')); symlinkSync(path.join(ws, 'loop-b.sql'), path.join(ws, 'loop-a.sql')); symlinkSync(path.join(ws, 'loop-a.sql'), path.join(ws, 'loop-b.sql')); },
  },
  {
    name: 'an unreadable file is reported by name',
    skip: isRoot && 'root reads any file',
    setup: (ws) => { schema(ws); w(path.join(ws, 'db/locked.sql'), 'SELECT 1;'); chmodSync(path.join(ws, 'db/locked.sql'), 0); },
    mentions: ['db/locked.sql'],
  },
  {
    name: 'deeply nested package.json (200,000 levels)',
    setup: (ws) => { schema(ws); w(path.join(ws, 'package.json'), `{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}`); },
    mentions: ['package.json'],
  },
  {
    name: 'deeply nested .perfauditrc.json (200,000 levels)',
    setup: (ws) => { schema(ws); w(path.join(ws, '.perfauditrc.json'), `{"rules":${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}}`); },
    mentions: ['.perfauditrc.json'],
  },
  {
    name: 'raised limits are clamped: a 60 MB single-line .sql with maxFileSizeKb 10^9',
    setup: (ws) => { schema(ws); w(path.join(ws, '.perfauditrc.json'), '{"maxFileSizeKb": 1000000000}'); w(path.join(ws, 'db/huge.sql'), `SELECT ${'a,'.repeat(30_000_000)}b FROM users;`); },
    mentions: ['db/huge.sql'],
  },
  {
    name: 'invalid UTF-8 in a SQL file is named',
    setup: (ws) => { schema(ws); w(path.join(ws, 'db/latin1.sql'), Buffer.from([0x53, 0x45, 0x4c, 0x45, 0x43, 0x54, 0x20, 0xe9, 0xff, 0xfe, 0x3b])); },
    mentions: ['db/latin1.sql'],
  },
  {
    name: 'an unterminated block comment is named',
    setup: (ws) => { schema(ws); w(path.join(ws, 'db/open.sql'), 'SELECT id FROM users; /* never closed\nSELECT 1;\n'); },
    mentions: ['db/open.sql'],
  },
  {
    name: 'a truncated package.json is named',
    setup: (ws) => { schema(ws); w(path.join(ws, 'package.json'), '{"name": "app", "dependencies": {"react": "^18'); },
    mentions: ['package.json'],
  },
  {
    name: 'a garbage lockfile is named',
    setup: (ws) => { w(path.join(ws, 'package.json'), '{"name":"app","dependencies":{"react":"^18.0.0"},"devDependencies":{"vite":"^5"}}'); w(path.join(ws, 'package-lock.json'), '\u0000\u0001garbage{{{'); w(path.join(ws, 'yarn.lock'), '"a@^1, a@^1.2":\n  version "1\n  resolved'); },
    mentions: ['package-lock.json'],
  },
  {
    name: 'a garbage stats.json in the build output is named, its content not echoed',
    setup: (ws, out) => { w(path.join(ws, 'package.json'), '{"name":"app","devDependencies":{"webpack":"^5"}}'); mkdirSync(path.join(ws, 'dist'), { recursive: true }); w(path.join(ws, 'dist/app.js'), 'console.log(1)'); symlinkSync(path.join(out, 'passwd'), path.join(ws, 'dist/stats.json')); },
  },
  {
    name: 'nginx: mutually including globs',
    setup: (ws) => { w(path.join(ws, 'nginx/a.conf'), 'include *.conf;\nhttp { include *.conf; }\n'); w(path.join(ws, 'nginx/b.conf'), 'include *.conf;\nserver { include *.conf; }\n'); },
  },
  {
    name: 'nginx: catastrophic user regexes in location ~ and map',
    setup: (ws) => { w(path.join(ws, 'nginx/nginx.conf'), `http {\n  gzip on;\n  server {\n    listen 80;\n    location ~* ^(a+)+$ { expires 1y; }\n    location ~ ^((a|aa)+)+b$ { root /x; }\n    location ~ (.*a){25} { add_header X 1; }\n    location /${'a'.repeat(5000)} { }\n  }\n}\n`); },
  },
  {
    name: 'hosting: _headers splats and a netlify.toml with long lines',
    setup: (ws) => {
      w(path.join(ws, 'public/_headers'), `/${'*'.repeat(40)}a\n  Cache-Control: max-age=60\n/${'*/'.repeat(300)}x\n  Cache-Control: no-cache\n`);
      w(path.join(ws, 'netlify.toml'), `[[headers]]\n  for = "/${'*'.repeat(4000)}"\n  [headers.values]\n    Cache-Control = "${'a '.repeat(6000)}"\n`);
    },
  },
  {
    name: '100,000 ignore patterns',
    setup: (ws) => { schema(ws); w(path.join(ws, '.perfauditrc.json'), JSON.stringify({ ignore: Array.from({ length: 100_000 }, (_, i) => `${'*/'.repeat(i % 30)}x${i}/**`) })); },
    mentions: ['.perfauditrc.json'],
  },
  {
    name: 'bundle.outputDirs with 30 stars, "..", and an absolute path',
    setup: (ws) => { w(path.join(ws, 'package.json'), '{"name":"app","devDependencies":{"vite":"^5"}}'); w(path.join(ws, '.perfauditrc.json'), JSON.stringify({ bundle: { outputDirs: [`${'*/'.repeat(30)}dist`, '../outside', '/etc'], assetDirs: ['..', '/'] } })); },
    mentions: ['.perfauditrc.json'],
  },
  {
    name: 'deeply nested code: JS expression, SQL parentheses (PostgreSQL and MySQL), nginx blocks, Apache sections, TOML tables, Python',
    setup: (ws) => {
      schema(ws);
      w(path.join(ws, 'src/deep.js'), `const q = db.query(\`SELECT 1\`);\nconst x = ${'('.repeat(50_000)}1${')'.repeat(50_000)};\n`);
      w(path.join(ws, 'db/deep.sql'), `SELECT ${'('.repeat(50_000)}1${')'.repeat(50_000)} FROM users;\n`);
      w(path.join(ws, 'db/mysql/deep.sql'), `SELECT ${'('.repeat(50_000)}1${')'.repeat(50_000)} FROM users;\n`);
      w(path.join(ws, 'nginx/nginx.conf'), `http { ${'location / { '.repeat(50_000)}${'} '.repeat(50_000)} }\n`);
      w(path.join(ws, '.htaccess'), `${'<IfModule a>\n'.repeat(50_000)}${'</IfModule>\n'.repeat(50_000)}`);
      w(path.join(ws, 'netlify.toml'), `x = ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
      w(path.join(ws, 'app/settings.py'), `DATABASES = ${'{"a": '.repeat(50_000)}1${'}'.repeat(50_000)}\n`);
      w(path.join(ws, 'pnpm-lock.yaml'), `lockfileVersion: '9.0'\n${'a:\n'.repeat(1)}${Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')}\n`);
    },
  },
  {
    name: 'many files: 20,000 tiny SQL files',
    setup: (ws) => { schema(ws); for (let i = 0; i < 20_000; i++) w(path.join(ws, `db/m/${String(i).padStart(5, '0')}.sql`), `SELECT ${i};\n`); },
  },
  {
    name: 'huge structures within the size limit: 200,000 dependencies, a 100,000-entry lockfile, 50,000 <img>, 20,000 nginx servers',
    setup: (ws) => {
      const deps = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`p${i}`, '^1.0.0']));
      w(path.join(ws, 'package.json'), JSON.stringify({ name: 'app', dependencies: { react: '^18', ...deps }, devDependencies: { vite: '^5' } }));
      const packages: Record<string, unknown> = { '': { name: 'app' } };
      for (let i = 0; i < 100_000; i++) packages[`node_modules/p${i}`] = { version: `1.${i % 7}.0` };
      w(path.join(ws, 'package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 3, packages }));
      w(path.join(ws, 'yarn.lock'), Array.from({ length: 50_000 }, (_, i) => `"p${i}@^1, p${i}@^1.2":\n  version "1.${i % 9}.0"\n`).join('\n'));
      w(path.join(ws, 'public/index.html'), `<html><body>${'<img src="/a.png">'.repeat(50_000)}</body></html>`);
      w(path.join(ws, 'nginx/nginx.conf'), `http {\n${'server { listen 80; location ~ ^/(a|b)+$ { expires 1y; } }\n'.repeat(20_000)}}\n`);
    },
  },
  {
    name: 'pathological single lines: a 2 MB SQL line of 100,000 statements, a 1 MB .env line, a 1 MB JS string',
    setup: (ws) => {
      schema(ws);
      w(path.join(ws, 'db/one-line.sql'), 'SELECT id FROM users WHERE email = $1;'.repeat(50_000));
      w(path.join(ws, '.env'), `DATABASE_URL=postgres://u:pw@h/db?${'a=b&'.repeat(250_000)}\n`);
      w(path.join(ws, 'src/big.ts'), `export const q = sql\`SELECT * FROM users WHERE ${'id = 1 OR '.repeat(100_000)}id = 2\`;\n`);
    },
  },
  {
    name: 'odd names: spaces, unicode, a leading dash, newlines in a file name',
    setup: (ws) => {
      schema(ws);
      w(path.join(ws, 'db/with space é 字.sql'), 'SELECT * FROM users;\n');
      w(path.join(ws, 'db/-rf.sql'), 'SELECT * FROM users;\n');
      w(path.join(ws, 'db/new\nline.sql'), 'SELECT * FROM users;\n');
    },
  },
  {
    name: 'a catastrophic ignore glob against long file names',
    setup: (ws) => {
      schema(ws);
      w(path.join(ws, '.perfauditrc.json'), JSON.stringify({ ignore: ['*a*a*a*a*a*a*a*a*a*a*a*a*b', `${'**/'.repeat(60)}x`] }));
      for (let i = 0; i < 20; i++) w(path.join(ws, `db/${'a'.repeat(60 + i)}.sql`), 'SELECT 1;\n');
    },
  },
  {
    name: 'TypeScript that makes the parser backtrack (A<(A<(…) in six server files',
    setup: (ws) => {
      w(path.join(ws, 'package.json'), '{"name":"api","dependencies":{"express":"^4"}}');
      for (let i = 0; i < 6; i++) w(path.join(ws, `src/s${i}.ts`), `import express from 'express';\nconst app = express();\nconst x = ${'A<('.repeat(300 + i)};\napp.listen(3000);\n`);
      w(path.join(ws, 'src/t.ts'), `import express from 'express';\nconst app = express();\nconst y = ${'A<'.repeat(1500)};\n`);
    },
    mentions: ['src/s0.ts', 'src/s5.ts'],
  },
  {
    name: 'a binary file named .sql and an empty one',
    setup: (ws) => { schema(ws); w(path.join(ws, 'db/blob.sql'), Buffer.from([0, 1, 2, 3, 255, 0, 10])); w(path.join(ws, 'db/empty.sql'), ''); },
    mentions: ['db/blob.sql'],
  },
  {
    name: 'secrets in .env, settings.py and code are never echoed',
    setup: (ws) => {
      w(path.join(ws, 'package.json'), '{"name":"api","dependencies":{"@prisma/client":"^5","pg":"^8","express":"^4"}}');
      w(path.join(ws, '.env'), `DATABASE_URL=postgres://app:${SECRET}@db.internal:5432/app?connection_limit=1\n`);
      w(path.join(ws, 'prisma/schema.prisma'), 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel User {\n  id Int @id\n  email String\n}\n');
      w(path.join(ws, 'src/db.js'), `const { Client } = require('pg');\nexports.handler = async () => {\n  const c = new Client({ connectionString: 'postgres://app:${SECRET}@db/app' });\n  await c.connect();\n  return c.query('SELECT * FROM users');\n};\n`);
      w(path.join(ws, 'app/settings.py'), `DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'PASSWORD': '${SECRET}', 'HOST': 'db'}}\n`);
    },
    args: () => ['--format', 'json'],
  },
  {
    name: 'secrets are not echoed in SARIF either',
    setup: (ws) => {
      w(path.join(ws, 'package.json'), '{"name":"api","dependencies":{"@prisma/client":"^5"}}');
      w(path.join(ws, '.env'), `DATABASE_URL="postgresql://app:${SECRET}@db:5432/app?schema=public&connection_limit=1"\n`);
      w(path.join(ws, 'prisma/schema.prisma'), 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n');
    },
    args: () => ['--format', 'sarif'],
  },
  {
    name: '-o through a planted link is refused; the outside file is untouched',
    setup: (ws, out) => { schema(ws); symlinkSync(path.join(out, 'target.txt'), path.join(ws, 'report.json')); },
    args: () => ['--format', 'json', '-o', 'report.json'],
    mentions: ['report.json'],
  },
  {
    name: '--write-baseline through a planted link and into a linked folder is refused',
    setup: (ws, out) => { schema(ws); symlinkSync(path.join(out, 'target.txt'), path.join(ws, 'baseline.json')); symlinkSync(out, path.join(ws, 'reports')); },
    args: () => ['--write-baseline', 'baseline.json', '-o', 'reports/out.txt'],
    mentions: ['baseline.json'],
  },
  {
    name: '--baseline linked to an outside file does not echo its content',
    setup: (ws, out) => { schema(ws); symlinkSync(path.join(out, 'passwd'), path.join(ws, 'base.json')); },
    args: () => ['--baseline', 'base.json'],
    mentions: ['base.json'],
  },
  {
    name: 'perf-audit bundle with linked stats, metafile and source maps',
    setup: (ws, out) => {
      w(path.join(ws, 'package.json'), '{"name":"app","devDependencies":{"esbuild":"^0.20"}}');
      w(path.join(ws, 'dist/app.js'), 'console.log(1)\n//# sourceMappingURL=app.js.map\n');
      symlinkSync(path.join(out, 'passwd'), path.join(ws, 'dist/app.js.map'));
      symlinkSync(path.join(out, 'passwd'), path.join(ws, 'dist/meta.json'));
      symlinkSync('/dev/zero', path.join(ws, 'dist/vendor.js'));
      mkfifo(path.join(ws, 'dist/fifo.js'));
      mkdirSync(path.join(ws, 'node_modules/left-pad'), { recursive: true });
      symlinkSync(path.join(out, 'passwd'), path.join(ws, 'node_modules/left-pad/package.json'));
    },
    args: () => ['--format', 'json'],
  },
];

/** Every file under `dir` with its hash (links listed, not followed). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), e.isFile() ? createHash('sha1').update(readFileSync(p)).digest('hex') : e.isSymbolicLink() ? 'link' : 'special');
    }
  };
  walk(dir);
  return out;
}

const built = existsSync(CLI);
for (const c of CASES) {
  test(`bad input: ${c.name}`, { skip: !built ? 'run npm run build first' : c.skip ?? false, timeout: 60_000 }, () => {
    const base = mkdtempSync(path.join(tmpdir(), 'perf-audit-bad-'));
    const ws = path.join(base, 'ws');
    const outside = path.join(base, 'outside');
    mkdirSync(ws);
    mkdirSync(outside);
    w(path.join(outside, 'secret.sql'), `-- ${MARKER}\nCREATE TABLE ${MARKER.replace(/-/g, '_')} (id int);\nSELECT * FROM x WHERE y = '${MARKER}';\n`);
    w(path.join(outside, 'passwd'), `root:x:0:0:${MARKER}:/root:/bin/bash\n`);
    w(path.join(outside, 'target.txt'), `${MARKER}\n`);
    w(path.join(outside, 'schema.sql'), `CREATE TABLE orders (id int, note text); -- ${MARKER}\n`);
    try {
      c.setup(ws, outside);
      const before = snapshot(outside);
      const bundle = c.name.startsWith('perf-audit bundle');
      const args = [CLI, ...(bundle ? ['bundle'] : []), ws, ...(c.args?.(ws, outside) ?? [])];
      const t0 = Date.now();
      const r = spawnSync(process.execPath, args, { cwd: ws, encoding: 'utf8', timeout: BUDGET_MS * 3, maxBuffer: 256 << 20 });
      const ms = Date.now() - t0;
      if (process.env.PERF_AUDITOR_BAD_INPUT_TIMES) console.log(`${c.name}: ${ms} ms`);
      const out = `${r.stdout}\n${r.stderr}`;
      assert.equal(r.signal, null, `killed by ${r.signal} after ${ms} ms (hang)`);
      assert.ok(ms < BUDGET_MS, `took ${ms} ms`);
      assert.ok([0, 1, 2].includes(r.status ?? -1), `exit ${r.status}: ${r.stderr.slice(0, 2000)}`);
      assert.ok(!out.includes(MARKER), `outside content in the output: …${out.slice(Math.max(0, out.indexOf(MARKER) - 200), out.indexOf(MARKER) + 50)}…`);
      assert.ok(!out.includes(SECRET), `a secret in the output: …${out.slice(Math.max(0, out.indexOf(SECRET) - 200), out.indexOf(SECRET) + 50)}…`);
      const after = snapshot(outside);
      assert.deepEqual([...after], [...before], 'files outside the workspace changed');
      for (const f of readdirSync(ws)) if (f.endsWith('.tmp')) assert.fail(`temporary file left behind: ${f}`);
      for (const m of c.mentions ?? []) assert.ok(typeof m === 'string' ? out.includes(m) : m.test(out), `the output does not name ${String(m)}:\n${out.slice(0, 3000)}`);
      for (const f of ['report.json', 'baseline.json']) if (existsSync(path.join(ws, f)) && lstatSync(path.join(ws, f)).isFile()) assert.ok(!readFileSync(path.join(ws, f), 'utf8').includes(MARKER));
    } finally {
      spawnSync('chmod', ['-R', 'u+rwX', base]);
      rmSync(base, { recursive: true, force: true });
    }
  });
}
