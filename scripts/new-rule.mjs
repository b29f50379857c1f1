// npm run new-rule -- <domain> <rule-id> [--item <checklist-item>] [--title …] [--failure-title …]
//                     [--description …] [--sample <path>] [--root <dir>]
// Scaffolds a file rule of an analyzer domain: src/analyzers/<domain>/rules/<rule-id>.ts (bound to
// the domain's first gatherer), its entry in the domain's index.ts, a table-driven test, its docs
// page and its row in docs/rules/README.md; then regenerates what derives from the registry (the
// settings schema's rule ids, the README's rule tables: scripts/generate.ts).
// Refuses (exit 2) a bad or existing rule id, a missing domain, an unknown checklist item.
import { readdirSync } from 'node:fs';
import { KEBAB, Tree, appendToArray, camel, checklistItems, insertImport, parseArgs, pascal, refuse, regenerate, runScaffold } from './scaffold-lib.mjs';

const USAGE = 'npm run new-rule -- <domain> <rule-id> [--item <checklist-item>] [--title <text>] [--failure-title <text>] [--description <text>] [--sample <path>] [--root <dir>]';
const DEFAULT_ITEM = 'monitoring-alerts';
const README = 'docs/rules/README.md';

/** A TypeScript single-quoted string literal. */
const q = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;

/** The .ts files of a domain (relative to the repo), rules/ left out. */
function domainFiles(tree, dir) {
  const out = [];
  const walk = (rel) => {
    for (const e of readdirSync(tree.abs(rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (p !== `${dir}/rules`) walk(p);
      } else if (e.name.endsWith('.ts')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Every .ts file below src/analyzers. */
function analyzerFiles(tree) {
  const out = [];
  const walk = (rel) => {
    for (const e of readdirSync(tree.abs(rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(p);
    }
  };
  walk('src/analyzers');
  return out;
}

/** `src/analyzers/x/gather.ts` as imported from `src/analyzers/x/rules/`: `../gather.js`. */
const fromRules = (dir, file) => `../${file.slice(dir.length + 1).replace(/\.ts$/, '.js')}`;

/** The domain's first file gatherer: its id (a constant or a literal) and artifact type, and where to import them from. */
function firstGatherer(tree, dir, index) {
  const files = domainFiles(tree, dir);
  const find = (re) => {
    for (const f of files) {
      const m = re.exec(tree.read(f));
      if (m) return { file: f, m };
    }
    return undefined;
  };
  let name = /^[ \t]+gatherers:\s*\[\s*(\w+)/m.exec(index)?.[1];
  const list = name ? undefined : /^[ \t]+gatherers:\s*(\w+)/m.exec(index)?.[1];
  if (list) name = find(new RegExp(`\\bconst ${list}\\b[^=]*=\\s*\\[\\s*(\\w+)`))?.m[1];
  if (!name) refuse(`${dir}/index.ts registers no file gatherer (gatherers: [...]): a file rule needs one`);
  const def = find(new RegExp(`\\bconst ${name}\\s*:\\s*FileGatherer\\b(?:<\\s*(\\w+)\\s*>)?\\s*=\\s*\\{[\\s\\S]*?\\bid:\\s*(\\w+|'[^']+')`));
  if (!def) refuse(`cannot find \`const ${name}: FileGatherer<…> = { id: … }\` in ${dir}`);
  const [, type, idExpr] = def.m;
  let id;
  if (idExpr.startsWith("'")) id = { literal: idExpr.slice(1, -1) };
  else {
    const c = find(new RegExp(`^export const ${idExpr}\\s*=\\s*'([^']+)'`, 'm'));
    if (!c) refuse(`cannot find \`export const ${idExpr} = '…'\` (the id of ${name}) in ${dir}`);
    id = { name: idExpr, value: c.m[1], file: c.file };
  }
  const t = type ? find(new RegExp(`^export (?:interface|type|class) ${type}\\b`, 'm')) : undefined;
  return { name, id, artifact: t ? { name: type, file: t.file } : undefined };
}

/** The scaffold's artifact (new-analyzer): lines with their text and span, which the stub rule can read. */
function isScaffoldArtifact(tree, domain, artifact) {
  if (!artifact || artifact.name !== `${pascal(domain)}Artifact`) return false;
  const src = tree.read(artifact.file);
  const line = `${pascal(domain)}Line`;
  return new RegExp(`export interface ${artifact.name} \\{\\s*lines: ${line}\\[\\];\\s*\\}`).test(src) && new RegExp(`export interface ${line} \\{\\s*text: string;\\s*span: Span;\\s*\\}`).test(src);
}

/** The comment syntax of a file, as the default suppression comment picks it (src/kernel/registry.ts). */
function commentOf(path) {
  if (/\.(sql|ddl|psql|pgsql)$/i.test(path)) return '--';
  if (/\.(conf|toml|ya?ml|py|rb|env|nginx|conf\.template|types)$/i.test(path) || /(^|\/)(nginx[^/]*|\.htaccess|_headers|\.env(\.[\w.-]+)?)$/i.test(path) || /(^|\/)sites-(available|enabled)\//.test(path)) return '#';
  return '//';
}

function ruleExists(tree, id) {
  if (tree.exists(`docs/rules/${id}.md`)) return `docs/rules/${id}.md`;
  for (const f of analyzerFiles(tree)) {
    if (f.endsWith(`/rules/${id}.ts`)) return f;
    if (tree.read(f).includes(`id: '${id}'`)) return f;
  }
  return undefined;
}

function plan(tree, domain, id, options) {
  if (domain === undefined || id === undefined) refuse(`a domain and a rule id are needed (usage: ${USAGE})`);
  if (!KEBAB.test(domain)) refuse(`bad domain name "${domain}": use lower-case kebab-case`);
  if (!KEBAB.test(id)) refuse(`bad rule id "${id}": use lower-case kebab-case, e.g. ${domain}-cache-missing`);
  const dir = `src/analyzers/${domain}`;
  if (!tree.exists(`${dir}/index.ts`)) refuse(`no domain "${domain}": ${dir}/index.ts does not exist (npm run new-analyzer -- ${domain})`);
  const existing = ruleExists(tree, id);
  if (existing) refuse(`rule "${id}" exists already (${existing})`);
  const item = options.item ?? DEFAULT_ITEM;
  const items = checklistItems(tree);
  if (!items.has(item)) refuse(`unknown checklist item "${item}": one of ${[...items.keys()].join(', ')}`);
  for (const k of ['title', 'failure-title', 'description']) if (options[k] !== undefined && /[\r\n]/.test(options[k])) refuse(`--${k} must be one line`);

  const ruleFile = `${dir}/rules/${id}.ts`;
  const testFile = `test/unit/${domain}/${id}.test.ts`;
  const docFile = `docs/rules/${id}.md`;
  for (const f of [ruleFile, testFile]) if (tree.exists(f)) refuse(`${f} exists already`);

  let index = tree.read(`${dir}/index.ts`);
  const analyzer = /export const (\w+)\s*:\s*Analyzer\b/.exec(index)?.[1];
  if (!analyzer) refuse(`${dir}/index.ts exports no \`const …: Analyzer\``);
  const ruleName = camel(id);
  if (new RegExp(`\\b${ruleName}\\b`).test(index)) refuse(`${dir}/index.ts already names ${ruleName}`);
  const g = firstGatherer(tree, dir, index);
  const scaffold = isScaffoldArtifact(tree, domain, g.artifact);
  if (!scaffold && !options.sample) refuse(`${dir} was not made by new-analyzer: give --sample <path>, a file the ${g.name} gatherer reads, for the generated test`);
  const sample = options.sample ?? `${domain}.conf`;

  // index.ts: the rule's import and its entry in `rules` (an inline array, or a const array in index.ts).
  let open;
  const inline = /^[ \t]+rules:\s*\[/m.exec(index);
  if (inline) open = inline.index + inline[0].length - 1;
  else {
    const list = /^[ \t]+rules:\s*(\w+)/m.exec(index)?.[1];
    const decl = list && new RegExp(`\\bconst ${list}\\b[^=]*=\\s*\\[`).exec(index);
    if (!decl) refuse(`cannot find the rules list of ${dir}/index.ts (rules: [...] or a const array in index.ts)`);
    open = decl.index + decl[0].length - 1;
  }
  index = appendToArray(index, open, ruleName);
  if (!index) refuse(`cannot add ${ruleName} to the rules list of ${dir}/index.ts`);
  index = insertImport(index, `import { ${ruleName} } from './rules/${id}.js';`);

  const title = options.title ?? `TODO: ${id} passes`;
  const failureTitle = options['failure-title'] ?? `TODO: ${id} fails`;
  const description = options.description ?? `TODO: what ${id} reports, and why it matters.`;
  const marker = `TODO(${id})`;

  // The rule: imports of the gatherer id and the artifact type, grouped by module.
  const imports = new Map();
  const add = (file, spec) => imports.set(file, [...(imports.get(file) ?? []), spec]);
  if (g.id.name) add(g.id.file, { name: g.id.name, type: false });
  if (g.artifact) add(g.artifact.file, { name: g.artifact.name, type: true });
  const importLines = [...imports].map(([file, specs]) => {
    const all = specs.every((s) => s.type);
    const names = specs.map((s) => (s.type && !all ? `type ${s.name}` : s.name)).join(', ');
    return `import ${all ? 'type ' : ''}{ ${names} } from '${fromRules(dir, file)}';`;
  });
  const check = scaffold
    ? `  check(ctx) {
    // TODO: the real check, on what the gatherer read (ctx.artifact); report each problem at its span.
    for (const line of ctx.artifact.lines) {
      if (line.text.includes(MARKER)) ctx.report({ span: line.span, message: \`\${MARKER}: say what is wrong here and how to fix it.\` });
    }
  },`
    : `  check(ctx) {
    // TODO: the real check, on what the gatherer read (ctx.artifact); report each problem at its span.
    for (let at = ctx.text.indexOf(MARKER); at >= 0; at = ctx.text.indexOf(MARKER, at + MARKER.length)) {
      ctx.report({ span: { start: at, end: at + MARKER.length }, message: \`\${MARKER}: say what is wrong here and how to fix it.\` });
    }
  },`;
  const rule = `/** ${id}: TODO what it reports and why. Scaffolded by npm run new-rule. */
import type { FileRule } from '../../../kernel/contracts.js';
${importLines.join('\n')}${importLines.length ? '\n' : ''}
/** Placeholder until the rule checks something real: it reports this text${scaffold ? ' on a line of its own' : ''}. */
const MARKER = ${q(marker)};

export const ${ruleName}: FileRule${g.artifact ? `<${g.artifact.name}>` : ''} = {
  kind: 'file',
  gatherer: ${g.id.name ?? q(g.id.literal)},
  meta: {
    id: ${q(id)},
    title: ${q(title)},
    failureTitle: ${q(failureTitle)},
    description: ${q(description)},
    domain: ${q(domain)},
    checklistItem: ${q(item)},
    defaultSeverity: 'warning',
    fixable: false,
  },
${check}
};
`;

  // The samples: a file the gatherer reads, without and with the marker.
  const lead = scaffold ? '' : `${commentOf(sample)} `;
  const validText = scaffold ? 'setting = on\n' : `${lead}nothing to report here\n`;
  const invalidText = `${validText}${lead}${marker}\n`;
  const column = lead.length + 1;
  const test = `// ${id}: table-driven cases run through the engine with the ${domain} analyzer's rules and gatherers.
// TODO: real cases once the rule checks something real (see test/helpers/rule-tester.ts).
import { ruleTests } from '../../helpers/rule-tester.js';
import { ${analyzer} } from '../../../src/analyzers/${domain}/index.js';

ruleTests(${q(id)}, {
  valid: [
    { name: 'a file without the placeholder marker', files: { ${q(sample)}: ${q(validText)} } },
  ],
  invalid: [
    {
      name: 'the placeholder marker is reported where it is',
      files: { ${q(sample)}: ${q(invalidText)} },
      errors: [{ file: ${q(sample)}, line: 2, column: ${column}, endLine: 2, endColumn: ${column + marker.length}, severity: 'warning', message: /^${marker.replace(/[()]/g, '\\$&')}: / }],
    },
  ],
}, { rules: ${analyzer}.rules, gatherers: ${analyzer}.gatherers });
`;

  const it = items.get(item);
  const c = commentOf(sample);
  const doc = `# ${id}

> ${failureTitle}

${description}

## What it checks

TODO: what the rule looks for in the files the \`${g.id.name ? g.id.value : g.id.literal}\` gatherer reads, and where it reports it.
Until its real check is written it reports every \`${marker}\` it finds there.

## Why it matters

TODO: what the problem costs (latency, bandwidth, server load) and when it shows.

## Examples

### ❌ Incorrect

\`\`\`text
${invalidText}\`\`\`

### ✅ Correct

\`\`\`text
${validText}\`\`\`

## Fix

TODO: how to fix it by hand. There is no automatic fix.

## Options / configuration

\`\`\`jsonc
// .perfauditrc.json
{
  "rules": {
    "${id}": "off" // or "error", "warning", "info", "hint"
  }
}
\`\`\`

## Suppressing

A comment in the file's own comment syntax: on the line above a finding, at the end of its line, or
anywhere in the file for the whole file:

\`\`\`text
${c} perf-audit-disable-next-line ${id}
${marker} ${c} perf-audit-disable-line ${id}
${c} perf-audit-disable-file ${id}
\`\`\`

The same comments are written \`-- perf-audit-disable-next-line …\` in SQL,
\`// perf-audit-disable-next-line …\` in JavaScript and TypeScript, and \`# perf-audit-disable-next-line …\`
in configuration files.

## Checklist item

\`${item}\` (${it.group} → ${it.title}): TODO why a finding makes this item fail.

## Default severity

\`warning\`

## Fixable

No.
`;

  // docs/rules/README.md: a row after the domain's last row, else at the end of the "Configuration rules" table.
  const readme = tree.read(README);
  const lines = readme.split('\n');
  const rowId = (l) => /^\| \[`([^`]+)`\]\([^)]+\.md\) \|/.exec(l)?.[1];
  const domainIds = new Set(tree.exists(`${dir}/rules`) ? readdirSync(tree.abs(`${dir}/rules`)).map((f) => f.replace(/\.ts$/, '')) : []);
  let at = lines.findLastIndex((l) => domainIds.has(rowId(l)));
  if (at < 0) {
    const heading = lines.indexOf('## Configuration rules');
    let last = -1;
    for (let i = heading + 1; heading >= 0 && i < lines.length && !lines[i].startsWith('## '); i++) if (rowId(lines[i])) last = i;
    at = last >= 0 ? last : lines.findLastIndex((l) => rowId(l));
  }
  if (at < 0) refuse(`${README} has no rule table to add ${id} to`);
  const cell = (s) => s.replace(/\|/g, '\\|');
  lines.splice(at + 1, 0, `| [\`${id}\`](${id}.md) | ${cell(failureTitle)} | \`${item}\` | \`warning\` | no |`);

  const files = {
    [ruleFile]: rule,
    [`${dir}/index.ts`]: index,
    [testFile]: test,
    [docFile]: doc,
    [README]: lines.join('\n'),
  };

  return { files, created: [ruleFile, testFile, docFile] };
}

runScaffold('new-rule', (argv) => {
  const { positional, options, root } = parseArgs(argv, ['item', 'title', 'failure-title', 'description', 'sample'], USAGE);
  if (positional.length > 2) refuse(`a domain and a rule id expected, got ${positional.length} arguments (usage: ${USAGE})`);
  const tree = new Tree(root);
  const [domain, id] = positional;
  const { files, created } = plan(tree, domain, id, options);
  for (const [rel, text] of Object.entries(files)) tree.write(rel, text);
  for (const rel of Object.keys(files)) console.log(`${created.includes(rel) ? 'created' : 'updated'} ${rel}`);
  regenerate(root);
  console.log(`next: write the check in ${created[0]}, real cases in ${created[1]}, and the TODOs of ${created[2]}`);
});
