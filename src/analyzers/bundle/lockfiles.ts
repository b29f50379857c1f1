/**
 * Lockfile readers: package-lock.json / npm-shrinkwrap.json (v1, v2, v3), pnpm-lock.yaml (v5, v6,
 * v9) and yarn.lock (v1 and Berry). Each gives the installed package instances with their version,
 * dev flag (when the lockfile records it), dependencies and the offset span of their entry, so
 * findings can point at the line. The YAML forms are read line by line for the subset pnpm and
 * yarn write; nothing is evaluated.
 */
import { getNodeValue, parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { Span } from '../../kernel/model.js';
import { tooDeeplyNested } from '../../kernel/json.js';
import { cutTail } from '../../kernel/linear.js';

export interface LockPackage {
  name: string;
  version: string;
  /** npm: "node_modules/a/node_modules/b"; pnpm: "/a@1.0.0"; yarn: the entry header. */
  key: string;
  span: Span;
  dev?: boolean;
  dependencies: Record<string, string>;
  /** yarn: the descriptors (name@range) this entry satisfies. */
  descriptors?: string[];
  /**
   * pnpm v6/v9: the dependencies of each peer variant of the instance ("(zod@4.1.13)" → its
   * dependencies, versions with their own peer suffixes), where the lockfile records them. pnpm
   * installs one copy per variant, and the variants' dependencies differ (ai with zod 4.1 pulls
   * zod 4.1, ai with zod 4.4 zod 4.4); `dependencies` is their union.
   */
  variants?: Record<string, Record<string, string>>;
}

export interface Lockfile {
  kind: 'npm' | 'pnpm' | 'yarn-v1' | 'yarn-berry';
  packages: LockPackage[];
  /** Direct dependencies of the root project, when the lockfile records them. */
  direct?: { prod: string[]; dev: string[] };
  /**
   * Workspace members the lockfile records (npm `packages` entries of workspace folders, pnpm
   * `importers` other than ".", yarn Berry `name@workspace:folder` entries), with their direct
   * runtime dependencies: name → range (npm, yarn) or installed version (pnpm).
   */
  workspaces?: LockWorkspace[];
  /** pnpm: the root project's runtime dependencies, name → installed version (with its peer suffix, "6.0.188(zod@4.1.13)"). */
  rootProd?: Record<string, string>;
}

export interface LockWorkspace {
  /** Folder relative to the lockfile's, e.g. "packages/web". */
  path: string;
  prod: Record<string, string>;
}

export function lockfileKind(path: string): Lockfile['kind'] | undefined {
  const b = path.slice(path.lastIndexOf('/') + 1);
  if (b === 'package-lock.json' || b === 'npm-shrinkwrap.json') return 'npm';
  if (b === 'pnpm-lock.yaml') return 'pnpm';
  if (b === 'yarn.lock') return 'yarn-v1';
  return undefined;
}

export function parseLockfile(path: string, text: string): Lockfile | undefined {
  const kind = lockfileKind(path);
  if (kind === 'npm') return parseNpmLock(text);
  if (kind === 'pnpm') return parsePnpmLock(text);
  if (kind === 'yarn-v1') return parseYarnLock(text);
  return undefined;
}

// ---------------------------------------------------------------- npm

function prop(node: JsonNode | undefined, key: string): JsonNode | undefined {
  return node?.type === 'object' ? node.children?.find((c) => c.children?.[0]?.value === key)?.children?.[1] : undefined;
}

function nameFromKey(key: string): string {
  const i = key.lastIndexOf('node_modules/');
  return i < 0 ? key : key.slice(i + 'node_modules/'.length);
}

export function parseNpmLock(text: string): Lockfile | undefined {
  if (tooDeeplyNested(text)) return undefined;
  const root = parseTree(text, [], { allowTrailingComma: true });
  if (!root || root.type !== 'object') return undefined;
  const packages: LockPackage[] = [];
  const pk = prop(root, 'packages');
  let direct: Lockfile['direct'];
  const workspaces: LockWorkspace[] = [];
  if (pk?.type === 'object') {
    for (const p of pk.children ?? []) {
      const keyNode = p.children?.[0];
      const valNode = p.children?.[1];
      if (!keyNode || !valNode || valNode.type !== 'object') continue;
      const key = String(keyNode.value);
      const v = getNodeValue(valNode) as Record<string, unknown>;
      if (key === '') {
        direct = { prod: Object.keys((v.dependencies as object) ?? {}), dev: Object.keys((v.devDependencies as object) ?? {}) };
        continue;
      }
      if (!key.includes('node_modules/')) {
        // A workspace folder ("packages/web"): its own direct dependencies.
        if (!key.startsWith('..') && !key.startsWith('/')) workspaces.push({ path: key, prod: { ...((v.dependencies as Record<string, string>) ?? {}), ...((v.optionalDependencies as Record<string, string>) ?? {}) } });
        continue;
      }
      if (v.link === true || typeof v.version !== 'string') continue;
      packages.push({
        name: typeof v.name === 'string' ? v.name : nameFromKey(key),
        version: v.version,
        key,
        span: { start: keyNode.offset, end: keyNode.offset + keyNode.length },
        ...(v.dev === true ? { dev: true } : v.devOptional === true ? {} : { dev: false }),
        dependencies: { ...((v.dependencies as Record<string, string>) ?? {}), ...((v.optionalDependencies as Record<string, string>) ?? {}) },
      });
    }
    return { kind: 'npm', packages, ...(direct ? { direct } : {}), ...(workspaces.length ? { workspaces } : {}) };
  }
  // lockfileVersion 1: nested "dependencies".
  const walk = (deps: JsonNode | undefined, prefix: string, depth: number): void => {
    if (deps?.type !== 'object' || depth > 64) return;
    for (const p of deps.children ?? []) {
      const keyNode = p.children?.[0];
      const valNode = p.children?.[1];
      if (!keyNode || valNode?.type !== 'object') continue;
      const name = String(keyNode.value);
      const key = `${prefix}node_modules/${name}`;
      const version = prop(valNode, 'version')?.value;
      const dev = prop(valNode, 'dev')?.value === true;
      const requires = prop(valNode, 'requires');
      if (typeof version === 'string') {
        packages.push({ name, version, key, span: { start: keyNode.offset, end: keyNode.offset + keyNode.length }, dev, dependencies: requires ? (getNodeValue(requires) as Record<string, string>) : {} });
      }
      walk(prop(valNode, 'dependencies'), `${key}/`, depth + 1);
    }
  };
  walk(prop(root, 'dependencies'), '', 0);
  return { kind: 'npm', packages };
}

/** npm: the instance a package at `fromKey` gets for `name` (Node's lookup up the node_modules chain). */
export function resolveNpm(lock: Lockfile, fromKey: string, name: string): LockPackage | undefined {
  const byKey = new Map(lock.packages.map((p) => [p.key, p]));
  let base = fromKey;
  for (;;) {
    const hit = byKey.get(base ? `${base}/node_modules/${name}` : `node_modules/${name}`);
    if (hit) return hit;
    if (!base) return undefined;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
}

// ---------------------------------------------------------------- YAML-ish helpers

interface Line {
  indent: number;
  text: string;
  offset: number;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let offset = 0;
  for (const raw of text.split('\n')) {
    const l = raw.replace(/\r$/, '');
    const t = l.trimStart();
    if (t && !t.startsWith('#')) out.push({ indent: l.length - t.length, text: t.trimEnd(), offset: offset + (l.length - t.length) });
    offset += raw.length + 1;
  }
  return out;
}

function unquote(s: string): string {
  const t = s.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  return t;
}

/** "key: value" / "key:" (YAML) → [key, value]; keys may be quoted. */
function keyValue(t: string): [string, string] | undefined {
  const m = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s:][^:]*?):(?:\s+(\S.*|))?$/.exec(t);
  return m ? [unquote(m[1]), m[2] !== undefined ? unquote(m[2]) : ''] : undefined;
}

// ---------------------------------------------------------------- pnpm

/** The peer suffix of a v6/v9 key or version ("ai@6.0.188(zod@4.1.13)" → "(zod@4.1.13)"), "" without one. */
export function peerSuffix(keyOrVersion: string): string {
  const open = keyOrVersion.indexOf('(');
  return open < 0 ? '' : keyOrVersion.slice(open);
}

/** An importer's installed version: v6/v9 keep their peer suffix (which variant), v5's `_peer` suffix is cut. */
function installedVersion(v: string): string {
  return v.includes('(') ? v : cutTail(v, '_');
}

function pnpmKey(rawKey: string): { name: string; version: string; v5?: true } | undefined {
  const k = rawKey.replace(/^\//, '');
  // v5: name/version[_peer@x…] ("/react/18.2.0", "/@scope/ui/1.0.0_react@18.2.0")
  const v5 = /^((?:@[^/]+\/)?[^/@]+)\/(\d[^_/]*)/.exec(k);
  if (v5) return { name: v5[1], version: v5[2], v5: true };
  // v6 / v9: name@version[(peer@x)…] ("/react@18.2.0", "@scope/ui@1.0.0(react@18.2.0)")
  const bare = cutTail(k, '(');
  const at = bare.indexOf('@', 1);
  return at > 0 ? { name: bare.slice(0, at), version: bare.slice(at + 1) } : undefined;
}

export function parsePnpmLock(text: string): Lockfile | undefined {
  const ls = lines(text);
  if (!ls.some((l) => l.indent === 0 && l.text.startsWith('lockfileVersion'))) return undefined;
  const packages: LockPackage[] = [];
  const byKey = new Map<string, LockPackage>();
  const prod = new Set<string>();
  const dev = new Set<string>();
  let section = '';
  let importer = '';
  let current: LockPackage | undefined;
  /** The peer suffix of the current snapshot entry (v6/v9), "" without peers. */
  let variant: string | undefined;
  let depBlock: 'dependencies' | 'devDependencies' | 'optionalDependencies' | '' = '';
  let depIndent = -1;
  const importers = new Map<string, LockWorkspace>();
  const rootProd: Record<string, string> = {};
  let importerDep = '';
  let rootDep = '';
  for (const l of ls) {
    if (l.indent === 0) {
      section = keyValue(l.text)?.[0] ?? '';
      current = undefined;
      depBlock = '';
      importer = '';
      continue;
    }
    const kv = keyValue(l.text);
    if (!kv) continue;
    const [k, v] = kv;
    if (section === 'packages' || section === 'snapshots') {
      if (l.indent === 2) {
        const parsed = pnpmKey(k);
        depBlock = '';
        if (!parsed) {
          current = undefined;
          continue;
        }
        const id = `${parsed.name}@${parsed.version}`;
        const existing = byKey.get(id);
        if (existing) current = existing;
        else {
          current = { name: parsed.name, version: parsed.version, key: k, span: { start: l.offset, end: l.offset + l.text.lastIndexOf(':') }, dependencies: {} };
          packages.push(current);
          byKey.set(id, current);
        }
        variant = parsed.v5 ? undefined : peerSuffix(k);
        continue;
      }
      if (!current) continue;
      if (l.indent === 4) {
        depBlock = k === 'dependencies' || k === 'optionalDependencies' ? k : '';
        depIndent = 6;
        if (k === 'dev' && v === 'true') current.dev = true;
        else if (k === 'dev' && v === 'false') current.dev = false;
        continue;
      }
      if (depBlock && l.indent === depIndent) {
        current.dependencies[k] = cutTail(v, '(');
        if (variant !== undefined) ((current.variants ??= {})[variant] ??= {})[k] = v;
      }
      continue;
    }
    // Direct dependencies: v5/v6 single project (top-level "dependencies:"), or importers["."].
    if (section === 'dependencies' || section === 'devDependencies' || section === 'optionalDependencies') {
      if (l.indent === 2) {
        (section === 'devDependencies' ? dev : prod).add(k);
        rootDep = section === 'devDependencies' ? '' : k;
        if (rootDep && v) rootProd[k] = installedVersion(v);
      } else if (l.indent === 4 && rootDep && k === 'version') rootProd[rootDep] = installedVersion(v);
      continue;
    }
    if (section === 'importers') {
      if (l.indent === 2) {
        importer = k;
        if (k !== '.' && !importers.has(k)) importers.set(k, { path: k, prod: {} });
      } else if (l.indent === 4) depBlock = k === 'dependencies' || k === 'devDependencies' || k === 'optionalDependencies' ? k : '';
      else if (l.indent === 6 && depBlock) {
        if (importer === '.') (depBlock === 'devDependencies' ? dev : prod).add(k);
        importerDep = k;
        // v5: "name: version"; v6/v9: "name:" then "specifier:" / "version:" lines.
        const w = importer === '.' ? { prod: rootProd } : importers.get(importer);
        if (w && depBlock !== 'devDependencies' && v) w.prod[k] = installedVersion(v);
      } else if (l.indent === 8 && depBlock && depBlock !== 'devDependencies' && k === 'version' && importerDep) {
        const w = importer === '.' ? { prod: rootProd } : importers.get(importer);
        if (w) w.prod[importerDep] = installedVersion(v);
      }
    }
  }
  const workspaces = [...importers.values()].filter((w) => !w.path.startsWith('..'));
  return { kind: 'pnpm', packages, direct: { prod: [...prod], dev: [...dev] }, ...(workspaces.length ? { workspaces } : {}), ...(Object.keys(rootProd).length ? { rootProd } : {}) };
}

// ---------------------------------------------------------------- yarn

function trimQuotes(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s[a] === '"' || s[a] === "'")) a++;
  while (b > a && (s[b - 1] === '"' || s[b - 1] === "'")) b--;
  return s.slice(a, b);
}

function descriptorName(d: string): string {
  const at = d.indexOf('@', 1);
  return at < 0 ? d : d.slice(0, at);
}

export function parseYarnLock(text: string): Lockfile | undefined {
  const ls = lines(text);
  const berry = ls.some((l) => l.indent === 0 && l.text.startsWith('__metadata:'));
  const packages: LockPackage[] = [];
  const workspaces: LockWorkspace[] = [];
  let current: LockPackage | undefined;
  let member: LockWorkspace | undefined;
  let inDeps = false;
  for (const l of ls) {
    if (l.indent === 0) {
      inDeps = false;
      current = undefined;
      member = undefined;
      if (!l.text.endsWith(':') || l.text.startsWith('__metadata')) continue;
      const header = l.text.slice(0, -1);
      // v1 quotes each descriptor ("a@^1", "a@^1.2":), Berry the whole list ("a@npm:^1, a@npm:^1.2":).
      const descriptors = header.split(',').map((d) => trimQuotes(d.trim())).filter(Boolean);
      const ws = descriptors.map((d) => /@workspace:(.+)$/.exec(d)?.[1]).find((x) => x !== undefined);
      if (ws !== undefined && ws !== '.' && !ws.startsWith('..')) {
        member = { path: ws.replace(/^\.\//, ''), prod: {} };
        workspaces.push(member);
        continue;
      }
      if (!descriptors.length || descriptors.some((d) => /@(workspace|link|portal|file):/.test(d))) continue;
      current = { name: descriptorName(descriptors[0]), version: '', key: header, span: { start: l.offset, end: l.offset + header.length }, dependencies: {}, descriptors };
      packages.push(current);
      continue;
    }
    if (member) {
      if (l.indent === 2) inDeps = /^(dependencies|optionalDependencies):?$/.test(l.text);
      else if (inDeps && l.indent === 4) {
        const m = /^("[^"]+"|[^\s:]+):?\s+(?!\s)"?([^"]*)"?$/.exec(l.text);
        if (m) member.prod[unquote(m[1])] = m[2];
      }
      continue;
    }
    if (!current) continue;
    if (l.indent === 2) {
      inDeps = /^(dependencies|optionalDependencies):?$/.test(l.text);
      const m = /^version:?\s+"?([^"\s]+)"?$/.exec(l.text);
      if (m) current.version = m[1];
      // Berry: an alias entry ("string-width-cjs@npm:string-width@^4") installs the package its resolution names.
      const r = /^resolution:\s+"?([^"\s]+)"?$/.exec(l.text);
      if (r) current.name = descriptorName(r[1]);
      continue;
    }
    if (inDeps && l.indent === 4) {
      const m = /^("[^"]+"|[^\s:]+):?\s+(?!\s)"?([^"]*)"?$/.exec(l.text);
      if (m) current.dependencies[unquote(m[1])] = m[2];
    }
  }
  return { kind: berry ? 'yarn-berry' : 'yarn-v1', packages: packages.filter((p) => p.version), ...(workspaces.length ? { workspaces } : {}) };
}

// ---------------------------------------------------------------- queries

/** Packages that depend on this instance (for "required by" messages). */
export function dependentsOf(lock: Lockfile, pkg: LockPackage): LockPackage[] {
  if (lock.kind === 'npm') {
    return lock.packages.filter((p) => p !== pkg && pkg.name in p.dependencies && resolveNpm(lock, p.key, pkg.name) === pkg);
  }
  if (lock.kind === 'pnpm') return lock.packages.filter((p) => p.dependencies[pkg.name] === pkg.version);
  const norm = (r: string): string => r.replace(/^npm:/, '');
  const ranges = new Set((pkg.descriptors ?? []).map((d) => norm(d.slice(descriptorName(d).length + 1))));
  return lock.packages.filter((p) => p !== pkg && p.dependencies[pkg.name] !== undefined && ranges.has(norm(p.dependencies[pkg.name])));
}

/** Name → distinct versions (with their instances), runtime instances only when the lockfile tells dev apart. */
export function versionsByName(lock: Lockfile): Map<string, Map<string, LockPackage[]>> {
  const out = new Map<string, Map<string, LockPackage[]>>();
  for (const p of lock.packages) {
    if (p.dev === true) continue;
    let vs = out.get(p.name);
    if (!vs) out.set(p.name, (vs = new Map()));
    vs.set(p.version, [...(vs.get(p.version) ?? []), p]);
  }
  return out;
}
