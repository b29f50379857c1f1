import { engineWith } from '../../helpers/engine.js';
/**
 * Table-driven tests for the bundle rules, with the case shape of test/unit/rules/rule-tester.ts:
 * engine rules run through an engine built from BUNDLE_RULES + BUNDLE_GATHERERS only; output rules
 * run over an analysis of an in-memory workspace (memoryFileReader), as the CLI and extension do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSettings } from '../../../src/analyzers/index.js';
import { SETTINGS_FILE, defaultSettings } from '../../../src/kernel/settings.js';
import type { Finding } from '../../../src/kernel/model.js';
import { BUNDLE_OUTPUT_RULES, BUNDLE_RULES } from '../../../src/analyzers/bundle/index.js';
import { BUNDLE_GATHERERS } from '../../../src/analyzers/bundle/gather.js';
import { analyzeBundle } from '../../../src/analyzers/bundle/analyze.js';
import { bundleFindings } from '../../../src/analyzers/bundle/findings.js';
import { parseBundleOptions } from '../../../src/analyzers/bundle/options.js';
import { memoryFileReader } from '../../../src/analyzers/bundle/reader.js';
import { imageReferences } from '../../../src/analyzers/bundle/image-refs.js';
import type { BundleAnalysis } from '../../../src/analyzers/bundle/types.js';
import { ruleTests, type InvalidCase, type ValidCase } from '../../helpers/rule-tester.js';

export type Workspace = Record<string, string | Uint8Array>;

export function describe(f: Finding): string {
  return `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} [${f.severity}] ${f.message}`;
}

export async function runEngineRules(files: Record<string, string>, ruleId: string, configure?: ValidCase['config']): Promise<Finding[]> {
  const config = defaultSettings();
  for (const r of BUNDLE_RULES) if (r.meta.id !== ruleId) config.rules[r.meta.id] = 'off';
  configure?.(config);
  const engine = engineWith(BUNDLE_RULES, BUNDLE_GATHERERS);
  engine.setSettings(config);
  for (const [path, text] of Object.entries(files)) engine.setFile(path, text);
  return (await engine.run()).findings.filter((f) => f.ruleId === ruleId || f.ruleId === 'rule-error');
}

export async function analyzeWorkspace(files: Workspace): Promise<{ analysis: BundleAnalysis; findings: Finding[] }> {
  const cfgText = typeof files[SETTINGS_FILE] === 'string' ? files[SETTINGS_FILE] : undefined;
  const { settings: config } = parseSettings(cfgText ?? '{}');
  const { options } = parseBundleOptions(cfgText);
  const analysis = await analyzeBundle(memoryFileReader(files), { options });
  const textOf = (p: string): string | undefined => (typeof files[p] === 'string' ? files[p] : undefined);
  // As the CLI: the workspace's text files name the images the app serves.
  const texts = Object.entries(files).flatMap(([path, text]) => (typeof text === 'string' ? [{ path, text }] : []));
  const references = imageReferences(texts, Object.keys(files));
  return { analysis, findings: bundleFindings(analysis, { settings: config, options, textOf, references }) };
}

export async function runOutputRules(files: Workspace, ruleId: string): Promise<Finding[]> {
  const { findings } = await analyzeWorkspace(files);
  assert.ok(BUNDLE_OUTPUT_RULES.some((r) => r.meta.id === ruleId), `${ruleId} is an output rule`);
  return findings.filter((f) => f.ruleId === ruleId || f.ruleId === 'rule-error');
}

export interface OutputInvalidCase {
  name: string;
  files: Workspace;
  errors: { file?: string; line?: number; message?: RegExp; severity?: Finding['severity']; data?: Record<string, unknown> }[];
}

export function outputRuleTests(ruleId: string, cases: { valid: { name: string; files: Workspace }[]; invalid: OutputInvalidCase[] }): void {
  for (const c of cases.valid) {
    test(`${ruleId} valid: ${c.name}`, async () => {
      assert.deepEqual((await runOutputRules(c.files, ruleId)).map(describe), []);
    });
  }
  for (const c of cases.invalid) {
    test(`${ruleId} invalid: ${c.name}`, async () => {
      const found = await runOutputRules(c.files, ruleId);
      assert.equal(found.length, c.errors.length, `expected ${c.errors.length} findings, got:\n${found.map(describe).join('\n')}`);
      c.errors.forEach((e, i) => {
        const f = found[i];
        if (e.file) assert.equal(f.file, e.file, describe(f));
        if (e.line) assert.equal(f.range.start.line + 1, e.line, describe(f));
        if (e.message) assert.match(f.message, e.message);
        if (e.severity) assert.equal(f.severity, e.severity);
        if (e.data) for (const [k, v] of Object.entries(e.data)) assert.deepEqual(f.data?.[k], v, `data.${k}`);
      });
    });
  }
}

export function engineRuleTests(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  ruleTests(ruleId, cases, { rules: BUNDLE_RULES, gatherers: BUNDLE_GATHERERS });
}
