/** Edits that add a long-lived Cache-Control rule to a hosting config, in the file's own style. */
import { applyEdits, format, modify, parseTree, findNodeAtLocation, type JSONPath } from 'jsonc-parser';
import type { Span } from '../../kernel/model.js';
import { IMMUTABLE_VALUE } from './cache-control.js';
import type { HostingArtifact, HostingSite } from './model.js';
import { tooDeeplyNested } from '../../kernel/json.js';
import { endsWithBlankLine } from '../../kernel/linear.js';

export interface TextEditSpan {
  span: Span;
  newText: string;
}

/** One edit turning `before` into `after` (common prefix and suffix kept). */
export function minimalEdit(before: string, after: string): TextEditSpan {
  let s = 0;
  const max = Math.min(before.length, after.length);
  while (s < max && before.charCodeAt(s) === after.charCodeAt(s)) s++;
  let e = 0;
  while (e < max - s && before.charCodeAt(before.length - 1 - e) === after.charCodeAt(after.length - 1 - e)) e++;
  return { span: { start: s, end: before.length - e }, newText: after.slice(s, after.length - e) };
}

function eolOf(text: string): string {
  return /\r\n/.test(text.slice(0, 4096)) ? '\r\n' : '\n';
}

/** Indentation of the JSON file: tabs, or the smallest indent of an indented line (2 by default). */
function jsonIndent(text: string): { insertSpaces: boolean; tabSize: number } {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return { insertSpaces: true, tabSize: 2 };
  if (m[1].startsWith('\t')) return { insertSpaces: false, tabSize: 1 };
  return { insertSpaces: true, tabSize: m[1].length };
}

/** Inserts values into JSON at paths (array insertions where the last segment is a number), keeping formatting elsewhere. */
function jsonInsert(text: string, inserts: { path: JSONPath; value: unknown; arrayInsertion: boolean }[]): string {
  const eol = eolOf(text);
  const indent = jsonIndent(text);
  let out = text;
  for (const ins of inserts) {
    const edits = modify(out, ins.path, ins.value, { isArrayInsertion: ins.arrayInsertion });
    out = applyEdits(out, edits);
    for (const e of edits) {
      if (!e.content) continue;
      out = applyEdits(out, format(out, { offset: e.offset, length: e.content.length }, { ...indent, eol }));
    }
  }
  return out;
}

function arrayLength(text: string, path: JSONPath): number | undefined {
  const root = tooDeeplyNested(text) ? undefined : parseTree(text);
  if (!root) return undefined;
  const n = findNodeAtLocation(root, path);
  return n?.type === 'array' ? n.children?.length ?? 0 : undefined;
}

/** Inserts values before the first element of a non-empty JSON array, on lines of their own at its indentation. */
function insertFirst(text: string, path: JSONPath, values: unknown[]): TextEditSpan | undefined {
  const root = tooDeeplyNested(text) ? undefined : parseTree(text);
  const arr = root && findNodeAtLocation(root, path);
  const first = arr?.type === 'array' ? arr.children?.[0] : undefined;
  if (!first) return undefined;
  const lineStart = text.lastIndexOf('\n', first.offset - 1) + 1;
  const lead = text.slice(lineStart, first.offset);
  if (/\S/.test(lead)) return undefined;
  const { insertSpaces, tabSize } = jsonIndent(text);
  const unit = insertSpaces ? ' '.repeat(tabSize) : '\t';
  const eol = eolOf(text);
  const body = values.map((v) => JSON.stringify(v, null, unit).split('\n').join(eol + lead)).join(`,${eol}${lead}`);
  return { span: { start: first.offset, end: first.offset }, newText: `${body},${eol}${lead}` };
}

/** vercel.json: a `headers` entry per folder (or a legacy `routes` entry first in the list). */
export function vercelFix(text: string, artifact: HostingArtifact, dirs: string[]): TextEditSpan | undefined {
  if (artifact.legacyRoutes) {
    return insertFirst(text, ['routes'], dirs.map((d) => ({ src: `^${d.replace(/[.$^]/g, '\\$&')}(.*)$`, headers: { 'cache-control': IMMUTABLE_VALUE }, continue: true })));
  }
  let n = arrayLength(text, ['headers']);
  const inserts = dirs.map((d) => {
    const value = { source: `${d}(.*)`, headers: [{ key: 'Cache-Control', value: IMMUTABLE_VALUE }] };
    if (n === undefined) {
      n = 1;
      return { path: ['headers'] as JSONPath, value: [value], arrayInsertion: false };
    }
    return { path: ['headers', n++] as JSONPath, value, arrayInsertion: true };
  });
  return minimalEdit(text, jsonInsert(text, inserts));
}

/** firebase.json: a `hosting.headers` entry per folder (`/assets/**`). */
export function firebaseFix(text: string, site: HostingSite, dirs: string[]): TextEditSpan | undefined {
  const base: JSONPath = site.index === undefined ? ['hosting'] : ['hosting', site.index];
  let n = arrayLength(text, [...base, 'headers']);
  const inserts = dirs.map((d) => {
    const value = { source: `${d}**`, headers: [{ key: 'Cache-Control', value: IMMUTABLE_VALUE }] };
    if (n === undefined) {
      n = 1;
      return { path: [...base, 'headers'] as JSONPath, value: [value], arrayInsertion: false };
    }
    return { path: [...base, 'headers', n++] as JSONPath, value, arrayInsertion: true };
  });
  return minimalEdit(text, jsonInsert(text, inserts));
}

function appendText(text: string, block: string[]): TextEditSpan {
  const eol = eolOf(text);
  let lead = '';
  if (text.trim()) {
    if (!/\r?\n$/.test(text)) lead = eol + eol;
    else if (!endsWithBlankLine(text)) lead = eol;
  }
  return { span: { start: text.length, end: text.length }, newText: lead + block.join(eol) + eol };
}

/** netlify.toml: a `[[headers]]` table per folder, appended. */
export function netlifyTomlFix(text: string, dirs: string[]): TextEditSpan {
  const lines: string[] = [];
  dirs.forEach((d, i) => {
    if (i) lines.push('');
    lines.push('[[headers]]', `  for = "${d}*"`, '  [headers.values]', `    Cache-Control = "${IMMUTABLE_VALUE}"`);
  });
  return appendText(text, lines);
}

/** `_headers`: a path line per folder with an indented Cache-Control line, appended. */
export function headersFileFix(text: string, dirs: string[]): TextEditSpan {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  const lines: string[] = [];
  dirs.forEach((d, i) => {
    if (i) lines.push('');
    lines.push(`${d}*`, `${indent}Cache-Control: ${IMMUTABLE_VALUE}`);
  });
  return appendText(text, lines);
}

/** The replacement text of a Cache-Control value written with `quote`. */
export function quotedValue(value: string, quote: 'json' | 'toml' | 'raw'): string {
  return quote === 'raw' ? value : JSON.stringify(value);
}
