import { engineWith } from './engine.js';
/**
 * Table-driven rule tests in the spirit of typescript-eslint's RuleTester: each case is a small
 * workspace (path → text); `valid` cases must produce no finding of the rule, `invalid` cases must
 * produce exactly the listed findings (1-based line/column ranges) and, where given, fix output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSources } from '../../src/analyzers/index.js';
import type { FileGatherer, Rule } from '../../src/kernel/contracts.js';
import { defaultSettings, type PerfAuditSettings } from '../../src/kernel/settings.js';
import { ALL_RULES } from '../../src/analyzers/registry.js';
import type { Finding, Fix } from '../../src/kernel/model.js';
import { LineIndex } from '../../src/kernel/text.js';
import { loadWorkspace } from '../../src/analyzers/index.js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type Files = Record<string, string>;

export interface ExpectedFinding {
  file?: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message?: RegExp;
  severity?: Finding['severity'];
  data?: Record<string, unknown>;
  /** Expected files after applying the finding's first (or `fixTitle`-matching) fix; only the files listed are compared. */
  fixOutput?: Files;
  fixTitle?: RegExp;
  /** Expect no fix. */
  noFix?: boolean;
}

export interface ValidCase {
  name: string;
  files: Files;
  config?: (c: PerfAuditSettings) => void;
  /** Read the files through the CLI's loader (written to a temporary folder) instead of giving every file to the engine; the engine then knows the full listing, as in the CLI. */
  loader?: boolean;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
}

export function applyFix(files: Files, fix: Fix): Files {
  const out = { ...files };
  for (const ch of fix.changes) {
    if (ch.create) {
      assert.ok(!(ch.file in out), `fix creates ${ch.file}, which already exists`);
      out[ch.file] = ch.create.newText;
      continue;
    }
    const text = out[ch.file];
    assert.ok(text !== undefined, `fix edits unknown file ${ch.file}`);
    const li = new LineIndex(text);
    const edits = (ch.edits ?? []).map((e) => ({ start: li.offsetAt(e.range.start), end: li.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
    let t = text;
    for (const e of edits) t = t.slice(0, e.start) + e.text + t.slice(e.end);
    out[ch.file] = t;
  }
  return out;
}

/** Which rules and gatherers the cases run with: the registry by default, or an area's own set. */
export interface TesterScope {
  rules?: readonly Rule[];
  gatherers?: readonly FileGatherer[];
}

/** Runs one case's workspace; returns `ruleId`'s findings (all findings when undefined) and rule errors. */
export async function runCase(ruleId: string | undefined, c: ValidCase, scope: TesterScope = {}): Promise<Finding[]> {
  const config = defaultSettings();
  for (const r of scope.rules ?? ALL_RULES) if (ruleId && r.meta.id !== ruleId) config.rules[r.meta.id] = 'off';
  c.config?.(config);
  let files = Object.entries(c.files).map(([path, text]) => ({ path, text }));
  let oversized: { path: string; bytes: number }[] = [];
  let listing: readonly string[] | undefined;
  if (c.loader) {
    const dir = await mkdtemp(join(tmpdir(), 'perf-audit-case-'));
    try {
      for (const f of files) {
        await mkdir(dirname(join(dir, f.path)), { recursive: true });
        await writeFile(join(dir, f.path), f.text);
      }
      const ws = await loadWorkspace(dir);
      files = ws.files;
      oversized = ws.oversized;
      listing = ws.listing;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  let res;
  if (scope.rules || scope.gatherers || oversized.length || listing) {
    const engine = engineWith(scope.rules ?? ALL_RULES, scope.gatherers);
    engine.setSettings(config);
    for (const f of files) engine.setFile(f.path, f.text);
    for (const f of oversized) engine.setOversized(f.path, f.bytes);
    engine.setListing(listing);
    res = await engine.run();
  } else res = await auditSources(files, config);
  return res.findings.filter((f) => !ruleId || f.ruleId === ruleId || f.ruleId === 'rule-error');
}

export function describeFinding(f: Finding): string {
  return `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.message}`;
}

export function ruleTests(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }, scope: TesterScope = {}): void {
  const run = (id: string, c: ValidCase): Promise<Finding[]> => runCase(id, c, scope);
  for (const c of cases.valid) {
    test(`${ruleId} valid: ${c.name}`, async () => {
      const found = await run(ruleId, c);
      assert.deepEqual(found.map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`), []);
    });
  }
  for (const c of cases.invalid) {
    test(`${ruleId} invalid: ${c.name}`, async () => {
      const found = await run(ruleId, c);
      const describe = describeFinding;
      assert.equal(found.length, c.errors.length, `expected ${c.errors.length} findings, got:\n${found.map(describe).join('\n')}`);
      c.errors.forEach((e, i) => {
        const f = found[i];
        const file = e.file ?? ('q.sql' in c.files ? 'q.sql' : undefined);
        if (file) assert.equal(f.file, file, describe(f));
        assert.deepEqual(
          { line: f.range.start.line + 1, column: f.range.start.character + 1, ...(e.endLine ? { endLine: f.range.end.line + 1 } : {}), ...(e.endColumn ? { endColumn: f.range.end.character + 1 } : {}) },
          { line: e.line, column: e.column, ...(e.endLine ? { endLine: e.endLine } : {}), ...(e.endColumn ? { endColumn: e.endColumn } : {}) },
          describe(f),
        );
        if (e.message) assert.match(f.message, e.message);
        if (e.severity) assert.equal(f.severity, e.severity);
        if (e.data) for (const [k, v] of Object.entries(e.data)) assert.deepEqual(f.data?.[k], v, `data.${k}`);
        if (e.noFix) assert.equal(f.fixes.length, 0, 'expected no fix');
        if (e.fixOutput) {
          const fix = e.fixTitle ? f.fixes.find((x) => e.fixTitle!.test(x.title)) : f.fixes[0];
          assert.ok(fix, `no fix${e.fixTitle ? ` matching ${e.fixTitle}` : ''}; fixes: ${f.fixes.map((x) => x.title).join(', ')}`);
          const out = applyFix(c.files, fix);
          for (const [p, expected] of Object.entries(e.fixOutput)) assert.equal(out[p], expected, `fix output of ${p}`);
        }
      });
    });
  }
}
