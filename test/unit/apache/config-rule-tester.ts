/**
 * `ruleTests` for the Apache and hosting rules, with the same case shape as test/unit/rules/rule-tester.ts,
 * run through an engine built from these rules and gatherers only (so the tests do not depend on
 * their registration in ALL_RULES / ALL_GATHERERS).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditEngine } from '../../../src/core/engine.js';
import { defaultConfig } from '../../../src/core/config.js';
import type { Finding } from '../../../src/core/model.js';
import { APACHE_RULES } from '../../../src/core/rules/apache/index.js';
import { HOSTING_RULES } from '../../../src/core/rules/hosting/index.js';
import { APACHE_GATHERERS } from '../../../src/core/gatherers/apache.js';
import { HOSTING_GATHERERS } from '../../../src/core/gatherers/hosting.js';
import { applyFix, type InvalidCase, type ValidCase } from '../rules/rule-tester.js';

export const RULES = [...APACHE_RULES, ...HOSTING_RULES];
export const GATHERERS = [...APACHE_GATHERERS, ...HOSTING_GATHERERS];

export async function runRules(files: Record<string, string>, ruleId?: string, configure?: ValidCase['config']): Promise<Finding[]> {
  const config = defaultConfig();
  if (ruleId) for (const r of RULES) if (r.meta.id !== ruleId) config.rules[r.meta.id] = 'off';
  configure?.(config);
  const engine = new AuditEngine(RULES, GATHERERS);
  engine.setConfig(config);
  for (const [path, text] of Object.entries(files)) engine.setFile(path, text);
  const res = await engine.run();
  return ruleId ? res.findings.filter((f) => f.ruleId === ruleId || f.ruleId === 'rule-error') : res.findings;
}

export function describe(f: Finding): string {
  return `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.message}`;
}

export function configRuleTests(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  for (const c of cases.valid) {
    test(`${ruleId} valid: ${c.name}`, async () => {
      const found = await runRules(c.files, ruleId, c.config);
      assert.deepEqual(found.map(describe), []);
    });
  }
  for (const c of cases.invalid) {
    test(`${ruleId} invalid: ${c.name}`, async () => {
      const found = await runRules(c.files, ruleId, c.config);
      assert.equal(found.length, c.errors.length, `expected ${c.errors.length} findings, got:\n${found.map(describe).join('\n')}`);
      c.errors.forEach((e, i) => {
        const f = found[i];
        if (e.file) assert.equal(f.file, e.file, describe(f));
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
