/** SARIF 2.1.0 output (https://docs.oasis-open.org/sarif/sarif/v2.1.0/). */
import type { Finding, Range } from '../model.js';
import type { RuleMeta } from '../contracts.js';
import { ruleDocsPath } from '../docs.js';
import { redactFinding } from '../redact.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

function region(r: Range): Record<string, number> {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

export function toSarif(findings: Finding[], rules: readonly RuleMeta[], opts: { version: string; root?: string; isNew?: (f: Finding) => boolean }): object {
  const ruleIds = [...new Set([...rules.map((r) => r.id), ...findings.map((f) => f.ruleId)])];
  const metaById = new Map(rules.map((r) => [r.id, r]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'perf-audit',
            fullName: 'Perf Auditor',
            version: opts.version,
            rules: ruleIds.map((id) => {
              const m = metaById.get(id);
              return {
                id,
                name: id.replace(/(^|-)([a-z])/g, (_s, _d, ch: string) => ch.toUpperCase()),
                shortDescription: { text: m?.failureTitle ?? id },
                fullDescription: { text: m?.description ?? id },
                help: { text: `${m?.description ?? id} Documentation: ${ruleDocsPath(id)} in the Perf Auditor package.` },
                defaultConfiguration: { level: LEVEL[m?.defaultSeverity ?? 'warning'] },
                properties: { tags: ['performance', m?.domain ?? 'engine'], checklistItem: m?.checklistItem },
              };
            }),
          },
        },
        ...(opts.root ? { originalUriBaseIds: { SRCROOT: { uri: `file://${opts.root.replace(/\\/g, '/').replace(/\/?$/, '/')}` } } } : {}),
        results: findings.map((original) => ({ f: redactFinding(original), original })).map(({ f, original }) => ({
          ruleId: f.ruleId,
          ruleIndex: ruleIds.indexOf(f.ruleId),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(f.file), uriBaseId: 'SRCROOT' }, region: region(f.range) } }],
          ...(f.related.length ? { relatedLocations: f.related.map((r, i) => ({ id: i, message: { text: r.message }, physicalLocation: { artifactLocation: { uri: encodeURI(r.file), uriBaseId: 'SRCROOT' }, region: region(r.range) } })) } : {}),
          ...(f.fixes.length ? {
            fixes: f.fixes.map((fx) => ({
              description: { text: fx.title },
              artifactChanges: fx.changes.map((ch) => ({
                artifactLocation: { uri: encodeURI(ch.file), uriBaseId: 'SRCROOT' },
                replacements: ch.create
                  ? [{ deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, insertedContent: { text: ch.create.newText } }]
                  : (ch.edits ?? []).map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
              })),
            })),
          } : {}),
          partialFingerprints: { 'perfAuditor/v1': fingerprint(f) },
          ...(opts.isNew ? { baselineState: opts.isNew(original) ? 'new' : 'unchanged' } : {}),
          properties: { checklistItem: f.checklistItem, ...(f.data ? { data: f.data } : {}) },
        })),
      },
    ],
  };
}

/** A location-independent identity for baselines: rule + file + rule data (or message). */
export function fingerprint(f: Finding): string {
  const basis = `${f.ruleId}|${f.file}|${f.data ? JSON.stringify(f.data) : f.message}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < basis.length; i++) {
    h ^= basis.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
