/**
 * Which database a project's SQL is written for, from the project's own evidence: the Prisma
 * datasource provider, the database drivers in its manifests (package.json, go.mod, Cargo.toml,
 * requirements / pyproject / Pipfile, Gemfile), its ORM configuration (knexfile client, Sequelize
 * dialect, Django ENGINE, Rails database.yml adapter), and folder names (…/postgres/, …/mysql/,
 * …/clickhouse/), which win for the files under them. The SQL's own syntax comes after these
 * (analyze.ts), and the configured fallback only when nothing says.
 *
 * Engines the SQL rules do not model (ClickHouse, SQL Server, Oracle, BigQuery, Snowflake, Cassandra
 * CQL …) are recognised too, so that their SQL is skipped with one note instead of parse errors.
 */
import type { Dialect } from './types.js';

export type UnsupportedEngine = 'clickhouse' | 'mssql' | 'oracle' | 'bigquery' | 'snowflake' | 'cassandra' | 'duckdb' | 'spanner';
export type Engine = Dialect | UnsupportedEngine;

export const ENGINE_LABEL: Record<Engine, string> = {
  postgresql: 'PostgreSQL', mysql: 'MySQL', sqlite: 'SQLite', clickhouse: 'ClickHouse', mssql: 'SQL Server (T-SQL)', oracle: 'Oracle',
  bigquery: 'BigQuery', snowflake: 'Snowflake', cassandra: 'Cassandra CQL', duckdb: 'DuckDB', spanner: 'Spanner (GoogleSQL)',
};

export function isSupported(e: Engine): e is Dialect {
  return e === 'postgresql' || e === 'mysql' || e === 'sqlite';
}

/** What a folder, manifest or configuration says about the engine of the files it covers. */
export interface EngineEvidence {
  engines: Engine[];
  /** Human-readable origin, e.g. "pg in package.json", "the folder name db/clickhouse". */
  source: string;
  /** The folder the evidence applies to ('' for the workspace root). */
  scope: string;
}

/** Names (lower-case) that stand for an engine, in folder names, drivers and ORM settings. */
const NAME_ENGINE: Record<string, Engine> = {
  postgres: 'postgresql', postgresql: 'postgresql', pg: 'postgresql', psql: 'postgresql', pgsql: 'postgresql', cockroachdb: 'postgresql', cockroach: 'postgresql', redshift: 'postgresql',
  postgresql_psycopg2: 'postgresql', postgis: 'postgresql', timescale: 'postgresql', timescaledb: 'postgresql',
  mysql: 'mysql', mysql2: 'mysql', mariadb: 'mysql', trilogy: 'mysql', tidb: 'mysql',
  sqlite: 'sqlite', sqlite3: 'sqlite', 'better-sqlite3': 'sqlite', libsql: 'sqlite', turso: 'sqlite', d1: 'sqlite',
  clickhouse: 'clickhouse', ch: 'clickhouse',
  mssql: 'mssql', sqlserver: 'mssql', tsql: 'mssql', 'sql-server': 'mssql', sql_server: 'mssql',
  oracle: 'oracle', oracledb: 'oracle', plsql: 'oracle',
  bigquery: 'bigquery', googlesql: 'spanner', spanner: 'spanner', snowflake: 'snowflake', cassandra: 'cassandra', cql: 'cassandra', scylla: 'cassandra', duckdb: 'duckdb',
};

/** Folder (or file-name part) names that decide the engine; short generic ones (pg, ch) only as whole folder names. */
const FOLDER_ONLY = new Set(['ch', 'd1']);
/** Words that name other things too in a file name (snowflake ids, an oracle table, PL/SQL helpers): a folder of that name only. */
const NOT_IN_FILE_NAMES = new Set(['snowflake', 'spanner', 'oracle', 'plsql', 'cql', 'scylla', 'turso', 'timescale', 'redshift']);

/**
 * The engine a path names: a folder (`db/clickhouse/…`, `migrations/mysql/…`) or a part of the file
 * name between separators (`schema.postgres.sql`, `x__mssql__schema.sql`). The innermost wins.
 */
export function engineFromPath(path: string): EngineEvidence | undefined {
  const parts = path.toLowerCase().split('/');
  const file = parts.pop() ?? '';
  // Folders first, innermost first: a file under db/mysql/ is MySQL whatever its name says.
  for (let k = parts.length - 1; k >= 0; k--) {
    const segment = parts[k];
    for (const piece of [segment, ...segment.split(/[._-]+/)]) {
      const e = NAME_ENGINE[piece] ?? (piece.endsWith('db') ? NAME_ENGINE[piece.slice(0, -2)] : undefined); // mysqldb, postgresdb (TypeORM layouts)
      if (!e || (FOLDER_ONLY.has(piece) && piece !== segment)) continue;
      const scope = parts.slice(0, k + 1).join('/');
      return { engines: [e], source: `the folder name ${scope}`, scope };
    }
  }
  for (const piece of file.replace(/\.[a-z0-9]+$/, '').split(/[._-]+/)) {
    const e = NAME_ENGINE[piece];
    if (e && !FOLDER_ONLY.has(piece) && !NOT_IN_FILE_NAMES.has(piece)) return { engines: [e], source: `the file name ${file}`, scope: parts.join('/') };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Manifests and ORM configuration
// ---------------------------------------------------------------------------------------------

const NPM_DRIVERS: Record<string, Engine> = {
  pg: 'postgresql', postgres: 'postgresql', 'pg-promise': 'postgresql', 'pg-native': 'postgresql', slonik: 'postgresql', '@neondatabase/serverless': 'postgresql', '@vercel/postgres': 'postgresql',
  '@prisma/adapter-pg': 'postgresql', '@electric-sql/pglite': 'postgresql',
  mysql: 'mysql', mysql2: 'mysql', mariadb: 'mysql', '@planetscale/database': 'mysql', '@prisma/adapter-mariadb': 'mysql',
  'better-sqlite3': 'sqlite', sqlite3: 'sqlite', sqlite: 'sqlite', '@libsql/client': 'sqlite', '@prisma/adapter-libsql': 'sqlite', '@prisma/adapter-better-sqlite3': 'sqlite',
  '@clickhouse/client': 'clickhouse', '@clickhouse/client-web': 'clickhouse', clickhouse: 'clickhouse',
  mssql: 'mssql', tedious: 'mssql', oracledb: 'oracle', 'cassandra-driver': 'cassandra', 'snowflake-sdk': 'snowflake', '@google-cloud/bigquery': 'bigquery', duckdb: 'duckdb', '@duckdb/node-api': 'duckdb',
};

const GO_DRIVERS: [string, Engine][] = [
  ['github.com/lib/pq', 'postgresql'], ['github.com/jackc/pgx', 'postgresql'], ['gorm.io/driver/postgres', 'postgresql'],
  ['github.com/go-sql-driver/mysql', 'mysql'], ['gorm.io/driver/mysql', 'mysql'],
  ['github.com/mattn/go-sqlite3', 'sqlite'], ['modernc.org/sqlite', 'sqlite'], ['github.com/glebarez/sqlite', 'sqlite'], ['github.com/glebarez/go-sqlite', 'sqlite'], ['github.com/ncruces/go-sqlite3', 'sqlite'], ['gorm.io/driver/sqlite', 'sqlite'],
  ['github.com/clickhouse/clickhouse-go', 'clickhouse'], ['github.com/denisenkom/go-mssqldb', 'mssql'], ['github.com/microsoft/go-mssqldb', 'mssql'], ['github.com/godror/godror', 'oracle'],
  ['github.com/sijms/go-ora', 'oracle'], ['github.com/gocql/gocql', 'cassandra'], ['github.com/marcboeker/go-duckdb', 'duckdb'], ['cloud.google.com/go/spanner', 'spanner'], ['cloud.google.com/go/bigquery', 'bigquery'],
];

const PY_DRIVERS: Record<string, Engine> = {
  psycopg: 'postgresql', psycopg2: 'postgresql', 'psycopg2-binary': 'postgresql', 'psycopg-binary': 'postgresql', asyncpg: 'postgresql', pg8000: 'postgresql',
  mysqlclient: 'mysql', pymysql: 'mysql', 'mysql-connector-python': 'mysql', aiomysql: 'mysql', asyncmy: 'mysql',
  aiosqlite: 'sqlite', 'clickhouse-driver': 'clickhouse', 'clickhouse-connect': 'clickhouse', pyodbc: 'mssql', pymssql: 'mssql', 'mssql-django': 'mssql',
  cx_oracle: 'oracle', oracledb: 'oracle', 'cassandra-driver': 'cassandra', 'snowflake-connector-python': 'snowflake', 'google-cloud-bigquery': 'bigquery', duckdb: 'duckdb',
};

const RUBY_GEMS: Record<string, Engine> = { pg: 'postgresql', mysql2: 'mysql', trilogy: 'mysql', sqlite3: 'sqlite', 'activerecord-sqlserver-adapter': 'mssql', 'activerecord-oracle_enhanced-adapter': 'oracle', 'activerecord-clickhouse': 'clickhouse' };

const RUST_CRATES: Record<string, Engine> = {
  'tokio-postgres': 'postgresql', postgres: 'postgresql', 'deadpool-postgres': 'postgresql', rusqlite: 'sqlite', 'libsqlite3-sys': 'sqlite', mysql: 'mysql', mysql_async: 'mysql',
  clickhouse: 'clickhouse', tiberius: 'mssql', scylla: 'cassandra', duckdb: 'duckdb',
};
/** Crates whose features name the database (diesel = { features = ["postgres"] }, sqlx, sea-orm). */
const RUST_FEATURE_CRATES = new Set(['diesel', 'diesel-async', 'diesel_migrations', 'sqlx', 'sea-orm', 'sea-query']);

/** Files read for evidence (besides Prisma schemas, which the SQL analysis parses anyway). */
export function isDialectEvidenceFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (base === 'package.json' || base === 'go.mod' || base === 'cargo.toml' || base === 'gemfile' || base === 'pyproject.toml' || base === 'pipfile' || base === 'settings.py' || base === 'database.yml') return true;
  if (/^requirements[\w.-]*\.(?:txt|in)$/.test(base)) return true;
  if (/^knexfile\.[cm]?[jt]s$/.test(base) || base === '.sequelizerc') return true;
  return /(?:^|\/)config\/(?:config|database)\.(?:json|[cm]?js)$/i.test(path);
}

/** The engines a manifest or configuration file names, with what named them. */
export function evidenceOf(path: string, text: string): { engines: Engine[]; source: string } | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const found = new Map<Engine, string>();
  const add = (e: Engine | undefined, what: string): void => {
    if (e && !found.has(e)) found.set(e, what);
  };
  if (base.endsWith('.prisma')) {
    // provider = "…" inside a datasource block only (generator blocks have providers too)
    const re = /\bdatasource\s+\w+\s*\{([^}]*)\}/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const p = /\bprovider\s*=\s*"(\w+)"/.exec(m[1]);
      if (p) add(NAME_ENGINE[p[1].toLowerCase()], `provider "${p[1]}" in ${base}`);
    }
  } else if (base === 'package.json') {
    let pkg: Record<string, unknown>;
    try {
      pkg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    // Runtime dependencies first: drivers only in devDependencies (test databases) count when no other does.
    for (const field of [['dependencies', 'peerDependencies', 'optionalDependencies'], ['devDependencies']]) {
      for (const f of field) {
        const deps = pkg[f];
        if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) add(NPM_DRIVERS[name], `${name} in ${path}`);
      }
      if (found.size) break;
    }
  } else if (base === 'go.mod') {
    const lower = text.toLowerCase();
    for (const [mod, e] of GO_DRIVERS) if (lower.includes(mod)) add(e, `${mod} in ${path}`);
  } else if (base === 'cargo.toml') {
    rustEvidence(text, (e, what) => add(e, `${what} in ${path}`));
  } else if (base === 'gemfile') {
    const re = /^[ \t]*gem[ \t]+["']([\w-]+)["']/gm;
    for (let m = re.exec(text); m; m = re.exec(text)) add(RUBY_GEMS[m[1]], `gem ${m[1]} in ${path}`);
  } else if (base === 'database.yml') {
    const re = /^[ \t]*adapter:[ \t]*["']?([\w-]+)/gm;
    for (let m = re.exec(text); m; m = re.exec(text)) add(NAME_ENGINE[m[1].toLowerCase().replace(/^postgis$/, 'postgresql')], `adapter ${m[1]} in ${path}`);
  } else if (base === 'settings.py') {
    const re = /django\.db\.backends\.(\w+)/g;
    for (let m = re.exec(text); m; m = re.exec(text)) add(NAME_ENGINE[m[1].toLowerCase()], `ENGINE django.db.backends.${m[1]} in ${path}`);
  } else if (base === 'pyproject.toml' || base === 'pipfile' || base.startsWith('requirements')) {
    // a package name followed by a version, an extra, a quote or the end of the line
    const re = /[A-Za-z][\w.-]*/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const e = PY_DRIVERS[m[0].toLowerCase()];
      if (e && /^[ \t]*(?:[<>=~!;[\]"',\r\n]|$)/.test(text.slice(re.lastIndex, re.lastIndex + 4))) add(e, `${m[0]} in ${path}`);
    }
  } else {
    // knexfile client, Sequelize dialect (config/config.json, .sequelizerc)
    const re = /["']?\b(client|dialect)["']?\s*:\s*["']([\w-]+)["']/g;
    for (let m = re.exec(text); m; m = re.exec(text)) add(NAME_ENGINE[m[2].toLowerCase()], `${m[1]} "${m[2]}" in ${path}`);
  }
  if (!found.size) return undefined;
  return { engines: [...found.keys()], source: [...found.values()].slice(0, 3).join(', ') };
}

/** Database crates and diesel / sqlx / sea-orm features in a Cargo.toml. */
function rustEvidence(text: string, add: (e: Engine | undefined, what: string) => void): void {
  let section = '';
  for (const line of text.split('\n')) {
    const head = /^\s*\[([^\]]+)\]/.exec(line);
    if (head) {
      section = head[1].trim();
      const dep = /(?:^|\.)dependencies\.([\w-]+)$/.exec(section);
      if (dep) add(RUST_CRATES[dep[1]], `crate ${dep[1]}`);
      continue;
    }
    const dep = /^\s*([\w-]+)\s*=/.exec(line);
    const crate = /(?:^|\.)dependencies\.([\w-]+)$/.exec(section)?.[1] ?? (/dependencies$/.test(section) ? dep?.[1] : undefined);
    if (!crate) continue;
    if (dep && /dependencies$/.test(section)) add(RUST_CRATES[dep[1]], `crate ${dep[1]}`);
    if (RUST_FEATURE_CRATES.has(crate)) {
      const re = /["'](?:sqlx-|runtime-[\w-]+-)?(postgres|mysql|sqlite|mssql)["']/g;
      for (let m = re.exec(line); m; m = re.exec(line)) add(NAME_ENGINE[m[1]], `${crate} feature "${m[1]}"`);
    }
  }
}

/** Project evidence per folder; a file takes it from its nearest folder that has any. */
export class DialectEvidence {
  private readonly byDir = new Map<string, { engines: Set<Engine>; sources: string[] }>();

  constructor(files: readonly { path: string; text: string }[]) {
    for (const f of files) {
      const base = f.path.slice(f.path.lastIndexOf('/') + 1).toLowerCase();
      if (!base.endsWith('.prisma') && !isDialectEvidenceFile(f.path)) continue;
      const ev = evidenceOf(f.path, f.text);
      if (!ev) continue;
      let dir = dirOf(f.path);
      // prisma/schema.prisma, config/database.yml, <app>/settings.py speak for the project around them
      if (base.endsWith('.prisma') && /(?:^|\/)prisma$/.test(dir)) dir = dirOf(dir);
      if (base === 'database.yml' || /(?:^|\/)config\/(?:config|database)\./i.test(f.path)) dir = /(?:^|\/)config$/.test(dir) ? dirOf(dir) : dir;
      if (base === 'settings.py') dir = dirOf(dir);
      const cur = this.byDir.get(dir) ?? { engines: new Set<Engine>(), sources: [] };
      for (const e of ev.engines) cur.engines.add(e);
      cur.sources.push(ev.source);
      this.byDir.set(dir, cur);
    }
  }

  /** The evidence that covers `path`: from its nearest folder with evidence, up to the workspace root. */
  forFile(path: string): EngineEvidence | undefined {
    for (let dir = dirOf(path); ; dir = dirOf(dir)) {
      const ev = this.byDir.get(dir);
      if (ev) return { engines: [...ev.engines], source: ev.sources.join('; '), scope: dir };
      if (dir === '') return undefined;
    }
  }

  /** A stable key of everything known (a change re-parses the files). */
  key(): string {
    return [...this.byDir].map(([d, e]) => `${d}:${[...e.engines].sort().join(',')}`).sort().join('|');
  }
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** Constructs only another engine writes: ClickHouse table engines and types, T-SQL, Oracle, CQL. */
const FOREIGN_SYNTAX: [Engine, RegExp][] = [
  ['clickhouse', /\bENGINE\s*=\s*(?:Replicated)?(?:\w*MergeTree|Log|TinyLog|Memory|Distributed|Kafka)\b|\bLowCardinality\s*\(|\bNullable\s*\(\s*(?:String|U?Int\d+|Float\d+|DateTime)|\bMATERIALIZE\s+(?:PROJECTION|COLUMN|INDEX)\b|\bDateTime64\s*\(/],
  ['mssql', /^[ \t]*GO[ \t]*$|\bNVARCHAR\s*\(\s*MAX\s*\)|\bIDENTITY\s*\(\s*\d+\s*,\s*\d+\s*\)|\[dbo\]\.|\bdbo\.\w|\bSET\s+NOCOUNT\s+ON\b/im],
  ['oracle', /\bVARCHAR2\s*\(|\bNUMBER\s*\(\s*\d+|\bNVARCHAR2\b/i],
  ['cassandra', /\bCREATE\s+KEYSPACE\b|\bWITH\s+CLUSTERING\s+ORDER\b|\bPRIMARY\s+KEY\s*\(\s*\(/i],
  ['spanner', /\bINTERLEAVE\s+IN\s+PARENT\b|\bSTRING\s*\(\s*(?:MAX|\d+)\s*\)|\bARRAY<\w+>/i],
];

/** An engine the SQL rules do not model, when the text is unmistakably written for one. */
export function foreignSyntax(text: string): UnsupportedEngine | undefined {
  const head = text.length > 100_000 ? text.slice(0, 100_000) : text;
  for (const [e, re] of FOREIGN_SYNTAX) if (re.test(head)) return e as UnsupportedEngine;
  return undefined;
}
