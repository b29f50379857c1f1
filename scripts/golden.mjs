// Golden outputs: the CLI's JSON findings for examples/demo and the ../shared/corpora/sql corpus,
// one finding a line, so that a restructuring shows no change and a deliberate change shows as a
// reviewable diff. `node scripts/golden.mjs` checks; `node scripts/golden.mjs --update` rewrites.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const GOLDEN_CASES = [
  { name: 'demo', target: path.join(root, 'examples/demo') },
  { name: 'corpus-sql', target: path.resolve(root, '../shared/corpora/sql') },
];

/** The findings of `perf-audit <target> --format json` as golden lines (what a user sees of each finding). */
export function goldenLines(target) {
  const r = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), target, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`perf-audit exited ${r.status}: ${r.stderr}`);
  const report = JSON.parse(r.stdout);
  return report.findings.map((f) => JSON.stringify({ ruleId: f.ruleId, severity: f.severity, file: f.file, range: f.range, message: f.message, fixes: f.fixes, related: f.related })).join('\n') + '\n';
}

export function goldenFile(name) {
  return path.join(root, 'test/golden', `${name}.jsonl`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const update = process.argv.includes('--update');
  let failed = 0;
  for (const c of GOLDEN_CASES) {
    if (!existsSync(c.target)) {
      console.log(`golden ${c.name}: skipped (${c.target} is absent)`);
      continue;
    }
    const now = goldenLines(c.target);
    if (update) {
      writeFileSync(goldenFile(c.name), now);
      console.log(`golden ${c.name}: written (${now.split('\n').length - 1} findings)`);
    } else if (readFileSync(goldenFile(c.name), 'utf8') !== now) {
      failed++;
      console.log(`golden ${c.name}: differs (run node scripts/golden.mjs --update and review the diff)`);
    } else console.log(`golden ${c.name}: identical`);
  }
  process.exit(failed ? 1 : 0);
}
