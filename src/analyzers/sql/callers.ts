/**
 * Who calls a named function, found by name in the code files of the workspace: enough to tell that
 * every caller of a helper is background code (a queue task) without a call graph. Name matching
 * over-approximates callers (any call of that name counts), which only ever keeps a finding louder.
 */
import type { ParsedSqlFile } from './analyze.js';

/** Names too generic to find callers by (a call of `list(` says nothing about which `list`). */
const MIN_NAME = 8;

const cache = new WeakMap<readonly ParsedSqlFile[], Map<string, string[] | undefined>>();

const isIdent = (c: string | undefined): boolean => c !== undefined && /[\w$]/.test(c);

/** Occurrences of `name(` (or `name (`) as a whole identifier in `text`. */
function callsIn(text: string, name: string): number {
  let n = 0;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    if (isIdent(text[at - 1]) || isIdent(text[at + name.length])) continue;
    let k = at + name.length;
    while (text[k] === ' ') k++;
    if (text[k] === '(' || (text[k] === '<' && text[at - 1] === '.')) n++;
  }
  return n;
}

/**
 * The code files, other than `defining`, that call `name`; undefined when the name is too generic,
 * when `defining` itself calls it besides defining it, or when no caller is found (exported for a
 * caller the workspace does not hold, or called through a reference).
 */
export function callersOf(allFiles: readonly ParsedSqlFile[], textOf: (path: string) => string | undefined, name: string, defining: string): string[] | undefined {
  if (name.length < MIN_NAME) return undefined;
  let byName = cache.get(allFiles);
  if (!byName) cache.set(allFiles, (byName = new Map()));
  const key = `${defining}\u0000${name}`;
  if (byName.has(key)) return byName.get(key);
  let result: string[] | undefined = [];
  for (const f of allFiles) {
    if (f.kind !== 'code') continue;
    const text = textOf(f.path);
    if (text === undefined || !text.includes(name)) continue;
    const n = callsIn(text, name);
    if (f.path === defining) {
      // The definition (`name(…) {`, `function name(`) reads like a call once; more is a call from its own file.
      if (n > 1) {
        result = undefined;
        break;
      }
    } else if (n > 0) result.push(f.path);
  }
  if (result && !result.length) result = undefined;
  byName.set(key, result);
  return result;
}
