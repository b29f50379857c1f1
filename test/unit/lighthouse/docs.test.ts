/**
 * docs/rules/lighthouse-*.md and docs/lighthouse.md stay in step with LIGHTHOUSE_RULE_METAS: the
 * same page checks test/unit/docs.test.ts applies to the engine's rules (title, sections in order,
 * checklist item, severity, fixability, configuration and suppression examples), plus the
 * Lighthouse page's settings, CLI options and mapping table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIGHTHOUSE_AUDIT_RULES, LIGHTHOUSE_RULE_METAS } from '../../../src/core/lighthouse/rules.js';
import { LIGHTHOUSE_HELP } from '../../../src/cli/lighthouse.js';

const ROOT = join(__dirname, '..', '..', '..');
const SECTIONS = ['What it checks', 'Why it matters', 'Examples', 'Fix', 'Options / configuration', 'Suppressing', 'Checklist item', 'Default severity', 'Fixable'];

function sections(md: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  let body: string[] = [];
  let fence = false;
  for (const line of md.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const h = !fence ? /^## (.+?)\s*$/.exec(line) : null;
    if (h) {
      if (current !== undefined) out.set(current, body.join('\n').trim());
      current = h[1];
      body = [];
    } else if (current !== undefined) body.push(line);
  }
  if (current !== undefined) out.set(current, body.join('\n').trim());
  return out;
}

for (const m of LIGHTHOUSE_RULE_METAS) {
  test(`docs/rules/${m.id}.md`, () => {
    const path = join(ROOT, 'docs', 'rules', `${m.id}.md`);
    assert.ok(existsSync(path), `${path} is missing`);
    const md = readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
    const lines = md.split('\n');
    assert.equal(lines[0], `# ${m.id}`);
    assert.ok(lines.includes(`> ${m.failureTitle}`));
    const s = sections(md);
    const names = [...s.keys()];
    for (const name of SECTIONS) assert.ok(s.get(name), `"## ${name}" present and not empty`);
    const order = SECTIONS.map((n) => names.indexOf(n));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'sections in order');
    assert.ok(s.get('Checklist item')!.startsWith(`\`${m.checklistItem}\``));
    assert.ok(s.get('Default severity')!.startsWith(`\`${m.defaultSeverity}\``));
    assert.match(s.get('Fixable')!, m.fixable ? /^Yes/ : /^No/);
    assert.ok(s.get('Examples')!.includes('❌ Incorrect') && s.get('Examples')!.includes('✅ Correct'));
    assert.ok(s.get('Options / configuration')!.includes(`"${m.id}"`));
    const sup = s.get('Suppressing')!;
    for (const kind of ['next-line', 'line', 'file']) assert.ok(sup.includes(`perf-audit-disable-${kind} ${m.id}`), kind);
    assert.ok(sup.includes('-- perf-audit-disable-') && sup.includes('// perf-audit-disable-'));
  });
}

test('docs/lighthouse.md: every rule, audit, setting and CLI option is documented', () => {
  const md = readFileSync(join(ROOT, 'docs', 'lighthouse.md'), 'utf8');
  for (const m of LIGHTHOUSE_RULE_METAS) assert.ok(md.includes(`[\`${m.id}\`](rules/${m.id}.md)`), m.id);
  for (const r of LIGHTHOUSE_AUDIT_RULES) assert.ok(md.includes(`\`${r.audit}\``), r.audit);
  for (const s of ['url', 'preset', 'runs', 'timeoutSeconds', 'chromePath', 'chromeFlags', 'saveToMemory']) assert.ok(md.includes(`perfAuditor.lighthouse.${s}`), s);
  for (const opt of LIGHTHOUSE_HELP.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)) assert.ok(md.includes(opt[1]), opt[1]);
});
