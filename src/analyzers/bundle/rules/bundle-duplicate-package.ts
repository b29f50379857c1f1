import type { FileRule } from '../../../kernel/contracts.js';
import { BUNDLE_LOCKFILE_GATHERER_ID, type LockfileArtifact, type WorkspaceMember } from '../gather.js';
import type { LockPackage, Lockfile } from '../lockfiles.js';
import { browserReach, indexLock, type BundleProject } from '../reach.js';
import { BUNDLE_SENSITIVE } from '../heavy.js';

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const pb = b.split(/[.+-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x).localeCompare(String(y));
  }
  return 0;
}

/**
 * The runtime dependencies of one project, following dependencies on other workspace members
 * (`"@acme/ui": "workspace:*"`) into theirs. pnpm records installed versions per importer.
 */
function rootsOf(lock: Lockfile, dir: string, pkgPath: string, deps: Record<string, string>, serverOnly: readonly string[] | undefined, linked: Record<string, WorkspaceMember>): BundleProject['roots'] {
  const out: BundleProject['roots'] = [];
  const seen = new Set<string>();
  const add = (from: string, manifest: string, d: Record<string, string>, server: readonly string[] = []): void => {
    if (seen.has(from)) return;
    seen.add(from);
    const skip = new Set(server);
    const recorded = lock.kind === 'pnpm' ? (from === '' ? lock.rootProd : lock.workspaces?.find((w) => w.path === from)?.prod) : undefined;
    for (const [name, range] of Object.entries(d)) {
      // Imported only from server code: never in the browser bundle.
      if (skip.has(name)) continue;
      const member = linked[name];
      if (member && (/^(?:workspace:|file:|link:|\*$)/.test(range) || !lock.packages.some((p) => p.name === name))) {
        add(member.dir, member.pkgPath, member.pkg.dependencies, member.serverOnly);
        continue;
      }
      out.push({ dir: from, name, range: recorded?.[name] ?? range, pkgPath: manifest });
    }
  };
  add(dir, pkgPath, deps, serverOnly);
  return out;
}

export const bundleDuplicatePackage: FileRule<LockfileArtifact> = {
  kind: 'file',
  gatherer: BUNDLE_LOCKFILE_GATHERER_ID,
  meta: {
    id: 'bundle-duplicate-package',
    title: 'Bundled packages are installed at one version',
    failureTitle: 'A bundled package is installed at several versions',
    description: 'One frontend project (the lockfile\'s own, or each frontend workspace member separately) reaches one of its own runtime dependencies (or a package whose duplication is known to bloat or break bundles, such as react or core-js) at two or more versions: a bundle that imports it through both paths ships two copies. Versions reached only through devDependencies, type declarations, build and test tools or server-only packages are not bundled and do not count.',
    domain: 'bundle',
    checklistItem: 'bundle-size',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    const { lock, pkg, pkgPath, members } = ctx.artifact;
    const linked = ctx.artifact.linked ?? {};
    const index = indexLock(lock);
    const projects: BundleProject[] = [];
    // A monorepo root that only lists `workspaces` is not bundled itself: its members are.
    if (pkg.frontend) projects.push({ dir: '', pkgPath, roots: rootsOf(lock, '', 'your package.json', pkg.dependencies, ctx.artifact.rootServerOnly, linked) });
    for (const m of members) projects.push({ dir: m.dir, pkgPath: m.pkgPath, roots: rootsOf(lock, m.dir, m.pkgPath, m.pkg.dependencies, m.serverOnly, linked) });
    // name → version → (instance, who required it); and which projects reach several versions.
    const found = new Map<string, { versions: Map<string, { inst: LockPackage; via: string }>; projects: Set<string> }>();
    for (const project of projects) {
      const reach = browserReach(lock, index, project);
      const byName = new Map<string, Map<string, { inst: LockPackage; via: string }>>();
      for (const [inst, via] of reach) {
        let vs = byName.get(inst.name);
        if (!vs) byName.set(inst.name, (vs = new Map()));
        const who = typeof via === 'string' ? via : `${via.name}@${via.version}`;
        if (!vs.has(inst.version)) vs.set(inst.version, { inst, via: who });
      }
      // The project's own dependencies (it can align their ranges), and packages whose duplication is known to bloat or break bundles.
      const direct = new Set(project.roots.map((r) => r.name));
      for (const [name, vs] of byName) {
        if (vs.size < 2 || (!direct.has(name) && !BUNDLE_SENSITIVE.has(name))) continue;
        let f = found.get(name);
        if (!f) found.set(name, (f = { versions: new Map(), projects: new Set() }));
        for (const [v, x] of vs) if (!f.versions.has(v)) f.versions.set(v, x);
        f.projects.add(project.pkgPath);
      }
    }
    for (const [name, f] of found) {
      const sorted = [...f.versions.keys()].sort(compareVersions).reverse();
      // Point at the lockfile entry of the oldest version: the extra copy to remove.
      const target = f.versions.get(sorted[sorted.length - 1])!.inst;
      const list = sorted.map((v) => `${v} (required by ${f.versions.get(v)!.via})`);
      const where = projects.length > 1 ? ` in the browser dependencies of ${[...f.projects].join(', ')}` : '';
      ctx.report({
        span: target.span,
        message: `${name} is installed at ${sorted.length} versions${where}: ${list.join('; ')}. A bundle that imports it through both paths ships it twice. Align the version ranges (update the packages that pin the older one), then deduplicate (npm dedupe / pnpm dedupe / yarn dedupe), or force one version with "overrides" / "resolutions" if they are compatible.`,
        data: { package: name, versions: sorted },
      });
    }
  },
};
