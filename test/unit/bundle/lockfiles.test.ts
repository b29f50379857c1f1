import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dependentsOf, parseLockfile, versionsByName } from '../../../src/analyzers/bundle/lockfiles.js';

const cases: { name: string; path: string; text: string; versions: Record<string, string[]>; dependents?: [string, string, string[]][] }[] = [
  {
    name: 'npm v1 (nested dependencies)',
    path: 'package-lock.json',
    text: JSON.stringify({ lockfileVersion: 1, dependencies: { a: { version: '1.0.0', requires: { b: '^1' }, dependencies: { b: { version: '1.5.0' } } }, b: { version: '2.0.0' }, jest: { version: '29.0.0', dev: true } } }),
    versions: { a: ['1.0.0'], b: ['1.5.0', '2.0.0'] },
    dependents: [['b', '1.5.0', ['a@1.0.0']], ['b', '2.0.0', []]],
  },
  {
    name: 'npm v3 (flat packages, dev flags, links skipped)',
    path: 'sub/package-lock.json',
    text: JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { a: '1' } }, 'node_modules/a': { version: '1.0.0', dependencies: { b: '^1' } }, 'node_modules/a/node_modules/b': { version: '1.0.1' }, 'node_modules/b': { version: '2.1.0' }, 'node_modules/c': { version: '1.0.0', dev: true }, 'node_modules/ws': { resolved: 'packages/ws', link: true }, 'packages/ws': { version: '0.0.1' } } }),
    versions: { a: ['1.0.0'], b: ['1.0.1', '2.1.0'] },
    dependents: [['b', '1.0.1', ['a@1.0.0']]],
  },
  {
    name: 'pnpm v5.4 (name/version keys with peer suffixes)',
    path: 'pnpm-lock.yaml',
    text: 'lockfileVersion: 5.4\n\nspecifiers:\n  react: ^18.0.0\n\ndependencies:\n  react: 18.2.0\n\npackages:\n\n  /react/18.2.0:\n    resolution: {integrity: sha512-a}\n    dev: false\n\n  /@scope/ui/1.0.0_react@18.2.0:\n    resolution: {integrity: sha512-b}\n    dependencies:\n      react: 18.2.0\n    dev: false\n\n  /@scope/ui/1.0.0_react@17.0.2:\n    resolution: {integrity: sha512-c}\n    dev: false\n',
    versions: { react: ['18.2.0'], '@scope/ui': ['1.0.0'] },
    dependents: [['react', '18.2.0', ['@scope/ui@1.0.0']]],
  },
  {
    name: 'yarn v1 (multiple descriptors per entry)',
    path: 'yarn.lock',
    text: '# yarn lockfile v1\n\n"@babel/core@^7.0.0", "@babel/core@^7.1.0":\n  version "7.24.0"\n  dependencies:\n    debug "^4.1.0"\n\ndebug@^4.1.0:\n  version "4.3.4"\n\ndebug@^3.0.0:\n  version "3.2.7"\n',
    versions: { '@babel/core': ['7.24.0'], debug: ['4.3.4', '3.2.7'] },
    dependents: [['debug', '4.3.4', ['@babel/core@7.24.0']], ['debug', '3.2.7', []]],
  },
];

for (const c of cases) {
  test(`lockfile: ${c.name}`, () => {
    const lock = parseLockfile(c.path, c.text)!;
    assert.ok(lock, 'parsed');
    const v = versionsByName(lock);
    assert.deepEqual(Object.fromEntries([...v].map(([n, vs]) => [n, [...vs.keys()]])), c.versions);
    for (const [name, version, deps] of c.dependents ?? []) {
      const p = lock.packages.find((x) => x.name === name && x.version === version)!;
      assert.deepEqual(dependentsOf(lock, p).map((d) => `${d.name}@${d.version}`), deps, `${name}@${version} dependents`);
    }
    for (const p of lock.packages) assert.ok(c.text.slice(p.span.start, p.span.end).includes(p.name.replace(/^@/, '')) || c.text.slice(p.span.start, p.span.end).includes(p.name), `span of ${p.name} points at its entry: ${JSON.stringify(c.text.slice(p.span.start, p.span.end))}`);
  });
}

test('lockfiles: unknown names and garbage do not throw', () => {
  assert.equal(parseLockfile('Cargo.lock', 'x'), undefined);
  assert.equal(parseLockfile('pnpm-lock.yaml', 'not: a lockfile'), undefined);
  assert.deepEqual(parseLockfile('yarn.lock', '{{{')?.packages, []);
  assert.equal(parseLockfile('package-lock.json', '[1,2'), undefined);
});

test('lockfiles: workspace members and their direct runtime dependencies', () => {
  const npm = parseLockfile('package-lock.json', JSON.stringify({ lockfileVersion: 3, packages: { '': { workspaces: ['packages/*'] }, 'packages/web': { name: 'web', dependencies: { react: '^18' }, optionalDependencies: { fsevents: '^2' }, devDependencies: { vite: '^5' } }, 'node_modules/web': { resolved: 'packages/web', link: true }, 'node_modules/react': { version: '18.3.1' } } }))!;
  assert.deepEqual(npm.workspaces, [{ path: 'packages/web', prod: { react: '^18', fsevents: '^2' } }]);
  const pnpmV5 = parseLockfile('pnpm-lock.yaml', 'lockfileVersion: 5.4\n\nimporters:\n\n  .:\n    specifiers: {}\n\n  packages/a:\n    specifiers:\n      react: ^18\n    dependencies:\n      react: 18.2.0_x@1.0.0\n    devDependencies:\n      vite: 5.0.0\n\npackages:\n\n  /react/18.2.0:\n    dev: false\n')!;
  assert.deepEqual(pnpmV5.workspaces, [{ path: 'packages/a', prod: { react: '18.2.0' } }]);
  const berry = parseLockfile('yarn.lock', '__metadata:\n  version: 8\n\n"a@workspace:packages/a":\n  version: 0.0.0-use.local\n  dependencies:\n    react: "npm:^18"\n  languageName: unknown\n  linkType: soft\n\n"root@workspace:.":\n  version: 0.0.0-use.local\n')!;
  assert.deepEqual(berry.workspaces, [{ path: 'packages/a', prod: { react: 'npm:^18' } }]);
  assert.equal(parseLockfile('yarn.lock', '# yarn lockfile v1\n\nreact@^18:\n  version "18.3.1"\n')!.workspaces, undefined);
  // Berry quotes the whole list of descriptors: every one is kept, and the name is the package's.
  const multi = parseLockfile('yarn.lock', '__metadata:\n  version: 8\n\n"a@npm:^1, a@npm:^1.2":\n  version: 1.2.3\n  resolution: "a@npm:1.2.3"\n\n"sw-cjs@npm:string-width@^4.2.0":\n  version: 4.2.3\n  resolution: "string-width@npm:4.2.3"\n')!;
  assert.deepEqual(multi.packages.map((p) => [p.name, p.version, p.descriptors]), [['a', '1.2.3', ['a@npm:^1', 'a@npm:^1.2']], ['string-width', '4.2.3', ['sw-cjs@npm:string-width@^4.2.0']]]);
});
