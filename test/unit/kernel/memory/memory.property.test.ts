/**
 * Property-based tests (fast-check): updates of the memory files never lose or change user text.
 *
 * Random markdown documents (target headings at random levels, bullets, tables, code fences,
 * stray/garbage markers, "Last updated" lines, unicode, CRLF/LF mix, BOM, missing final newline)
 * get random sequences of insights / performance-data / Lighthouse-history updates (random audits,
 * Lighthouse runs and dates, mixed in any order), applied
 * to the same document. The oracle below is independent of the implementation (it does not parse
 * sections or fences) and checks after every step:
 *  (a)+(c) the original's lines, in order and byte-identical, are all in the result, except lines
 *      that may be inside an original marker block (between a begin and an end marker line); the
 *      only other differences are our own lines (our marker blocks, blank lines, the headings we
 *      add, a `Last updated: <date>` line) and at most one rewritten `Last updated` date;
 *  (b) each update is idempotent;
 *  plus BOM and trailing-newline state kept, history, Lighthouse rows and Last updated read back,
 *  and neither table writer loses the other's newest row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseHistory, readMemory } from '../../../../src/kernel/memory/memory.js';
import { hasLighthouseRun, parseLighthouseHistory } from '../../../../src/analyzers/lighthouse/memory.js';
import { apply, checkPreserved, docArb, lighthouseEntryArb, opArb, opDate, rawLines, type Op } from './memory-gen.js';

const LIGHTHOUSE_HEADING = /^ {0,3}#{1,6}[ \t]+lighthouse[ \t#]*$/gim;
const lighthouseHeadings = (t: string): number => t.match(LIGHTHOUSE_HEADING)?.length ?? 0;

/** What every update must leave readable (shared by the tests below). */
function checkReadBack(op: Op, next: string): void {
  if (op.kind === 'perf') {
    const h = parseHistory(next);
    const last = h.filter((e) => e.date === opDate(op)).pop();
    assert.ok(last, 'history row present');
    const s = op.entry.score;
    assert.equal(last.score, Number.isFinite(s) ? Math.round(s) : null);
    assert.equal(last.fail, op.entry.items.filter((i) => i.status === 'fail').length);
    assert.deepEqual(last.failing.map((f) => f.id), op.entry.items.filter((i) => i.status === 'fail').map((i) => i.id));
    assert.ok(h.length <= op.maxRows);
  } else if (op.kind === 'lighthouse') {
    assert.ok(hasLighthouseRun(next, op.entry), 'Lighthouse row present');
    assert.ok(parseLighthouseHistory(next).length <= op.maxRows);
  } else {
    assert.equal(readMemory([{ name: 'insights.md', text: next }]).insights.lastUpdated, opDate(op));
  }
}

const RUNS = Number(process.env.FC_RUNS ?? 300);

test('property: user text is preserved, updates are idempotent, BOM/trailing newline kept', () => {
  fc.assert(
    fc.property(docArb, fc.array(opArb, { minLength: 1, maxLength: 4 }), (original, ops) => {
      let cur = original;
      const dates: string[] = [];
      let lastLh: (Op & { kind: 'lighthouse' })['entry'] | undefined;
      let lastPerf: string | undefined;
      for (const op of ops) {
        dates.push(opDate(op));
        const next = apply(op, cur);
        // (b) idempotent
        assert.equal(apply(op, next), next, 'idempotent');
        // (a)+(c) against the original document
        checkPreserved(original, next, dates);
        // BOM and trailing-newline state
        assert.equal(next.startsWith('\uFEFF'), original.startsWith('\uFEFF'), 'BOM');
        if (rawLines(original).length) assert.equal(/\n$/.test(next), /\n$/.test(original), 'trailing newline');
        // what we wrote reads back, and the other writers' newest rows are still there
        checkReadBack(op, next);
        if (op.kind !== 'lighthouse' && lastLh) assert.ok(hasLighthouseRun(next, lastLh), 'Lighthouse row kept by another update');
        if (op.kind !== 'perf' && lastPerf) assert.ok(parseHistory(next).some((e) => e.date === lastPerf), 'history row kept by another update');
        if (op.kind === 'lighthouse') lastLh = op.entry;
        if (op.kind === 'perf') lastPerf = opDate(op);
        // at most one Lighthouse heading is ever added
        assert.ok(lighthouseHeadings(next) <= lighthouseHeadings(original) + 1, 'Lighthouse headings added once');
        cur = next;
      }
    }),
    { numRuns: RUNS },
  );
});

test('property: a new file round-trips (created content is stable under repeated updates)', () => {
  fc.assert(
    fc.property(fc.array(opArb, { minLength: 1, maxLength: 5 }), (ops) => {
      let cur: string | undefined;
      for (const op of ops) {
        const next = apply(op, cur);
        assert.equal(apply(op, next), next);
        if (cur !== undefined) checkPreserved(cur, next, [opDate(op)]);
        cur = next;
      }
    }),
    { numRuns: Math.ceil(RUNS / 3) },
  );
});

test('property: Lighthouse runs under any heading level are recorded (level-5 section: sibling heading, no duplicates)', () => {
  const docs = fc.constantFrom<string>(
    '##### Infrastructure Performance Data\n\nteam notes\n',
    '# P\n\n#### Infrastructure Performance Data\n###### System Performance\n- **p95**: 180 ms - ok\n',
    '##### Infrastructure Performance Data\n###### System Performance\n###### Lighthouse\n###### Lighthouse\n',
    '## Infrastructure Performance Data\n\n### System Performance\n\n#### Lighthouse\n\nour notes\n',
  );
  fc.assert(
    fc.property(docs, fc.array(fc.oneof(opArb, fc.constant('2026-01-01 10:00').chain((d) => lighthouseEntryArb(d).map((entry): Op => ({ kind: 'lighthouse', entry, maxRows: 3 })))), { minLength: 1, maxLength: 6 }), (original, ops) => {
      let cur = original;
      for (const op of ops) {
        const next = apply(op, cur);
        assert.equal(apply(op, next), next, 'idempotent');
        checkPreserved(original, next, ops.map(opDate));
        checkReadBack(op, next);
        assert.ok(lighthouseHeadings(next) <= Math.max(1, lighthouseHeadings(original)), 'no Lighthouse heading added to a document that has one');
        cur = next;
      }
    }),
    { numRuns: Math.ceil(RUNS / 3) },
  );
});

test('property: readMemory and parseHistory never throw on arbitrary text', () => {
  fc.assert(
    fc.property(fc.oneof(docArb, fc.string({ unit: 'binary', maxLength: 200 })), (t) => {
      readMemory([
        { name: 'insights.md', text: t },
        { name: 'performance-data.md', text: t },
        { name: 'technical-architecture.md', text: t },
        { name: 'workflows.md', text: t },
      ]);
      parseHistory(t);
      parseLighthouseHistory(t);
    }),
    { numRuns: RUNS },
  );
});
