/**
 * Linear-time stand-ins for regex idioms that backtrack, or rescan the rest of the text from every
 * start position, on long input (eslint's regexp/no-super-linear-backtracking and
 * regexp/no-super-linear-move). Workspace files are attacker-controlled: each function answers
 * exactly what the regex named in its comment answers, in one pass.
 */

/** `\s` of a JavaScript regex: WhiteSpace and LineTerminator (the characters String.prototype.trim removes). */
export function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** A line terminator: what `.` does not match, where `^` and `$` (flag m) stop. */
export function isLineTerminatorCode(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** Whether `s` has a line terminator at or after `from`. */
export function hasLineTerminator(s: string, from = 0): boolean {
  for (let i = from; i < s.length; i++) if (isLineTerminatorCode(s.charCodeAt(i))) return true;
  return false;
}

/**
 * `s.replace(/[<chars>].*$/, '')` (no m flag; `chars` holds no line terminator): `s` cut at the
 * first of `chars` after its last line terminator (`.*` cannot cross one to reach the end).
 */
export function cutTail(s: string, chars: string): string {
  let from = s.length;
  while (from > 0 && !isLineTerminatorCode(s.charCodeAt(from - 1))) from--;
  for (let i = from; i < s.length; i++) if (chars.includes(s[i])) return s.slice(0, i);
  return s;
}

/** Start of the longest run at the end of `s.slice(0, end)` whose characters all pass `inRun` (`end` when there is none). */
export function runStartBefore(s: string, end: number, inRun: (c: number) => boolean): number {
  let i = end;
  while (i > 0 && inRun(s.charCodeAt(i - 1))) i--;
  return i;
}

/** `s.replace(/<ch>+$/, '')` for one character `ch` (`/\/+$/` → `trimEndChar(s, '/')`). */
export function trimEndChar(s: string, ch: string): string {
  const code = ch.charCodeAt(0);
  return s.slice(0, runStartBefore(s, s.length, (c) => c === code));
}

/** `/\r?\n\s*\r?\n$/.test(text)`: the text ends with a newline after a line of only whitespace. */
export function endsWithBlankLine(text: string): boolean {
  if (!text.endsWith('\n')) return false;
  for (let i = text.length - 2; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (!isSpaceCode(c)) return false;
  }
  return false;
}

/**
 * `/<head>[^<X>]*[<A>]/.test(text)` with `stops` = X ∪ A and `accept` = A: whether some match of
 * `head` (a global regex) is followed, at the first character of `stops` after it, by one of
 * `accept`. The regex scans on from every match of `head` (quadratic when matches are many and stops
 * rare); here the first stop after a match is found once and shared by the matches before it.
 * `head`'s matches must not overlap (e.g. words behind `\b`), so that exec() sees every one.
 */
export function someFollowedBy(text: string, head: RegExp, stops: string, accept: string): boolean {
  head.lastIndex = 0;
  let stop = -1;
  for (let m = head.exec(text); m; m = head.exec(text)) {
    const e = m.index + m[0].length;
    if (stop < e) {
      stop = e;
      while (stop < text.length && !stops.includes(text[stop])) stop++;
    }
    if (stop < text.length && accept.includes(text[stop])) {
      head.lastIndex = 0;
      return true;
    }
    if (!m[0]) head.lastIndex++;
  }
  return false;
}
