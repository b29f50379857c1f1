import { engineRuleTests } from './bundle-rule-tester.js';

const pkg = (deps: Record<string, string>, dev: Record<string, string> = { vite: '^5.0.0' }): string => `${JSON.stringify({ name: 'app', dependencies: deps, devDependencies: dev }, null, 2)}\n`;

engineRuleTests('bundle-heavy-dependency', {
  valid: [
    { name: 'light dependencies', files: { 'package.json': pkg({ dayjs: '^1.11.0', 'date-fns': '^4.0.0' }) } },
    { name: 'a Node server (no bundler or framework) may use moment', files: { 'package.json': pkg({ moment: '^2.30.0', express: '^4.0.0' }, { typescript: '^5' }) } },
    { name: 'heavy package only as a devDependency', files: { 'package.json': pkg({}, { vite: '^5', moment: '^2' }) } },
    { name: 'invalid JSON is ignored', files: { 'package.json': '{ "dependencies": { "moment": ' } },
    {
      name: 'a full-stack app that imports moment only from server code',
      files: { 'package.json': pkg({ moment: '^2.30.1', react: '^18' }), 'server/reports.ts': 'import moment from "moment";\nexport const day = () => moment().format("YYYY-MM-DD");\n', 'app/App.tsx': 'import React from "react";\nexport const App = () => <div />;\n' },
    },
  ],
  invalid: [
    {
      name: 'moment in a Vite app',
      files: { 'package.json': pkg({ moment: '^2.30.1', react: '^18' }) },
      errors: [{ line: 4, column: 5, endColumn: 13, severity: 'warning', message: /moment \(~72 KB gzip[^]*dayjs[^]*date-fns/, data: { package: 'moment' } }],
    },
    {
      name: 'lodash is informational, moment-timezone a warning',
      files: { 'package.json': pkg({ lodash: '^4.17.21', 'moment-timezone': '^0.5' }) },
      errors: [
        { line: 4, column: 5, severity: 'info', message: /lodash[^]*lodash-es/ },
        { line: 5, column: 5, severity: 'warning', message: /moment-timezone/ },
      ],
    },
    {
      name: 'core-js imported whole (core-js/stable) from the client entry',
      files: { 'package.json': pkg({ 'core-js': '^3.37.0', react: '^18' }), 'src/main.tsx': 'import "core-js/stable";\nimport React from "react";\n' },
      errors: [{ line: 4, column: 5, severity: 'warning', message: /core-js \(~60 KB gzip[^]*useBuiltIns/ }],
    },
    {
      name: 'core-js listed but no code imports it (Babel may inject single features): information only',
      files: { 'package.json': pkg({ 'core-js': '^3.49.0', react: '^18' }), 'app/index.tsx': 'import React from "react";\nexport const A = () => <div />;\n' },
      errors: [{ line: 4, column: 5, severity: 'info', message: /It may not be in your bundle, though: no code of this project imports core-js/ }],
    },
    {
      name: 'core-js imported one feature at a time: information only',
      files: { 'package.json': pkg({ 'core-js': '^3.49.0', react: '^18' }), 'app/polyfills.ts': 'import "core-js/actual/array/at";\nimport "core-js/actual/structured-clone";\n' },
      errors: [{ line: 4, column: 5, severity: 'info', message: /imports single core-js features \(core-js\/actual\/array\/at, core-js\/actual\/structured-clone\)/ }],
    },
    {
      name: 'a browserslist field marks a frontend project',
      files: { 'package.json': `{\n  "browserslist": ["defaults"],\n  "dependencies": { "jquery": "^3.7.0" }\n}\n` },
      errors: [{ line: 3, column: 21, message: /jquery[^]*browserslist/ }],
    },
  ],
});

const npmLock = (packages: Record<string, unknown>): string => `${JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages: { '': { name: 'app', dependencies: { lodash: '^4.17.21', 'old-lib': '^1.0.0' } }, ...packages } }, null, 2)}\n`;

/** @babel/runtime at `babelRuntime` declares regenerator-runtime 0.14; an older date picker requires 0.13 itself. */
const staleRegenerator = (babelRuntime: string): Record<string, string> => ({
  'package.json': pkg({ '@babel/runtime': `^${babelRuntime}`, 'old-picker': '^1.0.0' }),
  'package-lock.json': npmLock({
    'node_modules/@babel/runtime': { version: babelRuntime, dependencies: { 'regenerator-runtime': '^0.14.0' } },
    'node_modules/regenerator-runtime': { version: '0.14.1' },
    'node_modules/old-picker': { version: '1.0.0', dependencies: { 'regenerator-runtime': '^0.13.3' } },
    'node_modules/old-picker/node_modules/regenerator-runtime': { version: '0.13.11' },
  }),
});
/** A Next.js app: pako 2 imported by a component, pako 1 through mammoth → jszip imported by the home page; `extra` replaces or adds files. */
const nextPako = (extra: Record<string, string>): Record<string, string> => ({
  'package.json': pkg({ pako: '^2.1.0', mammoth: '^1.11.0', next: '^15' }, { typescript: '^5' }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@/*': ['./src/*'] } } }),
  'package-lock.json': npmLock({
    'node_modules/pako': { version: '2.1.0' },
    'node_modules/mammoth': { version: '1.11.0', dependencies: { jszip: '^3.7.1' } },
    'node_modules/jszip': { version: '3.10.1', dependencies: { pako: '~1.0.2' } },
    'node_modules/jszip/node_modules/pako': { version: '1.0.11' },
  }),
  'src/app/page.tsx': '"use client";\nimport { preview } from "@/components/preview";\nexport default function Page() { return null; }\n',
  'src/components/preview.tsx': 'import mammoth from "mammoth";\nexport const preview = (b: ArrayBuffer) => mammoth.convertToHtml({ arrayBuffer: b });\n',
  'src/components/dev-indicator.tsx': 'import { inflate } from "pako";\nexport const DevIndicator = () => inflate(new Uint8Array());\n',
  ...extra,
});

engineRuleTests('bundle-duplicate-package', {
  valid: [
    {
      name: 'one version of each package',
      files: { 'package.json': pkg({ lodash: '^4.17.21' }), 'package-lock.json': npmLock({ 'node_modules/lodash': { version: '4.17.21' } }) },
    },
    {
      name: 'duplicates of a package the app does not depend on directly (and not bundle-sensitive)',
      files: { 'package.json': pkg({ lodash: '^4.17.21' }), 'package-lock.json': npmLock({ 'node_modules/semver': { version: '7.6.0' }, 'node_modules/x/node_modules/semver': { version: '6.3.1' } }) },
    },
    {
      name: 'the older copy is dev-only',
      files: { 'package.json': pkg({ lodash: '^4.17.21' }), 'package-lock.json': npmLock({ 'node_modules/lodash': { version: '4.17.21' }, 'node_modules/jest/node_modules/lodash': { version: '3.10.1', dev: true } }) },
    },
    {
      name: 'the other copy is reached only through a build tool, a server framework or type declarations',
      files: {
        'package.json': pkg({ nanoid: '^5.0.0', 'content-disposition': '^1.0.0', dompurify: '^3.3.2', postcss: '^8', express: '^4' }),
        'package-lock.json': npmLock({
          'node_modules/nanoid': { version: '5.1.6' },
          'node_modules/postcss': { version: '8.5.6', dependencies: { nanoid: '^3.3.11' } },
          'node_modules/postcss/node_modules/nanoid': { version: '3.3.11' },
          'node_modules/content-disposition': { version: '1.0.0' },
          'node_modules/express': { version: '4.21.2', dependencies: { 'content-disposition': '0.5.4' } },
          'node_modules/express/node_modules/content-disposition': { version: '0.5.4' },
          'node_modules/dompurify': { version: '3.3.2' },
          'node_modules/@types/dompurify': { version: '3.2.0', dependencies: { dompurify: '3.3.1' } },
          'node_modules/@types/dompurify/node_modules/dompurify': { version: '3.3.1' },
        }),
      },
    },
    {
      name: 'yarn berry: an older copy that only a devDependency (a CLI tool) pulls in',
      files: {
        'package.json': `${JSON.stringify({ name: 'app', dependencies: { i18next: '^22.5.1', react: '^18' }, devDependencies: { 'i18next-parser': '^9.4.0', vite: '^5' } }, null, 2)}\n`,
        'yarn.lock': `__metadata:\n  version: 8\n\n"i18next-parser@npm:^9.4.0":\n  version: 9.4.0\n  resolution: "i18next-parser@npm:9.4.0"\n  dependencies:\n    i18next: "npm:^23.16.8"\n\n"i18next@npm:^22.5.1":\n  version: 22.5.1\n  resolution: "i18next@npm:22.5.1"\n\n"i18next@npm:^23.16.8":\n  version: 23.16.8\n  resolution: "i18next@npm:23.16.8"\n\n"react@npm:^18, react@npm:^18.2.0":\n  version: 18.3.1\n  resolution: "react@npm:18.3.1"\n`,
      },
    },
    {
      name: 'a full-stack app: the older copy comes through a dependency it imports only from server code',
      files: {
        'package.json': pkg({ pako: '^2.1.0', mammoth: '^1.11.0' }),
        'package-lock.json': npmLock({
          'node_modules/pako': { version: '2.1.0' },
          'node_modules/mammoth': { version: '1.11.0', dependencies: { jszip: '^3.7.1' } },
          'node_modules/jszip': { version: '3.10.1', dependencies: { pako: '~1.0.2' } },
          'node_modules/jszip/node_modules/pako': { version: '1.0.11' },
        }),
        'shared/editor/files.ts': 'import { inflate } from "pako";\nexport const unzip = (b: Uint8Array) => inflate(b);\n',
        'server/converters/docx.ts': 'import mammoth from "mammoth";\nexport const toHtml = (buffer: Buffer) => mammoth.convertToHtml({ buffer });\n',
        'app/lib/read.ts': 'import { readFile } from "node:fs/promises";\nimport mammoth from "mammoth";\nexport const read = async (p: string) => mammoth.extractRawText({ buffer: await readFile(p) });\n',
      },
    },
    {
      name: 'not a frontend project',
      files: { 'package.json': pkg({ lodash: '^4.17.21' }, {}), 'package-lock.json': npmLock({ 'node_modules/lodash': { version: '4.17.21' }, 'node_modules/old-lib/node_modules/lodash': { version: '3.10.1' } }) },
    },
    {
      name: 'the app imports its own copy only for its types (import type in a .vue script): TypeScript erases it',
      files: {
        'package.json': pkg({ sortablejs: '^1.15.7', vuedraggable: '^4.1.3', vue: '^3' }),
        'package-lock.json': npmLock({
          'node_modules/sortablejs': { version: '1.15.7' },
          'node_modules/vuedraggable': { version: '4.1.3', dependencies: { sortablejs: '1.14.0' } },
          'node_modules/vuedraggable/node_modules/sortablejs': { version: '1.14.0' },
        }),
        'src/components/ProjectsNavigation.vue': '<template><draggable /></template>\n<script setup lang="ts">\nimport draggable from "vuedraggable";\nimport type { SortableEvent } from "sortablejs";\nconst onEnd = (e: SortableEvent) => e.newIndex;\n</script>\n',
      },
    },
    {
      name: 'a Next.js app: the package that pins the older copy is imported only from API routes and a server-only module',
      files: {
        'package.json': pkg({ pako: '^2.1.0', mammoth: '^1.11.0', next: '^15' }, { typescript: '^5' }),
        'package-lock.json': npmLock({
          'node_modules/pako': { version: '2.1.0' },
          'node_modules/mammoth': { version: '1.11.0', dependencies: { jszip: '^3.7.1' } },
          'node_modules/jszip': { version: '3.10.1', dependencies: { pako: '~1.0.2' } },
          'node_modules/jszip/node_modules/pako': { version: '1.0.11' },
        }),
        'components/Viewer.tsx': 'import { inflate } from "pako";\nexport const unzip = (b: Uint8Array) => inflate(b);\n',
        'pages/api/convert.ts': 'import mammoth from "mammoth";\nexport default async function handler(req: any, res: any) { res.json(await mammoth.convertToHtml({ buffer: req.body })); }\n',
        'lib/convert.ts': 'import "server-only";\nimport mammoth from "mammoth";\nexport const toHtml = (buffer: Buffer) => mammoth.convertToHtml({ buffer });\n',
        'components/Types.ts': 'import type { Result } from "mammoth";\nexport type Converted = Result;\n',
      },
    },
    {
      name: 'a Next.js app: its own copy is imported only by a component that no route, layout or other file imports (through the @/ alias)',
      files: nextPako({}),
    },
    {
      name: '@babel/runtime 7.18 and later declares regenerator-runtime but inlines it as a helper: only the other copy ships',
      files: staleRegenerator('7.27.0'),
    },
    {
      name: 'types-only and Node-only packages never reach a bundle (csstype, node-fetch, https-proxy-agent, jimp)',
      files: {
        'package.json': pkg({ csstype: '^3.1.2', 'node-fetch': '^2.7.0', 'https-proxy-agent': '^7.0.6', jimp: '^0.22.10', 'regenerator-runtime': '^0.14.0', '@emotion/serialize': '^1', gaxios: '^7', axios: '^1' }),
        'package-lock.json': npmLock({
          'node_modules/csstype': { version: '3.1.2' },
          'node_modules/@emotion/serialize': { version: '1.1.1', dependencies: { csstype: '3.1.1' } },
          'node_modules/@emotion/serialize/node_modules/csstype': { version: '3.1.1' },
          'node_modules/node-fetch': { version: '2.7.0' },
          'node_modules/gaxios': { version: '7.1.5', dependencies: { 'node-fetch': '^3.3.2' } },
          'node_modules/gaxios/node_modules/node-fetch': { version: '3.3.2' },
          'node_modules/https-proxy-agent': { version: '7.0.6' },
          'node_modules/axios': { version: '1.19.0', dependencies: { 'https-proxy-agent': '^5.0.1' } },
          'node_modules/axios/node_modules/https-proxy-agent': { version: '5.0.1' },
          'node_modules/regenerator-runtime': { version: '0.14.1' },
          'node_modules/jimp': { version: '0.22.10', dependencies: { 'regenerator-runtime': '^0.13.3' } },
          'node_modules/jimp/node_modules/regenerator-runtime': { version: '0.13.11' },
        }),
      },
    },
  ],
  invalid: [
    {
      name: 'the app imports its own copy as a value (next to a type): both copies ship',
      files: {
        'package.json': pkg({ sortablejs: '^1.15.7', vuedraggable: '^4.1.3', vue: '^3' }),
        'package-lock.json': npmLock({
          'node_modules/sortablejs': { version: '1.15.7' },
          'node_modules/vuedraggable': { version: '4.1.3', dependencies: { sortablejs: '1.14.0' } },
          'node_modules/vuedraggable/node_modules/sortablejs': { version: '1.14.0' },
        }),
        'src/components/ProjectsNavigation.vue': '<template><draggable /></template>\n<script setup lang="ts">\nimport draggable from "vuedraggable";\nimport Sortable, { type SortableEvent } from "sortablejs";\nconst onEnd = (e: SortableEvent) => Sortable.utils;\n</script>\n',
      },
      errors: [{ file: 'package-lock.json', line: 22, column: 5, message: /sortablejs is installed at 2 versions: 1\.15\.7 \(required by your package\.json\); 1\.14\.0 \(required by vuedraggable@4\.1\.3\)/ }],
    },
    {
      name: '@babel/runtime before 7.18 requires regenerator-runtime: both copies ship',
      files: staleRegenerator('7.17.9'),
      errors: [{ file: 'package-lock.json', line: 28, column: 5, message: /regenerator-runtime is installed at 2 versions: 0\.14\.1 \(required by @babel\/runtime@7\.17\.9\); 0\.13\.11 \(required by old-picker@1\.0\.0\)/ }],
    },
    {
      name: 'a Next.js app: a page imports the component (through the @/ alias) that imports its own copy',
      files: nextPako({ 'src/app/settings/page.tsx': 'import { DevIndicator } from "@/components/dev-indicator";\nexport default DevIndicator;\n' }),
      errors: [{ file: 'package-lock.json', line: 28, column: 5, message: /pako is installed at 2 versions/ }],
    },
    {
      name: 'a Next.js app whose alias is not declared where the audit reads it: every file counts as reachable',
      files: nextPako({ 'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json' }) }),
      errors: [{ file: 'package-lock.json', line: 28, column: 5, message: /pako is installed at 2 versions/ }],
    },
    {
      name: 'a Next.js app that computes an import path: every file counts as reachable',
      files: nextPako({ 'src/app/lab/page.tsx': 'export default async function Lab({ name }: { name: string }) { return (await import(`../../components/${name}`)).default; }\n' }),
      errors: [{ file: 'package-lock.json', line: 28, column: 5, message: /pako is installed at 2 versions/ }],
    },
    {
      name: 'a Next.js app: a client component imports the package that pins the older copy too',
      files: {
        'package.json': pkg({ pako: '^2.1.0', mammoth: '^1.11.0', next: '^15' }, { typescript: '^5' }),
        'package-lock.json': npmLock({
          'node_modules/pako': { version: '2.1.0' },
          'node_modules/mammoth': { version: '1.11.0', dependencies: { jszip: '^3.7.1' } },
          'node_modules/jszip': { version: '3.10.1', dependencies: { pako: '~1.0.2' } },
          'node_modules/jszip/node_modules/pako': { version: '1.0.11' },
        }),
        'components/Viewer.tsx': 'import { inflate } from "pako";\nexport const unzip = (b: Uint8Array) => inflate(b);\n',
        'pages/api/convert.ts': 'import mammoth from "mammoth";\nexport default async function handler(req: any, res: any) { res.json(await mammoth.convertToHtml({ buffer: req.body })); }\n',
        'components/Preview.tsx': '"use client";\nimport mammoth from "mammoth";\nexport const preview = (b: ArrayBuffer) => mammoth.convertToHtml({ arrayBuffer: b });\n',
        'pages/index.tsx': 'import { unzip } from "../components/Viewer";\nimport { preview } from "../components/Preview";\nexport default function Home() { return null; }\n',
      },
      errors: [{ file: 'package-lock.json', line: 28, column: 5, message: /pako is installed at 2 versions: 2\.1\.0 \(required by your package\.json\); 1\.0\.11 \(required by jszip@3\.10\.1\)/ }],
    },
    {
      name: 'npm v3: a direct dependency nested at an older version',
      files: {
        'package.json': pkg({ lodash: '^4.17.21', 'old-lib': '^1.0.0' }),
        'package-lock.json': npmLock({
          'node_modules/lodash': { version: '4.17.21' },
          'node_modules/old-lib': { version: '1.0.0', dependencies: { lodash: '^3.10.0' } },
          'node_modules/old-lib/node_modules/lodash': { version: '3.10.1' },
        }),
      },
      errors: [{ file: 'package-lock.json', line: 22, column: 5, message: /lodash is installed at 2 versions: 4\.17\.21 \(required by your package\.json\); 3\.10\.1 \(required by old-lib@1\.0\.0\)/, data: { versions: ['4.17.21', '3.10.1'] } }],
    },
    {
      name: 'pnpm v9: react twice (bundle-sensitive even when transitive)',
      files: {
        'package.json': pkg({ 'ui-kit': '^2.0.0', 'react-dom': '^18.3.1' }),
        'pnpm-lock.yaml': `lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      react-dom:\n        specifier: ^18.3.1\n        version: 18.3.1\n      ui-kit:\n        specifier: ^2.0.0\n        version: 2.0.0\n\npackages:\n\n  react@17.0.2:\n    resolution: {integrity: sha512-a}\n\n  react@18.3.1:\n    resolution: {integrity: sha512-b}\n\n  react-dom@18.3.1:\n    resolution: {integrity: sha512-d}\n\n  ui-kit@2.0.0:\n    resolution: {integrity: sha512-c}\n\nsnapshots:\n\n  react@17.0.2: {}\n\n  react@18.3.1: {}\n\n  react-dom@18.3.1:\n    dependencies:\n      react: 18.3.1\n\n  ui-kit@2.0.0:\n    dependencies:\n      react: 17.0.2\n`,
      },
      errors: [{ file: 'pnpm-lock.yaml', line: 16, column: 3, message: /react is installed at 2 versions: 18\.3\.1 \(required by react-dom@18\.3\.1\); 17\.0\.2 \(required by ui-kit@2\.0\.0\)/ }],
    },
    {
      name: 'pnpm v6 with dev flags',
      files: {
        'package.json': pkg({ 'date-fns': '^3.0.0', picker: '^1.0.0' }),
        'pnpm-lock.yaml': `lockfileVersion: '6.0'\n\ndependencies:\n  date-fns:\n    specifier: ^3.0.0\n    version: 3.6.0\n  picker:\n    specifier: ^1.0.0\n    version: 1.0.0\n\npackages:\n\n  /picker@1.0.0:\n    resolution: {integrity: sha512-p}\n    dependencies:\n      date-fns: 2.30.0\n    dev: false\n\n  /date-fns@2.30.0:\n    resolution: {integrity: sha512-x}\n    dev: false\n\n  /date-fns@3.6.0:\n    resolution: {integrity: sha512-y}\n    dev: false\n\n  /date-fns@1.30.1:\n    resolution: {integrity: sha512-z}\n    dev: true\n`,
      },
      errors: [{ line: 19, column: 3, message: /date-fns is installed at 2 versions: 3\.6\.0[^]*2\.30\.0 \(required by picker@1\.0\.0\)/ }],
    },
    {
      name: 'a full-stack app: the dependency that pins the older copy is imported from client code too',
      files: {
        'package.json': pkg({ pako: '^2.1.0', mammoth: '^1.11.0' }),
        'package-lock.json': npmLock({
          'node_modules/pako': { version: '2.1.0' },
          'node_modules/mammoth': { version: '1.11.0', dependencies: { jszip: '^3.7.1' } },
          'node_modules/jszip': { version: '3.10.1', dependencies: { pako: '~1.0.2' } },
          'node_modules/jszip/node_modules/pako': { version: '1.0.11' },
        }),
        'shared/editor/files.ts': 'import { inflate } from "pako";\nexport const unzip = (b: Uint8Array) => inflate(b);\n',
        'server/converters/docx.ts': 'import mammoth from "mammoth";\nexport const toHtml = (buffer: Buffer) => mammoth.convertToHtml({ buffer });\n',
        'app/components/Import.tsx': 'import mammoth from "mammoth";\nexport const preview = (b: ArrayBuffer) => mammoth.convertToHtml({ arrayBuffer: b });\n',
      },
      errors: [{ file: 'package-lock.json', line: 28, column: 5, message: /pako is installed at 2 versions: 2\.1\.0 \(required by your package\.json\); 1\.0\.11 \(required by jszip@3\.10\.1\)/ }],
    },
    {
      name: 'yarn v1',
      files: {
        'package.json': pkg({ moment: '^2.29.0', 'chart-lib': '^1.0.0' }),
        'yarn.lock': `# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n"chart-lib@^1.0.0":\n  version "1.2.0"\n  dependencies:\n    moment "~2.18.0"\n\nmoment@^2.29.0:\n  version "2.30.1"\n  resolved "https://registry.yarnpkg.com/moment/-/moment-2.30.1.tgz"\n\nmoment@~2.18.0:\n  version "2.18.1"\n`,
      },
      errors: [{ file: 'yarn.lock', line: 14, column: 1, message: /moment is installed at 2 versions: 2\.30\.1 \(required by your package\.json\); 2\.18\.1 \(required by chart-lib@1\.2\.0\)/ }],
    },
    {
      name: 'yarn berry',
      files: {
        'package.json': pkg({ lodash: '^4.17.21', old: '^1.0.0' }),
        'yarn.lock': `__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"lodash@npm:^3.0.0":\n  version: 3.10.1\n  resolution: "lodash@npm:3.10.1"\n  languageName: node\n  linkType: hard\n\n"lodash@npm:^4.17.21":\n  version: 4.17.21\n  resolution: "lodash@npm:4.17.21"\n  languageName: node\n  linkType: hard\n\n"old@npm:^1.0.0":\n  version: 1.0.0\n  dependencies:\n    lodash: "npm:^3.0.0"\n  languageName: node\n  linkType: hard\n\n"app@workspace:.":\n  version: 0.0.0-use.local\n  languageName: unknown\n  linkType: soft\n`,
      },
      errors: [{ line: 5, column: 1, message: /lodash is installed at 2 versions: 4\.17\.21[^]*3\.10\.1 \(required by old@1\.0\.0\)/ }],
    },
  ],
});

// Monorepos: a root with only `workspaces` (not itself a frontend project) and frontend members.
const wsRoot = (workspaces: unknown = ['packages/*']): string => `${JSON.stringify({ name: 'mono', private: true, workspaces, devDependencies: { typescript: '^5' } }, null, 2)}\n`;
const member = (name: string, deps: Record<string, string>, dev: Record<string, string> = { vite: '^5.0.0' }): string => `${JSON.stringify({ name, dependencies: deps, devDependencies: dev }, null, 2)}\n`;
const npmWsLock = (packages: Record<string, unknown>): string => `${JSON.stringify({ name: 'mono', lockfileVersion: 3, requires: true, packages: { '': { name: 'mono', workspaces: ['packages/*'], devDependencies: { typescript: '^5' } }, ...packages } }, null, 2)}\n`;
/**
 * pnpm v9: the web app and the worker both install `sdk`, as two peer variants (with zod 3.23 and with
 * zod 3.24); `webZod` is the zod version the web app's own sdk variant resolves.
 */
const peerVariants = (webZod: string): string =>
  `lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n\n  apps/web:\n    dependencies:\n      sdk:\n        specifier: ^1.0.0\n        version: 1.0.0(zod@${webZod})\n      zod:\n        specifier: ^3.23.0\n        version: 3.23.8\n    devDependencies:\n      vite:\n        specifier: ^5.0.0\n        version: 5.2.0\n\n  apps/worker:\n    dependencies:\n      sdk:\n        specifier: ^1.0.0\n        version: 1.0.0(zod@3.24.1)\n      zod:\n        specifier: ^3.24.0\n        version: 3.24.1\n\npackages:\n\n  sdk@1.0.0:\n    resolution: {integrity: sha512-a}\n    peerDependencies:\n      zod: ^3.0.0\n\n  vite@5.2.0:\n    resolution: {integrity: sha512-d}\n\n  zod@3.23.8:\n    resolution: {integrity: sha512-b}\n\n  zod@3.24.1:\n    resolution: {integrity: sha512-c}\n\nsnapshots:\n\n  sdk@1.0.0(zod@3.23.8):\n    dependencies:\n      zod: 3.23.8\n\n  sdk@1.0.0(zod@3.24.1):\n    dependencies:\n      zod: 3.24.1\n\n  zod@3.23.8: {}\n\n  zod@3.24.1: {}\n`;
const monoKeys = `${JSON.stringify({ name: 'mono', lockfileVersion: 3, requires: true, packages: {
  '': { name: 'mono', workspaces: ['apps/*'], devDependencies: { typescript: '^5' } },
  'apps/web': { name: 'web', dependencies: { zod: '^3.23.0', 'keys-sdk': '^2.0.0', next: '^15' } },
  'apps/server': { name: 'server', dependencies: { zod: '^3.23.0', 'keys-sdk': '^2.0.0', hono: '^4' } },
  'node_modules/zod': { version: '3.23.8' },
  'node_modules/next': { version: '15.0.0' },
  'node_modules/hono': { version: '4.6.0' },
  'node_modules/keys-sdk': { version: '2.3.4', dependencies: { zod: '^4.0.0' } },
  'node_modules/keys-sdk/node_modules/zod': { version: '4.4.3' },
} }, null, 2)}\n`;

engineRuleTests('bundle-duplicate-package', {
  valid: [
    {
      name: 'monorepo: members agree on one version',
      files: {
        'package.json': wsRoot(),
        'packages/web/package.json': member('web', { lodash: '^4.17.21' }),
        'packages/admin/package.json': member('admin', { lodash: '^4.17.0' }),
        'package-lock.json': npmWsLock({ 'packages/web': { name: 'web', dependencies: { lodash: '^4.17.21' } }, 'packages/admin': { name: 'admin', dependencies: { lodash: '^4.17.0' } }, 'node_modules/lodash': { version: '4.17.21' }, 'node_modules/web': { resolved: 'packages/web', link: true } }),
      },
    },
    {
      name: 'monorepo: the duplicated package belongs to a server member only',
      files: {
        'package.json': wsRoot(),
        'packages/api/package.json': member('api', { semver: '^7.0.0', express: '^4' }, { typescript: '^5' }),
        'package-lock.json': npmWsLock({ 'packages/api': { name: 'api', dependencies: { semver: '^7.0.0', express: '^4' } }, 'node_modules/semver': { version: '7.6.0' }, 'packages/api/node_modules/semver': { version: '6.3.1' } }),
      },
    },
    {
      name: 'monorepo: the web app lists a package it never imports, which only a server app of the workspace imports; its newer copy reaches no bundle',
      files: {
        'package.json': wsRoot(['apps/*']),
        'apps/web/package.json': member('web', { zod: '^3.23.0', 'keys-sdk': '^2.0.0', next: '^15' }, { typescript: '^5' }),
        'apps/web/src/app/page.tsx': 'import { z } from "zod";\nexport default function Page() { return String(z.string()); }\n',
        'apps/server/package.json': member('server', { zod: '^3.23.0', 'keys-sdk': '^2.0.0', hono: '^4' }, { typescript: '^5' }),
        'apps/server/src/auth.ts': 'import { verifyKey } from "keys-sdk";\nexport const auth = verifyKey;\n',
        'package-lock.json': monoKeys,
      },
    },
    {
      name: 'pnpm peer variants: the web app installs the variant of sdk built with its own zod; the variant with the newer zod is the worker\'s',
      files: {
        'package.json': `${JSON.stringify({ name: 'mono', private: true }, null, 2)}\n`,
        'apps/web/package.json': member('web', { sdk: '^1.0.0', zod: '^3.23.0' }),
        'apps/worker/package.json': member('worker', { sdk: '^1.0.0', zod: '^3.24.0' }, { typescript: '^5' }),
        'pnpm-lock.yaml': peerVariants('3.23.8'),
      },
    },
    {
      name: 'separate apps (' + 'npm workspaces: two frontend members resolve lodash at different versions' + ') each ship one version: one app\'s dependencies never decide another\'s',
      files: {
        'package.json': wsRoot(),
        'packages/web/package.json': member('web', { lodash: '^4.17.21' }),
        'packages/legacy/package.json': member('legacy', { lodash: '^3.10.0' }),
        'package-lock.json': npmWsLock({
          'node_modules/legacy': { resolved: 'packages/legacy', link: true },
          'node_modules/lodash': { version: '4.17.21' },
          'node_modules/web': { resolved: 'packages/web', link: true },
          'packages/legacy': { name: 'legacy', dependencies: { lodash: '^3.10.0' }, devDependencies: { vite: '^5.0.0' } },
          'packages/legacy/node_modules/lodash': { version: '3.10.1' },
          'packages/web': { name: 'web', dependencies: { lodash: '^4.17.21' }, devDependencies: { vite: '^5.0.0' } },
        }),
      },
    },
    {
      name: 'separate apps (' + 'pnpm workspace: members found through the lockfile importers' + ') each ship one version: one app\'s dependencies never decide another\'s',
      files: {
        'package.json': `${JSON.stringify({ name: 'mono', private: true }, null, 2)}\n`,
        'apps/web/package.json': member('web', { 'date-fns': '^3.0.0' }),
        'apps/shop/package.json': member('shop', { 'date-fns': '^2.30.0' }),
        'pnpm-lock.yaml': `lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    devDependencies:\n      typescript:\n        specifier: ^5\n        version: 5.4.0\n\n  apps/shop:\n    dependencies:\n      date-fns:\n        specifier: ^2.30.0\n        version: 2.30.0\n    devDependencies:\n      vite:\n        specifier: ^5.0.0\n        version: 5.2.0\n\n  apps/web:\n    dependencies:\n      date-fns:\n        specifier: ^3.0.0\n        version: 3.6.0\n    devDependencies:\n      vite:\n        specifier: ^5.0.0\n        version: 5.2.0\n\npackages:\n\n  date-fns@2.30.0:\n    resolution: {integrity: sha512-a}\n\n  date-fns@3.6.0:\n    resolution: {integrity: sha512-b}\n\n  typescript@5.4.0:\n    resolution: {integrity: sha512-c}\n\n  vite@5.2.0:\n    resolution: {integrity: sha512-d}\n\nsnapshots:\n\n  date-fns@2.30.0: {}\n\n  date-fns@3.6.0: {}\n`,
      },
    },
    {
      name: 'separate apps (' + 'yarn v1 workspaces ({ packages } form): members from package.json, versions by range' + ') each ship one version: one app\'s dependencies never decide another\'s',
      files: {
        'package.json': wsRoot({ packages: ['apps/*'] }),
        'apps/site/package.json': member('site', { moment: '^2.29.0' }, { webpack: '^5' }),
        'apps/old/package.json': member('old', { moment: '~2.18.0' }, { webpack: '^5' }),
        'yarn.lock': `# yarn lockfile v1\n\n\nmoment@^2.29.0:\n  version "2.30.1"\n\nmoment@~2.18.0:\n  version "2.18.1"\n`,
      },
    },
  ],
  invalid: [
    {
      name: 'monorepo: a package the web app lists but never imports, which no code of the workspace imports either (injected, or used from a stylesheet), still counts',
      files: {
        'package.json': wsRoot(['apps/*']),
        'apps/web/package.json': member('web', { zod: '^3.23.0', 'keys-sdk': '^2.0.0', next: '^15' }, { typescript: '^5' }),
        'apps/web/src/app/page.tsx': 'import { z } from "zod";\nexport default function Page() { return String(z.string()); }\n',
        'apps/server/package.json': member('server', { zod: '^3.23.0', hono: '^4' }, { typescript: '^5' }),
        'package-lock.json': monoKeys,
      },
      errors: [{ file: 'package-lock.json', line: 31, column: 5, message: /zod is installed at 2 versions: 4\.4\.3 \(required by keys-sdk@2\.3\.4\); 3\.23\.8/ }],
    },
    {
      name: 'pnpm peer variants: the web app installs the variant of sdk built with the other zod',
      files: {
        'package.json': `${JSON.stringify({ name: 'mono', private: true }, null, 2)}\n`,
        'apps/web/package.json': member('web', { sdk: '^1.0.0', zod: '^3.23.0' }),
        'apps/worker/package.json': member('worker', { sdk: '^1.0.0', zod: '^3.24.0' }, { typescript: '^5' }),
        'pnpm-lock.yaml': peerVariants('3.24.1'),
      },
      errors: [{ file: 'pnpm-lock.yaml', line: 39, column: 3, message: /zod is installed at 2 versions: 3\.24\.1 \(required by sdk@1\.0\.0\); 3\.23\.8 \(required by apps\/web\/package\.json\)/ }],
    },
    {
      name: 'yarn berry: entries whose key lists several descriptors keep their versions; a shared workspace package brings its dependencies',
      files: {
        'package.json': wsRoot(['apps/*', 'packages/*']),
        'apps/web/package.json': member('web', { '@acme/ui': 'workspace:*', 'class-variance-authority': '^0.7.0' }),
        'packages/ui/package.json': `${JSON.stringify({ name: '@acme/ui', dependencies: { clsx: '^1.2.1' } }, null, 2)}\n`,
        'yarn.lock': `__metadata:\n  version: 8\n\n"class-variance-authority@npm:^0.7.0":\n  version: 0.7.1\n  resolution: "class-variance-authority@npm:0.7.1"\n  dependencies:\n    clsx: "npm:^2.1.1"\n\n"clsx@npm:^1.1.1, clsx@npm:^1.2.1":\n  version: 1.2.1\n  resolution: "clsx@npm:1.2.1"\n\n"clsx@npm:^2.0.0, clsx@npm:^2.1.1":\n  version: 2.1.1\n  resolution: "clsx@npm:2.1.1"\n\n"@acme/ui@workspace:*, @acme/ui@workspace:packages/ui":\n  version: 0.0.0-use.local\n  dependencies:\n    clsx: "npm:^1.2.1"\n`,
      },
      errors: [{ file: 'yarn.lock', line: 10, column: 1, message: /clsx is installed at 2 versions: 2\.1\.1 \(required by class-variance-authority@0\.7\.1\); 1\.2\.1 \(required by packages\/ui\/package\.json\)/ }],
    },
    {
      name: 'yarn berry workspaces: a frontend member and a transitive older copy',
      files: {
        'package.json': wsRoot(['packages/*']),
        'packages/ui/package.json': member('ui', { lodash: '^4.17.21', old: '^1.0.0' }),
        'yarn.lock': `__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"lodash@npm:^3.0.0":\n  version: 3.10.1\n  resolution: "lodash@npm:3.10.1"\n  languageName: node\n  linkType: hard\n\n"lodash@npm:^4.17.21":\n  version: 4.17.21\n  resolution: "lodash@npm:4.17.21"\n  languageName: node\n  linkType: hard\n\n"old@npm:^1.0.0":\n  version: 1.0.0\n  dependencies:\n    lodash: "npm:^3.0.0"\n  languageName: node\n  linkType: hard\n\n"mono@workspace:.":\n  version: 0.0.0-use.local\n  languageName: unknown\n  linkType: soft\n\n"ui@workspace:packages/ui":\n  version: 0.0.0-use.local\n  dependencies:\n    lodash: "npm:^4.17.21"\n    old: "npm:^1.0.0"\n  languageName: unknown\n  linkType: soft\n`,
      },
      errors: [{ file: 'yarn.lock', line: 5, column: 1, message: /lodash is installed at 2 versions: 4\.17\.21 \(required by packages\/ui\/package\.json\); 3\.10\.1 \(required by old@1\.0\.0\)/ }],
    },
  ],
});

const tsconfig = (opts: Record<string, unknown>): string => JSON.stringify({ compilerOptions: opts });

engineRuleTests('bundle-lodash-full-import', {
  valid: [
    { name: 'per-method imports', files: { 'src/a.js': "import debounce from 'lodash/debounce';\nimport { map } from 'lodash-es';\nconst x = require('lodash.throttle');\n" } },
    { name: 'lodash in strings and comments', files: { 'src/a.js': "// import _ from 'lodash'\nconst s = \"import _ from 'lodash'\";\n" } },
    { name: 'type-only imports', files: { 'src/a.ts': "import type { DebouncedFunc } from 'lodash';\nimport { type Dictionary } from 'lodash';\n" } },
  ],
  invalid: [
    {
      name: 'named imports in JS: one import per method',
      files: { 'src/a.js': "import { debounce, throttle as thr } from 'lodash';\n" },
      errors: [{ line: 1, column: 1, endColumn: 52, message: /importing \{ debounce, throttle \} from "lodash" bundles all of lodash/, fixOutput: { 'src/a.js': "import debounce from 'lodash/debounce';\nimport thr from 'lodash/throttle';\n" } }],
    },
    {
      name: 'indented, double quotes, no semicolon',
      files: { 'src/a.jsx': '  import { get } from "lodash"\nexport default () => get({}, "a")\n' },
      errors: [{ line: 1, column: 3, fixOutput: { 'src/a.jsx': '  import get from "lodash/get"\nexport default () => get({}, "a")\n' } }],
    },
    {
      name: 'lodash-es installed: switch the specifier',
      files: { 'package.json': pkg({ 'lodash-es': '^4.17.21', lodash: '^4' }), 'src/a.ts': "import { debounce } from 'lodash';\n" },
      errors: [{ line: 1, column: 1, fixOutput: { 'src/a.ts': "import { debounce } from 'lodash-es';\n" } }],
    },
    {
      name: 'TypeScript with esModuleInterop: per-method, type imports kept',
      files: { 'tsconfig.json': tsconfig({ esModuleInterop: true }), 'src/a.ts': "import { debounce, type DebouncedFunc } from 'lodash';\n" },
      errors: [{ line: 1, column: 1, fixOutput: { 'src/a.ts': "import debounce from 'lodash/debounce';\nimport type { DebouncedFunc } from 'lodash';\n" } }],
    },
    { name: 'TypeScript without synthetic default imports: no fix', files: { 'tsconfig.json': tsconfig({ strict: true }), 'src/a.ts': "import { debounce } from 'lodash';\n" }, errors: [{ line: 1, column: 1, noFix: true }] },
    { name: 'default import: no safe rewrite', files: { 'src/a.js': "import _ from 'lodash';\n_.map([], (x) => x);\n" }, errors: [{ line: 1, column: 1, noFix: true, message: /import _ from "lodash"/ }] },
    { name: 'require', files: { 'src/a.cjs': "const _ = require('lodash');\n" }, errors: [{ line: 1, column: 11, endColumn: 28, noFix: true, message: /require\("lodash"\)/ }] },
    { name: 'chain has no standalone module: no fix', files: { 'src/a.js': "import { chain } from 'lodash';\n" }, errors: [{ line: 1, column: 1, noFix: true }] },
  ],
});
