/**
 * perf-audit [path] [--format text|json|sarif] [--fail-on error|warning|info|none] [--checklist] [--output FILE]
 *
 * Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage error;
 * 3 internal error (the audit could not run).
 */
import { parseArgs } from 'node:util';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { meetsThreshold, type WorkspaceAudit } from '../kernel/audit.js';
import { createAuditWorkerHost, loadWorkspace, REGISTRY } from '../analyzers/index.js';
import { formatText } from '../kernel/report/text.js';
import { toSarif, fingerprint } from '../kernel/report/sarif.js';
import { ruleDocsFile } from '../kernel/docs.js';
import { redactFinding } from '../kernel/redact.js';
import { createBaseline, diffBaseline, parseBaseline, type BaselineDiff } from '../kernel/baseline.js';
import type { Finding } from '../kernel/model.js';
import { buildOutputEvidence, runBundleCli } from './bundle.js';
import { VERSION, REPORT_OPTIONS, parseCommandLine, readUserFile, reportOptionsProblem, useColor, writeBaselineFile, writeReport } from './common.js';

const HELP = `perf-audit ${VERSION} — audit a workspace for performance gaps

Usage: perf-audit [path] [options]
       perf-audit lighthouse <url> [options]   (see perf-audit lighthouse --help)
       perf-audit bundle [path] [options]      (see perf-audit bundle --help)

Options:
  -f, --format <text|json|sarif>   output format (default: text)
      --fail-on <error|warning|info|none>
                                   exit 1 when a finding is at or above this severity (default: error)
      --checklist                  also print the performance checklist (text format)
      --no-bundle                  skip the build output (sizes, budgets, images; see perf-audit bundle)
      --baseline <file>            compare with a baseline: report new and fixed findings;
                                   --fail-on then applies to new findings only
      --write-baseline <file>      record this audit's findings as the baseline
  -o, --output <file>              write the report to a file instead of stdout
      --rules                      list the rules and exit
      --no-color                   plain text output
  -v, --version                    print the version
  -h, --help                       this help

Exit codes: 0 passed, 1 findings at or above --fail-on, 2 usage error, 3 internal error.
`;

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'lighthouse') return (await import('./lighthouse.js')).runLighthouseCli(argv.slice(1));
  if (argv[0] === 'bundle') return runBundleCli(argv.slice(1));
  const args = parseCommandLine(
    () =>
      parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          ...REPORT_OPTIONS,
          checklist: { type: 'boolean', default: false },
          'no-bundle': { type: 'boolean', default: false },
          baseline: { type: 'string' },
          'write-baseline': { type: 'string' },
          rules: { type: 'boolean', default: false },
          version: { type: 'boolean', short: 'v', default: false },
        },
      }),
    'perf-audit',
    HELP,
    (t) => void process.stdout.write(t),
    (t) => void process.stderr.write(t),
  );
  if (typeof args === 'number') return args;
  const o = args.values;
  if (o.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (o.rules) {
    for (const r of REGISTRY.rules) process.stdout.write(`${r.meta.id.padEnd(26)} ${r.meta.defaultSeverity.padEnd(8)} ${r.meta.fixable ? 'fix ' : '    '} ${r.meta.failureTitle}\n${' '.repeat(40)}${ruleDocsFile(r.meta.id)}\n`);
    return 0;
  }
  const format = o.format;
  const failOn = o['fail-on'];
  const problem = reportOptionsProblem(format, failOn);
  if (problem) {
    process.stderr.write(`perf-audit: ${problem}\n`);
    return 2;
  }
  if (args.positionals.length > 1) {
    process.stderr.write('perf-audit: give at most one path\n');
    return 2;
  }
  const target = path.resolve(args.positionals[0] ?? '.');
  let isDirectory: boolean;
  try {
    isDirectory = (await fs.stat(target)).isDirectory();
  } catch {
    process.stderr.write(`perf-audit: no such file or directory: ${target}\n`);
    return 2;
  }

  // The audit runs in a worker thread with a per-file time budget (kernel/watchdog.ts); it starts
  // loading its parsers while this thread reads the workspace.
  const engine = createAuditWorkerHost();
  engine.warmUp();
  const ws = await loadWorkspace(target);
  for (const p of ws.settingsProblems) process.stderr.write(`perf-audit: warning: ${p.message}\n`);
  for (const u of ws.unreadable) process.stderr.write(`perf-audit: warning: ${u.path} ${u.reason}\n`);
  engine.setSettings(ws.settings);
  for (const f of ws.files) engine.setFile(f.path, f.text);
  for (const f of ws.oversized) engine.setOversized(f.path, f.bytes);
  for (const f of ws.unreadable) engine.setUnreadable(f.path, f.reason);
  engine.setListing(ws.listing);
  // Build output found under the folder (dist/, build/… as `perf-audit bundle` finds it) is judged too:
  // bundle budgets and images settle the checklist's bundle-size and image-formats items.
  let outputs: Awaited<ReturnType<typeof buildOutputEvidence>>;
  if (!o['no-bundle'] && isDirectory) {
    outputs = await buildOutputEvidence(target, ws.settings, new Map(ws.files.map((f) => [f.path, f.text])), ws.listing);
    for (const p of outputs?.problems ?? []) process.stderr.write(`perf-audit: build output: ${p}\n`);
  }
  let audit: WorkspaceAudit;
  try {
    audit = (await engine.audit(outputs ? { extra: outputs } : {}))!;
  } finally {
    engine.dispose();
  }

  let diff: BaselineDiff | undefined;
  if (o.baseline) {
    try {
      const read = await readUserFile(o.baseline);
      if ('problem' in read) throw new Error(read.problem);
      diff = diffBaseline(audit.findings, parseBaseline(read.text));
    } catch (e) {
      process.stderr.write(`perf-audit: cannot use baseline ${o.baseline}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  if (o['write-baseline']) {
    const problem = await writeBaselineFile(o['write-baseline'], `${JSON.stringify(createBaseline(audit.findings), null, 2)}\n`);
    if (problem) {
      process.stderr.write(`perf-audit: ${problem}\n`);
      return 2;
    }
  }
  const gate = diff ? diff.added : audit.findings;

  let out: string;
  if (format === 'json') {
    out = JSON.stringify({
      version: VERSION,
      root: ws.root,
      score: audit.score,
      stats: audit.stats,
      findings: audit.findings.map((f) => ({ ...redactFinding(f), fingerprint: fingerprint(f), docs: ruleDocsFile(f.ruleId), ...(diff ? { baselineState: diff.added.includes(f) ? 'new' : 'unchanged' } : {}) })),
      ...(diff ? { baseline: { new: diff.added.length, unchanged: diff.unchanged.length, fixed: diff.fixed } } : {}),
      checklist: audit.checklist.map((r) => ({ id: r.item.id, group: r.item.group, title: r.item.title, status: r.status, reason: r.reason, findings: r.findings.length })),
    }, null, 2);
  } else if (format === 'sarif') {
    out = JSON.stringify(toSarif(audit.findings, REGISTRY.ruleMetas, { version: VERSION, root: ws.root, ...(diff ? { isNew: (f: Finding) => diff.added.includes(f) } : {}) }), null, 2);
  } else {
    out = formatText(audit.findings, { stats: audit.stats, color: useColor(o, process.stdout.isTTY), docsPath: ruleDocsFile, ...(o.checklist ? { checklist: audit.checklist } : {}) });
    if (o.checklist) out += `\n\nScore: ${audit.score}/100 (items with evidence)`;
    if (diff) {
      out += `\n\nCompared with the baseline: ${diff.added.length} new, ${diff.unchanged.length} unchanged, ${diff.fixed.length} fixed`;
      for (const f of diff.added) out += `\n  new    ${f.file}:${f.range.start.line + 1}  ${f.ruleId}  ${f.message}`;
      for (const e of diff.fixed) out += `\n  fixed  ${e.file}:${e.line}  ${e.ruleId}  ${e.message}`;
    }
  }
  const outputProblem = await writeReport(out, o.output, (t) => void process.stdout.write(t));
  if (outputProblem) {
    process.stderr.write(`perf-audit: ${outputProblem}\n`);
    return 2;
  }
  return gate.some((f) => meetsThreshold(f, failOn as 'error')) ? 1 : 0;
}

/**
 * A reader that stops early (`perf-audit --rules | head -1`) closes the pipe: further writes fail
 * with EPIPE. That is not an error of ours: stop quietly, as other command-line tools do.
 */
export function exitQuietlyOnEpipe(stream: NodeJS.WriteStream, exit: (code: number) => void = (c) => process.exit(c)): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    else throw e;
  });
}

if (require.main === module) {
  exitQuietlyOnEpipe(process.stdout);
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`perf-audit: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
