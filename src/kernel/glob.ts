/**
 * Globs a workspace writes (.perfauditrc.json `ignore`, bundle budgets, package.json `workspaces`,
 * nginx `include`, hosting header rules) matched in linear time: each glob becomes an RE2 pattern
 * (kernel/regex.ts). A backtracking glob engine takes minutes on `*a*a*a*a*a*a*a*a*a*a*a*a*b` against
 * a 40-character path; RE2 takes microseconds.
 *
 * Syntax (picomatch's, which users know): `**` (any folders, as a whole path segment), `*` and `?`
 * (within a segment), `[abc]` / `[!abc]` / `[a-z]`, `{a,b}` (nestable), `\` escapes, a leading `!`
 * negates. Dot-files match like any other file.
 */
import { linearRegex, type LinearRegex } from './regex.js';

const SPECIAL = /[.+^$(){}|[\]\\*?]/;

function escapeChar(c: string): string {
  return SPECIAL.test(c) ? `\\${c}` : c;
}

/** The end of a `[...]` class starting at `i` (index after `]`), or -1 when it is not closed. */
function classEnd(glob: string, i: number): number {
  let j = i + 1;
  if (glob[j] === '!' || glob[j] === '^') j++;
  if (glob[j] === ']') j++;
  for (; j < glob.length; j++) {
    if (glob[j] === '\\') j++;
    else if (glob[j] === ']') return j + 1;
  }
  return -1;
}

/** The end of a `{...}` group starting at `i` (index after `}`), and its top-level alternatives; undefined when not closed. */
function braceGroup(glob: string, i: number): { end: number; alternatives: string[] } | undefined {
  let depth = 0;
  let start = i + 1;
  const alternatives: string[] = [];
  for (let j = i; j < glob.length; j++) {
    const c = glob[j];
    if (c === '\\') j++;
    else if (c === '[') {
      const e = classEnd(glob, j);
      if (e > 0) j = e - 1;
    } else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        alternatives.push(glob.slice(start, j));
        return alternatives.length > 1 ? { end: j + 1, alternatives } : undefined;
      }
    } else if (c === ',' && depth === 1) {
      alternatives.push(glob.slice(start, j));
      start = j + 1;
    }
  }
  return undefined;
}

/** The end of a `(...)` group starting at `i` (index after `)`), or -1. */
function parenEnd(glob: string, i: number): number {
  let depth = 0;
  for (let j = i; j < glob.length; j++) {
    if (glob[j] === '\\') j++;
    else if (glob[j] === '(') depth++;
    else if (glob[j] === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

/** `text` split at `sep` outside parentheses, brackets and braces. */
function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let j = 0; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (c === sep && depth === 0) {
      out.push(text.slice(start, j));
      start = j + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/**
 * The glob as an (unanchored) RE2 pattern body. `depth` bounds brace nesting (a hostile glob is
 * bounded by its length anyway). `posix`: the shell's glob (nginx `include`): no braces, `**` is `*`,
 * and a wildcard does not match a leading dot.
 */
export function globToPattern(glob: string, depth = 0, posix = false): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    // Extglobs (Firebase uses them): @(a|b) one of, ?(…) at most one, *(…) any number, +(…) at least
    // one; !(…) (anything but) cannot be expressed in RE2 and matches like `*`.
    if (!posix && depth < 10 && '@?*+!'.includes(c) && glob[i + 1] === '(') {
      const close = parenEnd(glob, i + 1);
      if (close > 0) {
        const inner = splitTopLevel(glob.slice(i + 2, close - 1), '|').map((a) => globToPattern(a, depth + 1, posix)).join('|');
        out += c === '!' ? '[^/]*' : `(?:${inner})${c === '@' ? '' : c}`;
        i = close - 1;
        continue;
      }
    }
    if (c === '\\') {
      out += i + 1 < glob.length ? escapeChar(glob[++i]) : '\\\\';
    } else if (c === '*') {
      let j = i;
      while (glob[j + 1] === '*') j++;
      const doubled = j > i;
      const segmentStart = i === 0 || glob[i - 1] === '/';
      const segmentEnd = j + 1 === glob.length || glob[j + 1] === '/';
      if (posix) {
        // A name's leading dot is matched only by a literal dot.
        out += segmentStart ? '(?:[^/.][^/]*)?' : '[^/]*';
        i = j;
      } else if (doubled && segmentStart && segmentEnd) {
        if (j + 1 === glob.length) {
          // `a/**` also matches `a`; `**` alone matches everything.
          if (out.endsWith('/')) out = `${out.slice(0, -1)}(?:/.*)?`;
          else out += '.*';
          i = j;
        } else {
          // `**/` : any number of folders, none included.
          out += '(?:.*/)?';
          i = j + 1;
        }
      } else {
        out += '[^/]*';
        i = j;
      }
    } else if (c === '?') {
      out += posix && (i === 0 || glob[i - 1] === '/') ? '[^/.]' : '[^/]';
    } else if (c === '[') {
      const e = classEnd(glob, i);
      if (e < 0) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, e - 1);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      const cls = body.replace(/\\(.)/g, '$1').replace(/[\\\]^[]/g, '\\$&');
      out += negate ? `[^/${cls}]` : `[${cls}]`;
      i = e - 1;
    } else if (c === '{' && depth < 10 && !posix) {
      const g = braceGroup(glob, i);
      if (!g) {
        out += '\\{';
        continue;
      }
      out += `(?:${g.alternatives.map((a) => globToPattern(a, depth + 1, posix)).join('|')})`;
      i = g.end - 1;
    } else {
      out += escapeChar(c);
    }
  }
  return out;
}

export interface GlobOptions {
  /** Match ignoring case (nginx on case-insensitive file systems, hosting paths). */
  nocase?: boolean;
  /** The shell's glob (nginx `include`): see globToPattern. */
  posix?: boolean;
}

/** Longer globs than this are not compiled: they match nothing (a settings file is refused the rest). */
export const MAX_GLOB_LENGTH = 1000;

/** A matcher for one glob or any of several (a leading `!` negates that glob). Paths use `/`. */
export function globMatcher(globs: string | readonly string[], opts: GlobOptions = {}): (path: string) => boolean {
  const list = typeof globs === 'string' ? [globs] : globs;
  const positive: string[] = [];
  const negative: LinearRegex[] = [];
  for (const raw of list) {
    if (raw.length > MAX_GLOB_LENGTH) continue;
    const g = raw.replace(/^\.\//, '');
    if (!opts.posix && g.startsWith('!') && g.length > 1) {
      const re = linearRegex(`^(?:${globToPattern(g.slice(1).replace(/^\.\//, ''), 0, opts.posix)})$`, { caseInsensitive: opts.nocase ?? false });
      if (re) negative.push(re);
    } else positive.push(globToPattern(g, 0, opts.posix));
  }
  // One RE2 program for all positive globs: one linear pass per path.
  const any = positive.length ? linearRegex(`^(?:${positive.join('|')})$`, { caseInsensitive: opts.nocase ?? false, maxLength: Infinity }) : undefined;
  return (path) => {
    // A folder given with its trailing slash matches as the folder (`dist/` by `**/dist/**`).
    const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    return !!any?.test(p) || negative.some((n) => !n.test(p));
  };
}
