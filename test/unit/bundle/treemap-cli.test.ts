import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { groupsOf, moduleFilePath, parseTreemapMessage, renderTreemapHtml, squarify } from '../../../src/analyzers/bundle/treemap.js';
import { runBundleCli } from '../../../src/cli/bundle.js';
import type { BundleAnalysis } from '../../../src/analyzers/bundle/types.js';
import { metafile, minifiedJs, png } from './fixtures.js';

test('squarify: areas proportional to values, inside the rectangle, no overlap', () => {
  const values = [500, 250, 125, 60, 30, 20, 10, 5];
  const out = squarify(values.map((v) => ({ value: v, data: v })), { x: 0, y: 0, w: 200, h: 100 });
  const total = values.reduce((a, b) => a + b, 0);
  assert.equal(out.length, values.length);
  for (const { rect, item } of out) {
    assert.ok(Math.abs(rect.w * rect.h - (20000 * item.value) / total) < 1e-6, `area of ${item.value}`);
    assert.ok(rect.x >= -1e-9 && rect.y >= -1e-9 && rect.x + rect.w <= 200 + 1e-9 && rect.y + rect.h <= 100 + 1e-9);
  }
  for (let i = 0; i < out.length; i++) {
    for (let j = i + 1; j < out.length; j++) {
      const a = out[i].rect;
      const b = out[j].rect;
      const overlap = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
      assert.ok(overlap < 1e-6, `${i} and ${j} overlap`);
    }
  }
  assert.deepEqual(squarify([{ value: 0, data: 0 }], { x: 0, y: 0, w: 1, h: 1 }), []);
});

const analysis: BundleAnalysis = {
  root: '/ws', outputDirs: ['dist'], manifests: [], images: [], problems: [], entries: [], packages: [], durationMs: 1, truncated: false,
  files: [{ path: 'dist/main.js', kind: 'js', bytes: 5000, gzip: 2000, brotli: 1800 }],
  breakdowns: [{ output: 'dist/main.js', source: 'esbuild-metafile', from: 'dist/meta.json', preMinification: false, unattributed: 100, modules: [
    { module: 'node_modules/lodash/lodash.js', bytes: 3000, pkg: 'lodash', pkgRoot: 'node_modules/lodash' },
    { module: 'src/app/<script>alert(1)</script>.ts', bytes: 900 },
    { module: 'src/app/b.ts', bytes: 1000 },
  ] }],
};

test('treemap page: strict CSP with the nonce, no inline style attributes, escaped names, theme colours', () => {
  const html = renderTreemapHtml(analysis, { nonce: 'abcDEF123456', cspSource: 'https://*.vscode-cdn.net' });
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src https:\/\/\*\.vscode-cdn\.net data:; style-src https:\/\/\*\.vscode-cdn\.net 'nonce-abcDEF123456'; script-src 'nonce-abcDEF123456';">/);
  assert.doesNotMatch(html, /\sstyle="/, 'no style attributes (blocked by the CSP)');
  assert.equal((html.match(/<script\b/g) ?? []).length, 1);
  assert.match(html, /<script nonce="abcDEF123456">/);
  assert.match(html, /<style nonce="abcDEF123456">/);
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /var\(--vscode-charts-blue\)/);
  assert.match(html, /lodash <small>2\.9 KB<\/small>/);
  assert.throws(() => renderTreemapHtml(analysis, { nonce: 'x', cspSource: 'y' }), /nonce/);
  assert.deepEqual(groupsOf(analysis.breakdowns[0]).map((g) => [g.name, g.bytes]), [['lodash', 3000], ['src/app', 1900], ['(not attributed)', 100]]);
  const empty = renderTreemapHtml({ ...analysis, breakdowns: [], outputDirs: [] }, { nonce: 'abcDEF123456', cspSource: 'https://x' });
  assert.match(empty, /no build output folder was found/);
});

test('treemap messages from the page are validated', () => {
  assert.deepEqual(parseTreemapMessage({ type: 'refresh' }), { type: 'refresh' });
  assert.deepEqual(parseTreemapMessage({ type: 'open', module: 'src/a.ts' }), { type: 'open', module: 'src/a.ts' });
  for (const bad of [null, 'refresh', { type: 'open' }, { type: 'open', module: 3 }, { type: 'exec' }]) assert.equal(parseTreemapMessage(bad), undefined);
});

test('treemap double-click: module names resolve to workspace files (source maps from the map folder), or say why not', () => {
  const a = {
    root: '/home/u/app',
    breakdowns: [
      { output: 'dist/app.js', source: 'source-map', from: 'dist/maps/app.js.map', preMinification: false, unattributed: 0, modules: [{ module: '../../src/index.js', bytes: 1 }, { module: '../../../etc/passwd', bytes: 1 }, { module: 'webpack://app/./src/b.ts', bytes: 1 }] },
      { output: 'dist/inline.js', source: 'source-map', from: 'dist/inline.js (inline)', preMinification: false, unattributed: 0, modules: [{ module: '../src/c.ts', bytes: 1 }, { module: '\0vite/preload-helper', bytes: 1 }] },
      { output: 'out/main.js', source: 'esbuild-metafile', from: 'meta.json', preMinification: false, unattributed: 0, modules: [{ module: 'src/d.ts', bytes: 1 }, { module: '/home/u/app/src/e.ts', bytes: 1 }, { module: '/elsewhere/f.ts', bytes: 1 }] },
    ],
  } as unknown as BundleAnalysis;
  const open = (m: string): string => {
    const r = moduleFilePath(a, m);
    return 'path' in r ? r.path : `! ${r.reason}`;
  };
  assert.equal(open('../../src/index.js'), 'src/index.js');
  assert.equal(open('webpack://app/./src/b.ts'), 'src/b.ts', 'webpack:// sources are relative to the project');
  assert.equal(open('../src/c.ts'), 'src/c.ts', 'inline map: relative to the output file');
  assert.equal(open('src/d.ts'), 'src/d.ts');
  assert.equal(open('/home/u/app/src/e.ts'), 'src/e.ts');
  assert.match(open('../../../etc/passwd'), /outside the workspace folder/);
  assert.match(open('/elsewhere/f.ts'), /outside the workspace folder/);
  assert.match(open('\0vite/preload-helper'), /not a file/);
  assert.match(open('src/not-in-analysis.ts'), /not in the current analysis/);
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runBundleCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

test('perf-audit bundle: text, json and sarif output, exit codes, engine and output rules together', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-audit-bundle-cli-'));
  try {
    const w = (p: string, c: string | Uint8Array): void => {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      writeFileSync(path.join(dir, p), c);
    };
    w('package.json', JSON.stringify({ name: 'shop', scripts: { build: 'esbuild src/main.js --bundle' }, dependencies: { moment: '^2.30.0' }, devDependencies: { esbuild: '^0.28.0' } }, null, 2));
    w('.perfauditrc.json', JSON.stringify({ budgets: { jsGzipKb: 50 } }, null, 2));
    w('src/main.js', "import { debounce } from 'lodash';\n");
    w('public/index.html', '<img src="hero.png"><p>x</p><img src="b.png">\n');
    w('public/hero.png', png(2000, 1000, 400_000));
    w('dist/main.js', minifiedJs(300));
    w('dist/meta.json', metafile({ 'dist/main.js': { entryPoint: 'src/main.js', inputs: { 'node_modules/lodash/lodash.js': 70000, 'src/main.js': 100 } } }, { 'node_modules/lodash/lodash.js': 'cjs' }));

    const text = await cli([dir, '--no-color', '--fail-on', 'warning']);
    assert.equal(text.code, 1, text.err);
    for (const re of [/Build output: dist — /, /dist\/main\.js\s+\d+ KB\s+\d+ KB/, /Entries \(what loads up front, gzip\):/, /src\/main\.js\s+\d+ KB\s+> 50 KB/, /Largest packages/, /bundle-size-budget/, /bundle-heavy-dependency/, /bundle-lodash-full-import/, /image-lazy-loading/, /image-modern-formats/, /image-oversized/, /bundle-cjs-module/]) assert.match(text.out, re);

    const json = await cli([dir, '--format', 'json', '--fail-on', 'none']);
    assert.equal(json.code, 0);
    const parsed = JSON.parse(json.out) as { analysis: BundleAnalysis; findings: { ruleId: string; docs: string }[] };
    assert.deepEqual(parsed.analysis.outputDirs, ['dist']);
    assert.ok(parsed.findings.every((f) => f.docs.endsWith(`${f.ruleId}.md`)));

    const sarif = JSON.parse((await cli([dir, '-f', 'sarif', '--fail-on', 'none'])).out) as { runs: { tool: { driver: { rules: { id: string }[] } } }[] };
    assert.ok(sarif.runs[0].tool.driver.rules.some((r) => r.id === 'bundle-size-budget'));

    assert.equal((await cli([path.join(dir, 'nope')])).code, 2);
    assert.equal((await cli([dir, '--format', 'xml'])).code, 2);
    assert.equal((await cli([dir, '--top', '0'])).code, 2);
    assert.match((await cli(['--help'])).out, /perf-audit bundle/);
    const empty = mkdtempSync(path.join(tmpdir(), 'perf-audit-bundle-empty-'));
    try {
      const r = await cli([empty, '--no-color']);
      assert.equal(r.code, 0);
      assert.match(r.out, /No build output found/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bundle evidence merges into the checklist (fail on warnings, pass when covered)', async () => {
  const { bundleEvidence } = await import('../../../src/analyzers/bundle/findings.js');
  const { checklistStatus, mergeEvidence } = await import('../../../src/kernel/checklist.js');
  const a: BundleAnalysis = { ...analysis, images: [{ path: 'public/a.png', bytes: 10, format: 'png', variants: [] }] };
  const f = { ruleId: 'bundle-size-budget', severity: 'warning' as const, message: 'm', file: 'package.json', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, checklistItem: 'bundle-size' as const, fixes: [], related: [] };
  const merged = mergeEvidence(checklistStatus([], new Map()), bundleEvidence(a, [f]));
  assert.equal(merged.find((r) => r.item.id === 'bundle-size')!.status, 'fail');
  assert.equal(merged.find((r) => r.item.id === 'image-formats')!.status, 'pass');
  assert.equal(merged.find((r) => r.item.id === 'lazy-loading')!.status, 'unknown');
});

test('perf-audit (the workspace audit) judges the build output too: budget findings, bundle-size and image-formats settled; --no-bundle skips it', async () => {
  const { main } = await import('../../../src/cli/main.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-audit-main-bundle-'));
  try {
    const w = (p: string, c: string | Uint8Array): void => {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      writeFileSync(path.join(dir, p), c);
    };
    w('package.json', JSON.stringify({ name: 'shop', scripts: { build: 'esbuild src/main.js --bundle' } }, null, 2));
    w('.perfauditrc.json', JSON.stringify({ budgets: { jsGzipKb: 50 } }, null, 2));
    w('src/main.js', "export const x = 1;\n");
    w('dist/main.js', minifiedJs(300));
    w('dist/meta.json', metafile({ 'dist/main.js': { entryPoint: 'src/main.js', inputs: { 'src/main.js': 100 } } }, {}));
    const run = async (...extra: string[]): Promise<{ code: number; report: { findings: { ruleId: string; file: string }[]; checklist: { id: string; status: string; reason: string }[] } }> => {
      const out = path.join(dir, 'report.json');
      const code = await main([dir, '--format', 'json', '--fail-on', 'warning', '-o', out, ...extra]);
      return { code, report: JSON.parse((await import('node:fs')).readFileSync(out, 'utf8')) };
    };
    const full = await run();
    assert.equal(full.code, 1);
    const budget = full.report.findings.find((f) => f.ruleId === 'bundle-size-budget');
    assert.ok(budget, 'budget finding in the workspace audit');
    assert.equal(budget.file, '.perfauditrc.json');
    assert.equal(full.report.checklist.find((c) => c.id === 'bundle-size')?.status, 'fail');

    w('.perfauditrc.json', JSON.stringify({ budgets: { jsGzipKb: 5000 } }, null, 2));
    const within = await run();
    const item = within.report.checklist.find((c) => c.id === 'bundle-size')!;
    assert.equal(item.status, 'pass', item.reason);
    assert.match(item.reason, /sized against the budgets/);

    const skipped = await run('--no-bundle');
    assert.equal(skipped.report.findings.filter((f) => f.ruleId.startsWith('bundle-size')).length, 0);
    assert.equal(skipped.report.checklist.find((c) => c.id === 'bundle-size')?.status, 'unknown');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
