// Which code files an entry point reaches (bundle/live-files.ts): unknown (undefined) whenever the graph may miss an edge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computesImports, reachableFiles, type ProjectCodeFile } from '../../../src/analyzers/bundle/live-files.js';
import { scanSpecifiers } from '../../../src/analyzers/bundle/import-sides.js';

const NEXT_PKG = JSON.stringify({ name: 'web', dependencies: { next: '^15', react: '^19' } });
const ALIAS = JSON.stringify({ compilerOptions: { paths: { '@/*': ['./src/*'], '*': ['./*'] } } });

const cases: { name: string; files: Record<string, string>; config?: Record<string, string>; other?: string[]; live: string[] | undefined }[] = [
  {
    name: 'an alias import, a relative import with a .js extension and index files are followed; an orphan component is not reached',
    files: {
      'src/app/layout.tsx': 'import { Nav } from "@/components/nav";\nimport "./globals.css";\n',
      'src/components/nav/index.tsx': 'import { cx } from "../../lib/cx.js";\nimport { Button } from "@acme/ui";\n',
      'src/lib/cx.ts': 'export const cx = 1;\n',
      'src/components/orphan.tsx': 'import * as Portal from "@radix-ui/react-portal";\n',
    },
    other: ['src/app/globals.css'],
    live: ['src/app/layout.tsx', 'src/components/nav/index.tsx', 'src/lib/cx.ts'],
  },
  { name: 'not a Next.js project: unknown', files: { 'src/app/page.tsx': '', 'src/x.tsx': '' }, config: { 'package.json': JSON.stringify({ dependencies: { react: '^19' } }) }, live: undefined },
  { name: 'an alias that resolves to nothing: unknown', files: { 'app/page.tsx': 'import { env } from "@/env";\n', 'components/a.tsx': '' }, live: undefined },
  { name: 'an undeclared ~ alias: unknown', files: { 'app/page.tsx': 'import a from "~/components/a";\n', 'components/a.tsx': '' }, config: { 'package.json': NEXT_PKG }, live: undefined },
  { name: 'a bare specifier named like a project folder (a baseUrl or bundler alias): unknown', files: { 'pages/index.tsx': 'import A from "components/a";\n', 'components/a.tsx': '' }, config: { 'package.json': NEXT_PKG }, live: undefined },
  { name: 'a template-string import: unknown', files: { 'pages/index.tsx': 'const m = import(`./locales/${l}.ts`);\n', 'pages/locales/en.ts': '' }, config: { 'package.json': NEXT_PKG }, live: undefined },
  { name: 'baseUrl imports resolve to files', files: { 'pages/index.tsx': 'import A from "components/a";\n', 'components/a.tsx': '', 'components/b.tsx': '' }, config: { 'package.json': NEXT_PKG, 'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.' } }) }, live: ['pages/index.tsx', 'components/a.tsx'] },
];

for (const c of cases) {
  test(`reachable files: ${c.name}`, () => {
    const config = c.config ?? { 'package.json': NEXT_PKG, 'tsconfig.json': ALIAS };
    const files: ProjectCodeFile[] = Object.entries(c.files).map(([rel, text]) => ({ rel, ...scanSpecifiers(text), dynamic: computesImports(text) }));
    const exists = new Set([...Object.keys(c.files), ...(c.other ?? [])].map((p) => `web/${p}`));
    const live = reachableFiles('web', files, true, (p) => config[p.slice('web/'.length)], (p) => exists.has(p));
    assert.deepEqual(live && [...live].sort(), c.live && [...c.live].sort());
  });
}

test('reachable files: a project whose files were not all read is unknown', () => {
  const files: ProjectCodeFile[] = [{ rel: 'pages/index.tsx', specs: [], types: [], dynamic: false }];
  assert.equal(reachableFiles('web', files, false, (p) => (p === 'web/package.json' ? NEXT_PKG : undefined), () => false), undefined);
});
