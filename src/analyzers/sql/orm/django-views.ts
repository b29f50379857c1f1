/**
 * Django views that render a template with a context: `render(request, "front/checks.html", {"checks":
 * checks})`, `TemplateResponse(request, "…", ctx)` with `ctx = {…}` (and `ctx["k"] = v`) earlier in the
 * same function. Only what can be read whole: a template name written as a string, a context written as
 * a dict literal with string keys (or a local name bound to one and only added to by `ctx["k"] = name`),
 * and context values that are plain local names. For each such name, where the function assigns it
 * (the start of each right-hand side, or of the queryset inside `list(…)` / `sorted(…)`): the SQL
 * rules match these with the Django extractor's querysets. Never throws.
 */
import type { Span } from '../types.js';
import { readExpr, statements, stringTokenValue, tokenize, type PyExpr, type Token } from '../../../lang/python/tokenize.js';
import { MAX_DJANGO_FILE } from './django-models.js';

export interface DjangoRenderValue {
  key: string;
  /** The local name passed. */
  name: string;
  span: Span;
  /** Where the function assigns the name before the call: the start of the queryset each assignment binds; undefined when some binding is not a plain `name = …`. */
  assigned?: number[];
  /** The name is a page of a Paginator over the queryset `assigned` binds (`page = Paginator(qs, 50).get_page(n)`): the template walks `page` or `page.object_list`. */
  page?: string;
}

export interface DjangoRender {
  template: string;
  templateSpan: Span;
  /** The render call. */
  span: Span;
  functionName?: string;
  context: DjangoRenderValue[];
}

const RENDERERS = new Set(['render', 'TemplateResponse', 'render_to_response', 'render_to_string']);
/** Calls that keep the objects of the queryset they are given: `checks = list(q)`. */
const KEEPERS = new Set(['list', 'sorted', 'tuple']);
const MAX_RENDERS = 500;

export function mayRenderTemplates(text: string): boolean {
  return text.includes('render') || text.includes('TemplateResponse');
}

/** The template renders of a Python module (see the module comment). */
export function readDjangoRenders(text: string): DjangoRender[] {
  if (text.length > MAX_DJANGO_FILE || !mayRenderTemplates(text)) return [];
  try {
    return scan(tokenize(text));
  } catch {
    return [];
  }
}

interface Fn {
  name: string;
  col: number;
  /** Statements of the function so far. */
  stmts: { tokens: Token[]; col: number }[];
}

function scan(tokens: Token[]): DjangoRender[] {
  const out: DjangoRender[] = [];
  const fns: Fn[] = [];
  for (const s of statements(tokens)) {
    const t = s.tokens;
    const col = t[0].col;
    while (fns.length && fns[fns.length - 1].col >= col) fns.pop();
    const first = t[0].value === 'async' ? t[1] : t[0];
    if (first?.value === 'def' && t[t.length - 1].value === ':') {
      fns.push({ name: (t[0].value === 'async' ? t[2] : t[1])?.value ?? '', col, stmts: [] });
      continue;
    }
    const fn = fns[fns.length - 1];
    if (!fn) continue;
    fn.stmts.push({ tokens: t, col });
    if (out.length >= MAX_RENDERS) continue;
    for (let k = 0; k < t.length; k++) {
      if (t[k].type !== 'name' || !RENDERERS.has(t[k].value) || t[k + 1]?.value !== '(' || t[k - 1]?.value === '.' || t[k - 1]?.value === 'def') continue;
      const r = renderAt(t, k, fn);
      if (r) out.push(r);
    }
  }
  return out;
}

function renderAt(t: Token[], k: number, fn: Fn): DjangoRender | undefined {
  const { expr } = readExpr(t, k);
  if (expr.kind !== 'call') return undefined;
  const callee = t[k].value;
  // render(request, name, context) / TemplateResponse(request, name, context); render_to_response / render_to_string(name, context)
  const named = callee === 'render' || callee === 'TemplateResponse' ? 1 : 0;
  const nameArg = expr.args[named] ?? expr.kwargs.find((a) => a.name === 'template_name' || a.name === 'template')?.value;
  const ctxArg = expr.args[named + 1] ?? expr.kwargs.find((a) => a.name === 'context')?.value;
  if (nameArg?.kind !== 'string' || !ctxArg) return undefined;
  const context = contextOf(ctxArg, fn);
  if (!context) return undefined;
  for (const v of context) {
    const rows = pageOf(fn, v.name);
    if (rows) v.page = rows;
    const a = assignments(fn, rows ?? v.name);
    if (a) v.assigned = a;
  }
  return { template: nameArg.value, templateSpan: nameArg.span, span: expr.span, functionName: fn.name, context };
}

function dictValues(e: Extract<PyExpr, { kind: 'dict' }>): DjangoRenderValue[] | undefined {
  const out: DjangoRenderValue[] = [];
  for (const en of e.entries) {
    if (en.key.kind !== 'string') return undefined;
    if (en.value.kind === 'name') out.push({ key: en.key.value, name: en.value.name, span: en.value.span });
  }
  return out;
}

/** The context's plain-name values: a dict literal, or a local name bound to one and only extended by `ctx["k"] = name`. */
function contextOf(arg: PyExpr, fn: Fn): DjangoRenderValue[] | undefined {
  if (arg.kind === 'dict') return dictValues(arg);
  if (arg.kind !== 'name') return undefined;
  const name = arg.name;
  let values: DjangoRenderValue[] | undefined;
  // the render call's own statement is the last one recorded
  for (const s of fn.stmts.slice(0, -1)) {
    const t = s.tokens;
    if (!t.some((x) => x.type === 'name' && x.value === name)) continue;
    if (t[0].value === name && t[1]?.value === '=' && t[1].type === 'op') {
      const { expr, next } = readExpr(t, 2);
      if (expr.kind !== 'dict' || next !== t.length || s.col !== fn.stmts[0]?.col) return undefined;
      values = dictValues(expr);
      if (!values) return undefined;
      continue;
    }
    // ctx["key"] = value (at the function's own level: not on some paths only)
    if (values && t[0].value === name && t[1]?.value === '[' && t[2]?.type === 'string' && t[3]?.value === ']' && t[4]?.value === '=') {
      const key = stringTokenValue(t[2]);
      values = values.filter((v) => v.key !== key);
      if (s.col !== fn.stmts[0]?.col) continue;
      const { expr, next } = readExpr(t, 5);
      if (expr.kind === 'name' && next === t.length) values.push({ key, name: expr.name, span: expr.span });
      continue;
    }
    // any other use before the render (ctx.update(...), passed to a helper): its keys cannot be told
    return undefined;
  }
  return values;
}

/** The starts of the querysets `name = …` binds in the function (before the render), or undefined when it is bound otherwise too. */
function assignments(fn: Fn, name: string, depth = 0): number[] | undefined {
  const out: number[] = [];
  for (const t of rightHandSides(fn, name) ?? []) {
    const at = t[0]?.type === 'name' && KEEPERS.has(t[0].value) && t[1]?.value === '(' ? 2 : 0;
    if (!t[at]) return undefined;
    // `checks = list(q)` / `checks = q`: the assignments of q
    if (t[at].type === 'name' && (at ? t[at + 1]?.value === ')' && t.length === at + 2 : t.length === 1)) {
      const inner = depth < 3 && t[at].value !== name ? assignments(fn, t[at].value, depth + 1) : undefined;
      if (!inner) return undefined;
      out.push(...inner);
      continue;
    }
    out.push(t[at].start);
  }
  return out.length ? out : undefined;
}

/**
 * `page = paginator.page(n)` / `.get_page(n)` with `paginator = Paginator(qs, 50)` (any `…Paginator`), or
 * `Paginator(qs, 50).get_page(n)` in place, on every assignment: the queryset's name.
 */
function pageOf(fn: Fn, name: string): string | undefined {
  let rows: string | undefined;
  for (const t of rightHandSides(fn, name) ?? []) {
    let qs: string | undefined;
    const n = t.length;
    // <x>.page(…) / <x>.get_page(…) ending the statement
    let open = -1;
    for (let k = 0; k < n; k++) if (t[k].value === '(' && t[k].depth === t[0].depth && (t[k - 1]?.value === 'page' || t[k - 1]?.value === 'get_page') && t[k - 2]?.value === '.') open = k;
    if (open < 3 || t[n - 1].value !== ')' || t[n - 1].depth !== t[0].depth) return undefined;
    const recv = t.slice(0, open - 2);
    if (recv.length === 1 && recv[0].type === 'name') {
      const made = rightHandSides(fn, recv[0].value);
      if (made?.length !== 1) return undefined;
      qs = paginated(made[0]);
    } else qs = paginated(recv);
    if (!qs || (rows !== undefined && rows !== qs)) return undefined;
    rows = qs;
  }
  return rows;
}

/** `…Paginator(<name>, …)` as a whole: the name. */
function paginated(t: Token[]): string | undefined {
  if (t[0]?.type !== 'name' || !t[0].value.endsWith('Paginator') || t[1]?.value !== '(' || t[2]?.type !== 'name' || (t[3]?.value !== ',' && t[3]?.value !== ')')) return undefined;
  return t[t.length - 1].value === ')' && t[t.length - 1].depth === t[0].depth ? t[2].value : undefined;
}

/** The right-hand sides of every `name = …` of the function before the render, or undefined when it is bound otherwise too. */
function rightHandSides(fn: Fn, name: string): Token[][] | undefined {
  const out: Token[][] = [];
  for (const s of fn.stmts.slice(0, -1)) {
    const t = s.tokens;
    for (let k = 0; k < t.length; k++) {
      if (t[k].type !== 'name' || t[k].value !== name || t[k - 1]?.value === '.') continue;
      const next = t[k + 1];
      if (k === 0 && next?.value === '=' && next.type === 'op') {
        out.push(t.slice(2));
        break;
      }
      // a for target, `as name`, a tuple assignment, `+=`, `:=`, a global: not read
      if (next && next.type === 'op' && /^(?:[-+*/%&|^@]|\/\/|\*\*|<<|>>)?=$|^:=$/.test(next.value) && next.value !== '==') return undefined;
      if (next?.value === ',' && t[0].depth === next.depth && t.some((x, j) => j > k && x.value === '=' && x.depth === t[0].depth)) return undefined;
      const prev = t[k - 1]?.value;
      if (prev === 'as' || prev === 'for' || prev === 'global' || prev === 'nonlocal' || prev === 'del') return undefined;
      if (prev === ',' && t[0].value === 'for') return undefined;
    }
  }
  return out;
}
