/**
 * Per-package sizes agree with source-map-explorer (within 1%) on a sample build made here with
 * esbuild from test/fixtures/bundle/app (real dayjs, date-fns, lodash): both the esbuild metafile
 * path (bytesInOutput) and our own source map attribution (Rollup/Vite path), which should match
 * source-map-explorer byte for byte per source file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { explore } from 'source-map-explorer';
import { parseMetafile } from '../../../src/analyzers/bundle/metafile.js';
import { packageOf } from '../../../src/analyzers/bundle/paths.js';
import { parseSourceMapJson, sourceMapSizes } from '../../../src/analyzers/bundle/sourcemap.js';

const ROOT = join(__dirname, '..', '..', '..');

function byPackage(entries: Iterable<[string, number]>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [src, bytes] of entries) {
    const name = packageOf(src)?.name ?? (src.startsWith('[') ? src : '[app]');
    out.set(name, (out.get(name) ?? 0) + bytes);
  }
  return out;
}

test('per-package sizes agree with source-map-explorer within 1% (esbuild metafile and source map)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'perf-audit-sme-'));
  try {
    const result = await esbuild.build({
      entryPoints: [join(ROOT, 'test/fixtures/bundle/app/src/index.js')],
      absWorkingDir: ROOT,
      bundle: true,
      minify: true,
      sourcemap: 'external',
      metafile: true,
      format: 'esm',
      platform: 'browser',
      outfile: join(dir, 'main.js'),
      logLevel: 'silent',
    });
    // esbuild's "external" maps have no comment: both tools get the map path. noBorderChecks: source-map-explorer
    // otherwise rejects the open-ended last mapping of a line ("generated column Infinity").
    const code = readFileSync(join(dir, 'main.js'), 'utf8');
    const mapText = readFileSync(join(dir, 'main.js.map'), 'utf8');
    const sme = await explore({ code: join(dir, 'main.js'), map: join(dir, 'main.js.map') }, { output: { format: 'json' }, noRoot: true, noBorderChecks: true });
    const smeFiles = Object.entries(sme.bundles[0].files).map(([k, v]) => [k, v.size] as [string, number]);
    const smePkgs = byPackage(smeFiles.filter(([k]) => !k.startsWith('[')));

    // 1. esbuild metafile (bytesInOutput)
    const meta = parseMetafile(result.metafile);
    const out = meta.outputs.find((o) => o.path.endsWith('main.js'))!;
    const metaPkgs = byPackage(out.modules.map((m) => [m.module, m.bytes]));
    for (const name of ['dayjs', 'date-fns', 'lodash']) {
      const a = metaPkgs.get(name) ?? 0;
      const b = smePkgs.get(name) ?? 0;
      assert.ok(b > 500, `source-map-explorer sees ${name} (${b} B)`);
      t.diagnostic(`${name}: metafile ${a} B, source-map-explorer ${b} B (${a - b >= 0 ? '+' : ''}${a - b} B)`);
      assert.ok(Math.abs(a - b) / b <= 0.01, `${name}: metafile ${a} B vs source-map-explorer ${b} B (${((100 * (a - b)) / b).toFixed(2)}%)`);
    }

    // 2. Our source map attribution: identical per source (same algorithm, UTF-8 bytes).
    const ours = sourceMapSizes(code, parseSourceMapJson(mapText));
    const smeBySource = new Map(smeFiles);
    for (const [src, bytes] of ours.bySource) assert.equal(bytes, smeBySource.get(src), `${src}: ours ${bytes} B, source-map-explorer ${smeBySource.get(src)} B`);
    assert.equal(ours.unmapped, smeBySource.get('[unmapped]') ?? 0, 'unmapped bytes');
    const oursPkgs = byPackage(ours.bySource);
    for (const [name, b] of smePkgs) assert.ok(Math.abs((oursPkgs.get(name) ?? 0) - b) <= b * 0.01, `${name}: source map ${oursPkgs.get(name)} vs ${b}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
