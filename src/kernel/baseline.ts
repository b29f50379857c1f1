/**
 * Baselines: the findings of a recorded audit, by location-independent fingerprint, so that CI
 * can fail only on regressions and editors can show what is new and what got fixed.
 */
import type { Finding } from './model.js';
import { fingerprint } from './report/sarif.js';
import { parseJsonText } from './json.js';

export const BASELINE_FILE = '.perfaudit-baseline.json';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  line: number;
  message: string;
}

export interface Baseline {
  version: 1;
  created: string;
  findings: BaselineEntry[];
}

export function createBaseline(findings: Finding[], created = new Date().toISOString()): Baseline {
  return {
    version: 1,
    created,
    findings: findings.map((f) => ({ fingerprint: fingerprint(f), ruleId: f.ruleId, file: f.file, line: f.range.start.line + 1, message: f.message })),
  };
}

export function parseBaseline(text: string): Baseline {
  const raw = parseJsonText(text) as Partial<Baseline> | null;
  if (!raw || typeof raw !== 'object') throw new Error('not a perf-audit baseline (expected {"version": 1, "findings": [...]})');
  if (raw.version !== 1 || !Array.isArray(raw.findings)) throw new Error('not a perf-audit baseline (expected {"version": 1, "findings": [...]})');
  return { version: 1, created: String(raw.created ?? ''), findings: raw.findings.filter((e) => e && typeof e.fingerprint === 'string') };
}

export interface BaselineDiff {
  /** Findings not in the baseline. */
  added: Finding[];
  /** Findings also in the baseline. */
  unchanged: Finding[];
  /** Baseline entries with no finding any more. */
  fixed: BaselineEntry[];
}

/** Compares as multisets: two identical findings in the baseline cover two now, not more. */
export function diffBaseline(findings: Finding[], baseline: Baseline): BaselineDiff {
  const remaining = new Map<string, BaselineEntry[]>();
  for (const e of baseline.findings) remaining.set(e.fingerprint, [...(remaining.get(e.fingerprint) ?? []), e]);
  const added: Finding[] = [];
  const unchanged: Finding[] = [];
  for (const f of findings) {
    const list = remaining.get(fingerprint(f));
    if (list?.length) {
      list.shift();
      unchanged.push(f);
    } else added.push(f);
  }
  return { added, unchanged, fixed: [...remaining.values()].flat() };
}
