import type { FileRule } from '../../../kernel/contracts.js';
import { BUNDLE_LOCKFILE_GATHERER_ID, type LockfileArtifact, type WorkspaceMember } from '../gather.js';
import { BUNDLE_SENSITIVE } from '../heavy.js';
import { dependentsOf, resolveNpm, versionsByName, type LockPackage } from '../lockfiles.js';

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

function via(lock: LockfileArtifact['lock'], p: LockPackage, manifests: string[]): string {
  const deps = dependentsOf(lock, p).slice(0, 3).map((d) => `${d.name}@${d.version}`);
  const parts = [...manifests, ...deps];
  return parts.length ? `required by ${parts.join(', ')}` : 'required transitively';
}

const byRange = (instances: LockPackage[], name: string, range: string | undefined): LockPackage | undefined =>
  range === undefined ? undefined : instances.find((p) => p.descriptors?.some((d) => d === `${name}@${range}` || d === `${name}@npm:${range}`));

/** The instance a workspace member gets: npm's lookup from its folder, pnpm's recorded version, yarn's entry for its range. */
function memberInstance(lock: LockfileArtifact['lock'], m: WorkspaceMember, name: string, instances: LockPackage[]): LockPackage | undefined {
  if (lock.kind === 'npm') return resolveNpm(lock, m.dir, name);
  if (lock.kind === 'pnpm') {
    const v = lock.workspaces?.find((w) => w.path === m.dir)?.prod[name];
    return v === undefined ? undefined : instances.find((p) => p.version === v);
  }
  return byRange(instances, name, m.pkg.dependencies[name]);
}

/** The instance the project itself resolves: npm's hoisted copy, yarn's entry for package.json's range, else the one nothing depends on, else the newest. */
function primaryInstance(lock: LockfileArtifact['lock'], name: string, instances: LockPackage[], range: string | undefined): LockPackage {
  const hoisted = instances.find((p) => p.key === `node_modules/${name}`);
  if (hoisted) return hoisted;
  const ranged = byRange(instances, name, range);
  if (ranged) return ranged;
  return instances.find((p) => dependentsOf(lock, p).length === 0) ?? instances[0];
}

export const bundleDuplicatePackage: FileRule<LockfileArtifact> = {
  kind: 'file',
  gatherer: BUNDLE_LOCKFILE_GATHERER_ID,
  meta: {
    id: 'bundle-duplicate-package',
    title: 'Bundled packages are installed at one version',
    failureTitle: 'A bundled package is installed at several versions',
    description: 'The lockfile of a frontend project (or of a monorepo with frontend workspace members) installs a direct runtime dependency (or a package whose duplication is known to bloat or break bundles, such as react or core-js) at two or more versions: a bundle that reaches both ships two copies.',
    domain: 'bundle',
    checklistItem: 'bundle-size',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    const { lock, pkg, members } = ctx.artifact;
    // A monorepo root that only lists `workspaces` is not bundled itself: its members are.
    const rootDirect = new Set(pkg.frontend ? [...Object.keys(pkg.dependencies), ...(lock.direct?.prod ?? [])] : []);
    for (const [name, versions] of versionsByName(lock)) {
      if (versions.size < 2) continue;
      const users = members.filter((m) => name in m.pkg.dependencies);
      const direct = rootDirect.has(name) || users.length > 0;
      if (!direct && !BUNDLE_SENSITIVE.has(name)) continue;
      const sorted = [...versions.keys()].sort(compareVersions).reverse();
      const instances = sorted.flatMap((v) => versions.get(v)!);
      const used = users.map((m) => ({ m, inst: memberInstance(lock, m, name, instances) }));
      // The root's own instance; in a monorepo whose root does not use it, the hoisted copy or the newest one a member gets.
      const primary = rootDirect.has(name) || !users.length
        ? primaryInstance(lock, name, instances, pkg.dependencies[name])
        : instances.find((p) => p.key === `node_modules/${name}`) ?? instances.find((p) => used.some((u) => u.inst === p)) ?? primaryInstance(lock, name, instances, undefined);
      // Which package.json files get which version.
      const manifests = new Map<string, string[]>();
      if (rootDirect.has(name)) manifests.set(primary.version, ['your package.json']);
      for (const { m, inst } of used) if (inst) manifests.set(inst.version, [...(manifests.get(inst.version) ?? []), m.pkgPath]);
      // Point at the first entry of another version: the extra copy.
      const target = instances.find((p) => p.version !== primary.version) ?? instances[instances.length - 1];
      const list = sorted.map((v) => {
        const first = versions.get(v)!.includes(primary) ? primary : versions.get(v)![0];
        return `${v} (${via(lock, first, manifests.get(v) ?? [])})`;
      });
      ctx.report({
        span: target.span,
        message: `${name} is installed at ${versions.size} versions: ${list.join('; ')}. A bundle that imports it through both paths ships it twice. Align the version ranges (update the packages that pin the older one), then deduplicate (npm dedupe / pnpm dedupe / yarn dedupe), or force one version with "overrides" / "resolutions" if they are compatible.`,
        data: { package: name, versions: sorted },
      });
    }
  },
};
