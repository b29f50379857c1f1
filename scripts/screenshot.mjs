#!/usr/bin/env node
// Saves the README screenshot (docs/images/screenshot.png, 1400x900): code-server on a copy of
// examples/demo with the extension loaded, orders.sql open with its diagnostics, the Problems
// panel and the Perf Auditor checklist. Needs `npm run build` first.
// Usage: node scripts/screenshot.mjs [out.png]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs/images/screenshot.png'));
const r = spawnSync(process.execPath, [path.join(ROOT, 'test/integration/run-code-server.mjs')], {
  stdio: 'inherit',
  env: { ...process.env, PERF_AUDITOR_SCREENSHOT: out },
});
process.exit(r.status ?? 1);
