// Helpers shared by run-code-server.mjs and run-electron.mjs.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT_DIR = path.join(ROOT, 'out/integration');
export const SUITE_OUT = path.join(OUT_DIR, 'suite/index.js');
const SUITE_SRC = path.join(ROOT, 'test/integration/suite/index.ts');
/** The untrusted-workspace suite (run-code-server.mjs --untrusted). */
export const UNTRUSTED_SRC = path.join(ROOT, 'test/integration/suite-untrusted/index.ts');
/** The README screenshot's "suite": sets up the workbench and asks the runner for a screenshot. */
export const SCREENSHOT_SRC = path.join(ROOT, 'test/integration/suite/screenshot.ts');
const DEMO = path.join(ROOT, 'examples/demo');

/** Extension under test: the repo root unless PERF_AUDITOR_EXTENSION_PATH says otherwise. */
export function extensionPath() {
  const p = path.resolve(process.env.PERF_AUDITOR_EXTENSION_PATH || ROOT);
  if (!fs.existsSync(path.join(p, 'package.json'))) throw new UsageError(`no extension at ${p}`);
  if (p === ROOT && !fs.existsSync(path.join(ROOT, 'dist/extension.js'))) {
    throw new UsageError('dist/extension.js is missing: run `npm run build` first');
  }
  return p;
}

/**
 * Bundles test/integration/suite (or another entry, e.g. SCREENSHOT_SRC) into
 * out/integration/suite/index.js, or `outfile` (vscode and mocha stay external).
 */
export async function bundleSuite(entry = SUITE_SRC, outfile = SUITE_OUT) {
  const esbuild = await import('esbuild');
  fs.rmSync(path.dirname(outfile), { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'], // mocha resolves from the repo's node_modules at run time
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return outfile;
}

/** Fresh temp folder holding a copy of examples/demo (the tests modify it). */
export function prepareTempWorkspace() {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-auditor-it-'));
  const workspace = path.join(tmpDir, 'demo');
  fs.cpSync(DEMO, workspace, { recursive: true });
  return { tmpDir, workspace };
}

/** What the untrusted run plants: a table name and a text that must never reach a finding. */
export const OUTSIDE_TABLE = 'outside_marker_table';
export const OUTSIDE_MARKER = 'PERF_AUDITOR_OUTSIDE_SECRET_4f1c9e';

/**
 * Turns a prepareTempWorkspace() copy into a hostile repository for the untrusted run:
 * - `.vscode/settings.json` asks for memory updates after every audit;
 * - `<tmp>/outside/secret.sql` (next to the workspace, not in it) holds the marker in SQL that
 *   would give findings if it were read, and `db/leak.sql` links to it (`../../outside/secret.sql`);
 * - `.superagent/memory` links to the empty folder `<tmp>/outside-memory` (`../../outside-memory`).
 * Returns the outside folders and a snapshot of their contents (see snapshotTree).
 */
export function plantUntrustedFixture(tmpDir, workspace) {
  const outside = path.join(tmpDir, 'outside');
  const outsideMemory = path.join(tmpDir, 'outside-memory');
  fs.mkdirSync(outside);
  fs.mkdirSync(outsideMemory);
  fs.writeFileSync(path.join(outside, 'secret.sql'), [
    `-- ${OUTSIDE_MARKER}: this file is outside the workspace and must never be read by Perf Auditor.`,
    `CREATE TABLE ${OUTSIDE_TABLE} (`,
    '  id BIGSERIAL PRIMARY KEY,',
    '  customer_id BIGINT NOT NULL REFERENCES customers(id),',
    '  email TEXT NOT NULL,',
    "  note TEXT NOT NULL DEFAULT '" + OUTSIDE_MARKER + "'",
    ');',
    '',
    `SELECT * FROM ${OUTSIDE_TABLE} WHERE lower(email) = '${OUTSIDE_MARKER}';`,
    `SELECT id FROM ${OUTSIDE_TABLE} WHERE note LIKE '%${OUTSIDE_MARKER}' ORDER BY email;`,
    '',
  ].join('\n'));
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode/settings.json'), JSON.stringify({
    'perfAuditor.memory.updateAfterAudit': true,
  }, null, 2) + '\n');
  fs.symlinkSync('../../outside/secret.sql', path.join(workspace, 'db/leak.sql'));
  fs.mkdirSync(path.join(workspace, '.superagent'));
  fs.symlinkSync('../../outside-memory', path.join(workspace, '.superagent/memory'));
  for (const [link, target] of [['db/leak.sql', outside], ['.superagent/memory', outsideMemory]]) {
    const real = fs.realpathSync(path.join(workspace, link));
    if (!real.startsWith(target)) throw new Error(`${link} resolves to ${real}, not into ${target}`);
  }
  return { outside, outsideMemory, snapshot: snapshotTree([outside, outsideMemory]) };
}

/**
 * Every entry under `dirs` (not following links): path → type; for files also size, sha256 of the
 * bytes, inode and mtime (a rewrite with the same bytes shows too).
 */
export function snapshotTree(dirs) {
  const out = new Map();
  const walk = (p) => {
    const st = fs.lstatSync(p);
    if (st.isDirectory()) {
      out.set(p, 'dir');
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else if (st.isFile()) {
      out.set(p, `file ${st.size} bytes, sha256 ${createHash('sha256').update(fs.readFileSync(p)).digest('hex')}, inode ${st.ino}, mtime ${st.mtimeMs}`);
    } else {
      out.set(p, st.isSymbolicLink() ? `link -> ${fs.readlinkSync(p)}` : 'other');
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** Differences between two snapshotTree results, one line each (empty: identical). */
export function diffSnapshots(before, after) {
  const lines = [];
  for (const [p, v] of before) {
    if (!after.has(p)) lines.push(`${p}: removed (was ${v})`);
    else if (after.get(p) !== v) lines.push(`${p}: changed (${v} -> ${after.get(p)})`);
  }
  for (const [p, v] of after) if (!before.has(p)) lines.push(`${p}: new (${v})`);
  return lines;
}

/** Reads the { passed, failed, ... } file the suite writes (undefined if absent). */
export function readResults(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** An expected problem: reported without a stack trace. */
export class UsageError extends Error {}
