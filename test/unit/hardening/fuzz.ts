/**
 * Shared pieces of the parser property tests (parsers.property.test.ts, readers.property.test.ts):
 * text generators that mix a language's own tokens with random strings (so that generated input
 * reaches deep parser states, not only the first "unexpected character"), and a per-call time check.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';

/** Per call: generous, CI machines are slow. A linear parser takes a few ms on these inputs. */
export const BUDGET_MS = 500;
/** Runs per property (FC_RUNS=5000 for a longer local search). */
export const RUNS = Number(process.env.FC_RUNS ?? 300);
/**
 * fast-check parameters of every property: RUNS runs, and at most two minutes in all, shrinking
 * included (a counterexample whose every run is slow would otherwise shrink for a very long time).
 */
export const PARAMS = { numRuns: RUNS, interruptAfterTimeLimit: 120_000, markInterruptAsFailure: true };
/** Generated texts are cut to this length ("a few KB"). */
export const MAX_CHARS = 6000;

/**
 * Calls `fn`, asserts it returned within BUDGET_MS; returns its value. Any exception propagates (the
 * property fails). A call over the budget is measured once more and the faster time counts: a GC
 * pause or a busy CI machine is not a finding, an input that is slow to parse is slow twice. (The
 * tests call parsers without their caches, so the second call does the same work.)
 */
export function timed<T>(what: string, fn: () => T): T {
  let t0 = performance.now();
  const value = fn();
  let ms = performance.now() - t0;
  if (ms >= BUDGET_MS) {
    t0 = performance.now();
    fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  assert.ok(ms < BUDGET_MS, `${what} took ${ms.toFixed(0)} ms (budget ${BUDGET_MS} ms)`);
  return value;
}

/**
 * Like `timed`, for readers documented to throw one error class: an error passing `allowed` is
 * returned, any other fails the property. The time check holds for the throwing calls too.
 */
export function timedThrows<T>(what: string, allowed: (e: unknown) => boolean, fn: () => T): { value?: T; error?: Error } {
  return timed(what, () => {
    try {
      return { value: fn() };
    } catch (e) {
      assert.ok(allowed(e), `${what} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      return { error: e as Error };
    }
  });
}

/** Any UTF-16 code unit: NUL, control characters, lone surrogates. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
/** Random strings: printable ASCII, any code point, raw code units. */
export const noise: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.string({ unit: codeUnit, maxLength: 3 }),
);
const blank = fc.constantFrom(' ', ' ', ' ', '\n', '\n', '\t', '\r\n', '\r', '    ');

/**
 * Text of a language: its tokens, blank space and some noise, concatenated; one time in five a run of
 * pieces repeated up to a few KB (quadratic scans and deep nesting show there), then more text.
 */
export function textOf(tokens: readonly string[], { maxTokens = 300 }: { maxTokens?: number } = {}): fc.Arbitrary<string> {
  const piece = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...tokens) }, { weight: 4, arbitrary: blank }, { weight: 1, arbitrary: noise });
  // 'medium': up to ~100 pieces most of the time (the default size keeps arrays to ~10 items)
  const plain = fc.array(piece, { maxLength: maxTokens, size: 'medium' }).map((a) => a.join(''));
  const short = fc.array(piece, { maxLength: 20 }).map((a) => a.join(''));
  const repeated = fc
    .tuple(short, fc.array(piece, { minLength: 1, maxLength: 10 }), fc.integer({ min: 2, max: 1500 }), short)
    .map(([head, unit, n, tail]) => head + unit.join('').repeat(n).slice(0, MAX_CHARS) + tail);
  return fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: repeated }).map((t) => t.slice(0, MAX_CHARS));
}

const damage = fc.constantFrom('', ',', ':', '{', '}', '[', ']', '"', "'", '\\', '//x\n', '/*', '*/', '\u0000', 'null', '-', '1e999', '\n');

/**
 * JSON text built from `keys` and `leaves` (so readers find the members they look for, nested at
 * random), pretty-printed or not; one time in three damaged: cut short, or a stray token spliced in.
 */
export function jsonTextOf(keys: readonly string[], leaves: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  const leaf = fc.oneof({ weight: 4, arbitrary: leaves }, { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 })) });
  const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
  const { value, object } = fc.letrec<{ value: unknown; object: unknown }>((tie) => ({
    value: fc.oneof({ depthSize: 'medium', maxDepth: 5 }, leaf, fc.array(tie('value'), { maxLength: 5 }), tie('object')),
    object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  }));
  // mostly an object at the top, as in the files read
  const root = fc.oneof({ weight: 4, arbitrary: object }, { weight: 1, arbitrary: value });
  const text = fc.tuple(root, fc.constantFrom(undefined, 2)).map(([v, indent]) => JSON.stringify(v, null, indent) ?? 'null');
  const damaged = fc.tuple(text, fc.nat(), fc.nat(), damage).map(([t, at, cut, ins]) => {
    const i = at % (t.length + 1);
    return cut % 2 ? t.slice(0, i) : t.slice(0, i) + ins + t.slice(i);
  });
  return fc.oneof({ weight: 2, arbitrary: text }, { weight: 1, arbitrary: damaged }).map((t) => t.slice(0, MAX_CHARS));
}

/** Runs `fn` once untimed (module loading, JIT warm-up) so that the first timed call measures the parser. */
export function warm(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // documented errors: only the warm-up matters here
  }
}

/**
 * Valid-looking text from a generator, one time in two damaged by a few edits (a slice deleted, a
 * token or random string inserted): parsers see both what they accept and near misses of it.
 */
export function mutated(valid: fc.Arbitrary<string>, tokens: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.oneof(fc.constantFrom('', ...tokens), noise));
  return fc.tuple(valid, fc.array(edit, { maxLength: 3 }), fc.boolean()).map(([text, edits, keep]) => {
    if (keep) return text.slice(0, MAX_CHARS);
    let t = text;
    for (const [at, del, ins] of edits) {
      const i = at % (t.length + 1);
      t = t.slice(0, i) + ins + t.slice(i + del);
    }
    return t.slice(0, MAX_CHARS);
  });
}
