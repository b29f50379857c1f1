/**
 * Patterns a workspace writes (nginx `location ~`, Apache `<FilesMatch>`, hosting header rules) run
 * on RE2 (re2js): matching time is linear in the input whatever the pattern, so `^(a+)+$` cannot hang
 * an audit. What RE2 cannot express (look-around, back-references) is reported as unreadable and the
 * caller judges without it — never a guess.
 */
import type { RE2JS as RE2JSClass } from 're2js';

export interface LinearRegex {
  /** Like RegExp.prototype.test: the pattern matches somewhere in `input`. */
  test(input: string): boolean;
}

/** Patterns longer than this are not compiled (RE2's program grows with the pattern). */
export const MAX_PATTERN_LENGTH = 2000;

let re2: typeof RE2JSClass | undefined;

/** re2js (~150 KB) loads on the first pattern: an audit without nginx, Apache or hosting rules never pays for it. */
function engine(): typeof RE2JSClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy require: esbuild defers the module's evaluation to this call
  re2 ??= (require('re2js') as typeof import('re2js')).RE2JS;
  return re2;
}

/** Compiled patterns by flags + pattern (a config repeats the same location regex thousands of times). */
const compiled = new Map<string, LinearRegex | undefined>();
const MAX_COMPILED = 2000;

export function linearRegex(pattern: string, opts: { caseInsensitive?: boolean; maxLength?: number } = {}): LinearRegex | undefined {
  if (pattern.length > (opts.maxLength ?? MAX_PATTERN_LENGTH)) return undefined;
  const key = `${opts.caseInsensitive ? 'i' : '-'}${pattern}`;
  if (compiled.has(key)) return compiled.get(key);
  const RE2JS = engine();
  let result: LinearRegex | undefined;
  try {
    const re = RE2JS.compile(pattern, opts.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
    result = { test: (input) => re.matcher(input).find() };
  } catch {
    result = undefined;
  }
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, result);
  return result;
}
