/**
 * Property-based tests (fast-check): updates of the memory files never lose or change user text.
 *
 * Random markdown documents (target headings at random levels, bullets, tables, code fences,
 * stray/garbage markers, "Last updated" lines, unicode, CRLF/LF mix, BOM, missing final newline)
 * get random sequences of insights / performance-data updates (random audits and dates), applied
 * to the same document. The oracle below is independent of the implementation (it does not parse
 * sections or fences) and checks after every step:
 *  (a)+(c) the original's lines, in order and byte-identical, are all in the result, except lines
 *      that may be inside an original marker block (between a begin and an end marker line); the
 *      only other differences are our own lines (our marker blocks, blank lines, the headings we
 *      add, a `Last updated: <date>` line) and at most one rewritten `Last updated` date;
 *  (b) each update is idempotent;
 *  plus BOM and trailing-newline state kept, history and Last updated parse back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseHistory, readMemory } from '../../../src/core/memory/memory.js';
import { apply, checkPreserved, docArb, opArb, opDate, rawLines } from './memory-gen.js';

const RUNS = Number(process.env.FC_RUNS ?? 300);

test('property: user text is preserved, updates are idempotent, BOM/trailing newline kept', () => {
  fc.assert(
    fc.property(docArb, fc.array(opArb, { minLength: 1, maxLength: 4 }), (original, ops) => {
      let cur = original;
      const dates: string[] = [];
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
        // what we wrote reads back
        if (op.kind === 'perf') {
          const h = parseHistory(next);
          const last = h.filter((e) => e.date === opDate(op)).pop();
          assert.ok(last, 'history row present');
          const s = op.entry.score;
          assert.equal(last.score, Number.isFinite(s) ? Math.round(s) : null);
          assert.equal(last.fail, op.entry.items.filter((i) => i.status === 'fail').length);
          assert.deepEqual(last.failing.map((f) => f.id), op.entry.items.filter((i) => i.status === 'fail').map((i) => i.id));
          assert.ok(h.length <= op.maxRows);
        } else {
          assert.equal(readMemory([{ name: 'insights.md', text: next }]).insights.lastUpdated, opDate(op));
        }
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
    }),
    { numRuns: RUNS },
  );
});
