/**
 * docs/rules/nginx-*.md follow the rule pages' format (test/unit/docs.test.ts checks the same for
 * every registered rule, plus the README table): heading and title, sections in order, checklist
 * item, severity and fixability as the rule's meta says, configuration and suppression examples.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NGINX_RULES } from '../../../src/core/rules/nginx/index.js';
import { CHECKLIST } from '../../../src/core/checklist.js';

const DOCS = join(__dirname, '..', '..', '..', 'docs', 'rules');
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

for (const rule of NGINX_RULES) {
  const { id } = rule.meta;
  test(`docs/rules/${id}.md`, () => {
    const path = join(DOCS, `${id}.md`);
    assert.ok(existsSync(path), `docs/rules/${id}.md is missing`);
    const md = readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
    const lines = md.split('\n');
    assert.equal(lines[0], `# ${id}`);
    assert.ok(lines.includes(`> ${rule.meta.failureTitle}`), `contains "> ${rule.meta.failureTitle}"`);
    const s = sections(md);
    const names = [...s.keys()];
    for (const name of SECTIONS) assert.ok(s.get(name), `"## ${name}" is present and not empty`);
    const order = SECTIONS.map((n) => names.indexOf(n));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'sections in order');
    assert.ok(CHECKLIST.some((c) => c.id === rule.meta.checklistItem));
    assert.ok(s.get('Checklist item')!.startsWith(`\`${rule.meta.checklistItem}\``));
    assert.equal(/^`(error|warning|info|hint)`/.exec(s.get('Default severity')!)?.[1], rule.meta.defaultSeverity);
    assert.equal(/^\**(yes|no)\b/i.exec(s.get('Fixable')!)?.[1].toLowerCase(), rule.meta.fixable ? 'yes' : 'no');
    assert.ok(s.get('Examples')!.includes('❌ Incorrect') && s.get('Examples')!.includes('✅ Correct'));
    assert.ok(s.get('Options / configuration')!.includes(`"${id}"`));
    const sup = s.get('Suppressing')!;
    for (const kind of ['next-line', 'line', 'file']) assert.ok(sup.includes(`# perf-audit-disable-${kind} ${id}`), `shows # perf-audit-disable-${kind} ${id}`);
    assert.ok(sup.includes('-- perf-audit-disable-') && sup.includes('// perf-audit-disable-'));
  });
}

test('every nginx docs page documents an nginx rule', () => {
  const ids = new Set(NGINX_RULES.map((r) => r.meta.id));
  for (const f of readdirSync(DOCS).filter((x) => x.startsWith('nginx-'))) assert.ok(ids.has(f.slice(0, -3)), `docs/rules/${f}`);
  assert.equal(ids.size, NGINX_RULES.length, 'rule ids are unique');
});
