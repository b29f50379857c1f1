/**
 * Django QuerySet calls in application code (views, services, model methods) → OrmQuery.
 *
 * Read: `Model.objects` (`_default_manager`, `_base_manager`; `cls.objects` in a classmethod) chains of
 * filter / exclude / get / order_by / select_related (joins) / prefetch_related (noted, not a join) /
 * `[:n]` / first / last / earliest / latest / exists / count / aggregate / update / delete /
 * get_or_create / update_or_create, `get_object_or_404(Model, ...)`, keyword lookups (`field__in`,
 * `__gte`, `__istartswith`, `team__owner__email`…) and `Q(...) | Q(...)` / `&` / `~Q` arguments.
 *
 * Chains built over several statements of one function (`qs = Order.objects.filter(a=1)`,
 * `qs = qs.filter(b=2)`, `qs[:10]`) are followed through simple reassignment: a queryset bound to a
 * local name is one query when it is used as a whole (iterated, passed, returned), and each chain
 * ending in a terminal call (`qs.count()`, `qs.get(...)`) is a query of its own.
 *
 * Reverse related managers: `obj.<model>_set.filter(...)` (Django's default accessor) gives a query with
 * no `model` and `reverseManager` set (the accessor, the lower-case model name, and the class of `self`
 * when the object is `self` in a method): the resolver can find the model and its ForeignKey to the
 * owner. Other related managers (`user.orders.filter`) cannot be told from other objects' methods and
 * are skipped, as is anything else not followed: a filter built elsewhere (`filter(q)`,
 * `filter(**kwargs)`), a custom QuerySet / manager method (`.restrict(...)`), a queryset reached through
 * a property or function call, inserts (`create`, `bulk_create`), and querysets written inside
 * `Prefetch(...)` / `Subquery(...)` / `Exists(...)` (they run as part of another query).
 *
 * `inLoop`: the call sits in a `for` / `while` body or a comprehension's element of the same function (a loop over a
 * list / tuple written in the code is bounded and does not count); `usesItem` when its filter arguments (or the owner of a
 * reverse manager) read a target name of the loops around it. A queryset only built in a loop (assigned, or passed to a
 * call that does not evaluate it: a form field's `queryset=`) is not run per item. A DRF serializer's `get_<field>(self, obj)`
 * / `to_representation` runs per object (`inLoopVia`). `functionName`: the innermost `def`.
 * Values are placeholders: only literal constants are recorded. Never throws.
 */
import type { Span } from '../types.js';
import { sqlOpOf, type OrmCondition, type OrmFieldCondition, type OrmQuery } from './model.js';
import { bracketPairs, readExpr, statements, tokenize, type PyExpr, type Token } from '../../../lang/python/tokenize.js';
import { MAX_DJANGO_FILE, orderKey } from './django-models.js';
import { SERIALIZER_GETTERS, findAt, literalDisplay, loopHeader, loopTargets, onlyPassed, readNames } from './django-loops.js';

export interface DjangoQuery extends OrmQuery {
  /** prefetch_related('a', Prefetch('b')): loaded by a second batched query per relation, not a join. */
  prefetch?: { relation: string; span: Span }[];
  /** `obj.ping_set.filter(...)`: the model is the one named `ping` (lower-case) with a ForeignKey to the owner. */
  reverseManager?: { accessor: string; modelLower: string; ownerClass?: string; span: Span };
  /** select_for_update(). */
  forUpdate?: boolean;
  /** The chain was built over several statements: the spans of each part, first first. */
  parts?: Span[];
  /** Filters added by `qs = qs.filter(...)` inside an `if` / `else` / `except` block or a loop body: they apply on some paths only, and are not in `where`. */
  conditionalWhere?: OrmCondition[];
  /** `inLoop` comes from a DRF serializer method (`get_<field>(self, obj)`, `to_representation`): it runs once per serialized object of a `many=True` list; `usesItem` when it reads that object. */
  inLoopVia?: 'serializer-method';
}

export interface DjangoQueryScan {
  queries: DjangoQuery[];
  skipped: { reason: string; span: Span }[];
}

const MANAGERS = new Set(['objects', '_default_manager', '_base_manager']);
const PASS = new Set(['all', 'only', 'defer', 'values', 'values_list', 'distinct', 'annotate', 'alias', 'using', 'iterator', 'select_for_update', 'order_by', 'select_related', 'prefetch_related', 'filter', 'exclude', 'reverse', 'dates', 'datetimes']);
const TERMINAL: Record<string, OrmQuery['operation']> = {
  get: 'select', first: 'select', last: 'select', earliest: 'select', latest: 'select', exists: 'exists', count: 'count', aggregate: 'aggregate',
  update: 'update', delete: 'delete', _raw_delete: 'delete', get_or_create: 'upsert', update_or_create: 'upsert', in_bulk: 'select', contains: 'exists',
};
const INSERTS = new Set(['create', 'bulk_create', 'bulk_update', 'aget_or_create']);
const EQ = new Set(['exact', 'iexact', 'in', 'isnull']);
const RANGE = new Set(['gt', 'gte', 'lt', 'lte', 'range']);
const PREFIX = new Set(['startswith', 'istartswith']);
const OTHER = new Set(['contains', 'icontains', 'endswith', 'iendswith', 'regex', 'iregex', 'search', 'overlap', 'contained_by', 'has_key', 'has_keys', 'has_any_keys', 'trigram_similar', 'net_contained', 'net_contained_or_equal', 'net_contains', 'net_contains_or_equals']);
const TRANSFORMS = new Set(['date', 'year', 'month', 'day', 'week', 'week_day', 'iso_week_day', 'quarter', 'time', 'hour', 'minute', 'second', 'iso_year', 'lower', 'upper', 'unaccent', 'len', 'net_mask_length', 'family', 'host']);
const WRAPPERS = new Set(['Prefetch', 'Subquery', 'Exists']);
const MAX_DEPTH = 100;

type Op = OrmQuery['operation'];

interface State {
  model?: string;
  reverseManager?: DjangoQuery['reverseManager'];
  where: OrmCondition[];
  orderBy: OrmQuery['orderBy'];
  limited: boolean;
  joins: OrmQuery['joins'];
  prefetch: NonNullable<DjangoQuery['prefetch']>;
  operation: Op;
  method: string;
  terminal: boolean;
  forUpdate: boolean;
  nameSpan: Span;
  parts: Span[];
  /** Methods / subscripts applied in the current statement. */
  steps: number;
  conditionalWhere: OrmCondition[];
  /** Names read by the filter arguments (and the owner of a reverse manager), for `inLoop.usesItem`. */
  reads: string[];
}

type Loop = NonNullable<OrmQuery['inLoop']>;
/** A loop as found, with the item names of every loop around the call in its function (innermost loop first). */
type LoopAt = Loop & { items: string[]; via?: 'serializer-method'; rows?: boolean };

interface Binding {
  state: State;
  span: Span;
  used: boolean;
  extended: boolean;
  /** Used as a whole: the loop it was bound in when it is evaluated (iterated, tested) in that loop, each time round on a new queryset; `true` elsewhere or when only passed along. */
  bare?: LoopAt | true;
  /** The loop it is bound in (a queryset bound outside a loop and iterated inside it runs once: Django caches its rows). */
  loop?: LoopAt;
  /** The function it is bound in. */
  fn?: string;
  /** Conditional blocks of the function around the assignment. */
  depth: number;
}

interface Block {
  kind: 'def' | 'class' | 'for' | 'while' | 'cond' | 'other';
  col: number;
  span: Span;
  name?: string;
  bindings?: Map<string, Binding>;
  /** A `for` loop: its target names, and whether it walks a list / tuple written in the code (bounded: not a loop for N+1). */
  items?: string[];
  bounded?: boolean;
  /** What a `for` walks: a queryset in place, or a local name (a queryset when the function binds it to one). */
  source?: { query: boolean; name?: string };
  /** A serializer method run once per object: the object's parameter. */
  perItem?: string;
  /** A class with a base named `...Serializer`. */
  serializer?: boolean;
}

type InlineLoop = { kind: string; span: Span; items: string[]; bounded: boolean; source?: { query: boolean; name?: string } };

class Skip extends Error {}

/** The Django queries of a Python module (see the module comment). Never throws. */
export function extractDjangoQueries(path: string, text: string): DjangoQuery[] {
  return scanDjangoQueries(path, text).queries;
}

/** As extractDjangoQueries, with the calls it skipped and why. */
export function scanDjangoQueries(path: string, text: string): DjangoQueryScan {
  const out: DjangoQueryScan = { queries: [], skipped: [] };
  if (text.length > MAX_DJANGO_FILE) {
    out.skipped.push({ reason: 'file too large', span: { start: 0, end: 0 } });
    return out;
  }
  try {
    new Scanner(path, text, out).run();
    out.queries.sort((a, b) => a.span.start - b.span.start);
  } catch (e) {
    out.skipped.push({ reason: `extractor failed: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: 0 } });
  }
  return out;
}

class Scanner {
  private readonly tokens: Token[];
  private readonly closeOf: Int32Array;
  private readonly openerOf: Int32Array;
  private readonly compCache = new Map<number, number[] | null>();
  private stack: Block[] = [];

  constructor(
    readonly path: string,
    readonly text: string,
    readonly out: DjangoQueryScan,
  ) {
    this.tokens = tokenize(text);
    ({ closeOf: this.closeOf, openerOf: this.openerOf } = bracketPairs(this.tokens));
  }

  run(): void {
    const tokens = this.tokens;
    for (const s of statements(tokens)) {
      const col = s.tokens[0].col;
      while (this.stack.length && this.stack[this.stack.length - 1].col >= col) this.pop();
      const first = s.tokens[0].value === 'async' ? s.tokens[1] : s.tokens[0];
      const last = s.tokens[s.tokens.length - 1];
      const end = s.index + s.tokens.length;
      // an inline body (`for x in y: f(x)`): the part after the header's colon runs in the loop
      let inlineFrom = end;
      if (first && (first.value === 'for' || first.value === 'while') && !(last.type === 'op' && last.value === ':')) {
        const colon = s.tokens.findIndex((t) => t.type === 'op' && t.value === ':' && t.depth === s.tokens[0].depth);
        if (colon > 0) inlineFrom = s.index + colon + 1;
      }
      const header = first && (first.value === 'for' || first.value === 'while') ? loopHeader(this.tokens, this.closeOf, s.index + (first === s.tokens[0] ? 0 : 1), end) : undefined;
      this.scanRange(s.index, inlineFrom, end, header && first ? { kind: first.value, span: { start: s.tokens[0].start, end: last.end }, ...header } : undefined);
      this.deriveItems(s.index, end);
      if (last.type === 'op' && last.value === ':' && first && /^(?:def|class|for|while|if|elif|else|try|except|finally|with|match|case)$/.test(first.value)) {
        const kind = first.value === 'def' || first.value === 'class' || first.value === 'for' || first.value === 'while' ? first.value : /^(?:if|elif|else|except|match|case)$/.test(first.value) ? 'cond' : 'other';
        const colon = s.tokens.findIndex((t) => t.type === 'op' && t.value === ':' && t.depth === s.tokens[0].depth);
        const b: Block = { kind, col, span: { start: s.tokens[0].start, end: s.tokens[Math.max(0, colon)].end } };
        if (kind === 'def' || kind === 'class') b.name = (s.tokens[0].value === 'async' ? s.tokens[2] : s.tokens[1])?.value;
        if (kind === 'def') b.bindings = new Map();
        if (header && kind === 'for') Object.assign(b, header);
        if (kind === 'def') b.perItem = this.serializerItem(s.index + (first === s.tokens[0] ? 0 : 1));
        if (kind === 'class') b.serializer = s.tokens.some((t, i) => i > 1 && t.type === 'name' && t.value.endsWith('Serializer') && t.depth > s.tokens[0].depth);
        this.stack.push(b);
      }
    }
    while (this.stack.length) this.pop();
  }

  /** `code = key.removeprefix(...)` in a loop body: names assigned from a loop's item count as its item too. */
  private deriveItems(from: number, to: number): void {
    const t = this.tokens;
    let inner: Block | undefined;
    const items = new Set<string>();
    for (let i = this.stack.length - 1; i >= 0 && this.stack[i].kind !== 'def' && this.stack[i].kind !== 'class'; i--) {
      const b = this.stack[i];
      if (b.kind !== 'for' || b.bounded) continue;
      inner ??= b;
      for (const n of b.items ?? []) items.add(n);
    }
    if (!inner || !items.size || (inner.items?.length ?? 0) > 200) return;
    const eq = findAt(t, from, to, '=', t[from].depth);
    if (eq <= from || t.slice(from, eq).some((x) => x.type !== 'name' && x.value !== ',' && x.value !== '(' && x.value !== ')')) return;
    const reads: string[] = [];
    readNames(this.tokens, eq + 1, to, reads);
    if (reads.some((n) => items.has(n))) inner.items!.push(...loopTargets(t, from, eq));
  }

  private pop(): void {
    const b = this.stack.pop()!;
    if (b.bindings) for (const [, bind] of b.bindings) this.finish(bind);
  }

  private scope(): Block | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i].kind === 'def') return this.stack[i];
    return undefined;
  }

  /** Conditional blocks (if / elif / else / except / case, and loop bodies: zero or more times) between the statement and its function. */
  private condDepth(): number {
    let n = 0;
    for (let i = this.stack.length - 1; i >= 0 && this.stack[i].kind !== 'def'; i--) if (this.stack[i].kind === 'cond' || this.stack[i].kind === 'for' || this.stack[i].kind === 'while') n++;
    return n;
  }

  private enclosingClass(): string | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i].kind === 'class') return this.stack[i].name;
    return undefined;
  }

  /** `def get_<field>(self, obj)` / `to_representation(self, instance)` directly in a serializer class: the object's parameter. */
  private serializerItem(i: number): string | undefined {
    const t = this.tokens;
    const top = this.stack[this.stack.length - 1];
    const name = t[i + 1]?.value ?? '';
    if (!top || top.kind !== 'class' || !top.serializer || !(name === 'to_representation' || (/^get_\w/.test(name) && !SERIALIZER_GETTERS.has(name)))) return undefined;
    if (t[i + 2]?.value !== '(' || t[i + 4]?.value !== ',' || t[i + 5]?.type !== 'name') return undefined;
    return t[i + 5].value;
  }

  /**
   * The innermost loop of the current function that a token sits in (a loop statement or a comprehension), skipping loops over
   * a list / tuple written in the code, with the item names of all the loops around it; then a serializer method's object.
   */
  private loopAt(k: number, inline?: InlineLoop): LoopAt | undefined {
    let found: LoopAt | undefined;
    const items: string[] = [];
    let o = this.openerOf[k];
    for (let g = 0; g < MAX_DEPTH && o >= 0; g++) {
      const c = this.comprehensionAt(o, k);
      if (c && !c.bounded) {
        items.push(...c.items);
        found ??= { kind: 'comprehension', span: { start: this.tokens[o].start, end: this.tokens[this.closeOf[o]]?.end ?? this.tokens[o].end }, items: [] };
      }
      o = this.openerOf[o];
    }
    let source: Block['source'];
    if (inline && !inline.bounded) {
      items.push(...inline.items);
      found ??= { kind: inline.kind === 'while' ? 'while' : 'for', span: inline.span, items: [] };
      source ??= inline.source;
    }
    let def: Block | undefined;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const b = this.stack[i];
      if (b.kind === 'def' || b.kind === 'class') {
        if (b.kind === 'def') def = b;
        break;
      }
      if ((b.kind === 'for' || b.kind === 'while') && !b.bounded) {
        items.push(...(b.items ?? []));
        if (!found) source = b.source;
        found ??= { kind: b.kind, span: b.span, items: [] };
      }
    }
    // The classic N+1 walks the rows of a queryset: one written in place, or a name the function bound to one.
    if (found && source && (source.query || (source.name !== undefined && def?.bindings?.has(source.name)))) found.rows = true;
    if (found) found.items = items;
    else if (def?.perItem) found = { kind: 'for', span: def.span, items: [def.perItem], via: 'serializer-method' };
    return found;
  }

  /** Token k sits in the bracket opened at o, which is a comprehension, outside its first iterable: the targets of the clauses around k. */
  private comprehensionAt(o: number, k: number): { items: string[]; bounded: boolean } | undefined {
    let kws = this.compCache.get(o);
    if (kws === undefined) {
      kws = null;
      const close = this.closeOf[o];
      const d = this.tokens[o].depth + 1;
      const found: number[] = [];
      for (let j = o + 1; j < close && j >= 0; j++) {
        const t = this.tokens[j];
        if (t.depth === d && t.type === 'name' && (t.value === 'for' || t.value === 'if' || t.value === 'in')) found.push(j);
      }
      if (found.some((j) => this.tokens[j].value === 'for')) kws = found;
      this.compCache.set(o, kws);
    }
    if (!kws) return undefined;
    const close = this.closeOf[o] < 0 ? this.tokens.length : this.closeOf[o];
    // the clauses: `for <targets> in <iterable>` up to the next for / if
    const clauses: { items: string[]; bounded: boolean; iterEnd: number }[] = [];
    for (let x = 0; x < kws.length && clauses.length < 50; x++) {
      const f = kws[x];
      if (this.tokens[f].value !== 'for') continue;
      const inAt = kws.find((j) => j > f && this.tokens[j].value === 'in');
      if (inAt === undefined) break;
      const iterEnd = kws.find((j) => j > inAt && this.tokens[j].value !== 'in') ?? close;
      clauses.push({ items: loopTargets(this.tokens, f + 1, inAt), bounded: literalDisplay(this.tokens, this.closeOf, inAt + 1, iterEnd), iterEnd });
    }
    if (!clauses.length) return undefined;
    const firstFor = kws.find((j) => this.tokens[j].value === 'for')!;
    // the element runs for every combination; a later clause's iterable / condition for those of the clauses before it
    const around = k < firstFor ? clauses : clauses.filter((c) => c.iterEnd <= k);
    if (!around.length) return undefined;
    const open = around.filter((c) => !c.bounded);
    return { items: open.flatMap((c) => c.items), bounded: open.length === 0 };
  }

  private span(a: number, b: number): Span {
    return { start: this.tokens[a].start, end: this.tokens[b - 1]?.end ?? this.tokens[a].end };
  }

  /** Scans the tokens [from, to) of one statement for querysets. */
  private scanRange(from: number, inlineFrom: number, to: number, inline?: InlineLoop): void {
    const t = this.tokens;
    const scope = this.scope();
    const stmtAssign = t[from].type === 'name' && t[from + 1]?.type === 'op' && t[from + 1].value === '=' ? t[from].value : undefined;
    let assignedChain = false;
    for (let k = from; k < to; k++) {
      const tok = t[k];
      if (tok.type !== 'name' || (k > from && t[k - 1].type === 'op' && t[k - 1].value === '.')) continue;
      const loop = this.loopAt(k, k >= inlineFrom ? inline : undefined);
      let r: { state: State; end: number } | undefined;
      let fromVar: Binding | undefined;
      let fromVarName: string | undefined;
      try {
        if (tok.value === 'get_object_or_404' || tok.value === 'get_list_or_404') {
          r = this.shortcut(k, scope);
        } else {
          const start = this.chainStart(k, scope);
          if (!start) {
            const bind = scope?.bindings?.get(tok.value);
            if (bind && !(k === from && stmtAssign)) {
              // passed to Prefetch(queryset=qs) / Subquery(qs): part of another query
              if (this.wrappedBy(k)) bind.used = true;
              else if (bind.loop && loop && this.inLoopOf(bind.loop, loop) && !onlyPassed(this.tokens, this.openerOf, this.closeOf, k, k + 1, from, to)) bind.bare = bind.loop;
              else bind.bare = bind.bare ?? true;
            }
            continue;
          }
          fromVar = start.binding;
          fromVarName = fromVar ? tok.value : undefined;
          r = this.chain(start.state, start.next, to);
        }
      } catch (e) {
        if (!(e instanceof Skip)) throw e;
        this.out.skipped.push({ reason: e.message, span: this.span(k, Math.min(to, this.closeStmt(k, to))) });
        const skippedFrom = fromVarName ? scope?.bindings?.get(fromVarName) : undefined;
        if (skippedFrom) skippedFrom.used = true;
        k = this.skipChain(k, to) - 1;
        continue;
      }
      if (!r) continue;
      const span = this.span(k, r.end);
      const wholeRhs = stmtAssign !== undefined && k === from + 2 && r.end === to && scope?.bindings !== undefined;
      // a bare manager (`m = Model.objects` aside): no query
      if (r.state.steps === 0 && !fromVar && !wholeRhs && r.state.method === 'all') {
        k = r.end - 1;
        continue;
      }
      // inside Prefetch(...) / Subquery(...) / Exists(...): part of another query
      const wrapper = this.wrappedBy(k);
      if (wrapper) {
        this.out.skipped.push({ reason: `queryset inside ${wrapper}(...)`, span });
        if (fromVar) fromVar.used = true;
        k = r.end - 1;
        continue;
      }
      if (fromVar) {
        if (wholeRhs && fromVarName === stmtAssign) fromVar.extended = true;
        else fromVar.used = true;
      }
      if (wholeRhs && !r.state.terminal) {
        const old = scope.bindings!.get(stmtAssign);
        if (old && old !== fromVar) this.finish(old);
        else if (old && old.bare) this.finish({ ...old, extended: false });
        let depth = this.condDepth();
        if (fromVar && fromVarName === stmtAssign) {
          // `qs = qs.filter(...)` under an `if`: the filters apply only sometimes
          if (depth > fromVar.depth) r.state.conditionalWhere.push(...r.state.where.splice(fromVar.state.where.length));
          depth = Math.min(depth, fromVar.depth);
        }
        scope.bindings!.set(stmtAssign, { state: r.state, span, loop, used: false, extended: false, depth, fn: scope.name });
        assignedChain = true;
      } else {
        this.emit(r.state, span, r.state.terminal || !onlyPassed(this.tokens, this.openerOf, this.closeOf, k, r.end, from, to) ? loop : undefined, scope?.name);
      }
      k = r.end - 1;
    }
    // `name = <anything else>` ends the binding of the name
    if (stmtAssign && !assignedChain && scope?.bindings?.has(stmtAssign)) {
      this.finish(scope.bindings.get(stmtAssign)!);
      scope.bindings.delete(stmtAssign);
    }
  }

  /** The loop a queryset was bound in is the loop found at a later use, or one around it. */
  private inLoopOf(bound: LoopAt, use: LoopAt): boolean {
    return use.span.start === bound.span.start || this.stack.some((b) => (b.kind === 'for' || b.kind === 'while') && b.span.start === bound.span.start);
  }

  private closeStmt(k: number, to: number): number {
    return Math.max(k + 1, Math.min(to, this.skipChain(k, to)));
  }

  /** The end of a dotted / called / subscripted chain starting at k. */
  private skipChain(k: number, to: number): number {
    const t = this.tokens;
    let p = k + 1;
    for (let g = 0; g < 10_000 && p < to; g++) {
      if (t[p].value === '.' && t[p + 1]?.type === 'name') p += 2;
      else if ((t[p].value === '(' || t[p].value === '[') && this.closeOf[p] > p) p = this.closeOf[p] + 1;
      else break;
    }
    return p;
  }

  private wrappedBy(k: number): string | undefined {
    let o = this.openerOf[k];
    for (let g = 0; g < MAX_DEPTH && o >= 0; g++) {
      const prev = this.tokens[o - 1];
      if (this.tokens[o].value === '(' && prev?.type === 'name' && WRAPPERS.has(prev.value)) return prev.value;
      o = this.openerOf[o];
    }
    return undefined;
  }

  private newState(nameSpan: Span, model?: string): State {
    return { model, where: [], orderBy: [], limited: false, joins: [], prefetch: [], operation: 'select', method: 'all', terminal: false, forUpdate: false, nameSpan, parts: [], steps: 0, conditionalWhere: [], reads: [] };
  }

  /** `Model.objects`, `cls.objects`, `obj.x_set.`, or a bound queryset name at token k. */
  private chainStart(k: number, scope: Block | undefined): { state: State; next: number; binding?: Binding } | undefined {
    const t = this.tokens;
    let p = k;
    const names: Token[] = [t[k]];
    while (t[p + 1]?.value === '.' && t[p + 2]?.type === 'name' && names.length < 20) {
      p += 2;
      names.push(t[p]);
      const nm = t[p].value;
      if (MANAGERS.has(nm) && names.length >= 2) {
        const m = names[names.length - 2];
        const model = m.value === 'cls' && names.length === 2 ? this.enclosingClass() : /^[A-Z]/.test(m.value) ? m.value : undefined;
        if (!model) return undefined;
        return { state: this.newState({ start: m.start, end: t[p].end }, model), next: p + 1 };
      }
      if (/^[a-z]\w*_set$/.test(nm) && t[p + 1]?.value === '.' && (PASS.has(t[p + 2]?.value) || t[p + 2]?.value in TERMINAL)) {
        const owner = names.length === 2 && names[0].value === 'self' ? this.enclosingClass() : undefined;
        const st = this.newState({ start: t[k].start, end: t[p].end });
        st.reads.push(t[k].value);
        st.reverseManager = { accessor: nm, modelLower: nm.slice(0, -4), ...(owner ? { ownerClass: owner } : {}), span: { start: t[k].start, end: t[p].end } };
        return { state: st, next: p + 1 };
      }
    }
    const bind = scope?.bindings?.get(t[k].value);
    const nx = t[k + 1];
    if (bind && nx && ((nx.value === '.' && (PASS.has(t[k + 2]?.value) || t[k + 2]?.value in TERMINAL || INSERTS.has(t[k + 2]?.value)) && t[k + 3]?.value === '(') || nx.value === '[')) {
      const st: State = { ...bind.state, where: [...bind.state.where], orderBy: [...bind.state.orderBy], joins: [...bind.state.joins], prefetch: [...bind.state.prefetch], parts: [...bind.state.parts, bind.span], steps: 0, conditionalWhere: [...bind.state.conditionalWhere], reads: [...bind.state.reads] };
      return { state: st, next: k + 1, binding: bind };
    }
    return undefined;
  }

  /** get_object_or_404(Model | queryset, **lookups). */
  private shortcut(k: number, scope: Block | undefined): { state: State; end: number } | undefined {
    const t = this.tokens;
    const open = k + 1;
    if (t[open]?.value !== '(' || this.closeOf[open] < 0) return undefined;
    const close = this.closeOf[open];
    const args = this.args(open, close);
    const first = args[0];
    if (!first || first.kind !== 'pos') throw new Skip(`${t[k].value} without a model`);
    let state: State;
    if (first.to === first.from + 1 && /^[A-Z]/.test(t[first.from].value)) state = this.newState({ start: t[k].start, end: t[first.from].end }, t[first.from].value);
    else if (first.to === first.from + 1 && scope?.bindings?.has(t[first.from].value)) {
      const bind = scope.bindings.get(t[first.from].value)!;
      bind.used = true;
      state = { ...bind.state, where: [...bind.state.where], orderBy: [...bind.state.orderBy], joins: [...bind.state.joins], prefetch: [...bind.state.prefetch], parts: [...bind.state.parts, bind.span], steps: 0, conditionalWhere: [...bind.state.conditionalWhere], reads: [...bind.state.reads] };
    } else {
      const start = this.chainStart(first.from, scope);
      if (!start) throw new Skip(`${t[k].value}: queryset not followed`);
      if (start.binding) start.binding.used = true;
      const r = this.chain(start.state, start.next, first.to);
      if (r.end !== first.to || r.state.terminal) throw new Skip(`${t[k].value}: queryset not followed`);
      state = r.state;
    }
    this.conditions(state, args.slice(1), false);
    for (const a of args.slice(1)) readNames(this.tokens, a.from, a.to, state.reads);
    state.method = t[k].value;
    state.limited = t[k].value === 'get_object_or_404';
    state.terminal = true;
    return { state, end: close + 1 };
  }

  /** Applies the steps `.method(args)` / `[slice]` from token p. */
  private chain(state: State, p: number, to: number): { state: State; end: number } {
    const t = this.tokens;
    for (let g = 0; g < 200 && p < to && !state.terminal; g++) {
      if (t[p].value === '[' && this.closeOf[p] > p) {
        const close = this.closeOf[p];
        const colon = findAt(this.tokens, p + 1, close, ':', t[p].depth + 1);
        if (colon < 0 || colon + 1 < close) state.limited = true;
        if (colon < 0) state.terminal = true;
        state.steps++;
        p = close + 1;
        continue;
      }
      if (!(t[p].value === '.' && t[p + 1]?.type === 'name' && t[p + 2]?.value === '(' && this.closeOf[p + 2] > 0)) break;
      const m = t[p + 1].value;
      const open = p + 2;
      const close = this.closeOf[open];
      if (INSERTS.has(m)) throw new Skip(`insert .${m}()`);
      if (m === 'none') throw new Skip('.none() runs no query');
      if (!PASS.has(m) && !(m in TERMINAL)) throw new Skip(`method .${m}() not followed`);
      this.step(state, m, this.args(open, close));
      if (m in TERMINAL || m === 'filter' || m === 'exclude') state.method = m;
      // the model and its first method: `Order.objects.filter`
      if (state.steps === 0 && state.parts.length === 0) state.nameSpan = { start: state.nameSpan.start, end: t[p + 1].end };
      state.steps++;
      p = close + 1;
    }
    return { state, end: p };
  }

  private step(s: State, m: string, args: Arg[]): void {
    const t = this.tokens;
    if (m === 'filter' || m === 'exclude' || m === 'get' || m === 'get_or_create' || m === 'update_or_create' || m === 'in_bulk') {
      for (const a of args) if (!(a.kind === 'kw' && a.name === 'defaults')) readNames(this.tokens, a.from, a.to, s.reads);
    }
    switch (m) {
      case 'filter':
      case 'exclude':
      case 'get':
      case 'get_or_create':
      case 'update_or_create':
        this.conditions(s, args.filter((a) => !(a.kind === 'kw' && a.name === 'defaults' && m !== 'filter' && m !== 'exclude' && m !== 'get')), m === 'exclude');
        break;
      case 'order_by':
        s.orderBy = [];
        for (const a of args) {
          if (a.kind !== 'pos') continue;
          const e = readExpr(t, a.from).expr;
          if (e.kind === 'string' && e.value !== '?') s.orderBy.push({ ...orderKey(e.value), span: e.span });
          const f = fExpr(e);
          if (f) s.orderBy.push({ ...orderKey(f.field), desc: f.desc, span: e.span });
        }
        break;
      case 'earliest':
      case 'latest':
        for (const a of args) {
          const e = a.kind === 'pos' ? readExpr(t, a.from).expr : undefined;
          if (e?.kind === 'string') {
            const k = orderKey(e.value);
            s.orderBy = [{ ...k, desc: m === 'latest' ? !k.desc : k.desc, span: e.span }];
          }
        }
        break;
      case 'select_related':
      case 'prefetch_related':
        for (const a of args) {
          if (a.kind !== 'pos') continue;
          const e = readExpr(t, a.from).expr;
          const rel = e.kind === 'string' ? e.value : e.kind === 'call' && e.callee.kind === 'name' && e.callee.name === 'Prefetch' && e.args[0]?.kind === 'string' ? e.args[0].value : undefined;
          if (rel === undefined) continue;
          (m === 'select_related' ? s.joins : s.prefetch).push({ relation: rel, span: e.span });
        }
        break;
      case 'select_for_update':
        s.forUpdate = true;
        break;
      case 'in_bulk':
        if (args[0]?.kind === 'pos') s.where.push({ field: this.kwString(args, 'field_name') ?? 'pk', via: [], op: 'eq', span: this.span(args[0].from, args[0].to) });
        break;
    }
    if (m in TERMINAL) {
      s.operation = TERMINAL[m];
      s.terminal = true;
      if (/^(?:get|first|last|earliest|latest|get_or_create|update_or_create)$/.test(m)) s.limited = true;
    }
  }

  private kwString(args: Arg[], name: string): string | undefined {
    const a = args.find((x) => x.kind === 'kw' && x.name === name);
    const e = a ? readExpr(this.tokens, a.from).expr : undefined;
    return e?.kind === 'string' ? e.value : undefined;
  }

  /** Adds the lookups and Q arguments of a filter-like call. */
  private conditions(s: State, args: Arg[], negate: boolean): void {
    const added: OrmCondition[] = [];
    for (const a of args) {
      if (a.kind === 'star' || a.kind === 'dstar') throw new Skip('filter arguments built elsewhere (*args / **kwargs)');
      if (a.kind === 'kw') {
        const c = this.lookup(a.name!, a.nameFrom!, a.from, a.to);
        if (c) added.push(c);
      } else {
        const q = this.q(a.from, a.to, 0);
        if (!q) throw new Skip('filter argument not a Q(...) expression');
        added.push(...q);
      }
    }
    if (negate) {
      if (added.length === 1 && !('or' in added[0]) && (added[0].value === 'null' || added[0].value === 'not-null') && added[0].op !== 'range') {
        const c = added[0];
        s.where.push(c.value === 'null' ? { ...c, op: 'other', value: 'not-null' } : { ...c, op: 'eq', value: 'null' });
      } else s.where.push(...added.map(negated));
    } else s.where.push(...added);
  }

  /** `field__path__lookup=value` → a condition; undefined when it names nothing. */
  private lookup(name: string, nameFrom: number, from: number, to: number): OrmFieldCondition | undefined {
    const parts = name.split('__');
    if (parts.some((p) => !p)) return undefined;
    let lookup = 'exact';
    if (parts.length > 1 && (EQ.has(parts[parts.length - 1]) || RANGE.has(parts[parts.length - 1]) || PREFIX.has(parts[parts.length - 1]) || OTHER.has(parts[parts.length - 1]))) lookup = parts.pop()!;
    let transformed = false;
    while (parts.length > 1 && TRANSFORMS.has(parts[parts.length - 1])) {
      parts.pop();
      transformed = true;
    }
    const field = parts.pop()!;
    const span = this.span(nameFrom, to);
    const v = readExpr(this.tokens, from);
    const e: PyExpr | undefined = v.next === to ? v.expr : undefined;
    const c: OrmFieldCondition = { field, via: parts, op: 'other', span };
    if (transformed) return c;
    if (lookup === 'isnull') {
      if (e?.kind === 'const' && e.value === true) return { ...c, op: 'eq', value: 'null' };
      if (e?.kind === 'const' && e.value === false) return { ...c, op: 'other', value: 'not-null' };
      return c;
    }
    c.op = EQ.has(lookup) ? 'eq' : RANGE.has(lookup) ? 'range' : PREFIX.has(lookup) ? 'prefix' : 'other';
    const sqlOp = sqlOpOf(lookup);
    if (sqlOp && sqlOp !== 'LIKE') c.sqlOp = sqlOp;
    if (lookup.startsWith('i') && lookup !== 'in' && lookup !== 'isnull') c.insensitive = true;
    if (lookup === 'exact' || lookup === 'iexact') {
      if (e?.kind === 'const') c.value = e.value === null ? 'null' : String(e.value);
      else if (e?.kind === 'string') c.value = `'${e.value.replace(/'/g, "''")}'`;
      else if (e?.kind === 'number') c.value = String(e.value);
    }
    return c;
  }

  /** A Q expression over tokens [from, to): `Q(...)`, `~Q`, `|`, `&`, parentheses. Undefined when not one. */
  private q(from: number, to: number, depth: number): OrmCondition[] | undefined {
    const t = this.tokens;
    if (from >= to || depth > MAX_DEPTH) return undefined;
    const d = t[from].depth;
    const split = (op: string): number[] => {
      const at: number[] = [];
      for (let j = from; j < to; j++) if (t[j].value === op && t[j].depth === d && t[j].type === 'op') at.push(j);
      return at;
    };
    const ors = split('|');
    if (ors.length) {
      const branches: OrmCondition[][] = [];
      let a = from;
      for (const b of [...ors, to]) {
        const part = this.q(a, b, depth + 1);
        if (!part) return undefined;
        branches.push(part);
        a = b + 1;
      }
      return [{ or: branches, span: this.span(from, to) }];
    }
    const ands = split('&');
    if (ands.length) {
      const all: OrmCondition[] = [];
      let a = from;
      for (const b of [...ands, to]) {
        const part = this.q(a, b, depth + 1);
        if (!part) return undefined;
        all.push(...part);
        a = b + 1;
      }
      return all;
    }
    if (t[from].value === '~') {
      const inner = this.q(from + 1, to, depth + 1);
      return inner?.map(negated);
    }
    if (t[from].value === '(' && this.closeOf[from] === to - 1) return this.q(from + 1, to - 1, depth + 1);
    // Q(...) or models.Q(...)
    let p = from;
    if (t[p].value === 'models' && t[p + 1]?.value === '.') p += 2;
    if (t[p]?.value !== 'Q' || t[p + 1]?.value !== '(' || this.closeOf[p + 1] !== to - 1) return undefined;
    const out: OrmCondition[] = [];
    for (const a of this.args(p + 1, to - 1)) {
      if (a.kind === 'star' || a.kind === 'dstar') return undefined;
      if (a.kind === 'kw') {
        const c = this.lookup(a.name!, a.nameFrom!, a.from, a.to);
        if (c) out.push(c);
      } else {
        const inner = this.q(a.from, a.to, depth + 1);
        if (!inner) return undefined;
        out.push(...inner);
      }
    }
    return out;
  }

  /** The arguments between the brackets at `open` and `close`. */
  private args(open: number, close: number): Arg[] {
    const t = this.tokens;
    const d = t[open].depth + 1;
    const out: Arg[] = [];
    let a = open + 1;
    for (let j = open + 1; j <= close; j++) {
      if (j < close && !(t[j].value === ',' && t[j].depth === d)) continue;
      if (j > a) {
        const first = t[a];
        if (first.value === '**') out.push({ kind: 'dstar', from: a + 1, to: j });
        else if (first.value === '*') out.push({ kind: 'star', from: a + 1, to: j });
        else if (first.type === 'name' && t[a + 1]?.value === '=' && a + 2 < j) out.push({ kind: 'kw', name: first.value, nameFrom: a, from: a + 2, to: j });
        else out.push({ kind: 'pos', from: a, to: j });
      }
      a = j + 1;
    }
    return out;
  }

  private finish(b: Binding): void {
    if (b.bare || (!b.used && !b.extended)) this.emit(b.state, b.span, b.bare && b.bare !== true ? b.bare : undefined, b.fn);
    b.used = true;
    b.extended = true;
    b.bare = undefined;
  }

  private emit(s: State, span: Span, loop: LoopAt | undefined, fn: string | undefined): void {
    const q: DjangoQuery = { orm: 'django', operation: s.operation, method: s.method, span, nameSpan: s.nameSpan, where: s.where, orderBy: s.orderBy, limited: s.limited, joins: s.joins };
    if (s.model) q.model = s.model;
    if (fn) q.functionName = fn;
    if (loop) {
      q.inLoop = { kind: loop.kind, span: loop.span, usesItem: loop.items.some((n) => s.reads.includes(n)), ...(loop.rows || loop.via === 'serializer-method' ? { overQueryRows: true } : {}) };
      if (loop.via) q.inLoopVia = loop.via;
    }
    if (s.prefetch.length) q.prefetch = s.prefetch;
    if (s.reverseManager) q.reverseManager = s.reverseManager;
    if (s.forUpdate) q.forUpdate = true;
    if (s.parts.length) q.parts = [...s.parts, span];
    if (s.conditionalWhere.length) q.conditionalWhere = s.conditionalWhere;
    this.out.queries.push(q);
  }
}

interface Arg {
  kind: 'kw' | 'pos' | 'star' | 'dstar';
  name?: string;
  nameFrom?: number;
  from: number;
  to: number;
}

function negated(c: OrmCondition): OrmCondition {
  if ('or' in c) return { ...c, or: c.or.map((b) => b.map(negated)) };
  return { ...c, op: 'other' };
}

/** `F('x')`, `F('x').desc()`, `F('x').asc()`. */
function fExpr(e: PyExpr): { field: string; desc: boolean } | undefined {
  if (e.kind === 'call' && e.callee.kind === 'name' && e.callee.name === 'F' && e.args[0]?.kind === 'string') return { field: e.args[0].value, desc: false };
  if (e.kind === 'call' && e.callee.kind === 'attr' && (e.callee.name === 'desc' || e.callee.name === 'asc')) {
    const inner = fExpr(e.callee.object);
    return inner ? { field: inner.field, desc: e.callee.name === 'desc' } : undefined;
  }
  return undefined;
}
