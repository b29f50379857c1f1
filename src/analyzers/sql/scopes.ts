/**
 * Schema scopes: a workspace can hold several databases — the apps of a monorepo, a Go service with
 * MySQL, PostgreSQL and SQLite migration folders side by side, two crates with their own migrations.
 * Each gets its own schema, so that one database's tables never decide another's findings.
 *
 * A scope is a project root (the nearest folder above the file with a project manifest: package.json,
 * go.mod, Cargo.toml, pyproject.toml…) plus the dialect its path names, if any (a folder such as
 * `migration/sqlite` or `db_mysql`, a file such as `sqlite.sql`). A file that adds no schema (queries
 * in application code or in .sql files) is judged against, in this order: its own scope; the one scope
 * of its project (or the one of its dialect when its project has several); the scopes of the workspace
 * packages its package.json depends on (an app using a `packages/db` schema); the nearest enclosing
 * project's; and the only scope of the workspace when there is just one.
 */
import { Schema } from './schema.js';
import type { Dialect, SchemaFragment } from './types.js';

/** Files that mark a project root (read: only package.json, for its name and dependencies). */
export const MANIFEST_NAMES = [
  'package.json', 'go.mod', 'Cargo.toml', 'pyproject.toml', 'setup.py', 'setup.cfg', 'Gemfile', 'composer.json', 'pom.xml',
  'build.gradle', 'build.gradle.kts', 'mix.exs', 'deno.json',
];
const MANIFESTS = new Set(MANIFEST_NAMES.map((n) => n.toLowerCase()));

/** What a package.json tells about scopes: the package's name and the packages it depends on. */
export interface Manifest {
  name?: string;
  deps: string[];
}

/** A project manifest outside node_modules (package.json is read for its dependencies; the others only mark project roots). */
export function isManifest(path: string): boolean {
  return MANIFESTS.has(baseName(path)) && !/(?:^|\/)node_modules\//.test(path);
}

export function readManifest(text: string): Manifest {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const deps: string[] = [];
    for (const k of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const d = j[k];
      if (d && typeof d === 'object') deps.push(...Object.keys(d));
    }
    return { ...(typeof j.name === 'string' ? { name: j.name } : {}), deps };
  } catch {
    return { deps: [] };
  }
}

function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return (i < 0 ? path : path.slice(i + 1)).toLowerCase();
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

const DIALECT_WORDS: Record<string, Dialect> = {
  mysql: 'mysql', mariadb: 'mysql', sqlite: 'sqlite', sqlite3: 'sqlite', postgres: 'postgresql', postgresql: 'postgresql', pg: 'postgresql', psql: 'postgresql',
};

/**
 * The dialect a path names: a folder whose name holds a dialect word (`sqlite`, `db_mysql`,
 * `postgres-migrations`), or a file that names one database (`sqlite.sql`, `Chinook_MySql.sql`,
 * `schema.postgres.sql`). A numbered migration's name (`001_pg_trgm.sql`) describes a step, not its
 * database, and `pg` in a file name is too often an extension's prefix, so neither counts.
 */
export function pathDialect(relPath: string): Dialect | undefined {
  const parts = relPath.toLowerCase().split('/');
  const file = parts.pop() ?? '';
  let found: Dialect | undefined;
  for (const d of parts) {
    for (const w of d.split(/[_.-]/)) if (DIALECT_WORDS[w]) found = DIALECT_WORDS[w];
  }
  if (found) return found;
  // A numbered migration (`001_pg_trgm.sql`, `V3__mysql_fix.sql`) is one step of its folder's database.
  if (/^v?\d/.test(file)) return undefined;
  const words = file.replace(/\.[a-z0-9]+$/, '').split(/[_.-]/).filter(Boolean);
  const named = [...new Set(words.filter((w) => DIALECT_WORDS[w] && w !== 'pg' && w !== 'psql').map((w) => DIALECT_WORDS[w]))];
  return named.length === 1 ? named[0] : undefined;
}

function majorityOf(votes: ReadonlyMap<Dialect, number>): Dialect | undefined {
  let best: Dialect | undefined;
  for (const [d, n] of votes) if (!best || n > votes.get(best)!) best = d;
  return best;
}

interface Scope {
  key: string;
  root: string;
  dialect: Dialect | undefined;
  schema: Schema;
}

export class SchemaScopes {
  private readonly scopes = new Map<string, Scope>();
  private readonly byRoot = new Map<string, Scope[]>();
  private readonly roots: Set<string>;
  private readonly packages = new Map<string, string>();
  private readonly memo = new Map<string, Schema>();
  /** Scope keys folded into their project's single scope (one dialect only). */
  private readonly merged = new Map<string, string>();
  private readonly empty = Schema.build([], undefined);

  private constructor(
    allPaths: readonly string[],
    private readonly manifests: ReadonlyMap<string, Manifest>,
  ) {
    this.roots = new Set(allPaths.filter((p) => MANIFESTS.has(baseName(p)) && !/(?:^|\/)node_modules\//.test(p)).map(dirOf));
    for (const [path, m] of manifests) if (m.name) this.packages.set(m.name, dirOf(path));
  }

  /**
   * One schema per scope from the fragments (in replay order), `dialectOf` the parsed dialect of each
   * file (a scope's dialect is the configured one, else the one its path names, else its files' majority).
   */
  static build(fragments: readonly SchemaFragment[], allPaths: readonly string[], manifests: ReadonlyMap<string, Manifest>, configured: Dialect | undefined, dialectOf: (path: string) => Dialect | undefined = () => undefined): SchemaScopes {
    const s = new SchemaScopes(allPaths, manifests);
    const groups = new Map<string, { root: string; named: Dialect | undefined; fragments: SchemaFragment[]; votes: Map<Dialect, number> }>();
    for (const f of fragments) {
      const { key, root, named } = s.keyOf(f.file);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { root, named, fragments: [], votes: new Map() }));
      g.fragments.push(f);
      const d = f.dialect ?? dialectOf(f.file);
      if (d) g.votes.set(d, (g.votes.get(d) ?? 0) + 1 + f.tables.length);
    }
    // A dialect folder only splits its project when the project's schema comes in several dialects
    // (memos' mysql/postgres/sqlite folders); a lone `postgres/` folder beside PostgreSQL migrations
    // (an init script, extra indexes) is the same database.
    const byRoot = new Map<string, string[]>();
    for (const [key, g] of groups) byRoot.set(g.root, [...(byRoot.get(g.root) ?? []), key]);
    for (const [root, keys] of byRoot) {
      if (keys.length < 2) continue;
      const dialects = new Set(keys.map((k) => groups.get(k)!.named ?? majorityOf(groups.get(k)!.votes)).filter((d) => d !== undefined));
      if (dialects.size > 1) continue;
      const merged = { root, named: undefined as Dialect | undefined, fragments: [] as SchemaFragment[], votes: new Map<Dialect, number>() };
      for (const f of fragments) if (keys.includes(s.keyOf(f.file).key)) merged.fragments.push(f);
      for (const k of keys) {
        for (const [d, n] of groups.get(k)!.votes) merged.votes.set(d, (merged.votes.get(d) ?? 0) + n);
        groups.delete(k);
        s.merged.set(k, `${root}\u0000`);
      }
      groups.set(`${root}\u0000`, merged);
    }
    for (const [key, g] of groups) {
      const dialect = configured ?? g.named ?? majorityOf(g.votes);
      const scope: Scope = { key, root: g.root, dialect, schema: Schema.build(g.fragments, dialect) };
      s.scopes.set(key, scope);
      const list = s.byRoot.get(g.root) ?? [];
      list.push(scope);
      s.byRoot.set(g.root, list);
    }
    return s;
  }

  private rootOf(path: string): string {
    for (let d = dirOf(path); ; d = dirOf(d)) {
      if (this.roots.has(d)) return d;
      if (d === '') return '';
    }
  }

  private keyOf(path: string): { key: string; root: string; named: Dialect | undefined } {
    const root = this.rootOf(path);
    const named = pathDialect(root ? path.slice(root.length + 1) : path);
    return { key: `${root}\u0000${named ?? ''}`, root, named };
  }

  tableCount(): number {
    let n = 0;
    for (const s of this.scopes.values()) n += s.schema.tables.size;
    return n;
  }

  /** The schema a file is judged against (`dialect`: the file's own, to choose among its project's scopes). */
  schemaFor(path: string, dialect?: Dialect): Schema {
    const memoKey = `${path}\u0000${dialect ?? ''}`;
    let s = this.memo.get(memoKey);
    if (!s) {
      s = this.resolve(path, dialect)?.schema ?? this.empty;
      this.memo.set(memoKey, s);
    }
    return s;
  }

  private resolve(path: string, dialect: Dialect | undefined): Scope | undefined {
    if (this.scopes.size <= 1) return this.scopes.values().next().value;
    const { key, root, named } = this.keyOf(path);
    const own = this.scopes.get(this.merged.get(key) ?? key);
    if (own) return own;
    const want = named ?? dialect;
    const pick = (list: readonly Scope[]): Scope | undefined => {
      if (list.length <= 1) return list[0];
      return list.find((x) => want && x.dialect === want) ?? list.find((x) => x.key.endsWith('\u0000')) ?? [...list].sort((a, b) => b.schema.tables.size - a.schema.tables.size)[0];
    };
    const mine = this.byRoot.get(root);
    if (mine) return pick(mine);
    // Workspace packages the project depends on, nearest first (breadth-first through their own dependencies).
    const seen = new Set<string>([root]);
    let layer = [root];
    for (let depth = 0; depth < 4 && layer.length; depth++) {
      const found: Scope[] = [];
      const next: string[] = [];
      for (const r of layer) {
        for (const dep of this.manifests.get(r ? `${r}/package.json` : 'package.json')?.deps ?? []) {
          const dir = this.packages.get(dep);
          if (dir === undefined || seen.has(dir)) continue;
          seen.add(dir);
          next.push(dir);
          found.push(...(this.byRoot.get(dir) ?? []));
        }
      }
      if (found.length) return pick(found);
      layer = next;
    }
    // The nearest enclosing project with a schema.
    for (let d = root; d !== ''; ) {
      d = this.rootOf(d);
      const up = this.byRoot.get(d);
      if (up) return pick(up);
    }
    return undefined;
  }
}
