// npm run new-analyzer -- <domain> [--root <dir>]
// Scaffolds an analyzer domain: src/analyzers/<domain>/{index,gather,fixes}.ts, a test of its
// gatherer (test/unit/<domain>/gather.test.ts) and its line in src/analyzers/registry.ts. Then add
// rules with `npm run new-rule -- <domain> <rule-id>`. Refuses (exit 2) a bad or existing domain.
// End-to-end check of both scaffolds (test/unit/kernel/scaffold.test.ts checks the edits): run them
// for a throw-away domain, then `npx tsc --noEmit -p . && npx eslint . && npm run check:deps &&
// node scripts/run-unit-tests.mjs <domain> docs`, then remove what they generated.
import { readdirSync } from 'node:fs';
import { KEBAB, Tree, appendToArray, camel, insertImport, parseArgs, pascal, refuse, regenerate, runScaffold, upperSnake } from './scaffold-lib.mjs';

const USAGE = 'npm run new-analyzer -- <domain> [--root <dir>]';
const REGISTRY = 'src/analyzers/registry.ts';

/** Values of every `*_GATHERER_ID = '…'` constant in src/analyzers, with the folder defining it. */
function gathererIds(tree) {
  const out = new Map();
  const walk = (rel) => {
    for (const e of readdirSync(tree.abs(rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) for (const m of tree.read(p).matchAll(/_GATHERER_ID\s*=\s*'([^']+)'/g)) out.set(m[1], rel);
    }
  };
  walk('src/analyzers');
  return out;
}

function plan(tree, domain) {
  if (domain === undefined) refuse(`no domain given (usage: ${USAGE})`);
  if (!KEBAB.test(domain)) refuse(`bad domain name "${domain}": use lower-case kebab-case, e.g. kubernetes or node-server`);
  const dir = `src/analyzers/${domain}`;
  if (tree.exists(dir)) refuse(`domain "${domain}" exists already (${dir})`);
  const testDir = `test/unit/${domain}`;
  if (tree.exists(testDir)) refuse(`${testDir} exists already: pick another domain name`);
  const owner = gathererIds(tree).get(domain);
  if (owner) refuse(`gatherer id "${domain}" is already used in ${owner}: pick another domain name`);

  const analyzer = `${camel(domain)}Analyzer`;
  let registry = tree.read(REGISTRY);
  if (new RegExp(`\\b${analyzer}\\b`).test(registry)) refuse(`${REGISTRY} already names ${analyzer}`);
  const importLine = `import { ${analyzer} } from './${domain}/index.js';`;
  const imports = [...registry.matchAll(/^import \{ \w+Analyzer \} from '\.\/[^']+\/index\.js';[ \t]*$/gm)];
  const lastImport = imports.at(-1);
  registry = lastImport
    ? `${registry.slice(0, lastImport.index + lastImport[0].length)}\n${importLine}${registry.slice(lastImport.index + lastImport[0].length)}`
    : insertImport(registry, importLine);
  const lighthouse = /^([ \t]*)lighthouseAnalyzer,[ \t]*$/m.exec(registry);
  if (lighthouse) registry = `${registry.slice(0, lighthouse.index)}${lighthouse[1]}${analyzer},\n${registry.slice(lighthouse.index)}`;
  else {
    const open = /new AnalyzerRegistry\(\s*\[/.exec(registry);
    const edited = open && appendToArray(registry, open.index + open[0].length - 1, analyzer);
    if (!edited) refuse(`${REGISTRY} has no \`new AnalyzerRegistry([...])\` list to add ${analyzer} to`);
    registry = edited;
  }

  const P = pascal(domain);
  const U = upperSnake(domain);
  const gatherer = `${camel(domain)}Gatherer`;
  const file = `${domain}.conf`;
  return {
    [`${dir}/index.ts`]: `/**
 * The ${domain} analyzer. TODO: one line on what it reads and checks.
 * Scaffolded by npm run new-analyzer; add rules with npm run new-rule -- ${domain} <rule-id>.
 */
import type { Analyzer } from '../../kernel/contracts.js';
import { ${gatherer} } from './gather.js';

export const ${analyzer}: Analyzer = {
  id: '${domain}',
  title: '${domain} files',
  // TODO: globs (matched below any folder) of the files the gatherer reads; the editor watches these.
  watch: ['${file}'],
  rules: [],
  gatherers: [${gatherer}],
};
`,
    [`${dir}/gather.ts`]: `/**
 * The ${domain} gatherer: turns each matching file into the artifact the rules check (once per
 * content hash). TODO: read the files this domain is about; keep \`watch\` in index.ts in step.
 */
import type { FileGatherer } from '../../kernel/contracts.js';
import type { Span } from '../../kernel/model.js';
import { baseOf } from '../../kernel/text.js';

export const ${U}_GATHERER_ID = '${domain}';

/** One line that is neither blank nor a \`#\` comment: its trimmed text and where that is. */
export interface ${P}Line {
  text: string;
  span: Span;
}

/** What the gatherer reads from one file; rules check this, never the raw text. TODO: the model the rules need. */
export interface ${P}Artifact {
  lines: ${P}Line[];
}

/** TODO: the names of the files this domain reads. */
const FILE_NAME = /^${file.replace(/\./g, '\\.')}$/i;

export const ${gatherer}: FileGatherer<${P}Artifact> = {
  id: ${U}_GATHERER_ID,
  description: '${domain} files',
  matches: (path) => FILE_NAME.test(baseOf(path)),
  gather(_path, text) {
    const lines: ${P}Line[] = [];
    let offset = 0;
    for (const raw of text.split('\\n')) {
      const body = raw.trim();
      const start = offset + raw.length - raw.trimStart().length;
      if (body && !body.startsWith('#')) lines.push({ text: body, span: { start, end: start + body.length } });
      offset += raw.length + 1;
    }
    // Not a file of this domain after all (here: nothing but blanks and comments): no artifact, no rule runs on it.
    return lines.length ? { lines } : undefined;
  },
};
`,
    [`${dir}/fixes.ts`]: `/**
 * Quick fixes of this domain's rules: functions that build the edits (spans in the file and the new
 * text) a rule attaches to its report as \`fixes\` (PendingFix in src/kernel/contracts.ts), in the
 * file's own style. None yet: no rule of the ${domain} analyzer is fixable.
 */
export {};
`,
    [`${testDir}/gather.test.ts`]: `// The ${domain} gatherer: which files it reads, what it makes of them, and that the registry runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ${gatherer}, ${U}_GATHERER_ID } from '../../../src/analyzers/${domain}/gather.js';
import { ${analyzer} } from '../../../src/analyzers/${domain}/index.js';
import { REGISTRY } from '../../../src/analyzers/registry.js';
import type { WorkspaceView } from '../../../src/kernel/contracts.js';

const ws: WorkspaceView = { paths: () => [], textOf: () => undefined };

test('${domain}: matches ${file} in any folder, nothing else', () => {
  for (const p of ['${file}', 'deploy/${file}', 'a/b/${file.toUpperCase()}']) assert.ok(${gatherer}.matches(p), p);
  for (const p of ['${file}.bak', 'deploy/other.conf', 'src/index.ts']) assert.ok(!${gatherer}.matches(p), p);
});

test('${domain}: reads the lines that are neither blank nor comments, with their spans', () => {
  const text = '# a comment\\n\\n  key = value  \\r\\nother\\n';
  const artifact = ${gatherer}.gather('${file}', text, ws);
  assert.ok(artifact);
  assert.deepEqual(artifact.lines.map((l) => [l.text, text.slice(l.span.start, l.span.end)]), [['key = value', 'key = value'], ['other', 'other']]);
});

test('${domain}: a file of blanks and comments only is not relevant (no artifact)', () => {
  assert.equal(${gatherer}.gather('${file}', '', ws), undefined);
  assert.equal(${gatherer}.gather('${file}', '# only a comment\\n\\n', ws), undefined);
});

test('${domain}: the registry runs the analyzer and reads its files', () => {
  assert.ok(REGISTRY.analyzers.includes(${analyzer}));
  assert.ok(REGISTRY.gatherers.some((g) => g.id === ${U}_GATHERER_ID));
  assert.ok(REGISTRY.isRelevantPath('deploy/${file}'));
  assert.ok(REGISTRY.isWatchedPath('deploy/${file}'));
});
`,
    [REGISTRY]: registry,
  };
}

runScaffold('new-analyzer', (argv) => {
  const { positional, root } = parseArgs(argv, [], USAGE);
  if (positional.length > 1) refuse(`one domain expected, got ${positional.length} (usage: ${USAGE})`);
  const tree = new Tree(root);
  const domain = positional[0];
  const files = plan(tree, domain);
  for (const [rel, text] of Object.entries(files)) tree.write(rel, text);
  for (const rel of Object.keys(files)) console.log(`${rel === REGISTRY ? 'updated' : 'created'} ${rel}`);
  regenerate(root);
  console.log(`next: npm run new-rule -- ${domain} <rule-id>`);
});
