/**
 * netlify.toml: parsed with smol-toml (values and syntax errors with line/column) plus a line scan
 * that locates `[[headers]]` tables, their `for` path and `Cache-Control` value, and `[build]`, so
 * findings and edits land on the exact text. The scan skips multi-line strings and reads the
 * common forms (`[headers.values]` tables, inline `values = { … }`, dotted `values.X = …` keys).
 */
import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };
import type { Span } from '../../kernel/model.js';
import type { HeaderRule, HostingArtifact, HostingProblem, HostingSite } from './model.js';
import { linesWithOffsets } from '../../kernel/text.js';
import { cutTail, hasLineTerminator, isSpaceCode, runStartBefore } from '../../kernel/linear.js';

interface ScannedValue {
  value: string;
  span: Span;
}

interface HeadersBlock {
  header: Span;
  forValue?: ScannedValue;
  cacheControl?: ScannedValue;
}

interface Scan {
  blocks: HeadersBlock[];
  build?: Span;
  firstLine?: Span;
}

/**
 * A table header line (`[build]`, `[[headers]]`, `[ "a.b" ]  # note`): its opening bracket(s) and
 * name — what `/^\s*(\[\[?)\s*((?:"[^"]*"|'[^']*'|[^\]"'])+?)\s*(\]\]?)\s*(?:#.*)?$/.exec(line)` gives
 * as [1] and [2], without that regex's backtracking. The name runs, quotes skipped whole, to the first
 * `]` outside quotes, with the spaces around it left out; after that `]`: `]`?, spaces, a comment.
 */
export function tableHeader(line: string): { open: '[' | '[['; name: string } | undefined {
  const n = line.length;
  let i = 0;
  while (i < n && isSpaceCode(line.charCodeAt(i))) i++;
  if (line[i] !== '[') return undefined;
  const open = line[i + 1] === '[' ? '[[' : '[';
  const a = i + open.length;
  let p = a;
  while (p < n && isSpaceCode(line.charCodeAt(p))) p++;
  let r = p;
  while (r < n && line[r] !== ']') {
    if (line[r] === '"' || line[r] === "'") {
      const close = line.indexOf(line[r], r + 1);
      if (close < 0) return undefined;
      r = close + 1;
    } else r++;
  }
  if (r >= n) return undefined;
  let k = r + 1;
  if (line[k] === ']') k++;
  while (k < n && isSpaceCode(line.charCodeAt(k))) k++;
  if (k < n && (line[k] !== '#' || hasLineTerminator(line, k + 1))) return undefined;
  if (r > p) return { open, name: line.slice(p, r).trimEnd() };
  // Nothing but spaces before the `]`: the name is the last space, else (`[[]`) the second `[`.
  if (p > a) return { open, name: line[p - 1] };
  return open === '[[' ? { open: '[', name: '[' } : undefined;
}

const KEY = /^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=\s*/;

function normKey(k: string): string {
  return splitDottedKey(k).map((p) => p.trim().replace(/^["']|["']$/g, '')).join('.').toLowerCase();
}

/**
 * `k.split(/\s*\.\s*(?=(?:[^"']|"[^"]*"|'[^']*')*$)/)` in linear time: split at each `.` (with the
 * spaces around it) whose rest of the key has its quotes closed. The regex re-reads the rest from
 * every dot; here `closed[x]` (the rest from x reads as closed quotes) is computed once from the end.
 */
export function splitDottedKey(k: string): string[] {
  if (!k.includes('.')) return [k];
  const n = k.length;
  const quoted = k.includes('"') || k.includes("'");
  const closed = new Uint8Array(quoted ? n + 1 : 0);
  closed[n] = 1;
  let nextDouble = -1;
  let nextSingle = -1;
  for (let x = quoted ? n - 1 : -1; x >= 0; x--) {
    if (k[x] === '"') {
      closed[x] = nextDouble >= 0 ? closed[nextDouble + 1] : 0;
      nextDouble = x;
    } else if (k[x] === "'") {
      closed[x] = nextSingle >= 0 ? closed[nextSingle + 1] : 0;
      nextSingle = x;
    } else closed[x] = closed[x + 1];
  }
  const parts: string[] = [];
  let p = 0;
  for (let d = k.indexOf('.'); d >= 0; d = k.indexOf('.', d + 1)) {
    if (quoted && !closed[d + 1]) continue;
    const q = Math.max(p, runStartBefore(k, d, isSpaceCode));
    let e = d + 1;
    while (e < n && isSpaceCode(k.charCodeAt(e))) e++;
    parts.push(k.slice(p, q));
    p = e;
    d = e - 1;
  }
  parts.push(k.slice(p));
  return parts;
}

/** `s.replace(/\s*#.*$/, '')`: a trailing `#` comment left out with the spaces before it. */
function withoutComment(s: string): string {
  const cut = cutTail(s, '#');
  return cut.length === s.length ? s : cut.trimEnd();
}

/** A string value starting at `at` (basic or literal, single-line). */
function stringAt(text: string, at: number, end: number): ScannedValue | undefined {
  const q = text[at];
  if (q !== '"' && q !== "'") return undefined;
  if (text.startsWith(q.repeat(3), at)) return undefined;
  let value = '';
  for (let i = at + 1; i < end; i++) {
    const c = text[i];
    if (q === '"' && c === '\\' && i + 1 < end) {
      const n = text[i + 1];
      value += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      i++;
      continue;
    }
    if (c === q) return { value, span: { start: at, end: i + 1 } };
    value += c;
  }
  return undefined;
}

function scan(text: string): Scan {
  const out: Scan = { blocks: [] };
  let ctx: 'headers' | 'values' | 'build' | 'other' | 'root' = 'root';
  let multiline: string | undefined;
  for (const { line, start, end: lineEnd } of linesWithOffsets(text)) {
    if (multiline) {
      if (line.includes(multiline)) multiline = undefined;
      continue;
    }
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const lead = line.length - line.trimStart().length;
    out.firstLine ??= { start: start + lead, end: lineEnd };
    const t = tableHeader(line);
    if (t) {
      const name = normKey(t.name);
      const hspan = { start: start + lead, end: start + withoutComment(line.trimEnd()).length };
      if (t.open === '[[' && name === 'headers') {
        out.blocks.push({ header: hspan });
        ctx = 'headers';
      } else if (t.open === '[' && name === 'headers.values' && out.blocks.length) ctx = 'values';
      else if (t.open === '[' && name === 'build') {
        out.build ??= hspan;
        ctx = 'build';
      } else ctx = 'other';
      continue;
    }
    const k = KEY.exec(line);
    if (k) {
      const key = normKey(k[1]);
      const vAt = start + k[0].length;
      const rest = line.slice(k[0].length);
      const triple = /^("""|''')/.exec(rest);
      if (triple && !rest.slice(3).includes(triple[1])) multiline = triple[1];
      const block = out.blocks[out.blocks.length - 1];
      if (block && ctx === 'headers') {
        if (key === 'for') block.forValue = stringAt(text, vAt, lineEnd) ?? block.forValue;
        else if (key === 'values.cache-control') block.cacheControl = stringAt(text, vAt, lineEnd) ?? block.cacheControl;
        else if (key === 'values') {
          const m = /(?:^|[{,\s])(?:"cache-control"|'cache-control'|cache-control)\s*=\s*/i.exec(rest);
          if (m) block.cacheControl = stringAt(text, vAt + m.index + m[0].length, lineEnd) ?? block.cacheControl;
        }
      } else if (block && ctx === 'values' && key === 'cache-control') block.cacheControl = stringAt(text, vAt, lineEnd) ?? block.cacheControl;
    }
  }
  return out;
}

// smol-toml ships a CommonJS build (its "require" export); TypeScript only sees its ESM typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: parseToml } = require('smol-toml') as typeof SmolToml;

function offsetOf(text: string, line: number, column: number): number {
  let l = 1;
  let i = 0;
  while (l < line && i < text.length) {
    const n = text.indexOf('\n', i);
    if (n < 0) return text.length;
    i = n + 1;
    l++;
  }
  return Math.min(text.length, i + Math.max(0, column - 1));
}

export function readNetlifyToml(text: string): HostingArtifact {
  const problems: HostingProblem[] = [];
  let data: Record<string, unknown>;
  try {
    data = parseToml(text, { maxDepth: 64 });
  } catch (e) {
    const err = e as { message?: string; line?: number; column?: number };
    let first = (err.message ?? 'syntax error').split('\n')[0].replace(/^Invalid TOML document:\s*/i, '');
    const at = typeof err.line === 'number' ? offsetOf(text, err.line, err.column ?? 1) : 0;
    if (/control characters/.test(first) && (text[at] === '\n' || text[at] === '\r')) first = 'a string is not closed before the end of the line';
    let s = at;
    let end = Math.min(text.length, at + 1);
    if (end === s || text[s] === '\n' || text[s] === '\r') {
      s = Math.max(0, at - 1);
      end = Math.max(s, at);
    }
    problems.push({ message: `netlify.toml is not valid TOML: ${first}. Netlify fails the deploy.`, span: { start: s, end } });
    return { platform: 'netlify', problems, invalid: true, sites: [] };
  }
  const sc = scan(text);
  const parsed = Array.isArray(data.headers) ? (data.headers as unknown[]) : [];
  if (data.headers !== undefined && !Array.isArray(data.headers)) {
    problems.push({ message: 'netlify.toml: "headers" must be an array of tables: write each rule as [[headers]] with a "for" path and [headers.values].', span: sc.firstLine ?? { start: 0, end: 0 } });
  }
  const appendable = parsed.length === 0 ? data.headers === undefined : sc.blocks.length === parsed.length;
  const fallback = sc.blocks[0]?.header ?? sc.build ?? sc.firstLine ?? { start: 0, end: 0 };
  const rules: HeaderRule[] = [];
  parsed.forEach((h, i) => {
    const block = appendable ? sc.blocks[i] : undefined;
    const entry = (h && typeof h === 'object' ? h : {}) as Record<string, unknown>;
    if (typeof entry.for !== 'string') {
      problems.push({ message: 'netlify.toml: this [[headers]] rule has no "for" path, so Netlify ignores it.', span: block?.header ?? fallback });
      return;
    }
    const values = entry.values && typeof entry.values === 'object' ? (entry.values as Record<string, unknown>) : {};
    const ccKey = Object.keys(values).find((k) => k.toLowerCase() === 'cache-control');
    const cc = ccKey !== undefined ? values[ccKey] : undefined;
    const ccValue = Array.isArray(cc) ? cc.join(', ') : typeof cc === 'string' ? cc : undefined;
    const rule: HeaderRule = { pattern: entry.for, kind: 'splat', patternSpan: block?.forValue?.span ?? block?.header ?? fallback };
    if (ccValue !== undefined) {
      const loc = block?.cacheControl;
      // Located exactly (the scanned string is the parsed value): a fix can replace it.
      rule.cacheControl = loc && loc.value === ccValue ? { value: ccValue, span: loc.span, quote: 'toml' } : { value: ccValue, span: block?.header ?? fallback, quote: 'toml', editable: false };
    }
    rules.push(rule);
  });
  const build = data.build && typeof data.build === 'object' ? (data.build as Record<string, unknown>) : {};
  const site: HostingSite = { rules, anchor: sc.blocks[0]?.header ?? sc.build ?? sc.firstLine ?? { start: 0, end: 0 } };
  if (typeof build.publish === 'string') site.outputDir = build.publish;
  return {
    platform: 'netlify', problems, invalid: false, sites: [site], appendableToml: appendable,
    ...(typeof build.base === 'string' ? { base: build.base } : {}),
  };
}
