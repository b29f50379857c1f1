/**
 * What the perf-audit commands (the workspace audit, `bundle`, `lighthouse`) share: the version,
 * the report options and their checks, argument parsing with --help, colour and where the report goes.
 */
import type { ParseArgsConfig } from 'node:util';
import * as path from 'node:path';
import { readWorkspaceFile, writeOutputFile } from '../kernel/files.js';

declare const PERF_AUDITOR_VERSION: string;
export const VERSION = typeof PERF_AUDITOR_VERSION === 'string' ? PERF_AUDITOR_VERSION : '0.0.0-dev';

/** The options every command takes: report format, failure threshold, output file, colour, help. */
export const REPORT_OPTIONS = {
  format: { type: 'string', short: 'f', default: 'text' },
  'fail-on': { type: 'string', default: 'error' },
  output: { type: 'string', short: 'o' },
  'no-color': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/**
 * The arguments `parse` returns (parseArgs over argv), or the exit code when the command ends here:
 * 2 when parseArgs rejects them (its message and the help to `err`, after `name: `), 0 for --help
 * (the help to `out`). Synchronous: the help is written before the caller's first await.
 */
export function parseCommandLine<T extends { values: { help?: boolean } }>(
  parse: () => T,
  name: string,
  help: string,
  out: (text: string) => void,
  err: (text: string) => void,
): T | number {
  let args: T;
  try {
    args = parse();
  } catch (e) {
    err(`${name}: ${(e as Error).message}\n\n${help}`);
    return 2;
  }
  if (args.values.help) {
    out(help);
    return 0;
  }
  return args;
}

/** Why --format or --fail-on is not usable (checked in that order), or undefined when both are. */
export function reportOptionsProblem(format: string, failOn: string): string | undefined {
  if (!['text', 'json', 'sarif'].includes(format)) return `unknown --format "${format}" (use text, json or sarif)`;
  if (!['error', 'warning', 'info', 'none'].includes(failOn)) return `unknown --fail-on "${failOn}" (use error, warning, info or none)`;
  return undefined;
}

/** Colour text output: not turned off (--no-color, NO_COLOR), not written to a file, and stdout is a terminal. */
export function useColor(values: { 'no-color'?: boolean; output?: string }, isTTY: boolean | undefined): boolean {
  return !values['no-color'] && !values.output && isTTY === true && !process.env.NO_COLOR;
}

/**
 * The report with a final newline: to the --output file when there is one, else to `stdout`. Returns
 * a problem (the caller exits 2) when the file is refused: a relative path is written only when no
 * link leads it elsewhere (kernel/files.ts writeOutputFile).
 */
export async function writeReport(text: string, output: string | undefined, stdout: (text: string) => void): Promise<string | undefined> {
  if (!output) {
    stdout(`${text}\n`);
    return undefined;
  }
  const r = await writeOutputFile(output, `${text}\n`);
  return r.ok ? undefined : `cannot write ${output}: ${r.reason}`;
}

/** Writes a baseline file (--write-baseline) with the same rules as the report. */
export async function writeBaselineFile(file: string, text: string): Promise<string | undefined> {
  const r = await writeOutputFile(file, text);
  return r.ok ? undefined : `cannot write the baseline ${file}: ${r.reason}`;
}

/**
 * Reads a file the user named (--baseline): relative to the current folder it must stay inside it
 * (no link out), any path must be a regular file of at most 64 MB. Its content is never echoed.
 */
export async function readUserFile(file: string): Promise<{ text: string } | { problem: string }> {
  const abs = path.resolve(file);
  const root = path.isAbsolute(file) ? path.parse(abs).root : process.cwd();
  const r = await readWorkspaceFile(root, abs, { maxBytes: 64 * 1024 * 1024 });
  return r.ok ? { text: r.text } : { problem: r.reason };
}
