// Creates the Mocha instance and installs its BDD globals (describe, it, ...)
// before the test modules are evaluated. index.ts imports this module first;
// the bundler keeps import order, so every *.test.ts registers on `mocha`.
import * as fs from 'fs';
import Mocha from 'mocha';
import { format } from 'util';

// The extension host's console is not forwarded to the runner: the report
// (spec reporter) also goes to a log file that the runner streams to stdout.
const logFile = process.env.PERF_AUDITOR_TEST_LOG;
const consoleLog = Mocha.reporters.Base.consoleLog;
Mocha.reporters.Base.consoleLog = (...args: unknown[]): void => {
  consoleLog(...args);
  if (logFile) fs.appendFileSync(logFile, format(...args) + '\n');
};

export function log(message: string): void {
  Mocha.reporters.Base.consoleLog(message);
}

export const mocha = new Mocha({
  ui: 'bdd',
  reporter: 'spec',
  color: false,
  timeout: 60_000, // individual waits poll for at most 30 s
  ...(process.env.PERF_AUDITOR_TEST_GREP ? { grep: process.env.PERF_AUDITOR_TEST_GREP } : {}),
});

mocha.suite.emit('pre-require', globalThis, 'perf-auditor-integration-suite', mocha);
