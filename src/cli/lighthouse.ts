/**
 * perf-audit lighthouse <url> [--preset desktop|mobile] [--runs N] [--timeout S] [--chrome-path FILE]
 *   [--workspace DIR] [--format text|json|sarif] [--fail-on error|warning|info|none] [--save-memory]
 *   [--baseline FILE] [--write-baseline FILE] [--output FILE]
 *
 * Exit codes: 0 no finding at or above --fail-on (with --baseline: no new one); 1 findings at or above
 * it; 2 usage error (or an unreadable baseline);
 * 3 Lighthouse could not run (no Chromium, unreachable URL, timeout, page error, crash).
 */
import { parseArgs } from 'node:util';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SETTINGS_FILE, defaultSettings, type PerfAuditSettings } from '../kernel/settings.js';
import { parseSettings } from '../analyzers/index.js';
import { SEVERITY_ORDER, type Finding } from '../kernel/model.js';
import { formatBaselineText, formatLighthouseText, lighthouseJson, lighthouseSarif } from '../analyzers/lighthouse/format.js';
import { createBaseline, diffBaseline, parseBaseline, type Baseline, type BaselineDiff } from '../kernel/baseline.js';
import { LIGHTHOUSE_PRESETS, type LighthousePreset } from '../analyzers/lighthouse/types.js';
import { DEFAULT_TIMEOUT_MS, LighthouseRunError, MAX_RUNS } from '../analyzers/lighthouse/run/runner.js';
import { fsWorkspace } from '../analyzers/lighthouse/run/files.js';
import { auditPage, saveLighthouseToMemory, PERFORMANCE_DATA_PATH } from '../analyzers/lighthouse/run/session.js';
import { VERSION, REPORT_OPTIONS, parseCommandLine, readUserFile, reportOptionsProblem, useColor, writeBaselineFile, writeReport } from './common.js';

export const LIGHTHOUSE_HELP = `perf-audit lighthouse — run Lighthouse on a page and map it onto the checklist

Usage: perf-audit lighthouse <url> [options]

Options:
      --preset <desktop|mobile>    device and network emulation (default: desktop)
      --runs <n>                   runs (1-${MAX_RUNS}); the median run is reported (default: 1)
      --timeout <seconds>          hard limit per run; Chromium is then stopped (default: ${DEFAULT_TIMEOUT_MS / 1000})
      --chrome-path <file>         Chrome/Chromium to use (default: CHROME_PATH, then the usual
                                   install locations)
      --chrome-flag <flag>         extra Chromium flag, repeatable (e.g. --chrome-flag=--host-resolver-rules=...)
  -w, --workspace <dir>            project the findings point back to (nginx/Express config,
                                   images, bundles) and whose .perfauditrc.json budgets and rule
                                   levels apply (default: .)
      --no-locate                  keep findings on URLs (do not read the workspace)
  -f, --format <text|json|sarif>   output format (default: text)
      --fail-on <error|warning|info|none>
                                   exit 1 when a finding is at or above this severity (default:
                                   error, i.e. a budget missed)
      --save-memory                append the result to ${PERFORMANCE_DATA_PATH} in the workspace
      --baseline <file>            compare with a baseline: report new and fixed findings;
                                   --fail-on then applies to new findings only
      --write-baseline <file>      record this run's findings as the baseline
  -o, --output <file>              write the report to a file instead of stdout
      --no-color                   plain text output
  -h, --help                       this help

Exit codes: 0 passed, 1 findings at or above --fail-on (new ones with --baseline),
2 usage error, 3 Lighthouse could not run (no Chromium, unreachable URL, timeout, page error).
`;

async function loadSettings(root: string): Promise<{ config: PerfAuditSettings; problems: string[] }> {
  try {
    const text = await fs.readFile(path.join(root, SETTINGS_FILE), 'utf8');
    const { settings: config, problems } = parseSettings(text);
    return { config, problems: problems.map((p) => p.message) };
  } catch {
    return { config: defaultSettings(), problems: [] };
  }
}

/** Where the CLI writes (the process's streams unless a test passes its own). */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** stdout is a terminal (colour by default). */
  isTTY?: boolean;
  /** The run (tests replace it to check the output without Chromium). */
  auditPage?: typeof auditPage;
}

const PROCESS_IO: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  get isTTY() {
    return process.stdout.isTTY === true;
  },
};

export async function runLighthouseCli(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const args = parseCommandLine(
    () =>
      parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          ...REPORT_OPTIONS,
          preset: { type: 'string', default: 'desktop' },
          runs: { type: 'string', default: '1' },
          timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_MS / 1000) },
          'chrome-path': { type: 'string' },
          'chrome-flag': { type: 'string', multiple: true },
          workspace: { type: 'string', short: 'w', default: '.' },
          'no-locate': { type: 'boolean', default: false },
          'save-memory': { type: 'boolean', default: false },
          baseline: { type: 'string' },
          'write-baseline': { type: 'string' },
        },
      }),
    'perf-audit lighthouse',
    LIGHTHOUSE_HELP,
    (t) => io.out(t),
    (t) => io.err(t),
  );
  if (typeof args === 'number') return args;
  const o = args.values;
  const usage = (msg: string): number => {
    io.err(`perf-audit lighthouse: ${msg}\n`);
    return 2;
  };
  if (args.positionals.length !== 1) return usage('give exactly one URL, e.g. perf-audit lighthouse http://localhost:3000');
  const url = args.positionals[0];
  if (!LIGHTHOUSE_PRESETS.includes(o.preset as LighthousePreset)) return usage(`unknown --preset "${o.preset}" (use desktop or mobile)`);
  const runs = Number(o.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) return usage(`--runs must be a whole number from 1 to ${MAX_RUNS}`);
  const timeout = Number(o.timeout);
  if (!Number.isFinite(timeout) || timeout < 5 || timeout > 3600) return usage('--timeout must be a number of seconds from 5 to 3600');
  const failOn = o['fail-on'];
  const problem = reportOptionsProblem(o.format, failOn);
  if (problem) return usage(problem);
  const root = path.resolve(o.workspace);
  try {
    if (!(await fs.stat(root)).isDirectory()) return usage(`--workspace ${root} is not a directory`);
  } catch {
    return usage(`no such directory: ${root}`);
  }

  // A baseline that cannot be read is a usage error, found before Chromium starts.
  let baseline: Baseline | undefined;
  if (o.baseline) {
    try {
      const read = await readUserFile(o.baseline);
      if ('problem' in read) throw new Error(read.problem);
      baseline = parseBaseline(read.text);
    } catch (e) {
      io.err(`perf-audit lighthouse: cannot use baseline ${o.baseline}: ${(e as Error).message}\n`);
      return 2;
    }
  }

  const { config, problems } = await loadSettings(root);
  for (const p of problems) io.err(`perf-audit: warning: ${p}\n`);
  const interactive = process.stderr.isTTY === true && o.format === 'text' && !o.output;
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  let audit;
  try {
    audit = await (io.auditPage ?? auditPage)({
      url,
      preset: o.preset as LighthousePreset,
      runs,
      timeoutMs: timeout * 1000,
      ...(o['chrome-path'] ? { chromePath: o['chrome-path'] } : {}),
      chromePathSetting: '--chrome-path',
      ...(o['chrome-flag']?.length ? { chromeFlags: o['chrome-flag'] } : {}),
      signal: controller.signal,
      budgets: config.budgets,
      rules: config.rules,
      ...(o['no-locate'] ? {} : { workspace: await fsWorkspace(root) }),
      onProgress: (p) => {
        if (interactive) io.err(`  run ${p.run}/${p.runs}: ${p.message}\n`);
      },
    });
  } catch (e) {
    if (e instanceof LighthouseRunError) {
      io.err(`perf-audit lighthouse: ${e.message}\n`);
      return e.code === 'INVALID_URL' ? 2 : 3;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
  }
  const { report, run } = audit;
  for (const w of report.warnings) io.err(`perf-audit lighthouse: Lighthouse warning: ${w}\n`);
  const diff: BaselineDiff | undefined = baseline && diffBaseline(report.findings, baseline);
  if (o['write-baseline']) {
    const problem = await writeBaselineFile(o['write-baseline'], `${JSON.stringify(createBaseline(report.findings), null, 2)}\n`);
    if (problem) {
      io.err(`perf-audit lighthouse: ${problem}\n`);
      return 2;
    }
  }

  let out: string;
  if (o.format === 'json') out = JSON.stringify(lighthouseJson(report, { version: VERSION, settings: run.settings, root, chromePath: run.chrome.path, ...(diff ? { baseline: diff } : {}) }), null, 2);
  else if (o.format === 'sarif') out = JSON.stringify(lighthouseSarif(report, { version: VERSION, root, ...(diff ? { baseline: diff } : {}) }), null, 2);
  else {
    out = formatLighthouseText(report, { color: useColor(o, io.isTTY), root });
    if (diff) out += `\n\n${formatBaselineText(diff)}`;
  }
  if (o['save-memory']) {
    const saved = await saveLighthouseToMemory(root, report);
    if (saved.status === 'written' || saved.status === 'unchanged') io.err(`perf-audit lighthouse: saved to ${path.relative(process.cwd(), saved.file) || saved.file}\n`);
    else io.err(`perf-audit lighthouse: warning: not saved to ${saved.file}: ${saved.status === 'error' ? saved.message : 'the file changed while it was being updated'}\n`);
  }
  const outputProblem = await writeReport(out, o.output, (t) => io.out(t));
  if (outputProblem) {
    io.err(`perf-audit lighthouse: ${outputProblem}\n`);
    return 2;
  }
  const gate = (f: Finding): boolean => failOn !== 'none' && SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[failOn as 'error'];
  return (diff ? diff.added : report.findings).some(gate) ? 1 : 0;
}
