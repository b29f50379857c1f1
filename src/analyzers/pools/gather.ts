/**
 * The connection-pool gatherer: JS/TS files (clients per request, pool options, Prisma URLs),
 * Python files (Django settings' CONN_MAX_AGE, SQLAlchemy NullPool), `.env*` files and Prisma
 * schemas (`connection_limit`), plus the files that tell what kind of project it is (requirements,
 * pyproject.toml, serverless / Vercel / Netlify configs).
 *
 * Workspace-dependent (serverless markers, the web framework of a Python project, split Django
 * settings); per-file facts are memoised by content, so re-gathering is a lookup.
 */
import type { FileGatherer, WorkspaceView } from '../../kernel/contracts.js';
import { isSourcePath } from '../../lang/javascript/ast.js';
import { dirOf, nearestFile } from '../../lang/javascript/edits.js';
import { connectionLimitsIn, poolFacts, type ConnectionLimit, type PoolFacts } from './pool-model.js';
import { tokenize } from '../../lang/python/tokenize.js';
import { djangoFacts, isDjangoSettingsPath, type DjangoFacts } from './django.js';
import { nullPoolUses, type NullPoolUse } from './sqlalchemy.js';
import { baseOf } from '../../kernel/text.js';
import { textMemo } from '../../kernel/memo.js';

export const POOL_GATHERER_ID = 'pool';

export interface PythonPoolFacts {
  django?: DjangoFacts;
  nullPool: NullPoolUse[];
  /** The file imports a web framework itself. */
  importsWeb?: string;
  mentionsPgbouncer: boolean;
}

export type PoolArtifact =
  | { kind: 'js'; facts: PoolFacts; serverless?: string }
  | { kind: 'env' | 'prisma'; connectionLimits: ConnectionLimit[]; serverless?: string }
  | {
      kind: 'python';
      facts: PythonPoolFacts;
      /** The web framework the project uses (from its requirements or imports), if any. */
      webFramework?: string;
      serverless?: string;
      /** Another settings module of the same folder sets CONN_MAX_AGE (split settings). */
      connMaxAgeElsewhere?: string;
      /** Tests, test settings and migration environments (Alembic's env.py): not the served app. */
      testFile: boolean;
    };

const PY_SKIP = /(?:^|\/)(?:node_modules|\.venv|venv|env|site-packages|__pycache__|\.tox|build|dist)\//;
const PROJECT_FILES = /^(?:requirements[\w.-]*\.txt|pyproject\.toml|Pipfile|setup\.cfg|serverless\.ya?ml|vercel\.json|netlify\.toml|zappa_settings\.json|wrangler\.(?:toml|jsonc?))$/;
const WEB = /\b(django|flask|fastapi|starlette|sanic|quart|aiohttp|tornado|falcon|pyramid|bottle|litestar)\b/i;
const SERVERLESS_MARKERS = ['serverless.yml', 'serverless.yaml', 'vercel.json', 'netlify.toml', 'zappa_settings.json', 'wrangler.toml', 'wrangler.json', 'wrangler.jsonc'];

export function matchesPoolPath(path: string): boolean {
  if (isSourcePath(path)) return true;
  if (/(?:^|\/)node_modules\//.test(path)) return false;
  const b = baseOf(path);
  if (/\.py$/.test(b)) return !PY_SKIP.test(path);
  if (/^\.env(?:\.[\w.-]+)?$/.test(b) || /\.prisma$/.test(b)) return true;
  return PROJECT_FILES.test(b);
}

const memoized = textMemo();

export function pythonPoolFacts(path: string, text: string): PythonPoolFacts | undefined {
  // settings.py & co by name, or any module that looks like Django settings (DJANGO_SETTINGS_MODULE can name anything).
  const settings = isDjangoSettingsPath(path) || (/^DATABASES\s*=/m.test(text) && /^(?:INSTALLED_APPS|ROOT_URLCONF|MIDDLEWARE|WSGI_APPLICATION|ASGI_APPLICATION)\s*=/m.test(text));
  if (!text.includes('NullPool') && !(settings && text.includes('DATABASES'))) return undefined;
  if (text.length > 1_000_000) return undefined;
  const tokens = tokenize(text);
  const django = settings ? djangoFacts(text, tokens) : undefined;
  const nullPool = nullPoolUses(text, tokens);
  if (!django && !nullPool.length) return undefined;
  const imported = [...text.matchAll(/^[ \t]*(?:from|import)[ \t]+([\w.]+)/gm)].map((m) => m[1]).join(' ');
  const web = WEB.exec(imported);
  return { ...(django ? { django } : {}), nullPool, ...(web ? { importsWeb: web[1].toLowerCase() } : {}), mentionsPgbouncer: /pgbouncer|:6432\b/i.test(text) };
}

function serverlessMarker(path: string, ws: WorkspaceView): string | undefined {
  for (const m of SERVERLESS_MARKERS) {
    const f = nearestFile(path, m, ws);
    if (f) return f.path;
  }
  return undefined;
}

function webFramework(path: string, facts: PythonPoolFacts, ws: WorkspaceView): string | undefined {
  if (facts.importsWeb) return facts.importsWeb;
  if (facts.django) return 'django';
  for (const name of ['requirements.txt', 'requirements/base.txt', 'pyproject.toml', 'Pipfile', 'setup.cfg', 'setup.py']) {
    const f = nearestFile(path, name, ws);
    const m = f ? WEB.exec(f.text) : null;
    if (m) return m[1].toLowerCase();
  }
  if (nearestFile(path, 'manage.py', ws)) return 'django';
  return undefined;
}

/** Another module in the same folder (split settings) that sets CONN_MAX_AGE (bounded scan). */
function connMaxAgeElsewhere(path: string, ws: WorkspaceView): string | undefined {
  const dir = dirOf(path);
  const prefix = dir ? `${dir}/` : '';
  let n = 0;
  for (const p of ws.paths()) {
    if (p === path || !p.startsWith(prefix) || p.slice(prefix.length).includes('/') || !p.endsWith('.py')) continue;
    if (++n > 50) break;
    const t = ws.textOf(p);
    if (t && /CONN_MAX_AGE|conn_max_age/.test(t) && !/CONN_MAX_AGE['"]?\s*(?:[\]:=]+\s*)?(?:['"]\s*)?[:=]\s*0\s*[,}\n]/.test(t)) return p;
  }
  return undefined;
}

function envLimits(text: string): ConnectionLimit[] {
  if (!text.includes('connection_limit=')) return [];
  return connectionLimitsIn(text, 0);
}

export const poolGatherer: FileGatherer<PoolArtifact> = {
  id: POOL_GATHERER_ID,
  description: 'database client and pool configurations',
  workspaceDependent: true,
  matches: matchesPoolPath,
  gather(path, text, ws) {
    const b = baseOf(path);
    if (isSourcePath(path)) {
      // Test code is gathered (settings may declare it runtime); the rules skip it by the kernel's code roles.
      const facts = memoized(`js:${path}`, text, () => poolFacts(path, text));
      if (!facts) return undefined;
      const sl = serverlessMarker(path, ws);
      return { kind: 'js', facts, ...(sl ? { serverless: sl } : {}) };
    }
    if (/^\.env(?:\.[\w.-]+)?$/.test(b) || /\.prisma$/.test(b)) {
      const limits = envLimits(text);
      if (!limits.length) return undefined;
      const sl = serverlessMarker(path, ws);
      return { kind: /\.prisma$/.test(b) ? 'prisma' : 'env', connectionLimits: limits, ...(sl ? { serverless: sl } : {}) };
    }
    if (/\.py$/.test(b)) {
      const facts = memoized(`py:${path}`, text, () => pythonPoolFacts(path, text));
      if (!facts) return undefined;
      const web = facts.nullPool.length ? webFramework(path, facts, ws) : undefined;
      const sl = serverlessMarker(path, ws);
      const elsewhere = facts.django?.problems.some((p) => p.problem === 'absent') ? connMaxAgeElsewhere(path, ws) : undefined;
      return {
        kind: 'python', facts,
        // Tests and migration environments (Alembic's env.py uses NullPool on purpose) are not the served app.
        testFile: /(?:^|\/)(?:tests?|testing|alembic|migrations)\/|(?:^|\/)(?:test_[^/]*|[^/]*_test|conftest)\.py$/.test(path) || /^[^\S\n\r\u2028\u2029]*from\s+alembic\s+import/m.test(text),
        ...(web ? { webFramework: web } : {}), ...(sl ? { serverless: sl } : {}), ...(elsewhere ? { connMaxAgeElsewhere: elsewhere } : {}),
      };
    }
    return undefined;
  },
};
