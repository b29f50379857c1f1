/**
 * perf-audit bundle [path] [--format text|json|sarif] [--fail-on …] [--output FILE] [--top N]
 *
 * Sizes the build outputs (raw / gzip / brotli), checks entries against the budgets, breaks bundles
 * down per package (esbuild metafile, webpack stats, source maps), and runs the bundle rules:
 * heavy / duplicated dependencies, lodash imports, images, lazy loading.
 * Exit codes as perf-audit: 0 passed, 1 findings at or above --fail-on, 2 usage error, 3 internal error.
 */
import { parseArgs } from 'node:util';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AuditEngine } from '../kernel/engine.js';
import { meetsThreshold } from '../kernel/audit.js';
import { SETTINGS_FILE, type PerfAuditSettings } from '../kernel/settings.js';
import { loadSettings, loadWorkspace } from '../kernel/workspace.js';
import { readWorkspaceFile } from '../kernel/files.js';
import { toSarif, fingerprint } from '../kernel/report/sarif.js';
import { ruleDocsFile } from '../kernel/docs.js';
import { redactFinding } from '../kernel/redact.js';
import { compareFindings, type ChecklistItemId, type Finding } from '../kernel/model.js';
import { analyzeBundle } from '../analyzers/bundle/analyze.js';
import { bundleCoverage, bundleFindings } from '../analyzers/bundle/findings.js';
import { parseBundleOptions, type BundleOptions } from '../analyzers/bundle/options.js';
import type { BundleAnalysis } from '../analyzers/bundle/types.js';
import { nodeFileReader } from '../analyzers/bundle/reader.js';
import { imageReferences, type ImageReferences } from '../analyzers/bundle/image-refs.js';
import { bundleJson, formatBundleText } from '../analyzers/bundle/report.js';
import { bundleAnalyzer } from '../analyzers/bundle/index.js';
import { imagesAnalyzer } from '../analyzers/images/index.js';
import { AnalyzerRegistry } from '../kernel/registry.js';
import { VERSION, REPORT_OPTIONS, parseCommandLine, reportOptionsProblem, useColor, writeReport } from './common.js';

/** What `perf-audit bundle` runs: the bundle and image analyzers only. */
const BUNDLE_REGISTRY = new AnalyzerRegistry([bundleAnalyzer, imagesAnalyzer]);

export const BUNDLE_HELP = `perf-audit bundle — bundle sizes, budgets, per-package breakdown, heavy dependencies, images

Usage: perf-audit bundle [path] [options]

Options:
  -f, --format <text|json|sarif>   output format (default: text)
      --fail-on <error|warning|info|none>
                                   exit 1 when a finding is at or above this severity (default: error)
  -o, --output <file>              write the report to a file instead of stdout
      --top <n>                    rows per table in text output (default: 20)
      --no-color                   plain text output
  -h, --help                       this help

Build output folders, budgets and image limits come from .perfauditrc.json ("budgets", "bundle").
Exit codes: 0 passed, 1 findings at or above --fail-on, 2 usage error, 3 internal error.
`;

/** Text files the engine-side bundle rules read (package.json, lockfiles, HTML/JSX, tsconfig): the kernel's loader with the bundle and image analyzers. */
async function loadBundleTextFiles(root: string): Promise<{ files: { path: string; text: string }[]; listing?: string[] }> {
  const { files, listing } = await loadWorkspace(BUNDLE_REGISTRY, root);
  return { files, ...(listing ? { listing } : {}) };
}

/**
 * What `perf-audit bundle` and the workspace audit both run: the bundle options from
 * .perfauditrc.json, the analysis of the build output under `root`, and the output rules' findings.
 * `textOf`: workspace files already read (.perfauditrc.json, package.json).
 */
async function analyzeBuildOutput(root: string, config: PerfAuditSettings, textOf: (path: string) => string | undefined, references: ImageReferences): Promise<{ analysis: BundleAnalysis; options: BundleOptions; optionProblems: string[]; findings: Finding[] }> {
  const { options, problems } = parseBundleOptions(textOf(SETTINGS_FILE));
  const analysis = await analyzeBundle(nodeFileReader(root), { root, options });
  return { analysis, options, optionProblems: problems, findings: bundleFindings(analysis, { settings: config, options, textOf, references }) };
}

/**
 * The build-output part of a workspace audit (`perf-audit` without `--no-bundle`): sizes and budgets,
 * images, from the output folders found under `root`. Undefined when there is no build output and no
 * image to judge. `texts`: workspace files already read (package.json, .perfauditrc.json; the
 * image rules look for the image paths they name); `listing`: every file of the folder.
 */
export async function buildOutputEvidence(root: string, config: PerfAuditSettings, texts: ReadonlyMap<string, string>, listing?: readonly string[]): Promise<{ findings: Finding[]; coverage: Map<ChecklistItemId, string>; problems: string[] } | undefined> {
  let configText = texts.get(SETTINGS_FILE);
  if (configText === undefined) {
    const r = await readWorkspaceFile(root, SETTINGS_FILE, { maxBytes: 1024 * 1024 });
    configText = r.ok ? r.text : undefined;
  }
  const { analysis, optionProblems, findings } = await analyzeBuildOutput(root, config, (p) => (p === SETTINGS_FILE ? configText : texts.get(p)), imageReferences([...texts].map(([path, text]) => ({ path, text })), listing));
  if (!analysis.files.length && !analysis.images.length) return optionProblems.length ? { findings: [], coverage: new Map(), problems: optionProblems } : undefined;
  return { findings, coverage: bundleCoverage(analysis, config), problems: [...optionProblems, ...analysis.problems.map((x) => x.message)] };
}

/** Where the CLI writes (tests pass their own; the default is the process's streams). */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY?: boolean;
}

const PROCESS_IO: CliIo = { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t) };

export async function runBundleCli(argv: string[], io: CliIo = { ...PROCESS_IO, isTTY: process.stdout.isTTY === true }): Promise<number> {
  const args = parseCommandLine(
    () => parseArgs({ args: argv, allowPositionals: true, options: { ...REPORT_OPTIONS, top: { type: 'string', default: '20' } } }),
    'perf-audit bundle',
    BUNDLE_HELP,
    (t) => io.stdout(t),
    (t) => io.stderr(t),
  );
  if (typeof args === 'number') return args;
  const o = args.values;
  const failOn = o['fail-on'];
  const problem = reportOptionsProblem(o.format, failOn);
  if (problem) {
    io.stderr(`perf-audit bundle: ${problem}\n`);
    return 2;
  }
  const top = Number(o.top);
  if (!Number.isInteger(top) || top < 1) {
    io.stderr(`perf-audit bundle: --top needs a positive whole number\n`);
    return 2;
  }
  if (args.positionals.length > 1) {
    io.stderr('perf-audit bundle: give at most one path\n');
    return 2;
  }
  const root = path.resolve(args.positionals[0] ?? '.');
  try {
    if (!(await fs.stat(root)).isDirectory()) throw new Error('not a directory');
  } catch {
    io.stderr(`perf-audit bundle: no such directory: ${root}\n`);
    return 2;
  }

  const { settings: config, problems } = await loadSettings(BUNDLE_REGISTRY, root);
  for (const p of problems) io.stderr(`perf-audit bundle: warning: ${p.message}\n`);
  const { files: texts, listing } = await loadBundleTextFiles(root);
  const textByPath = new Map(texts.map((t) => [t.path, t.text]));
  const { analysis, options, optionProblems, findings: outputFindings } = await analyzeBuildOutput(root, config, (p) => textByPath.get(p), imageReferences(texts, listing));
  for (const p of optionProblems) io.stderr(`perf-audit bundle: warning: ${p}\n`);
  const engine = new AuditEngine(BUNDLE_REGISTRY);
  engine.setSettings(config);
  for (const t of texts) if (t.path !== SETTINGS_FILE) engine.setFile(t.path, t.text);
  const engineFindings = (await engine.run()).findings.filter((f) => f.ruleId !== 'file-skipped');
  const findings = [...outputFindings, ...engineFindings].sort(compareFindings);

  let out: string;
  if (o.format === 'json') {
    out = JSON.stringify({ version: VERSION, root, analysis: bundleJson(analysis), findings: findings.map((f) => ({ ...redactFinding(f), fingerprint: fingerprint(f), docs: ruleDocsFile(f.ruleId) })) }, null, 2);
  } else if (o.format === 'sarif') {
    out = JSON.stringify(toSarif(findings, BUNDLE_REGISTRY.ruleMetas, { version: VERSION, root }), null, 2);
  } else {
    out = formatBundleText(analysis, findings, { config, options, top, color: useColor(o, io.isTTY) });
  }
  const outputProblem = await writeReport(out, o.output, (t) => io.stdout(t));
  if (outputProblem) {
    io.stderr(`perf-audit bundle: ${outputProblem}\n`);
    return 2;
  }
  return findings.some((f: Finding) => meetsThreshold(f, failOn as 'error')) ? 1 : 0;
}
