/**
 * A parser for Apache httpd configuration syntax (httpd.conf, apache2.conf, virtual hosts,
 * .htaccess): directives with their arguments, `<Section args>` … `</Section>` blocks with nesting,
 * `#` comment lines, `\` line continuations and quoted arguments, all with UTF-16 spans into the
 * text. It never throws: structural problems (a section never closed, a closing tag that matches
 * nothing, an unterminated quote…) are returned as errors and parsing goes on.
 *
 * Work is linear in the text: one pass, an explicit stack for sections (no recursion), nesting depth
 * and the number of reported errors capped.
 */
import type { Span } from '../../kernel/model.js';

export interface ApacheArg {
  /** The argument with quotes removed and `\"` unescaped. */
  value: string;
  span: Span;
  quoted: boolean;
}

export interface ApacheDirective {
  kind: 'directive';
  /** As written, e.g. `AddOutputFilterByType`. */
  name: string;
  /** Lower case (Apache directive names are case-insensitive). */
  lname: string;
  args: ApacheArg[];
  /** From the name to the end of the last argument. */
  span: Span;
  nameSpan: Span;
  /** Leading whitespace of the directive's line. */
  indent: string;
  parent?: ApacheSection;
}

export interface ApacheSection {
  kind: 'section';
  /** As written, e.g. `IfModule`. */
  name: string;
  lname: string;
  args: ApacheArg[];
  /** `<IfModule mod_deflate.c>` */
  openSpan: Span;
  /** `</IfModule>`, when present. */
  closeSpan?: Span;
  /** From the opening tag to the end of the closing tag (or of the file when unclosed). */
  span: Span;
  indent: string;
  children: ApacheNode[];
  parent?: ApacheSection;
}

export type ApacheNode = ApacheDirective | ApacheSection;

export type ApacheErrorKind =
  | 'unclosed-section'
  | 'unmatched-close'
  | 'mismatched-close'
  | 'bad-section-tag'
  | 'unterminated-quote'
  | 'continuation-at-eof'
  | 'nginx-syntax'
  | 'bad-directive-name'
  | 'too-deep';

export interface ApacheParseError {
  kind: ApacheErrorKind;
  message: string;
  span: Span;
  /** Problems Apache tolerates (it reads on) are `info`; the rest make it refuse the file. */
  severity?: 'info';
}

export interface ApacheConfig {
  nodes: ApacheNode[];
  errors: ApacheParseError[];
  /** Every directive in document order (including those nested in sections). */
  directives: ApacheDirective[];
  /** Every section in document order. */
  sections: ApacheSection[];
  /** The text uses CRLF line ends. */
  crlf: boolean;
}

const MAX_DEPTH = 64;
const MAX_ERRORS = 50;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 11;
}

function isEol(c: number): boolean {
  return c === 10 || c === 13;
}

/** Length of the line end at `i` (0 when none). */
function eolLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 13) return text.charCodeAt(i + 1) === 10 ? 2 : 1;
  return c === 10 ? 1 : 0;
}

/** Is `i` a backslash that continues the line (followed by the line end)? */
function isContinuation(text: string, i: number, end: number): boolean {
  return text.charCodeAt(i) === 92 && i + 1 <= end && eolLength(text, i + 1) > 0;
}

/** Skips blanks and `\`+newline continuations inside a logical line. */
function skipBlanks(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 92 && eolLength(text, i + 1) > 0) i += 1 + eolLength(text, i + 1);
    else if (isEol(c)) i += eolLength(text, i);
    else break;
  }
  return i;
}

interface Tokenized {
  args: ApacheArg[];
  unterminated?: Span;
}

/** Splits `text[start, end)` into words the way Apache's ap_getword_conf does. */
function tokenize(text: string, start: number, end: number): Tokenized {
  const args: ApacheArg[] = [];
  let unterminated: Span | undefined;
  let i = skipBlanks(text, start, end);
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39) {
      let j = i + 1;
      let value = '';
      let from = j;
      let closed = false;
      while (j < end) {
        const d = text.charCodeAt(j);
        if (d === 92 && j + 1 < end && text.charCodeAt(j + 1) === c) {
          value += text.slice(from, j) + text[j + 1];
          j += 2;
          from = j;
          continue;
        }
        if (d === 92 && eolLength(text, j + 1) > 0) {
          value += text.slice(from, j);
          j += 1 + eolLength(text, j + 1);
          from = j;
          continue;
        }
        if (d === c) {
          value += text.slice(from, j);
          closed = true;
          j++;
          break;
        }
        j++;
      }
      if (!closed) value += text.slice(from, j);
      if (!closed) unterminated ??= { start: i, end };
      args.push({ value, span: { start: i, end: j }, quoted: true });
      i = j;
    } else {
      let j = i;
      while (j < end) {
        const d = text.charCodeAt(j);
        if (isSpace(d) || isEol(d) || isContinuation(text, j, end)) break;
        j++;
      }
      if (j === i) j = i + 1; // a lone "\\" at the end: not an argument
      else args.push({ value: text.slice(i, j), span: { start: i, end: j }, quoted: false });
      i = j;
    }
    i = skipBlanks(text, i, end);
  }
  return unterminated ? { args, unterminated } : { args };
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

const DIRECTIVE_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;

/** Parses Apache configuration text. Never throws. */
export function parseApacheConfig(text: string): ApacheConfig {
  const nodes: ApacheNode[] = [];
  const errors: ApacheParseError[] = [];
  const directives: ApacheDirective[] = [];
  const sections: ApacheSection[] = [];
  const stack: ApacheSection[] = [];
  const n = text.length;
  let tooDeepReported = false;
  /** Sections opened beyond MAX_DEPTH and not closed yet (their directives are not analysed). */
  let skippedDepth = 0;
  const error = (kind: ApacheErrorKind, message: string, span: Span): void => {
    if (errors.length < MAX_ERRORS) errors.push({ kind, message, span, ...(kind === 'unterminated-quote' || kind === 'continuation-at-eof' ? { severity: 'info' as const } : {}) });
  };
  const add = (node: ApacheNode): void => {
    const top = stack[stack.length - 1];
    if (top) {
      node.parent = top;
      top.children.push(node);
    } else nodes.push(node);
  };
  let pos = 0;
  while (pos < n) {
    // One logical line: [lineStart, lineEnd), continuations included.
    const lineStart = pos;
    let i = pos;
    let lineEnd = n;
    let next = n;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isEol(c)) {
        if (i > lineStart && text.charCodeAt(i - 1) === 92) {
          const backslash = i - 1;
          i += eolLength(text, i);
          if (i >= n) error('continuation-at-eof', 'The last line ends with a "\\" line continuation, but nothing follows it (Apache ignores it).', { start: backslash, end: backslash + 1 });
          continue;
        }
        lineEnd = i;
        next = i + eolLength(text, i);
        break;
      }
      i++;
    }
    pos = next;
    let s = lineStart;
    while (s < lineEnd && isSpace(text.charCodeAt(s))) s++;
    if (s >= lineEnd) continue;
    const indent = text.slice(lineStart, s);
    // Trim trailing blanks (and a dangling continuation) for spans.
    let e = lineEnd;
    while (e > s) {
      const c = text.charCodeAt(e - 1);
      if (isSpace(c) || isEol(c) || (c === 92 && (e === lineEnd || isEol(text.charCodeAt(e))))) e--;
      else break;
    }
    const first = text.charCodeAt(s);
    if (first === 35) continue; // # comment (a continued comment line is a comment too)
    if (first === 60 /* < */) {
      const closing = text.charCodeAt(s + 1) === 47; /* / */
      const gt = text.charCodeAt(e - 1) === 62 ? e - 1 : -1;
      const innerStart = s + (closing ? 2 : 1);
      const innerEnd = gt >= 0 ? gt : e;
      let nameEnd = innerStart;
      while (nameEnd < innerEnd && !isSpace(text.charCodeAt(nameEnd)) && !isEol(text.charCodeAt(nameEnd)) && text.charCodeAt(nameEnd) !== 62 && !isContinuation(text, nameEnd, innerEnd)) nameEnd++;
      const name = text.slice(innerStart, nameEnd);
      const tagSpan = { start: s, end: e };
      if (!name) {
        error('bad-section-tag', `"${text.slice(s, Math.min(e, s + 40))}" is not a section tag: expected <Name arguments> or </Name>.`, tagSpan);
        continue;
      }
      if (closing) {
        if (gt < 0) error('bad-section-tag', `</${name}> is missing its closing ">".`, tagSpan);
        // The closer of a section skipped for being too deep.
        if (skippedDepth > 0) {
          skippedDepth--;
          continue;
        }
        const lname = name.toLowerCase();
        const top = stack[stack.length - 1];
        if (!top) {
          error('unmatched-close', `</${name}> closes a section that was never opened: Apache refuses this configuration.`, tagSpan);
          continue;
        }
        if (top.lname === lname) {
          stack.pop();
          top.closeSpan = tagSpan;
          top.span = { start: top.openSpan.start, end: tagSpan.end };
          continue;
        }
        const at = stack.map((x) => x.lname).lastIndexOf(lname);
        error('mismatched-close', `Expected </${top.name}> (to close <${top.name}> on line ${lineOf(text, top.openSpan.start)}), but found </${name}>: Apache refuses this configuration.`, tagSpan);
        if (at >= 0) {
          // Close the intervening sections (reported as unclosed) and this one.
          while (stack.length > at + 1) {
            const open = stack.pop()!;
            open.span = { start: open.openSpan.start, end: tagSpan.start };
          }
          const sec = stack.pop()!;
          sec.closeSpan = tagSpan;
          sec.span = { start: sec.openSpan.start, end: tagSpan.end };
        }
        continue;
      }
      if (gt < 0) error('bad-section-tag', `<${name}> is missing its closing ">": Apache refuses this configuration.`, tagSpan);
      const tok = tokenize(text, nameEnd, innerEnd);
      if (tok.unterminated) error('unterminated-quote', `An argument of <${name}> has no closing quote: Apache takes the rest of the line as the argument, which is probably not what was meant.`, tok.unterminated);
      const section: ApacheSection = {
        kind: 'section', name, lname: name.toLowerCase(), args: tok.args, openSpan: tagSpan, span: { start: s, end: n }, indent, children: [],
      };
      if (stack.length >= MAX_DEPTH) {
        // Once per file: a hostile file nests thousands of levels.
        if (!tooDeepReported) error('too-deep', `Sections are nested more than ${MAX_DEPTH} levels deep; the deeper sections are not analysed.`, tagSpan);
        tooDeepReported = true;
        skippedDepth++;
        continue;
      }
      add(section);
      sections.push(section);
      stack.push(section);
      continue;
    }
    // A directive: name then arguments.
    let nameEnd = s;
    while (nameEnd < e && !isSpace(text.charCodeAt(nameEnd)) && !isEol(text.charCodeAt(nameEnd)) && !isContinuation(text, nameEnd, e)) nameEnd++;
    const name = text.slice(s, nameEnd);
    const tok = tokenize(text, nameEnd, e);
    const last = tok.args[tok.args.length - 1];
    const span = { start: s, end: last ? last.span.end : nameEnd };
    if (name === '{' || name === '}' || (last && !last.quoted && last.value === '{') || name.endsWith('{') || name.endsWith('}')) {
      error('nginx-syntax', `"${text.slice(s, Math.min(e, s + 60)).replace(/\s+/g, ' ')}" uses braces, which Apache does not understand (this looks like nginx syntax). Apache sections are written <Name …> … </Name>.`, { start: s, end: e });
      continue;
    }
    if (!DIRECTIVE_NAME.test(name)) {
      error('bad-directive-name', `"${name.slice(0, 40)}" is not a directive name: Apache answers "Invalid command" and refuses this configuration.`, { start: s, end: nameEnd });
      continue;
    }
    if (tok.unterminated) error('unterminated-quote', `An argument of ${name} has no closing quote: Apache takes the rest of the line as the argument, which is probably not what was meant.`, tok.unterminated);
    const d: ApacheDirective = { kind: 'directive', name, lname: name.toLowerCase(), args: tok.args, span, nameSpan: { start: s, end: nameEnd }, indent };
    add(d);
    directives.push(d);
  }
  for (const open of stack) {
    const tag = `<${open.name}${open.args.length ? ' ' + open.args.map((a) => a.value).join(' ') : ''}>`;
    const consequence = /^if(module|define|version|file|directive|section)$/.test(open.lname)
      ? 'Apache only accepts this while the condition holds: where it does not (e.g. the module is not loaded), it refuses the configuration.'
      : 'Apache refuses this configuration.';
    error('unclosed-section', `${tag} is never closed: add </${open.name}>. ${consequence}`, open.openSpan);
  }
  return { nodes, errors, directives, sections, crlf: /\r\n/.test(text.slice(0, 4096)) };
}

/** Sections enclosing `node`, innermost first. */
export function ancestors(node: ApacheNode): ApacheSection[] {
  const out: ApacheSection[] = [];
  for (let p = node.parent; p; p = p.parent) out.push(p);
  return out;
}

/**
 * Is the node inside an `<IfModule>` / `<IfDefine>` / `<IfVersion>` / `<IfFile>` / `<IfDirective>` /
 * `<IfSection>` block, whose content Apache only reads when the condition holds?
 */
export function insideConditional(node: ApacheNode): boolean {
  return ancestors(node).some((s) => /^if(module|define|version|file|directive|section)$/.test(s.lname));
}

/** Is the node inside a negated `<IfModule !mod_x.c>` for the module? */
export function insideNegatedIfModule(node: ApacheNode, modules: RegExp): boolean {
  return ancestors(node).some((s) => s.lname === 'ifmodule' && s.args[0]?.value.startsWith('!') && modules.test(s.args[0].value.slice(1)));
}
