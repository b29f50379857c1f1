/**
 * The bundle rule pages follow the rule-page contract of test/unit/docs.test.ts (run here against
 * ALL_BUNDLE_RULES, so they are checked before the rules are registered in ALL_RULES), and the
 * links of docs/bundle.md and the pages resolve.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_BUNDLE_RULES } from '../../../src/core/rules/bundle/index.js';

const DOCS = join(__dirname, '..', '..', '..', 'docs');
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

function anchors(md: string): Set<string> {
  const out = new Set<string>();
  let fence = false;
  for (const line of md.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const h = !fence ? /^#{1,6} (.+?)\s*$/.exec(line) : null;
    if (h) out.add(h[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return out;
}

for (const rule of ALL_BUNDLE_RULES) {
  const { id, failureTitle, checklistItem, defaultSeverity, fixable } = rule.meta;
  test(`docs/rules/${id}.md follows the rule page contract`, () => {
    const path = join(DOCS, 'rules', `${id}.md`);
    assert.ok(existsSync(path), `${path} exists`);
    const md = readFileSync(path, 'utf8');
    const lines = md.split('\n');
    assert.equal(lines[0], `# ${id}`);
    assert.ok(lines.includes(`> ${failureTitle}`), `has "> ${failureTitle}"`);
    const s = sections(md);
    const order = SECTIONS.map((n) => [...s.keys()].indexOf(n));
    assert.ok(order.every((i) => i >= 0), `sections: ${[...s.keys()].join(', ')}`);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    for (const n of SECTIONS) assert.ok(s.get(n)!.length > 0, `${n} is not empty`);
    assert.ok(s.get('Checklist item')!.startsWith(`\`${checklistItem}\``));
    assert.ok(s.get('Default severity')!.startsWith(`\`${defaultSeverity}\``));
    assert.match(s.get('Fixable')!, fixable ? /^Yes\b/ : /^No\b/);
    assert.ok(s.get('Examples')!.includes('❌ Incorrect') && s.get('Examples')!.includes('✅ Correct'));
    assert.ok(s.get('Options / configuration')!.includes(`"${id}"`));
    const sup = s.get('Suppressing')!;
    for (const kind of ['next-line', 'line', 'file']) assert.ok(sup.includes(`perf-audit-disable-${kind} ${id}`), `perf-audit-disable-${kind} ${id}`);
    assert.ok(sup.includes('-- perf-audit-disable-') && sup.includes('// perf-audit-disable-'));
  });
}

test('links of docs/bundle.md and the bundle rule pages resolve', () => {
  const pages = [join(DOCS, 'bundle.md'), ...ALL_BUNDLE_RULES.map((r) => join(DOCS, 'rules', `${r.meta.id}.md`))];
  for (const page of pages) {
    const md = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const m of md.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(m[1])) continue;
      const [file, anchor] = m[1].split('#');
      const resolved = file ? join(page, '..', file) : page;
      assert.ok(existsSync(resolved), `${page} → ${m[1]}`);
      if (anchor) assert.ok(anchors(readFileSync(resolved, 'utf8')).has(anchor), `${page} → ${m[1]}: no such heading`);
    }
  }
});
