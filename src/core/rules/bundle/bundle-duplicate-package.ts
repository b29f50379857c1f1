import type { FileRule } from '../rule.js';
import { BUNDLE_LOCKFILE_GATHERER_ID, type LockfileArtifact } from '../../gatherers/bundle.js';
import { BUNDLE_SENSITIVE } from '../../bundle/heavy.js';
import { dependentsOf, versionsByName, type LockPackage } from '../../bundle/lockfiles.js';

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

function via(lock: LockfileArtifact['lock'], p: LockPackage, direct: boolean): string {
  const deps = dependentsOf(lock, p).slice(0, 3).map((d) => `${d.name}@${d.version}`);
  const parts = [...(direct ? ['your package.json'] : []), ...deps];
  return parts.length ? `required by ${parts.join(', ')}` : 'required transitively';
}

/** The instance the project itself resolves: npm's hoisted copy, yarn's entry for package.json's range, else the one nothing depends on, else the newest. */
function primaryInstance(lock: LockfileArtifact['lock'], name: string, instances: LockPackage[], range: string | undefined): LockPackage {
  const hoisted = instances.find((p) => p.key === `node_modules/${name}`);
  if (hoisted) return hoisted;
  if (range) {
    const byRange = instances.find((p) => p.descriptors?.some((d) => d === `${name}@${range}` || d === `${name}@npm:${range}`));
    if (byRange) return byRange;
  }
  return instances.find((p) => dependentsOf(lock, p).length === 0) ?? instances[0];
}

export const bundleDuplicatePackage: FileRule<LockfileArtifact> = {
  kind: 'file',
  gatherer: BUNDLE_LOCKFILE_GATHERER_ID,
  meta: {
    id: 'bundle-duplicate-package',
    title: 'Bundled packages are installed at one version',
    failureTitle: 'A bundled package is installed at several versions',
    description: 'The lockfile of a frontend project installs a direct runtime dependency (or a package whose duplication is known to bloat or break bundles, such as react or core-js) at two or more versions: a bundle that reaches both ships two copies.',
    area: 'bundle',
    checklistItem: 'bundle-size',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    const { lock, pkg } = ctx.artifact;
    const directProd = new Set([...Object.keys(pkg.dependencies), ...(lock.direct?.prod ?? [])]);
    for (const [name, versions] of versionsByName(lock)) {
      if (versions.size < 2) continue;
      const direct = directProd.has(name);
      if (!direct && !BUNDLE_SENSITIVE.has(name)) continue;
      const sorted = [...versions.keys()].sort(compareVersions).reverse();
      const instances = sorted.flatMap((v) => versions.get(v)!);
      const primary = primaryInstance(lock, name, instances, pkg.dependencies[name]);
      // Point at the first entry of another version: the extra copy.
      const target = instances.find((p) => p.version !== primary.version) ?? instances[instances.length - 1];
      const list = sorted.map((v) => {
        const first = versions.get(v)!.includes(primary) ? primary : versions.get(v)![0];
        return `${v} (${via(lock, first, direct && first === primary)})`;
      });
      ctx.report({
        span: target.span,
        message: `${name} is installed at ${versions.size} versions: ${list.join('; ')}. A bundle that imports it through both paths ships it twice. Align the version ranges (update the packages that pin the older one), then deduplicate (npm dedupe / pnpm dedupe / yarn dedupe), or force one version with "overrides" / "resolutions" if they are compatible.`,
        data: { package: name, versions: sorted },
      });
    }
  },
};
