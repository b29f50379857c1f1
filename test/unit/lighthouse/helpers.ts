/** Fixtures for the Lighthouse unit tests: recorded LHRs (see test/evidence/lighthouse/record.ts). */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseLhr } from '../../../src/analyzers/lighthouse/lhr.js';
import type { Lhr } from '../../../src/analyzers/lighthouse/types.js';
import type { WorkspaceFiles } from '../../../src/analyzers/lighthouse/locate.js';
import { INSIGHT_REPLACES } from '../../../src/analyzers/lighthouse/rules.js';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'lighthouse');
export const ORIGIN = 'http://127.0.0.1:8080';
export const BUDGETS = { pageLoadMs: 3000, timeToInteractiveMs: 5000 };

export function loadLhr(name: 'slow-mobile' | 'good-desktop' | 'error-desktop'): Lhr {
  return parseLhr(JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')));
}

/**
 * A 13.x-shaped LHR from a recorded 12.8.2 one: the classic audits that 13.x removed in favour of
 * insights are deleted (offscreen-images too: 13.x has no replacement), the insights kept.
 */
export function as13x(lhr: Lhr): Lhr {
  const out: Lhr = JSON.parse(JSON.stringify(lhr)) as Lhr;
  out.lighthouseVersion = '13.0.0';
  const removed = new Set([...Object.values(INSIGHT_REPLACES).flat(), 'offscreen-images']);
  for (const id of removed) delete out.audits[id];
  if (out.categories.performance?.auditRefs) out.categories.performance.auditRefs = out.categories.performance.auditRefs.filter((r) => !removed.has(r.id));
  return out;
}

/** A copy with some audits' numeric values replaced (for median tests). */
export function withValues(lhr: Lhr, values: Record<string, number>, score?: number): Lhr {
  const out: Lhr = JSON.parse(JSON.stringify(lhr)) as Lhr;
  for (const [id, v] of Object.entries(values)) out.audits[id].numericValue = v;
  if (score !== undefined && out.categories.performance) out.categories.performance.score = score;
  return out;
}

export function memWorkspace(files: Record<string, string>): WorkspaceFiles & { reads: string[] } {
  const reads: string[] = [];
  return {
    paths: Object.keys(files),
    reads,
    read: (p) => {
      reads.push(p);
      return Promise.resolve(files[p]);
    },
  };
}
