/**
 * Table-driven tests for the nginx rules, with the case shape of test/unit/rules/rule-tester.ts.
 * Once the nginx rules are registered in ALL_RULES the cases run through that tester (the real
 * registry, via auditSources); until then through an engine built from NGINX_RULES / NGINX_GATHERERS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditEngine } from '../../../src/core/engine.js';
import { defaultConfig } from '../../../src/core/config.js';
import { ALL_RULES } from '../../../src/core/rules/index.js';
import { NGINX_GATHERERS, NGINX_RULES } from '../../../src/core/rules/nginx/index.js';
import type { Finding } from '../../../src/core/model.js';
import { applyFix, ruleTests, type InvalidCase, type ValidCase } from '../rules/rule-tester.js';

export type { InvalidCase, ValidCase };

/** Runs the nginx rules over a small workspace; only `ruleId`'s findings (and rule errors) are returned. */
export async function runNginx(ruleId: string | undefined, c: ValidCase): Promise<Finding[]> {
  const config = defaultConfig();
  for (const r of NGINX_RULES) if (ruleId && r.meta.id !== ruleId) config.rules[r.meta.id] = 'off';
  c.config?.(config);
  const engine = new AuditEngine(NGINX_RULES, NGINX_GATHERERS);
  engine.setConfig(config);
  for (const [path, text] of Object.entries(c.files)) engine.setFile(path, text);
  const res = await engine.run();
  return res.findings.filter((f) => !ruleId || f.ruleId === ruleId || f.ruleId === 'rule-error');
}

const describe = (f: Finding): string => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.message}`;

export function nginxRuleTests(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  if (ALL_RULES.some((r) => r.meta.id === ruleId)) {
    ruleTests(ruleId, cases);
    return;
  }
  for (const c of cases.valid) {
    test(`${ruleId} valid: ${c.name}`, async () => {
      const found = await runNginx(ruleId, c);
      assert.deepEqual(found.map(describe), []);
    });
  }
  for (const c of cases.invalid) {
    test(`${ruleId} invalid: ${c.name}`, async () => {
      const found = await runNginx(ruleId, c);
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

/** Lines joined with "\n" (keeps the table cases readable). */
export function conf(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}
