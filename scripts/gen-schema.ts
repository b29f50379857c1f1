// Regenerates the per-rule entries of schemas/perfauditrc.schema.json from the rules' meta.
// Run after adding a rule: node --import tsx scripts/gen-schema.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { ALL_RULES } from '../src/analyzers/registry.js';

const path = 'schemas/perfauditrc.schema.json';
const schema = JSON.parse(readFileSync(path, 'utf8')) as { properties: { rules: { properties: Record<string, unknown> } } };
const props: Record<string, unknown> = {};
for (const r of ALL_RULES) props[r.meta.id] = { $ref: '#/definitions/level', description: `${r.meta.failureTitle} (default: ${r.meta.defaultSeverity}).` };
schema.properties.rules.properties = props;
writeFileSync(path, `${JSON.stringify(schema, null, 2)}\n`);
console.log(`${Object.keys(props).length} rules in ${path}`);
