/**
 * JSON from workspace files, bounded: nesting deeper than MAX_JSON_DEPTH is refused before any
 * parser sees it (jsonc-parser and our walks recurse per level), and error messages give a position,
 * never a quote of the text (a linked /etc/passwd must not reach a report through "Unexpected token").
 */

export const MAX_JSON_DEPTH = 200;

/** The offset where `{`/`[` nesting passes `limit` (outside strings and comments), or -1. Linear. */
export function deepNestingAt(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34 || d === 10) break;
      }
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const n = text.indexOf('\n', i);
      i = n < 0 ? text.length : n;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const n = text.indexOf('*/', i + 2);
      i = n < 0 ? text.length : n + 1;
    } else if (c === 123 || c === 91) {
      if (++depth > limit) return i;
    } else if (c === 125 || c === 93) depth = Math.max(0, depth - 1);
  }
  return -1;
}

export function tooDeeplyNested(text: string): boolean {
  return deepNestingAt(text) >= 0;
}

export class JsonTextError extends Error {}

/** Line and column (1-based) of an offset. */
function lineColumn(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return `line ${line}, column ${offset - last}`;
}

/** A JSON.parse error as a message with a position and no text of the file. */
export function jsonErrorMessage(e: unknown, text: string): string {
  const m = e instanceof Error ? e.message : '';
  const pos = /position (\d+)/.exec(m);
  if (pos) return `not valid JSON at ${lineColumn(text, Number(pos[1]))}`;
  if (/end of JSON input/i.test(m)) return 'not valid JSON: it ends too early (truncated?)';
  return 'not valid JSON';
}

/** JSON.parse for workspace text: throws JsonTextError with a safe message for invalid or too deeply nested JSON. */
export function parseJsonText(text: string): unknown {
  const deep = deepNestingAt(text);
  if (deep >= 0) throw new JsonTextError(`nested more than ${MAX_JSON_DEPTH} levels deep (at ${lineColumn(text, deep)}); not read`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new JsonTextError(jsonErrorMessage(e, text));
  }
}
