/**
 * The rule documentation (docs/rules/<id>.md, docs/rules/README.md, docs/configuration.md,
 * docs/cli.md) stays in step with the code: one page per rule and engine finding (every registered
 * rule of every area: SQL, config, nginx, bundle, Lighthouse), with the title, checklist item,
 * default severity and fixability the rule's meta declares, no page for a rule that does not exist,
 * every CLI option and exit code documented, and no broken link between the pages. Some areas' pages
 * show more (a plain Yes/No for Lighthouse and bundle rules, the `#` comment form for nginx rules).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from '../../src/analyzers/registry.js';
import { NGINX_RULES } from '../../src/analyzers/nginx/index.js';
import type { RuleMeta } from '../../src/kernel/contracts.js';
import { LIGHTHOUSE_RULE_METAS } from '../../src/analyzers/lighthouse/rules.js';
import { ENGINE_RULE_IDS } from '../../src/kernel/engine.js';
import { CHECKLIST } from '../../src/kernel/checklist.js';
import { defaultSettings } from '../../src/kernel/settings.js';
import { main as cliMain } from '../../src/cli/main.js';
import type { ChecklistItemId, Severity } from '../../src/kernel/model.js';

const ROOT = join(__dirname, '..', '..');
const DOCS = join(ROOT, 'docs');
const RULE_DOCS = join(DOCS, 'rules');

interface Expected {
  id: string;
  failureTitle?: string;
  checklistItem?: ChecklistItemId;
  severity?: Severity;
  fixable: boolean;
  domain?: RuleMeta['domain'];
}

/**
 * Engine findings have no RuleMeta: what engine.ts reports for them. `rule-error` takes the failing
 * rule's checklist item, so it has none of its own.
 */
const ENGINE_EXPECTED: Partial<Record<string, Omit<Expected, 'id'>>> = {
  [ENGINE_RULE_IDS.ruleError]: { severity: 'error', fixable: false },
  [ENGINE_RULE_IDS.fileSkipped]: { severity: 'info', checklistItem: 'query-optimization', fixable: false },
};

const RULES: Expected[] = [...ALL_RULES.map((r) => r.meta), ...LIGHTHOUSE_RULE_METAS].map((m) => ({
  id: m.id,
  failureTitle: m.failureTitle,
  checklistItem: m.checklistItem,
  severity: m.defaultSeverity,
  fixable: m.fixable,
  domain: m.domain,
}));
const ENGINE: Expected[] = Object.values(ENGINE_RULE_IDS).map((id) => ({ id, fixable: false, ...ENGINE_EXPECTED[id] }));
const ALL: Expected[] = [...RULES, ...ENGINE];
const KNOWN = new Set(ALL.map((e) => e.id));
const NGINX_IDS = new Set(NGINX_RULES.map((r) => r.meta.id));
/** Areas whose "Fixable" section starts with a plain (not bold) "Yes" or "No". */
const PLAIN_FIXABLE: ReadonlySet<RuleMeta['domain'] | undefined> = new Set(['lighthouse', 'bundle']);

const SECTIONS = ['What it checks', 'Why it matters', 'Examples', 'Fix', 'Options / configuration', 'Suppressing', 'Checklist item', 'Default severity', 'Fixable'];

function read(path: string): string {
  return readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
}

/** `## Heading` → body (up to the next `## `), ignoring headings inside fenced code blocks. */
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
      current = h[1]!;
      body = [];
    } else if (current !== undefined) body.push(line);
  }
  if (current !== undefined) out.set(current, body.join('\n').trim());
  return out;
}

function section(md: string, id: string, name: string): string {
  const s = sections(md).get(name);
  assert.ok(s !== undefined, `docs/rules/${id}.md has no "## ${name}" section`);
  assert.ok(s.length > 0, `docs/rules/${id}.md: "## ${name}" is empty`);
  return s;
}

function docOf(id: string): string {
  const path = join(RULE_DOCS, `${id}.md`);
  assert.ok(existsSync(path), `docs/rules/${id}.md is missing`);
  return read(path);
}

test('the rule list is not empty and ids are unique', () => {
  assert.ok(RULES.length > 0);
  assert.equal(KNOWN.size, ALL.length, 'a rule id is used twice');
});

for (const e of ALL) {
  test(`docs/rules/${e.id}.md`, () => {
    const md = docOf(e.id);
    const lines = md.split('\n');
    assert.equal(lines[0], `# ${e.id}`, 'the first line is "# <id>"');

    const quote = lines.slice(1).find((l) => l.trim() !== '');
    assert.ok(quote?.startsWith('> ') && quote.length > 2, 'a "> <title>" line follows the heading');
    if (e.failureTitle !== undefined) assert.ok(lines.includes(`> ${e.failureTitle}`), `contains the line "> ${e.failureTitle}"`);

    for (const name of SECTIONS) section(md, e.id, name);
    const names = [...sections(md).keys()];
    const order = SECTIONS.map((n) => names.indexOf(n));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `sections appear in the order ${SECTIONS.join(', ')}`);

    const checklist = section(md, e.id, 'Checklist item');
    if (e.checklistItem) {
      assert.ok(CHECKLIST.some((c) => c.id === e.checklistItem), `${e.checklistItem} is a checklist item`);
      assert.ok(checklist.startsWith(`\`${e.checklistItem}\``), `"Checklist item" names \`${e.checklistItem}\``);
    }

    const severity = section(md, e.id, 'Default severity');
    const sev = /^`(error|warning|info|hint)`/.exec(severity);
    assert.ok(sev, '"Default severity" starts with a backticked severity');
    if (e.severity) assert.equal(sev[1], e.severity, 'default severity matches the rule');

    const fixable = section(md, e.id, 'Fixable');
    const fx = /^\**(yes|no)\b/i.exec(fixable);
    assert.ok(fx, '"Fixable" starts with Yes or No');
    assert.equal(fx[1].toLowerCase(), e.fixable ? 'yes' : 'no', `Fixable is ${e.fixable ? 'yes' : 'no'}`);
    if (PLAIN_FIXABLE.has(e.domain)) assert.match(fixable, /^(Yes|No)\b/, '"Fixable" starts with a plain "Yes" or "No"');

    const examples = section(md, e.id, 'Examples');
    assert.ok(examples.includes('❌ Incorrect') && examples.includes('✅ Correct'), 'Examples has ❌ Incorrect and ✅ Correct');
  });
}

for (const e of RULES) {
  test(`docs/rules/${e.id}.md: configuration and suppression for a rule`, () => {
    const md = docOf(e.id);
    assert.ok(section(md, e.id, 'Options / configuration').includes(`"${e.id}"`), 'shows the rule id as a "rules" key');
    const suppressing = section(md, e.id, 'Suppressing');
    for (const kind of ['next-line', 'line', 'file']) {
      assert.ok(suppressing.includes(`perf-audit-disable-${kind} ${e.id}`), `shows perf-audit-disable-${kind} ${e.id}`);
      if (NGINX_IDS.has(e.id)) assert.ok(suppressing.includes(`# perf-audit-disable-${kind} ${e.id}`), `shows # perf-audit-disable-${kind} ${e.id}`);
    }
    assert.ok(suppressing.includes(`-- perf-audit-disable-`), 'shows the SQL comment form');
    assert.ok(suppressing.includes(`// perf-audit-disable-`), 'shows the JS/TS comment form');
  });
}

test('docs/rules/README.md lists every rule with its checklist item, severity and fixability', () => {
  const md = read(join(RULE_DOCS, 'README.md'));
  const rows = md.split('\n').filter((l) => /^\| \[`[^`]+`\]\([^)]+\.md\) \|/.test(l));
  const rowIds = rows.map((r) => /^\| \[`([^`]+)`\]\(([^)]+)\.md\)/.exec(r)!).map((m) => {
    assert.equal(m[2], m[1], `README links ${m[1]} to ${m[2]}.md`);
    return m[1];
  });
  assert.equal(new Set(rowIds).size, rowIds.length, 'each rule has one row');
  for (const id of rowIds) assert.ok(KNOWN.has(id), `README lists an unknown rule: ${id}`);
  for (const e of ALL) {
    const row = rows.find((r) => r.startsWith(`| [\`${e.id}\`](${e.id}.md) |`));
    assert.ok(row, `README has a row for ${e.id}`);
    const cells = row.split(' | ').map((c) => c.replace(/^\|\s*|\s*\|$/g, '').trim());
    assert.equal(cells.length, 5, `${e.id}: rule | description | checklist item | default severity | fixable`);
    assert.ok(cells[1].length > 0, `${e.id}: has a description`);
    if (e.checklistItem) assert.equal(cells[2], `\`${e.checklistItem}\``, `${e.id}: checklist item`);
    if (e.severity) assert.equal(cells[3], `\`${e.severity}\``, `${e.id}: default severity`);
    assert.equal(cells[4], e.fixable ? 'yes' : 'no', `${e.id}: fixable`);
  }
});

test('no page documents a rule that does not exist', () => {
  const pages = readdirSync(RULE_DOCS).filter((f) => f !== 'README.md');
  for (const f of pages) {
    assert.ok(f.endsWith('.md'), `unexpected file docs/rules/${f}`);
    assert.ok(KNOWN.has(f.slice(0, -3)), `docs/rules/${f} documents an unknown rule`);
  }
});

test('every docs/rules/nginx-*.md page documents an nginx rule', () => {
  for (const f of readdirSync(RULE_DOCS).filter((x) => x.startsWith('nginx-'))) assert.ok(NGINX_IDS.has(f.slice(0, -3)), `docs/rules/${f}`);
});

test('docs/configuration.md documents every setting of .perfauditrc.json', () => {
  const md = read(join(DOCS, 'configuration.md'));
  const schema = JSON.parse(read(join(ROOT, 'schemas', 'perfauditrc.schema.json'))) as {
    properties: Record<string, { properties?: Record<string, unknown> }>;
  };
  for (const [key, def] of Object.entries(schema.properties)) {
    if (key === '$schema') continue;
    assert.ok(md.includes(`\`${key}\``) || md.includes(`\`${key}.`), `configuration.md mentions \`${key}\``);
    for (const sub of Object.keys(def.properties ?? {})) {
      if (key === 'rules') continue; // rule ids: covered by the rule pages
      assert.ok(md.includes(`\`${key}.${sub}\``) || md.includes(`| \`${sub}\` |`), `configuration.md documents ${key}.${sub}`);
    }
  }
  const d = defaultSettings();
  for (const [k, v] of Object.entries(d.budgets)) {
    assert.ok(md.includes(`| \`${k}\` | \`${v}\` |`), `configuration.md gives the default of budgets.${k} (${v})`);
  }
  assert.ok(md.includes(`\`${d.maxFileSizeKb}\``), 'configuration.md gives the default of maxFileSizeKb');
  for (const glob of d.ignore) assert.ok(md.includes(`"${glob}"`), `configuration.md lists the default ignore pattern ${glob}`);
  for (const level of ['off', 'error', 'warning', 'info', 'hint']) assert.ok(md.includes(`"${level}"`), `configuration.md explains the level "${level}"`);
});

/** `perf-audit --help`, as the CLI prints it (main writes the help synchronously, before any await). */
async function cliHelp(): Promise<string> {
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array): boolean => {
    out += String(chunk);
    return true;
  };
  let code: Promise<number>;
  try {
    code = cliMain(['--help']);
  } finally {
    process.stdout.write = write;
  }
  assert.equal(await code, 0);
  return out;
}

test('docs/cli.md documents every option and exit code of perf-audit --help', async () => {
  const md = read(join(DOCS, 'cli.md'));
  const help = await cliHelp();
  const options = [...help.matchAll(/^ {2}(?:(-\w), )? *(--[a-z][a-z-]*)/gm)];
  assert.ok(options.length >= 8, `options found in --help: ${options.length}`);
  for (const [, short, long] of options) {
    assert.ok(md.includes(`\`${long}`), `cli.md documents ${long}`);
    if (short) assert.ok(md.includes(`\`${short}\``), `cli.md documents ${short}`);
  }
  const exit = /^Exit codes: (.+)$/m.exec(help);
  assert.ok(exit, '--help lists the exit codes');
  const codes = [...exit[1].matchAll(/(\d+) [a-z]/g)].map((m) => m[1]);
  assert.ok(codes.length >= 4, 'exit codes 0-3');
  for (const c of codes) assert.match(md, new RegExp(`^\\| \`${c}\` \\|`, 'm'), `cli.md has a row for exit code ${c}`);
  for (const heading of ['Options', 'Output formats', 'Baselines', 'Exit codes']) {
    assert.ok(sections(md).has(heading), `cli.md has a "## ${heading}" section`);
  }
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces → hyphens. */
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

test('links between the documentation pages resolve (files and #anchors)', () => {
  const pages = [...readdirSync(DOCS).filter((f) => f.endsWith('.md')).map((f) => join(DOCS, f)), ...readdirSync(RULE_DOCS).map((f) => join(RULE_DOCS, f))];
  for (const page of pages) {
    const md = read(page).replace(/```[\s\S]*?```/g, '');
    for (const m of md.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target)) continue;
      const [file, anchor] = target.split('#');
      const resolved = file ? join(page, '..', file) : page;
      const where = `${page.slice(ROOT.length + 1)} → ${target}`;
      assert.ok(existsSync(resolved), `${where}: no such file`);
      if (anchor && resolved.endsWith('.md')) assert.ok(anchors(read(resolved)).has(anchor), `${where}: no such heading`);
    }
  }
});
