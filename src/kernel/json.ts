/**
 * JSON from workspace files, bounded: nesting deeper than MAX_JSON_DEPTH is refused before any
 * parser sees it (jsonc-parser and our walks recurse per level), and error messages give a position,
 * never a quote of the text (a linked /etc/passwd must not reach a report through "Unexpected token").
 */
import { nestingOverAt } from './text.js';

export const MAX_JSON_DEPTH = 200;

/** The offset where `{`/`[` nesting passes `limit` (outside strings and comments), or -1. Linear. */
export function deepNestingAt(text: string, limit = MAX_JSON_DEPTH): number {
  return nestingOverAt(text, limit, { quotes: '"', stringEndsAtNewline: true, parens: false });
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
