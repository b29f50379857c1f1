/**
 * docs/lighthouse.md stays in step with LIGHTHOUSE_RULE_METAS: every rule, audit, setting and CLI
 * option is documented. The rule pages docs/rules/lighthouse-*.md are checked with every other
 * rule's in test/unit/docs.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIGHTHOUSE_AUDIT_RULES, LIGHTHOUSE_RULE_METAS } from '../../../src/analyzers/lighthouse/rules.js';
import { LIGHTHOUSE_HELP } from '../../../src/cli/lighthouse.js';

const ROOT = join(__dirname, '..', '..', '..');

test('docs/lighthouse.md: every rule, audit, setting and CLI option is documented', () => {
  const md = readFileSync(join(ROOT, 'docs', 'lighthouse.md'), 'utf8');
  for (const m of LIGHTHOUSE_RULE_METAS) assert.ok(md.includes(`[\`${m.id}\`](rules/${m.id}.md)`), m.id);
  for (const r of LIGHTHOUSE_AUDIT_RULES) assert.ok(md.includes(`\`${r.audit}\``), r.audit);
  for (const s of ['url', 'preset', 'runs', 'timeoutSeconds', 'chromePath', 'chromeFlags', 'saveToMemory']) assert.ok(md.includes(`perfAuditor.lighthouse.${s}`), s);
  for (const opt of LIGHTHOUSE_HELP.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)) assert.ok(md.includes(opt[1]), opt[1]);
});
