/**
 * Generators and an implementation-independent oracle for the memory property tests
 * (memory.property.test.ts): see that file for what is checked.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  appendPerformanceData,
  INSIGHTS_SUBSECTIONS,
  MARKER_BEGIN,
  MARKER_END,
  PERF_DATA_SUBSECTIONS,
  sanitizeInline,
  updateInsights,
  type AuditLike,
  type PerfDataEntry,
} from '../../../../src/kernel/memory/memory.js';
import { CHECKLIST, type ItemStatus } from '../../../../src/kernel/checklist.js';
import { appendLighthouseRun, LIGHTHOUSE_SUBSECTION, type LighthouseHistoryEntry } from '../../../../src/analyzers/lighthouse/memory.js';

// ------------------------------------------------------------------------------------------------
// Oracle (implementation-independent)

const BEGIN = /^[ \t]*<!--[ \t]*perf-auditor:begin\b[^>]*-->[ \t]*$/i;
const END = /^[ \t]*<!--[ \t]*perf-auditor:end\b[^>]*-->[ \t]*$/i;
const LU = /^([ \t]*[*_]{0,3}[ \t]*last[ \t]+updated[ \t]*[*_]{0,3}[ \t]*:)/i;
const OUR_HEADINGS = new Set(['Insights', 'Performance Data', 'Infrastructure & Performance', 'Infrastructure Performance Data', ...INSIGHTS_SUBSECTIONS, ...PERF_DATA_SUBSECTIONS, LIGHTHOUSE_SUBSECTION]);

/** Raw lines (each with its line ending), BOM removed. */
export function rawLines(text: string): string[] {
  const t = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return t === '' ? [] : t.split(/(?<=\n)/);
}
export const content = (raw: string) => raw.replace(/\r?\n$/, '');

/**
 * Lines that could belong to an original marker block. Without code fences the format is exact: a
 * begin line, then the next end line with no heading in between (an end pairs with the latest
 * begin). With fences (which may hide headings or markers), over-approximate: any line with some
 * begin line at or before it and some end line at or after it.
 */
export function possiblyOurs(lines: string[]): boolean[] {
  const n = lines.length;
  const out = lines.map(() => false);
  if (!lines.some((l) => /^ {0,3}(```|~~~)/.test(l))) {
    let pending = -1;
    for (let i = 0; i < n; i++) {
      const c = content(lines[i]);
      if (/^ {0,3}#{1,6}([ \t]|$)/.test(c)) pending = -1;
      else if (BEGIN.test(c)) pending = i;
      else if (END.test(c) && pending >= 0) {
        for (let k = pending; k <= i; k++) out[k] = true;
        pending = -1;
      }
    }
    return out;
  }
  const beginBefore: boolean[] = [];
  let seen = false;
  for (let i = 0; i < n; i++) beginBefore[i] = seen = seen || BEGIN.test(content(lines[i]));
  const endAfter: boolean[] = [];
  seen = false;
  for (let i = n - 1; i >= 0; i--) endAfter[i] = seen = seen || END.test(content(lines[i]));
  return lines.map((_, i) => beginBefore[i] && endAfter[i]);
}

/** Lines of marker blocks exactly as the updates write them (begin, bullets or table rows, end). */
export function ourBlockLines(lines: string[]): boolean[] {
  const out = lines.map(() => false);
  for (let i = 0; i < lines.length; i++) {
    if (content(lines[i]) !== MARKER_BEGIN) continue;
    let j = i + 1;
    while (j < lines.length && /^(- \*\*|\| )/.test(content(lines[j]))) j++;
    if (j < lines.length && content(lines[j]) === MARKER_END) {
      for (let k = i; k <= j; k++) out[k] = true;
      i = j;
    }
  }
  return out;
}

/**
 * Minimal number of rewritten `Last updated` lines in an alignment of the original with the result
 * (Infinity when none exists). Original lines may be dropped only when `optional`; result lines
 * may be unmatched only when `extra`.
 */
export function alignCost(orig: string[], optional: boolean[], res: string[], extra: boolean[]): number {
  const n = orig.length;
  const m = res.length;
  const lastNoEol = n > 0 && !orig[n - 1].endsWith('\n');
  const eq = (i: number, j: number): number => {
    const o = orig[i];
    const r = res[j];
    if (o === r || (i === n - 1 && lastNoEol && content(r) === o)) return 0;
    const a = LU.exec(content(o));
    const b = LU.exec(content(r));
    if (a && b && a[1] === b[1]) return 1;
    return Infinity;
  };
  // cost[i][j]: best for orig[i:] vs res[j:]
  let next = new Array<number>(m + 1).fill(Infinity);
  next[m] = 0;
  for (let j = m - 1; j >= 0; j--) next[j] = extra[j] ? next[j + 1] : Infinity;
  for (let i = n - 1; i >= 0; i--) {
    const cur = new Array<number>(m + 1).fill(Infinity);
    cur[m] = optional[i] ? next[m] : Infinity;
    for (let j = m - 1; j >= 0; j--) {
      let best = Infinity;
      const c = eq(i, j);
      if (c !== Infinity) best = c + next[j + 1];
      if (optional[i]) best = Math.min(best, next[j]);
      if (extra[j]) best = Math.min(best, cur[j + 1]);
      cur[j] = best;
    }
    next = cur;
  }
  return next[0];
}

export function checkPreserved(original: string, result: string, dates: string[]): void {
  const o = rawLines(original);
  const r = rawLines(result);
  const optional = possiblyOurs(o);
  const ours = ourBlockLines(r);
  const luDates = new Set(dates.map((d) => `Last updated: ${d}`));
  const extra = r.map((line, j) => {
    const c = content(line);
    if (ours[j] || c === '' || luDates.has(c)) return true;
    const h = /^#{1,6} (.*)$/.exec(c);
    return h !== null && OUR_HEADINGS.has(h[1]);
  });
  const cost = alignCost(o, optional, r, extra);
  assert.ok(cost <= 1, `user text lost or changed (cost ${cost})\n--- original ${JSON.stringify(original)}\n--- result ${JSON.stringify(result)}`);
}

// ------------------------------------------------------------------------------------------------
// Generators

const TARGETS = [
  'Infrastructure & Performance',
  'infrastructure and performance',
  'Infrastructure &amp; Performance',
  'Infrastructure Performance Data',
  ...INSIGHTS_SUBSECTIONS,
  ...PERF_DATA_SUBSECTIONS,
  LIGHTHOUSE_SUBSECTION,
  'performance optimization',
  'Other',
];

const noNewline = (s: string) => s.replace(/\n/g, ' ');
const text = fc.string({ unit: 'grapheme', maxLength: 10 }).map(noNewline);
const word = fc.oneof(fc.constantFrom('cache', 'p95', 'Postgres', 'ünïcödé', '日本語', '🚀', 'a|b', '**', '-->', 'x - y'), text);

const heading = fc
  .tuple(fc.constantFrom('', ' ', '   ', '    '), fc.integer({ min: 1, max: 7 }), fc.oneof(fc.constantFrom(...TARGETS), word), fc.constantFrom('', ' ##', '   ', ' #'))
  .map(([indent, level, t, close]) => `${indent}${'#'.repeat(level)} ${t}${close}`);
const bullet = fc.tuple(fc.constantFrom('- ', '* ', '  - ', '+ '), word, word, word).map(([m, a, b, c]) => `${m}**${a}**: ${b} - ${c}`);
const fence = fc.constantFrom('```', '```md', '~~~', '````', '  ```', '```js `x`', '~~~~');
const table = fc.constantFrom('| a | b |', '|---|---|', '| Date | Score |', '| 2024-01-01 | 5 |', '| Run | URL |', '| 2024-01-01 10:00 | http://x/ |');
const lastUpdated = fc.constantFrom('Last updated: 2020-01-01', '*Last updated: old*', '**Last updated:** 1999', 'Last Updated:', '- Last updated: bullet');
const plain = fc.oneof(text, word, fc.constantFrom('', '', '   ', '#hashtag', '---', '==='));

type MarkerMode = 'none' | 'begin' | 'end' | 'both';
const marker = (mode: MarkerMode) =>
  fc.constantFrom(...(mode === 'begin' ? [MARKER_BEGIN, '<!-- perf-auditor:begin x -->'] : mode === 'end' ? [MARKER_END] : [MARKER_BEGIN, MARKER_END, '  <!--perf-auditor:end-->']));

const block = fc.array(fc.oneof(bullet, table, plain), { maxLength: 3 }).map((inner) => [MARKER_BEGIN, ...inner, MARKER_END]);

/** A line, or a few lines (a well-formed marker block) in 'both' mode. */
const chunkFor = (mode: MarkerMode): fc.Arbitrary<string[]> =>
  fc.oneof(
    { weight: 4, arbitrary: heading.map((l) => [l]) },
    { weight: 3, arbitrary: bullet.map((l) => [l]) },
    { weight: 1, arbitrary: fence.map((l) => [l]) },
    { weight: 1, arbitrary: table.map((l) => [l]) },
    { weight: 1, arbitrary: lastUpdated.map((l) => [l]) },
    { weight: 4, arbitrary: plain.map((l) => [l]) },
    { weight: mode === 'none' ? 0 : 3, arbitrary: (mode === 'none' ? plain : marker(mode)).map((l) => [l]) },
    { weight: mode === 'both' ? 2 : 0, arbitrary: block },
  );

const body = (mode: MarkerMode) => fc.array(chunkFor(mode), { maxLength: 6 }).map((c) => c.flat());

const SECTIONS = ['Infrastructure & Performance', 'infrastructure and performance', 'INFRASTRUCTURE &amp; PERFORMANCE', 'Infrastructure Performance Data', 'infrastructure performance data:'];
const SUBS = [...INSIGHTS_SUBSECTIONS, ...PERF_DATA_SUBSECTIONS, 'performance optimization', 'system performance', 'Notes', LIGHTHOUSE_SUBSECTION, 'lighthouse'];

/** A target section (at a random level) with random sub-sections (usually one level deeper) and bodies. */
const targetSection = (mode: MarkerMode): fc.Arbitrary<string[]> =>
  fc
    .record({
      title: fc.constantFrom(...SECTIONS),
      // Levels 4 and 5 leave no room (or one level) below: sub-sections land on level 6.
      level: fc.constantFrom(2, 2, 2, 1, 3, 4, 5),
      close: fc.constantFrom('', '', ' ##', '  '),
      intro: body(mode),
      subs: fc.array(fc.record({ title: fc.constantFrom(...SUBS), delta: fc.constantFrom(1, 1, 1, 2, 0), body: body(mode) }), { maxLength: 5 }),
    })
    .map(({ title, level, close, intro, subs }) => [
      `${'#'.repeat(level)} ${title}${close}`,
      ...intro,
      ...subs.flatMap((s) => [`${'#'.repeat(Math.min(6, level + s.delta))} ${s.title}`, ...s.body]),
    ]);

export const docArb = fc
  .constantFrom<MarkerMode>('none', 'none', 'begin', 'end', 'both', 'both')
  .chain((mode) =>
    fc.record({
      parts: fc.array(fc.oneof({ weight: 2, arbitrary: targetSection(mode) }, { weight: 3, arbitrary: body(mode) }), { maxLength: 5 }),
      noFences: fc.boolean(),
      eols: fc.array(fc.constantFrom('\n', '\n', '\r\n', '\r\n', '\r\n'), { minLength: 1, maxLength: 8 }),
      bom: fc.boolean(),
      finalNewline: fc.boolean(),
    }),
  )
  .map(({ parts, noFences, eols, bom, finalNewline }) => {
    let lines = parts.flat();
    // Half the documents have no fence lines, so the exact marker oracle applies to them.
    if (noFences) lines = lines.filter((l) => !/^ {0,3}(```|~~~)/.test(l));
    const text = lines.map((l, i) => l + (i === lines.length - 1 && !finalNewline ? '' : eols[i % eols.length]));
    return (bom ? '\uFEFF' : '') + text.join('');
  });

export const dateArb = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 2020, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);

const statusArb = fc.constantFrom<ItemStatus>('pass', 'fail', 'unknown', 'not-applicable');
const scoreArb = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 100 }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, 33.5) });

export const auditArb: fc.Arbitrary<AuditLike> = fc.record({
  score: scoreArb,
  checklist: fc.subarray([...CHECKLIST]).chain((items) =>
    fc.tuple(...items.map((item) => fc.record({ status: statusArb, reason: fc.string({ maxLength: 20 }), n: fc.integer({ min: 0, max: 4 }), manual: fc.boolean() }).map((r) => ({ item, status: r.status, reason: r.reason, manual: r.manual, findings: Array.from({ length: r.n }, () => ({ severity: 'warning' as const })) })))),
  ),
});

export const entryArb = (date: string): fc.Arbitrary<PerfDataEntry> =>
  fc.record({
    date: fc.constant(date),
    score: scoreArb,
    settings: fc.option(fc.string({ maxLength: 15 }), { nil: undefined }),
    items: fc.subarray([...CHECKLIST]).chain((items) => fc.tuple(...items.map((i) => fc.record({ id: fc.constant(i.id as string), status: statusArb, findings: fc.integer({ min: 0, max: 9 }) })))),
    totals: fc.record({ findings: fc.integer({ min: 0, max: 50 }) }),
  });

const metricArb = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 60_000 }) }, { weight: 1, arbitrary: fc.constantFrom(null, NaN, 0.125) });

export const lighthouseEntryArb = (date: string): fc.Arbitrary<LighthouseHistoryEntry> =>
  fc.record({
    date: fc.constant(date),
    url: fc.oneof(fc.constantFrom('http://127.0.0.1:8080/', 'https://example.com/a|b?x=1', 'http://localhost:3000/\\path'), fc.string({ maxLength: 15 })),
    preset: fc.constantFrom('desktop', 'mobile', ''),
    runs: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constant(null)),
    score: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(null)),
    fcp: metricArb,
    lcp: metricArb,
    tbt: metricArb,
    cls: fc.oneof(fc.double({ min: 0, max: 2, noNaN: true }), fc.constant(null)),
    tti: metricArb,
    budgets: fc.constantFrom('load ✓ 3.0 s, TTI ✗ 5.0 s', '', 'load ? 3.0 s'),
    failing: fc.subarray(['compression', 'lazy-loading', 'image-formats', 'bundle-size', 'browser-caching']),
    notes: fc.oneof(fc.constantFrom('Lighthouse 12.8.2, simulate throttling', ''), fc.string({ maxLength: 12 })),
  });

export type Op =
  | { kind: 'insights'; audit: AuditLike; date: string }
  | { kind: 'perf'; entry: PerfDataEntry; maxRows: number }
  | { kind: 'lighthouse'; entry: LighthouseHistoryEntry; maxRows: number };

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insights' as const), audit: auditArb, date: dateArb }),
  dateArb.chain((d) => fc.record({ kind: fc.constant('perf' as const), entry: entryArb(d), maxRows: fc.integer({ min: 1, max: 4 }) })),
  dateArb.chain((d) => fc.record({ kind: fc.constant('lighthouse' as const), entry: lighthouseEntryArb(d), maxRows: fc.integer({ min: 1, max: 4 }) })),
);

export function apply(op: Op, text: string | undefined): string {
  switch (op.kind) {
    case 'insights':
      return updateInsights(text, op.audit, op.date);
    case 'perf':
      return appendPerformanceData(text, op.entry, op.maxRows);
    case 'lighthouse':
      return appendLighthouseRun(text, op.entry, op.maxRows);
  }
}
export const opDate = (op: Op) => {
  const d = sanitizeInline(op.kind === 'insights' ? op.date : op.entry.date).replace(/^[\s*_]+|[\s*_]+$/g, '');
  return d || 'unknown';
};

// ------------------------------------------------------------------------------------------------

