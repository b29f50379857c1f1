#!/usr/bin/env node
// `npm run test:integration`: the integration suite in a real VS Code, twice, one run after the
// other (run-code-server.mjs):
//   1. trusted:   test/integration/suite on a copy of examples/demo (Workspace Trust disabled);
//   2. untrusted: test/integration/suite-untrusted in Restricted Mode, on a copy with links out of
//                 the workspace and a hostile workspace setting (run-code-server.mjs --untrusted).
// Each run's own "N passed, N failed" line is shown as "[run-integration] <run>: passed N, failed N";
// the last line is the sum, "N passed, N failed", as CI reads it. Exit code 1 when anything failed.
//
// Env: PERF_AUDITOR_TEST_MODE=trusted|untrusted|both   which runs (default: both, or trusted only
//      when PERF_AUDITOR_TEST_GREP is set, since a grep usually names tests of the normal suite);
//      everything else as for run-code-server.mjs (passed on to each run).
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'run-code-server.mjs');
const RESULT_LINE = /^(\d+) passed, (\d+) failed$/;

const mode = process.env.PERF_AUDITOR_TEST_MODE || (process.env.PERF_AUDITOR_TEST_GREP ? 'trusted' : 'both');
const RUNS = {
  trusted: { name: 'trusted workspace', args: [] },
  untrusted: { name: 'untrusted workspace (Restricted Mode)', args: ['--untrusted'] },
};
const runs = mode === 'both' ? [RUNS.trusted, RUNS.untrusted] : RUNS[mode] ? [RUNS[mode]] : undefined;
if (!runs) {
  console.error(`[run-integration] PERF_AUDITOR_TEST_MODE must be trusted, untrusted or both, not "${mode}"`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
if (mode === 'trusted' && process.env.PERF_AUDITOR_TEST_GREP && !process.env.PERF_AUDITOR_TEST_MODE) {
  console.log('[run-integration] PERF_AUDITOR_TEST_GREP is set: only the trusted run (PERF_AUDITOR_TEST_MODE=untrusted or both for the other)');
}

let child;
let stopped; // the signal that ended the runs
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(sig, () => {
    stopped ??= { sig, code };
    // The run cleans up (code-server, Chromium, temp folder) on the signal and then exits.
    if (child && child.exitCode === null && child.signalCode === null) {
      try { child.kill(sig); } catch { /* gone */ }
    }
  });
}

/** Runs run-code-server.mjs with `args`; resolves to its { passed, failed } (undefined: no result line). */
function runOnce(run) {
  return new Promise((resolve) => {
    let result;
    child = spawn(process.execPath, [RUNNER, ...run.args], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    const lines = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => {
      const m = RESULT_LINE.exec(line);
      if (m) {
        result = { passed: Number(m[1]), failed: Number(m[2]) };
        // Only the sum at the end may read "N passed, N failed".
        console.log(`[run-integration] ${run.name}: passed ${m[1]}, failed ${m[2]}`);
      } else {
        console.log(line);
      }
    });
    child.on('error', (err) => {
      console.error(`[run-integration] could not start ${RUNNER}: ${err.message}`);
    });
    child.on('close', (code, signal) => resolve({ result, code, signal }));
  });
}

const t0 = Date.now();
let passed = 0;
let failed = 0;
for (const run of runs) {
  if (stopped) break;
  console.log(`[run-integration] ${run.name}: starting`);
  const started = Date.now();
  const { result, code, signal } = await runOnce(run);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (!result) {
    console.log(`[run-integration] ${run.name}: no result line (exit code ${code}, signal ${signal}); counted as 1 failed`);
    failed += 1;
  } else {
    passed += result.passed;
    // A run that exits non-zero always has failed > 0 in its line; a run that reports no failure
    // but exits non-zero is still a failure.
    failed += result.failed || (code !== 0 ? 1 : 0);
  }
  console.log(`[run-integration] ${run.name}: done in ${secs}s`);
}
console.log(`[run-integration] ${runs.length === 2 && !stopped ? 'both runs' : mode} done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(stopped ? stopped.code : failed > 0 ? 1 : 0);
