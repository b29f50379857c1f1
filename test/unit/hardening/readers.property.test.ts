/**
 * Property-based robustness of the other readers of workspace files (fast-check): lockfiles (npm,
 * pnpm, yarn v1 and berry), package.json, source maps, build manifests (webpack stats, esbuild
 * metafiles, Vite manifests), imports, image markup, and the kernel's settings, JSON, baseline and
 * secret redaction. No call throws (except the one documented error class of a reader) and each
 * returns in < BUDGET_MS. The language parsers are in parsers.property.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dependentsOf, parseNpmLock, parsePnpmLock, parseYarnLock, resolveNpm, versionsByName, type Lockfile } from '../../../src/analyzers/bundle/lockfiles.js';
import { packageJsonProblem, readPackageJson } from '../../../src/analyzers/bundle/heavy.js';
import { decodeDataUrl, parseSourceMapJson, sourceMappingUrl, sourceMapSizes } from '../../../src/analyzers/bundle/sourcemap.js';
import { isMetafile, ManifestError, parseMetafile } from '../../../src/analyzers/bundle/metafile.js';
import { isWebpackStats, parseWebpackStats } from '../../../src/analyzers/bundle/webpack-stats.js';
import { htmlPageAssets, isViteManifest, parseViteManifest } from '../../../src/analyzers/bundle/entries.js';
import { findImports } from '../../../src/analyzers/bundle/imports.js';
import { htmlImages, jsxImages } from '../../../src/analyzers/images/markup.js';
import { parseSettingsWith } from '../../../src/kernel/settings.js';
import { JsonTextError, parseJsonText } from '../../../src/kernel/json.js';
import { parseBaseline } from '../../../src/kernel/baseline.js';
import { redactSecrets } from '../../../src/kernel/redact.js';
import { parseSuppressions } from '../../../src/kernel/suppress.js';
import { REGISTRY } from '../../../src/analyzers/registry.js';
import { jsonTextOf, noise, PARAMS, textOf, timed, timedThrows } from './fuzz.js';

const isManifestError = (e: unknown): boolean => e instanceof ManifestError;
const isJsonTextError = (e: unknown): boolean => e instanceof JsonTextError;

// ---------------------------------------------------------------- lockfiles

const NPM_KEYS = ['lockfileVersion', 'name', 'version', 'packages', '', 'node_modules/react', 'node_modules/a/node_modules/react', 'node_modules/@s/ui', 'packages/web', '../x', 'dependencies', 'devDependencies', 'optionalDependencies', 'requires', 'dev', 'devOptional', 'link', 'resolved', 'react', 'lodash'];
const NPM_LEAVES = fc.constantFrom<unknown>('18.2.0', '^18.0.0', '1.0.0', '', true, false, 3, 'node_modules/x', {});
const YAML_LINE = ['\n', '\n', '\n  ', '\n    ', '\n      ', '\n        ', '\r\n  ', '\t', ':', ': ', '- ', "'", '"', '#', ',', '(', ')', '@', '/'];
const PNPM = [
  ...YAML_LINE, 'lockfileVersion: 9.0', "lockfileVersion: '6.0'", 'importers:', '.:', 'packages/web:', '../up:', 'dependencies:', 'devDependencies:', 'optionalDependencies:', 'react:', 'lodash: 4.17.21',
  'specifier: ^18.2.0', 'version: 18.2.0', 'version: 18.2.0(react@18.2.0)', 'version: 1.0.0_react@18.2.0', 'packages:', 'snapshots:', '/react@18.2.0:', '/react/18.2.0:', "'@s/ui@1.0.0(react@18.2.0)':",
  '/@s/ui/1.0.0_react@18.2.0:', 'dev: true', 'dev: false', 'loose-envify: 1.4.0', 'resolution: {integrity: sha512-x}',
];
const YARN = [
  ...YAML_LINE, '# yarn lockfile v1', '__metadata:', 'version: 6', 'cacheKey: 8', '"react@^18.0.0", react@^18.2.0:', 'react@^18.2.0:', '"react@npm:^18.2.0":', '"app@workspace:.":', '"web@workspace:packages/web":',
  '"x@link:../x":', '  version "18.2.0"', '  version: 18.2.0', '  resolved "https://r/react.tgz"', '  dependencies:', '    loose-envify "^1.1.0"', '    loose-envify: ^1.1.0', '  optionalDependencies:', '  languageName: node', '  linkType: hard',
];
const withHeader = (header: string, body: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(fc.boolean(), body).map(([h, t]) => (h ? `${header}\n${t}` : t));

/** What the rules ask of a parsed lockfile, for a few of its packages. */
function queries(lock: Lockfile | undefined): void {
  if (!lock) return;
  versionsByName(lock);
  for (const p of lock.packages.slice(0, 5)) {
    dependentsOf(lock, p);
    if (lock.kind === 'npm') for (const d of Object.keys(p.dependencies).slice(0, 3)) resolveNpm(lock, p.key, d);
  }
}

test('lockfiles: npm, pnpm, yarn v1 and berry parsers (and the queries rules make) never throw, bounded (property)', () => {
  fc.assert(
    fc.property(fc.oneof(jsonTextOf(NPM_KEYS, NPM_LEAVES), textOf(['{', '}', '[', ']', ':', ',', '"packages"', '"node_modules/a"', '"version"', '"1.0.0"', '"dependencies"', '""']), noise), (text) => {
      queries(timed('parseNpmLock', () => parseNpmLock(text)));
    }),
    PARAMS,
  );
  fc.assert(
    fc.property(withHeader('lockfileVersion: 9.0', textOf(PNPM)), withHeader('__metadata:\n  version: 6\n', textOf(YARN)), (pnpm, yarn) => {
      queries(timed('parsePnpmLock', () => parsePnpmLock(pnpm)));
      queries(timed('parseYarnLock', () => parseYarnLock(yarn)));
      queries(timed('parseYarnLock (pnpm text)', () => parseYarnLock(pnpm)));
    }),
    PARAMS,
  );
});

test('package.json: readPackageJson and packageJsonProblem never throw, bounded (property)', () => {
  const keys = ['name', 'dependencies', 'devDependencies', 'browserslist', 'browser', 'react', 'vite', 'webpack', 'lodash', 'moment', '__proto__', 'constructor'];
  fc.assert(
    fc.property(fc.oneof(jsonTextOf(keys, fc.constantFrom<unknown>('^18.2.0', 'latest', 'defaults', true, 1)), textOf(['{', '}', '[', ']', '"', ':', ',', '"dependencies"', '"react"', '"1"'])), (text) => {
      timed('readPackageJson', () => readPackageJson(text));
      timed('packageJsonProblem', () => packageJsonProblem(text));
    }),
    PARAMS,
  );
});

// ---------------------------------------------------------------- source maps and manifests

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const mappings = fc.oneof(
  fc.string({ unit: fc.constantFrom(...`${B64};;;;,,,,`), maxLength: 400, size: 'medium' }),
  fc.constantFrom('AAAA', 'AAAA;AACA', 'AAAA,CAAC;;EAAE', 'A', 'AAAAA', 'AAAAAA', 'gggggggggB', '//////////', ';;;', 'é', '!', ''),
);
const code = textOf(['var a=1;', 'function f(){}', '\n', '\r\n', '//# sourceMappingURL=a.js.map', '/*# sourceMappingURL=a.css.map */', '//@ sourceMappingURL=data:application/json;base64,e30=', 'é', '😀', '\u2028']);

test('source maps: parseSourceMapJson, sourceMapSizes, sourceMappingUrl and decodeDataUrl throw only their documented errors, bounded (property)', () => {
  const mapJson = fc.oneof(
    jsonTextOf(['version', 'sources', 'sourceRoot', 'mappings', 'sections', 'names', 'file', 'sourcesContent'], fc.oneof(mappings, fc.constantFrom<unknown>('src/a.ts', 'webpack://', '/abs', null, 3))),
    fc.record({ version: fc.constant(3), sources: fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null)), { maxLength: 6 }), mappings, sourceRoot: fc.option(fc.constantFrom('', 'src', 'webpack:///', '/x/')) }).map((m) => JSON.stringify(m)),
  );
  fc.assert(
    fc.property(mapJson, code, (json, js) => {
      const parsed = timedThrows('parseSourceMapJson', isManifestError, () => parseSourceMapJson(json));
      if (parsed.value) {
        const map = parsed.value;
        timedThrows('sourceMapSizes', isManifestError, () => sourceMapSizes(js, map));
      }
      const url = timed('sourceMappingUrl', () => sourceMappingUrl(js));
      // a malformed %-escape in a plain data: URL is a URIError, which the bundle analysis reports as an unusable map
      if (url) timedThrows('decodeDataUrl', (e) => e instanceof URIError, () => decodeDataUrl(url));
    }),
    PARAMS,
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), (tail) => {
      for (const url of [`data:application/json;base64,${tail}`, `data:application/json;charset=utf-8,${tail}`]) timedThrows('decodeDataUrl', (e) => e instanceof URIError, () => decodeDataUrl(url));
    }),
    PARAMS,
  );
});

const MANIFEST_KEYS = [
  'assets', 'chunks', 'modules', 'entrypoints', 'children', 'name', 'size', 'files', 'id', 'orphan', 'identifier', 'moduleType', 'outputPath', 'inputs', 'outputs', 'bytes', 'bytesInOutput',
  'imports', 'path', 'kind', 'entryPoint', 'cssBundle', 'format', 'file', 'isEntry', 'css', 'src', 'dynamicImports', 'main', 'index.html',
];
const MANIFEST_LEAVES = fc.constantFrom<unknown>('main.js', 'a.css', 'main.js.hot-update.js', './node_modules/react/index.js', 'css ./a.css', 'esm', 'cjs', 'import-statement', 'main', 0, 100, -1, true, []);

test('build manifests: webpack stats, esbuild metafiles and Vite manifests, read as the bundle analysis does, throw only ManifestError, bounded (property)', () => {
  fc.assert(
    fc.property(jsonTextOf(MANIFEST_KEYS, MANIFEST_LEAVES), (text) => {
      const json = timedThrows('parseJsonText', isJsonTextError, () => parseJsonText(text));
      if (json.error) return;
      const j = json.value;
      timedThrows('manifest readers', isManifestError, () => {
        if (isMetafile(j)) parseMetafile(j);
        else if (isWebpackStats(j)) parseWebpackStats(j);
        else if (isViteManifest(j)) parseViteManifest(j);
      });
      // each reader on its own, whatever the shape: a ManifestError at worst
      for (const [name, read] of [['parseMetafile', parseMetafile], ['parseWebpackStats', parseWebpackStats], ['parseViteManifest', parseViteManifest]] as const) timedThrows(name, isManifestError, () => read(j));
    }),
    PARAMS,
  );
});

// ---------------------------------------------------------------- imports and markup

const IMPORTS = [
  'import', 'export', 'from', 'require', 'type', 'as', 'default', '*', '{', '}', '(', ')', ',', ';', '.', '?.', '"react"', "'lodash/debounce'", '"@s/ui"', "'./x'", '`tpl`', '`${', 'x', 'y', 'await',
  'import.meta', '\n', '//', '/*', '*/', '/re/g', '<div>', '</div>', '/>', '<T,>', 'with { type: "json" }', 'assert', 'const', '=', '=>', '"', "'", '\\',
];
const MARKUP = [
  '<img', ' src="a.png"', " src='a.png'", ' src=a.png', ' src={x}', " src={'a.png'}", ' loading="lazy"', ' loading="eager"', ' fetchpriority="high"', ' data-src="x"', ' class="lazyload"', ' className="lazyload"',
  ' alt=""', '>', '/>', '<!--', '-->', '<script>', '</script>', '<style>', '</style>', '<template>', '</template>', '<header>', '</header>', '<nav>', '</nav>', '<div', '</div>', '<>', '</>', '<Image',
  '{', '}', '(', ')', 'items.map((i) => (', '))', '.flatMap(', 'return (', '`', '${', '"', "'", '=', '//', '/*', '*/', '<link rel="stylesheet" href="/a.css">', '<script src="/main.js"></script>',
  '<link rel="modulepreload" href="./c.js">', '<picture>', '<source srcset="a 1x, b 2x">',
];

test('findImports, htmlImages, jsxImages and htmlPageAssets never throw, bounded (property)', () => {
  fc.assert(
    fc.property(textOf(IMPORTS), fc.boolean(), (text, jsx) => {
      timed('findImports', () => findImports(text, { jsx }));
    }),
    PARAMS,
  );
  fc.assert(
    fc.property(textOf(MARKUP), fc.boolean(), (text, templates) => {
      timed('htmlImages', () => htmlImages(text, { templates }));
      timed('jsxImages', () => jsxImages(text));
      timed('htmlPageAssets', () => htmlPageAssets(text, 'dist/index.html', 'dist'));
    }),
    PARAMS,
  );
});

// ---------------------------------------------------------------- kernel

const ruleIds = [...REGISTRY.knownRuleIds].slice(0, 6);

test('kernel: parseSettingsWith never throws, parseJsonText throws only JsonTextError, suppressions are bounded (property)', () => {
  const settingsKeys = ['rules', 'sql', 'dialect', 'smallTables', 'budgets', 'ignore', 'maxFileSizeKb', 'checklist', 'status', 'reason', 'date', 'compression', 'lcpMs', ...ruleIds, ...ruleIds.map((r) => `perf-auditor/${r}`)];
  const settingsLeaves = fc.constantFrom<unknown>('off', 'error', 'warning', 'info', 'hint', 'mysql', 'pg', 'oracle', 'pass', 'not-applicable', '**/legacy/**', 100, 1e9, -1, false, ['off'], 'x'.repeat(600));
  const jsonish = textOf(['{', '}', '[', ']', ':', ',', '"', '"rules"', '"ignore"', '"off"', '1', '-', '1e999', 'true', 'null', '//', '/*', '*/', '\\u00', '\\"']);
  fc.assert(
    fc.property(fc.oneof(jsonTextOf(settingsKeys, settingsLeaves), jsonish), (text) => {
      timed('parseSettingsWith', () => parseSettingsWith(text, REGISTRY.knownRuleIds));
      timedThrows('parseJsonText', isJsonTextError, () => parseJsonText(text));
    }),
    PARAMS,
  );
  fc.assert(
    fc.property(textOf(['-- ', '// ', '# ', '/* ', '*/', 'perf-audit-disable', '-next-line', '-line', '-file', ' select-star', ', ', 'perf-auditor/missing-index', 'SELECT 1;', '\n']), (text) => {
      const s = timed('parseSuppressions', () => parseSuppressions(text));
      timed('isSuppressed', () => s.isSuppressed('select-star', 3));
    }),
    PARAMS,
  );
});

const BASELINE_MESSAGES = [/^not a perf-audit baseline \(expected \{"version": 1, "findings": \[\.\.\.\]\}\)$/, /^not valid JSON at line \d+, column \d+$/, /^not valid JSON: it ends too early \(truncated\?\)$/, /^not valid JSON$/, /^nested more than \d+ levels deep \(at line \d+, column \d+\); not read$/];
/** A run of more than 20 characters of `input` that the message repeats (and that is not part of its fixed wording). */
function quotedRun(input: string, message: string): string | undefined {
  const fixed = 'not a perf-audit baseline (expected {"version": 1, "findings": [...]})';
  for (let i = 0; i + 21 <= input.length; i++) {
    const run = input.slice(i, i + 21);
    if (message.includes(run) && !fixed.includes(run)) return run;
  }
  return undefined;
}

test('kernel: parseBaseline throws only Error whose message quotes none of the file (property)', () => {
  const keys = ['version', 'created', 'findings', 'fingerprint', 'ruleId', 'file', 'line', 'message'];
  fc.assert(
    fc.property(fc.oneof(jsonTextOf(keys, fc.constantFrom<unknown>(1, 2, '1', 'abc123', 'select-star', 'db/a.sql', 'SECRET-passwd-0123456789-abcdef', '2026-01-01T00:00:00Z')), textOf(['{', '}', '[', ']', ':', ',', '"version"', '1', '"findings"', 'SECRET-passwd-0123456789', '\n'])), (text) => {
      const r = timedThrows('parseBaseline', (e) => e instanceof Error, () => parseBaseline(text));
      if (!r.error) return;
      assert.ok(BASELINE_MESSAGES.some((re) => re.test(r.error!.message)), `unexpected message: ${r.error.message}`);
      assert.equal(quotedRun(text, r.error.message), undefined, 'the message quotes the file');
    }),
    PARAMS,
  );
});

const SECRET_TEXT = [
  'password', 'passwd', 'pwd', 'secret', 'token', 'api_key', 'apiKey', 'access-key', 'private_key', 'client_secret', 'auth', 'Password', '=', ':', ' = ', ': ', '"', "'", '`', ',', ';', ')', '}', ' ', '\n',
  'postgres://', 'mysql://', 'https://', 'redis://', 'u', 'user', '@', '/', 'host', 'db', '***', 'env', 'process.env.DB', 'settings.X', 'x'.repeat(40), 'abcdefgh',
  `ghp_${'a'.repeat(36)}`, `AKIA${'A'.repeat(16)}`, `sk_live_${'x'.repeat(24)}`, 'xoxb-1234567890-abc', `glpat-${'x'.repeat(20)}`, `AIza${'x'.repeat(35)}`,
];
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&()*+,;=%:'.split('');

test('kernel: redactSecrets is idempotent, and a password in a connection URL never survives (property)', () => {
  fc.assert(
    fc.property(textOf(SECRET_TEXT), (text) => {
      const once = timed('redactSecrets', () => redactSecrets(text));
      assert.equal(redactSecrets(once), once, 'idempotent');
    }),
    PARAMS,
  );
  const user = fc.string({ unit: fc.constantFrom(...URL_SAFE.filter((c) => c !== ':')), maxLength: 12 });
  const password = fc.string({ unit: fc.constantFrom(...URL_SAFE), minLength: 8, maxLength: 40 }).map((p) => `Pw${p}`);
  fc.assert(
    fc.property(textOf(SECRET_TEXT, { maxTokens: 40 }), textOf(SECRET_TEXT, { maxTokens: 40 }), fc.constantFrom('postgres', 'postgresql', 'mysql', 'mongodb+srv', 'redis', 'amqp', 'HTTPS', 'x-y.z'), user, password, fc.constantFrom('db', 'db.example.com:5432/app', 'h', '[::1]'), (before, after, scheme, u, pw, host) => {
      const text = `${before}${scheme}://${u}:${pw}@${host}${after}`;
      const out = redactSecrets(text);
      assert.ok(!out.includes(pw), `the password survives in ${JSON.stringify(out)}`);
      assert.equal(redactSecrets(out), out, 'idempotent');
    }),
    PARAMS,
  );
});

test('regression (property): redactSecrets on a value longer than 500 characters and on a redaction that completes a URL', () => {
  // shrunk counterexamples: the tail past 500 characters survived the first pass (`password:***word`), and the
  // assignment pattern taking `postgres://` left `redis://password:***):***@db`, a URL password for the next pass
  assert.equal(redactSecrets(`password:${'password'.repeat(63)}`), 'password:***');
  assert.equal(redactSecrets(`token=${'x'.repeat(600)} next`), 'token=*** next');
  const nested = redactSecrets('redis://password:postgres://):PwAAAAAAAA@db');
  assert.equal(nested, 'redis://password:***');
  assert.equal(redactSecrets(nested), nested);
  assert.equal(redactSecrets('DATABASE_URL=postgres://app:s3cret@db/app'), 'DATABASE_URL=postgres://app:***@db/app');
});
