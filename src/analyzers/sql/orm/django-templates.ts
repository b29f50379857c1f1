/**
 * Django templates, read for what their `{% for %}` loops over context variables do with each row.
 *
 * A small linear tokenizer, as Django's own lexer: `{% … %}` tags, `{{ … }}` variables and `{# … #}`
 * comments, none of which spans a line; `{% comment %}…{% endcomment %}` and `{% verbatim %}…
 * {% endverbatim %}` are skipped whole. No regular expression runs over the template text.
 *
 * Read: `{% for x in <context name> %}` (one target, optionally `reversed`) up to its `{% empty %}` /
 * `{% endfor %}`, and in its body the reads of `x.<a>.<b>…` in `{{ … }}` (the variable before any
 * filter; `{{ x|f }}` itself is not a read of a relation), in `{% if %}` / `{% elif %}` / `{% url %}`
 * arguments and in the iterable of a nested `{% for y in x.<a>.all %}`. A name rebound inside the loop
 * (a nested loop's target, a `{% with %}`) is not the row any more: its reads are left out, and a loop
 * whose item a `{% with %}` rebinds is dropped. `{% include %}` / `{% extends %}` are not followed.
 * Never throws; bounded by MAX_TEMPLATE.
 */
import type { Span } from '../types.js';

export const MAX_TEMPLATE = 512 * 1024;
const MAX_LOOPS = 200;
const MAX_ACCESSES = 500;

export interface TemplateAccess {
  /** The attributes read after the loop's item: `check.project.name` → ['project', 'name']. */
  path: string[];
  /** The tag or variable as written, for messages (`{{ check.project.name }}`). */
  text: string;
  span: Span;
}

export interface TemplateLoop {
  /** The context variable the loop walks (`checks`), or a page's rows (`page.object_list`). */
  list: string;
  item: string;
  /** The `{% for %}` tag. */
  span: Span;
  accesses: TemplateAccess[];
}

export interface DjangoTemplateRead {
  loops: TemplateLoop[];
}

interface Tok {
  kind: 'tag' | 'var';
  /** The inside, trimmed. */
  body: string;
  span: Span;
}

/** The tags and variables of a template, comments and verbatim blocks left out. Linear in the text's length. */
export function templateTokens(text: string): Tok[] {
  const out: Tok[] = [];
  const n = text.length;
  // per line, the opener kinds known to have no closer left on it (so each line is searched at most once per kind)
  let lineEnd = -1;
  let dead = '';
  let skipUntil: string | undefined;
  let i = 0;
  while (i < n && out.length < 100_000) {
    const open = text.indexOf('{', i);
    if (open < 0 || open + 1 >= n) break;
    if (open > lineEnd) {
      lineEnd = text.indexOf('\n', open);
      if (lineEnd < 0) lineEnd = n;
      dead = '';
    }
    const c = text[open + 1];
    if ((c !== '%' && c !== '{' && c !== '#') || dead.includes(c)) {
      i = open + 1;
      continue;
    }
    const closer = c === '%' ? '%}' : c === '{' ? '}}' : '#}';
    const close = text.indexOf(closer, open + 2);
    if (close < 0 || close > lineEnd) {
      dead += c;
      i = open + 1;
      continue;
    }
    i = close + 2;
    if (c === '#') continue;
    const body = text.slice(open + 2, close).trim();
    if (skipUntil !== undefined) {
      if (c === '%' && firstWord(body) === skipUntil) skipUntil = undefined;
      continue;
    }
    if (c === '%') {
      const w = firstWord(body);
      if (w === 'comment') {
        skipUntil = 'endcomment';
        continue;
      }
      if (w === 'verbatim') {
        skipUntil = 'endverbatim';
        continue;
      }
    }
    out.push({ kind: c === '%' ? 'tag' : 'var', body, span: { start: open, end: close + 2 } });
  }
  return out;
}

function firstWord(s: string): string {
  let k = 0;
  while (k < s.length && !isSpace(s.charCodeAt(k))) k++;
  return s.slice(0, k);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

function words(s: string): string[] {
  const out: string[] = [];
  let k = 0;
  while (k < s.length && out.length < 100) {
    while (k < s.length && isSpace(s.charCodeAt(k))) k++;
    const a = k;
    while (k < s.length && !isSpace(s.charCodeAt(k))) k++;
    if (k > a) out.push(s.slice(a, k));
  }
  return out;
}

function isIdent(s: string): boolean {
  if (!s.length) return false;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && !(k > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

/** `a.b.c` (the part before any filter): its names, or undefined when it is not a plain dotted name. */
function dotted(expr: string): string[] | undefined {
  const parts = expr.split('.');
  if (parts.length > 50 || !parts.every(isIdent)) return undefined;
  return parts;
}

interface Frame {
  kind: 'for' | 'with' | 'other';
  /** Names the frame binds in its body. */
  binds: string[];
  /** A tracked loop (over a context name), while in its body (not its `{% empty %}` part). */
  loop?: TemplateLoop;
  open: boolean;
  /** A `{% with %}` rebinding a tracked loop's item: that loop is dropped. */
}

const BLOCK_TAGS = new Set(['if', 'block', 'with', 'for', 'ifchanged', 'spaceless', 'autoescape', 'filter', 'blocktrans', 'blocktranslate', 'localize', 'localtime', 'timezone', 'cache']);

/** The loops over context variables of a template, and what their bodies read of each row. Never throws. */
export function readDjangoTemplate(text: string): DjangoTemplateRead {
  const out: DjangoTemplateRead = { loops: [] };
  if (text.length > MAX_TEMPLATE) return out;
  try {
    read(templateTokens(text), out);
  } catch {
    out.loops = [];
  }
  return out;
}

function read(tokens: Tok[], out: DjangoTemplateRead): void {
  const stack: Frame[] = [];
  const dropped = new Set<TemplateLoop>();
  /** The tracked loop whose item `name` is here, if no frame above it rebinds the name. */
  const loopOf = (name: string): TemplateLoop | undefined => {
    for (let k = stack.length - 1; k >= 0; k--) {
      const f = stack[k];
      if (!f.binds.includes(name)) continue;
      return f.loop && f.open && f.loop.item === name ? f.loop : undefined;
    }
    return undefined;
  };
  const bound = (name: string): boolean => stack.some((f) => f.binds.includes(name));
  const access = (expr: string, tok: Tok): void => {
    const v = expr.split('|')[0].trim();
    const parts = dotted(v);
    if (!parts || parts.length < 2) return;
    const loop = loopOf(parts[0]);
    if (loop && loop.accesses.length < MAX_ACCESSES) loop.accesses.push({ path: parts.slice(1), text: tok.kind === 'var' ? `{{ ${tok.body} }}` : `{% ${tok.body} %}`, span: tok.span });
  };
  for (const tok of tokens) {
    if (tok.kind === 'var') {
      access(tok.body, tok);
      continue;
    }
    const w = words(tok.body);
    const name = w[0] ?? '';
    if (name === 'for') {
      const inAt = w.indexOf('in');
      const targets = inAt > 1 ? w.slice(1, inAt).join(' ').split(',').map((s) => s.trim()).filter(Boolean) : [];
      const iter = inAt > 0 ? w.slice(inAt + 1).filter((x) => x !== 'reversed') : [];
      // the iterable is read before the loop binds its targets
      if (iter.length === 1) access(iter[0], tok);
      const frame: Frame = { kind: 'for', binds: targets, open: true };
      // a context name, or a page's rows (`page.object_list`: the view says whether the name is a page)
      const list = iter.length === 1 ? (isIdent(iter[0]) ? iter[0] : iter[0].endsWith('.object_list') && isIdent(iter[0].slice(0, -12)) ? iter[0] : undefined) : undefined;
      if (targets.length === 1 && isIdent(targets[0]) && list !== undefined && !bound(list.split('.')[0]) && out.loops.length < MAX_LOOPS) {
        frame.loop = { list, item: targets[0], span: tok.span, accesses: [] };
        out.loops.push(frame.loop);
      }
      stack.push(frame);
      continue;
    }
    if (name === 'empty') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'for') top.open = false;
      continue;
    }
    if (name === 'with') {
      const binds: string[] = [];
      for (let k = 1; k < w.length; k++) {
        const eq = w[k].indexOf('=');
        if (eq > 0) binds.push(w[k].slice(0, eq));
        else if (w[k] === 'as' && w[k + 1]) binds.push(w[++k]);
      }
      for (const b of binds) {
        const l = loopOf(b);
        if (l) dropped.add(l);
      }
      stack.push({ kind: 'with', binds, open: true });
      continue;
    }
    if (name.startsWith('end')) {
      const opener = name.slice(3);
      // pop to the matching opener (unbalanced templates: up to the nearest frame of that kind)
      for (let k = stack.length - 1; k >= 0; k--) {
        const f = stack[k];
        if ((opener === 'for' && f.kind === 'for') || (opener === 'with' && f.kind === 'with') || (opener !== 'for' && opener !== 'with' && f.kind === 'other')) {
          stack.length = k;
          break;
        }
      }
      continue;
    }
    if (name === 'if' || name === 'elif' || name === 'url') {
      for (const x of w.slice(1)) {
        if (x === 'as') break;
        access(x, tok);
      }
    }
    if (BLOCK_TAGS.has(name)) stack.push({ kind: 'other', binds: [], open: true });
  }
  out.loops = out.loops.filter((l) => !dropped.has(l) && l.accesses.length);
}

/** A file Django may load as a template: an `.html` file under a `templates/` folder. */
export function isDjangoTemplatePath(path: string): boolean {
  const p = path.toLowerCase();
  return p.endsWith('.html') && (p.startsWith('templates/') || p.includes('/templates/'));
}

/**
 * The one file that a template name rendered from `fromPath` can be: `<dir>/templates/<name>` where
 * `<dir>`'s parent folder holds the view (an app's templates, or the project's top-level `templates/`).
 * Undefined when no file or several match (Django's loader order is not modelled: never guessed).
 */
export function resolveTemplate(paths: Iterable<string>, fromPath: string, name: string): string | undefined {
  if (!name || name.startsWith('/') || name.includes('..')) return undefined;
  const tail = `templates/${name}`;
  let found: string | undefined;
  for (const p of paths) {
    if (!(p === tail || p.endsWith(`/${tail}`))) continue;
    const base = p.slice(0, p.length - tail.length).replace(/\/$/, '');
    const parent = base.includes('/') ? base.slice(0, base.lastIndexOf('/')) : '';
    if (parent && !fromPath.startsWith(`${parent}/`)) continue;
    if (found !== undefined) return undefined;
    found = p;
  }
  return found;
}
