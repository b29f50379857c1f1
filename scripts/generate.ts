/**
 * Writes what is derived from the analyzer registry (src/analyzers/registry.ts) into files kept in git:
 * - schemas/perfauditrc.schema.json: the rule ids `"rules"` may name (propertyNames), each documented
 *   rule's description (properties); the rest of the schema is hand-written and left as it is;
 * - README.md: the rule tables between `<!-- rules:start -->` and `<!-- rules:end -->`.
 *
 *   node --import tsx scripts/generate.ts           (npm run generate) rewrites them
 *   node --import tsx scripts/generate.ts --check   (npm run generate:check) exits 1 naming each
 *                                                   file that is out of date, writes nothing
 *
 * test/unit/generated.test.ts runs the check, so adding a rule without regenerating fails npm test.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { REGISTRY } from '../src/analyzers/registry.js';
import type { AnalyzerRegistry } from '../src/kernel/registry.js';
import type { RuleMeta } from '../src/kernel/contracts.js';

export const SCHEMA_FILE = 'schemas/perfauditrc.schema.json';
export const README_FILE = 'README.md';
export const RULES_START = '<!-- rules:start -->';
export const RULES_END = '<!-- rules:end -->';
/** The prefix rule ids may carry in settings and suppression comments. */
const RULE_PREFIX = 'perf-auditor/';

export interface GeneratedFile {
  /** Relative to the repository root, with `/`. */
  path: string;
  /** What the file holds on disk now. */
  current: string;
  /** What it should hold. */
  expected: string;
}

/** The schema text with its `rules` property derived from the registry; every other key is kept. */
export function generateSchema(current: string, registry: AnalyzerRegistry = REGISTRY): string {
  const schema = JSON.parse(current) as { properties?: { rules?: Record<string, unknown> } };
  const rules = schema.properties?.rules;
  if (!rules || typeof rules !== 'object') throw new Error(`${SCHEMA_FILE}: no "properties.rules" object to fill in`);
  const ids = [...registry.knownRuleIds];
  rules.propertyNames = { enum: [...ids, ...ids.map((id) => `${RULE_PREFIX}${id}`)] };
  const props: Record<string, unknown> = {};
  for (const m of registry.ruleMetas) props[m.id] = { $ref: '#/definitions/level', description: `${m.failureTitle} (default: ${m.defaultSeverity}).` };
  rules.properties = props;
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** A table cell: one line, no column break. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').trim();
}

function ruleRow(m: RuleMeta): string {
  return `| [\`${m.id}\`](docs/rules/${m.id}.md) | ${cell(m.failureTitle)} | \`${m.checklistItem}\` | \`${m.defaultSeverity}\` | ${m.fixable ? 'Yes' : 'No'} |`;
}

/** The longest `word-` prefix every id shares, e.g. `lighthouse-`; empty when there is none. */
function commonIdPrefix(ids: readonly string[]): string {
  let prefix = ids[0] ?? '';
  for (const id of ids) while (!id.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.slice(0, prefix.lastIndexOf('-') + 1);
}

/**
 * The README's rule tables: one per analyzer in registry order, headed by its title. An analyzer whose
 * rules all run outside the engine (Lighthouse audits) gets one line pointing to the full list.
 */
export function generateRuleTables(registry: AnalyzerRegistry = REGISTRY): string {
  const out: string[] = [
    '<!-- Generated from src/analyzers/registry.ts by `npm run generate`: edit the rules\' meta, not these tables. -->',
  ];
  for (const a of registry.analyzers) {
    const metas = [...a.rules.map((r) => r.meta), ...(a.externalRules ?? [])];
    if (!metas.length) continue;
    out.push('', `### ${a.title}`, '');
    if (!a.rules.length) {
      const prefix = commonIdPrefix(metas.map((m) => m.id));
      const items = [...new Set(metas.map((m) => `\`${m.checklistItem}\``))].join(', ');
      out.push(
        `${metas.length} rules${prefix ? ` (\`${prefix}*\`)` : ''}, reported by ${a.title} rather than the workspace audit, feeding the checklist items ${items}: see [the rule list](docs/rules/README.md).`,
      );
      continue;
    }
    out.push('| Rule | What it reports | Checklist item | Default severity | Quick fix |', '| --- | --- | --- | --- | --- |');
    for (const m of metas) out.push(ruleRow(m));
  }
  return out.join('\n');
}

/** The README with the block between the markers replaced by `generateRuleTables`. */
export function generateReadme(current: string, registry: AnalyzerRegistry = REGISTRY): string {
  const eol = current.includes('\r\n') ? '\r\n' : '\n';
  const start = current.indexOf(RULES_START);
  const end = current.indexOf(RULES_END);
  if (start < 0 || end < 0 || end < start) throw new Error(`${README_FILE}: the markers ${RULES_START} … ${RULES_END} are missing or out of order`);
  if (current.indexOf(RULES_START, start + 1) >= 0 || current.indexOf(RULES_END, end + 1) >= 0) throw new Error(`${README_FILE}: the rule markers appear more than once`);
  const block = `${RULES_START}\n${generateRuleTables(registry)}\n\n${RULES_END}`.replace(/\n/g, eol);
  return current.slice(0, start) + block + current.slice(end + RULES_END.length);
}

/** Every generated file, as it is on disk under `root` and as it should be. */
export function generatedFiles(root: string, registry: AnalyzerRegistry = REGISTRY): GeneratedFile[] {
  const read = (path: string): string => readFileSync(join(root, path), 'utf8');
  const schema = read(SCHEMA_FILE);
  const readme = read(README_FILE);
  return [
    { path: SCHEMA_FILE, current: schema, expected: generateSchema(schema, registry) },
    { path: README_FILE, current: readme, expected: generateReadme(readme, registry) },
  ];
}

/** The generated files under `root` whose content differs from what the registry gives. */
export function staleFiles(root: string, registry: AnalyzerRegistry = REGISTRY): string[] {
  return generatedFiles(root, registry)
    .filter((f) => f.current !== f.expected)
    .map((f) => f.path);
}

function main(args: readonly string[]): number {
  const root = resolve(dirname(process.argv[1]), '..');
  if (args.includes('--check')) {
    const stale = staleFiles(root);
    for (const path of stale) console.error(`${path} is out of date: run npm run generate`);
    if (!stale.length) console.log(`generated files are up to date (${SCHEMA_FILE}, ${README_FILE})`);
    return stale.length ? 1 : 0;
  }
  for (const f of generatedFiles(root)) {
    if (f.current === f.expected) {
      console.log(`${f.path}: up to date`);
      continue;
    }
    writeFileSync(join(root, f.path), f.expected);
    console.log(`${f.path}: written`);
  }
  return 0;
}

if (require.main === module) {
  const unknown = process.argv.slice(2).filter((a) => a !== '--check');
  if (unknown.length) {
    console.error(`usage: node --import tsx scripts/generate.ts [--check] (unknown: ${unknown.join(' ')})`);
    process.exit(2);
  }
  process.exitCode = main(process.argv.slice(2));
}
