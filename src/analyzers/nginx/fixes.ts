/**
 * Text edits for quick fixes in nginx files: directives inserted at the start or end of a block,
 * before or after a directive, indented like their neighbours and keeping the file's line endings;
 * a one-line block (`location /a { root x; }`) stays on one line.
 */
import type { NginxDirective, Span } from './model.js';

export interface SpanEdit {
  span: Span;
  newText: string;
}

export function eolOf(text: string): string {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

export function lineStartAt(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

export function lineEndAt(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The whitespace that starts the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const s = lineStartAt(text, offset);
  let e = s;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text.slice(s, e);
}

/** One level of indentation in this file: a tab, or the smallest space indent used (4 when unknown). */
export function indentUnit(text: string): string {
  let min = 0;
  let tabs = 0;
  let spaces = 0;
  for (const m of text.matchAll(/^([ \t]+)\S/gm)) {
    if (m[1].startsWith('\t')) tabs++;
    else {
      spaces++;
      if (!min || m[1].length < min) min = m[1].length;
    }
  }
  if (tabs > spaces) return '\t';
  return ' '.repeat(min >= 2 && min <= 8 ? min : 4);
}

function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStartAt(text, offset), offset));
}

/** Only whitespace or a comment follows `offset` on its line. */
function endsLine(text: string, offset: number): boolean {
  return /^[ \t]*(#.*)?$/.test(text.slice(offset, lineEndAt(text, offset)));
}

function sameLine(text: string, a: number, b: number): boolean {
  return !/[\r\n]/.test(text.slice(Math.min(a, b), Math.max(a, b)));
}

function childIndent(text: string, block: NginxDirective): string {
  const first = block.block?.find((c) => c.file === block.file && startsLine(text, c.span.start));
  return first ? indentAt(text, first.span.start) : indentAt(text, block.nameSpan.start) + indentUnit(text);
}

/** Inserts directive lines (without indentation or line ends) at the start of a block's body. */
export function insertAtBlockStart(text: string, block: NginxDirective, lines: string[]): SpanEdit | undefined {
  if (block.open === undefined) return undefined;
  const at = block.open + 1;
  if (block.close !== undefined && sameLine(text, block.open, block.close)) return { span: { start: at, end: at }, newText: ` ${lines.join(' ')}` };
  const eol = eolOf(text);
  const indent = childIndent(text, block);
  const end = endsLine(text, at) ? lineEndAt(text, at) : at;
  return { span: { start: end, end }, newText: lines.map((l) => `${eol}${indent}${l}`).join('') };
}

/** Inserts directive lines at the end of a block's body, before its `}`. */
export function insertAtBlockEnd(text: string, block: NginxDirective, lines: string[]): SpanEdit | undefined {
  if (block.open === undefined || block.close === undefined) return undefined;
  if (sameLine(text, block.open, block.close) || !startsLine(text, block.close)) {
    const pad = /\s/.test(text[block.close - 1] ?? '') ? '' : ' ';
    return { span: { start: block.close, end: block.close }, newText: `${pad}${lines.join(' ')} ` };
  }
  const eol = eolOf(text);
  const indent = childIndent(text, block);
  const at = lineStartAt(text, block.close);
  return { span: { start: at, end: at }, newText: lines.map((l) => `${indent}${l}${eol}`).join('') };
}

/** Inserts directive lines before a directive, at its indentation. */
export function insertBefore(text: string, d: NginxDirective, lines: string[]): SpanEdit {
  if (!startsLine(text, d.span.start)) return { span: { start: d.span.start, end: d.span.start }, newText: `${lines.join(' ')} ` };
  const eol = eolOf(text);
  const indent = indentAt(text, d.span.start);
  const at = lineStartAt(text, d.span.start);
  return { span: { start: at, end: at }, newText: lines.map((l) => `${indent}${l}${eol}`).join('') };
}

/** Inserts directive lines after a directive, at its indentation. */
export function insertAfter(text: string, d: NginxDirective, lines: string[]): SpanEdit {
  const end = d.span.end;
  if (!endsLine(text, end)) return { span: { start: end, end }, newText: ` ${lines.join(' ')}` };
  const eol = eolOf(text);
  const indent = indentAt(text, d.span.start);
  const at = lineEndAt(text, end);
  return { span: { start: at, end: at }, newText: lines.map((l) => `${eol}${indent}${l}`).join('') };
}

/** Replaces a whole directive (name to `;`) by lines at its indentation. */
export function replaceDirective(text: string, d: NginxDirective, lines: string[]): SpanEdit {
  const indent = indentAt(text, d.span.start);
  const eol = eolOf(text);
  return { span: d.span, newText: lines.join(startsLine(text, d.span.start) ? `${eol}${indent}` : ' ') };
}

/** The source text of a directive, e.g. to repeat an inherited `add_header` at a lower level. */
export function directiveText(text: string, d: NginxDirective): string {
  const s = text.slice(d.span.start, d.span.end);
  return d.semi === undefined ? `${s};` : s;
}
