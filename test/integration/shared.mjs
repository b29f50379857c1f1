// Helpers shared by run-code-server.mjs and run-electron.mjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT_DIR = path.join(ROOT, 'out/integration');
export const SUITE_OUT = path.join(OUT_DIR, 'suite/index.js');
const SUITE_SRC = path.join(ROOT, 'test/integration/suite/index.ts');
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
 * out/integration/suite/index.js (vscode and mocha stay external).
 */
export async function bundleSuite(entry = SUITE_SRC) {
  const esbuild = await import('esbuild');
  fs.rmSync(path.dirname(SUITE_OUT), { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [entry],
    outfile: SUITE_OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'], // mocha resolves from the repo's node_modules at run time
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return SUITE_OUT;
}

/** Fresh temp folder holding a copy of examples/demo (the tests modify it). */
export function prepareTempWorkspace() {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-auditor-it-'));
  const workspace = path.join(tmpDir, 'demo');
  fs.cpSync(DEMO, workspace, { recursive: true });
  return { tmpDir, workspace };
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
