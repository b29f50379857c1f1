/**
 * SQLAlchemy queries in application code → OrmQuery (orm 'sqlalchemy').
 *
 * Read: the legacy Query API — `session.query(User)` (`db.session.query`, `self.session.query`,
 * `db.query` …) and Flask-SQLAlchemy's `User.query` (`cls.query` in a classmethod) — with filter /
 * filter_by / order_by / limit / offset / `[a:b]` / join / outerjoin / options (joinedload: a join;
 * selectinload / subqueryload: a second query) and a terminal all / first / one / one_or_none / scalar /
 * get / count / delete / update / first_or_404 / get_or_404 / paginate; 2.0-style statements —
 * `select(User).where(…)`, `update(User).where(…).values(…)`, `delete(User).where(…)`,
 * `select(func.count()).select_from(User)` — when a session runs them (`session.execute(…)`,
 * `session.scalars(…)`, `session.scalar(…)`, `db.paginate(…)`, `db.first_or_404(…)`), inline or through
 * a local name; `session.get(User, id)` / `db.get_or_404(User, id)`. Conditions: sqlalchemy-conditions.ts.
 *
 * A legacy Query bound to a local name (`q = User.query.filter(…)`, `q = q.filter(…)`, `q.all()`) is
 * followed like a Django queryset: one query when it is used as a whole (iterated, returned, passed),
 * and one per terminal call. A statement runs only where a session executes it: a statement built and
 * returned, or used inside another (`.in_(select(…))`, `.subquery()`, `.exists()`), is not a query here.
 * Skipped: a filter not followed whole (`filter(*conds)`, `filter(text(…))`, a variable holding the
 * conditions, `.any()` / `.has()`), custom Query methods, several entities (`session.query(User, Team)`).
 *
 * `inLoop` / `usesItem` / `overQueryRows` and `functionName` as the Django extractor sets them. Never throws.
 */
import type { Span } from '../types.js';
import type { OrmCondition, OrmQuery } from './model.js';
import { bracketPairs, statements, tokenize, type Token } from '../../../lang/python/tokenize.js';
import { findAt, literalDisplay, loopHeader, loopTargets, onlyPassed, readNames } from './django-loops.js';
import { MAX_SQLALCHEMY_FILE } from './sqlalchemy-models.js';
import { argRanges, keywordCondition, readConditions, skipModules } from './sqlalchemy-conditions.js';

export interface SqlalchemyQuery extends OrmQuery {
  /** The chain was built over several statements: the spans of each part, first first. */
  parts?: Span[];
  /** Filters added by `q = q.filter(...)` under an `if` or in a loop body: on some paths only. */
  conditionalWhere?: OrmCondition[];
  /** selectinload / subqueryload: loaded by a second query per relation, not a join. */
  loads?: { relation: string; span: Span }[];
  forUpdate?: boolean;
}

export interface SqlalchemyQueryScan {
  queries: SqlalchemyQuery[];
  skipped: { reason: string; span: Span }[];
}

type Op = OrmQuery['operation'];
type Loop = NonNullable<OrmQuery['inLoop']>;
type LoopAt = Loop & { items: string[]; rows?: boolean };

interface State {
  kind: 'query' | 'stmt';
  model?: string;
  where: OrmCondition[];
  orderBy: OrmQuery['orderBy'];
  limited: boolean;
  joins: OrmQuery['joins'];
  loads: { relation: string; span: Span }[];
  operation: Op;
  method: string;
  terminal: boolean;
  /** A 2.0 statement a session ran. */
  executed: boolean;
  forUpdate: boolean;
  nameSpan: Span;
  parts: Span[];
  steps: number;
  conditionalWhere: OrmCondition[];
  reads: string[];
}

interface Binding {
  state: State;
  span: Span;
  used: boolean;
  extended: boolean;
  bare?: LoopAt | true;
  loop?: LoopAt;
  fn?: string;
  depth: number;
}

interface Block {
  kind: 'def' | 'class' | 'for' | 'while' | 'cond' | 'other';
  col: number;
  span: Span;
  name?: string;
  bindings?: Map<string, Binding>;
  /** Names bound to the rows of a query (`users = User.query.all()`). */
  rowNames?: Set<string>;
  items?: string[];
  bounded?: boolean;
  /** What a `for` walks: a query in place, and the names its iterable reads (`users` in `enumerate(users.order_by(…))`). */
  source?: { query: boolean; names: string[] };
}

type InlineLoop = { kind: string; span: Span; items: string[]; bounded: boolean; source?: { query: boolean; names: string[] } };

class Skip extends Error {}

const MAX_DEPTH = 100;
const Q_PASS = new Set(['filter', 'filter_by', 'where', 'order_by', 'limit', 'offset', 'slice', 'join', 'outerjoin', 'options', 'distinct', 'with_entities', 'add_columns', 'add_entity', 'group_by', 'having', 'with_for_update', 'execution_options', 'enable_eagerloads', 'select_from', 'yield_per', 'populate_existing', 'autoflush', 'correlate', 'reset_joinpoint', 'with_session', 'join_from', 'values', 'returning', 'fetch', 'with_only_columns', 'ordered_values']);
const Q_TERMINAL: Record<string, Op> = {
  all: 'select', first: 'select', one: 'select', one_or_none: 'select', scalar: 'select', get: 'select', count: 'count', delete: 'delete', update: 'update',
  first_or_404: 'select', one_or_404: 'select', get_or_404: 'select', paginate: 'select',
};
/** Methods that make a query part of another one (a subquery, EXISTS, a CTE, a UNION). */
const NESTED = new Set(['subquery', 'scalar_subquery', 'as_scalar', 'exists', 'cte', 'alias', 'label', 'union', 'union_all', 'except_', 'intersect', 'from_self', 'lateral', 'statement', 'selectable']);
const EXECUTORS = new Set(['execute', 'scalars', 'scalar', 'stream', 'stream_scalars', 'paginate', 'first_or_404', 'one_or_404']);
const RESULT = new Set(['scalars', 'all', 'first', 'one', 'one_or_none', 'scalar_one', 'scalar_one_or_none', 'scalar', 'unique', 'fetchall', 'fetchone', 'fetchmany', 'mappings', 'partitions', 'tuples', 'columns', 'freeze']);
const LOADS_JOIN = new Set(['joinedload', 'contains_eager']);
const LOADS_SEPARATE = new Set(['selectinload', 'subqueryload', 'immediateload']);

/** A session (or Flask-SQLAlchemy's `db`): the object `.query(` / `.execute(` / `.get(` are called on. */
function sessionLike(name: string): boolean {
  const n = name.toLowerCase();
  return n.includes('session') || n === 'db' || n === 's' || n === 'sess' || n === 'conn' || n === 'connection' || n === 'database';
}

/** The SQLAlchemy queries of a Python module (see the module comment). Never throws. */
export function extractSqlalchemyQueries(path: string, text: string): SqlalchemyQuery[] {
  return scanSqlalchemyQueries(path, text).queries;
}

export function scanSqlalchemyQueries(_path: string, text: string): SqlalchemyQueryScan {
  const out: SqlalchemyQueryScan = { queries: [], skipped: [] };
  if (text.length > MAX_SQLALCHEMY_FILE) {
    out.skipped.push({ reason: 'file too large', span: { start: 0, end: 0 } });
    return out;
  }
  try {
    new Scanner(text, out).run();
    out.queries.sort((a, b) => a.span.start - b.span.start);
  } catch (e) {
    out.skipped.push({ reason: `extractor failed: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: 0 } });
  }
  return out;
}

/** A cheap test before scanning a module. */
export function mayHaveSqlalchemyQueries(text: string): boolean {
  return text.includes('.query') || text.includes('select(') || text.includes('.execute(') || text.includes('.scalars(') || text.includes('.get(') || text.includes('_or_404(') || text.includes('.paginate(');
}

class Scanner {
  readonly tokens: Token[];
  private readonly closeOf: Int32Array;
  private readonly openerOf: Int32Array;
  private readonly compCache = new Map<number, number[] | null>();
  private stack: Block[] = [];

  constructor(
    readonly text: string,
    readonly out: SqlalchemyQueryScan,
  ) {
    this.tokens = tokenize(text);
    ({ closeOf: this.closeOf, openerOf: this.openerOf } = bracketPairs(this.tokens));
  }

  run(): void {
    for (const s of statements(this.tokens)) {
      const col = s.tokens[0].col;
      while (this.stack.length && this.stack[this.stack.length - 1].col >= col) this.pop();
      const first = s.tokens[0].value === 'async' ? s.tokens[1] : s.tokens[0];
      const last = s.tokens[s.tokens.length - 1];
      const end = s.index + s.tokens.length;
      const isLoop = !!first && (first.value === 'for' || first.value === 'while');
      let inlineFrom = end;
      if (isLoop && !(last.type === 'op' && last.value === ':')) {
        const colon = s.tokens.findIndex((t) => t.type === 'op' && t.value === ':' && t.depth === s.tokens[0].depth);
        if (colon > 0) inlineFrom = s.index + colon + 1;
      }
      const header = isLoop ? this.header(s.index + (first === s.tokens[0] ? 0 : 1), end) : undefined;
      this.scanRange(s.index, inlineFrom, end, header && first ? { kind: first.value, span: { start: s.tokens[0].start, end: last.end }, ...header } : undefined);
      if (last.type === 'op' && last.value === ':' && first && /^(?:def|class|for|while|if|elif|else|try|except|finally|with|match|case)$/.test(first.value)) {
        const kind = first.value === 'def' || first.value === 'class' || first.value === 'for' || first.value === 'while' ? first.value : /^(?:if|elif|else|except|match|case)$/.test(first.value) ? 'cond' : 'other';
        const colon = s.tokens.findIndex((t) => t.type === 'op' && t.value === ':' && t.depth === s.tokens[0].depth);
        const b: Block = { kind, col, span: { start: s.tokens[0].start, end: s.tokens[Math.max(0, colon)].end } };
        if (kind === 'def' || kind === 'class') b.name = (s.tokens[0].value === 'async' ? s.tokens[2] : s.tokens[1])?.value;
        if (kind === 'def') {
          b.bindings = new Map();
          b.rowNames = new Set();
        }
        if (header && kind === 'for') Object.assign(b, header);
        this.stack.push(b);
      }
    }
    while (this.stack.length) this.pop();
  }

  /** A loop header: its targets, whether it walks a literal display, and what it walks (a query in place, or a name). */
  private header(i: number, end: number): { items: string[]; bounded: boolean; source?: { query: boolean; names: string[] } } {
    const h = loopHeader(this.tokens, this.closeOf, i, end);
    const t = this.tokens;
    const inAt = t[i]?.value === 'for' ? findAt(t, i + 1, end, 'in', t[i].depth) : -1;
    if (inAt < 0) return { items: h.items, bounded: h.bounded };
    let colon = findAt(t, inAt + 1, end, ':', t[i].depth);
    if (colon < 0) colon = end;
    let query = false;
    const names: string[] = [];
    for (let j = inAt + 1; j < colon && j < inAt + 200; j++) {
      if (t[j].type !== 'name') continue;
      if (t[j - 1]?.value === '.' && /^(?:query|scalars|execute|all)$/.test(t[j].value)) query = true;
      if (t[j - 1]?.value !== '.') names.push(t[j].value);
    }
    return { items: h.items, bounded: h.bounded, source: { query, names } };
  }

  private pop(): void {
    const b = this.stack.pop()!;
    if (b.bindings) for (const [, bind] of b.bindings) this.finish(bind);
  }

  private scope(): Block | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i].kind === 'def') return this.stack[i];
    return undefined;
  }

  private condDepth(): number {
    let n = 0;
    for (let i = this.stack.length - 1; i >= 0 && this.stack[i].kind !== 'def'; i--) if (this.stack[i].kind === 'cond' || this.stack[i].kind === 'for' || this.stack[i].kind === 'while') n++;
    return n;
  }

  private enclosingClass(): string | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i].kind === 'class') return this.stack[i].name;
    return undefined;
  }

  /** The innermost loop of the current function around token k (a loop statement or a comprehension), with the item names of all of them. */
  private loopAt(k: number, inline?: InlineLoop): LoopAt | undefined {
    let found: LoopAt | undefined;
    let source: Block['source'];
    const items: string[] = [];
    let o = this.openerOf[k];
    for (let g = 0; g < MAX_DEPTH && o >= 0; g++) {
      const c = this.comprehensionAt(o, k);
      if (c && !c.bounded) {
        items.push(...c.items);
        if (!found) source = { query: false, names: c.names };
        found ??= { kind: 'comprehension', span: { start: this.tokens[o].start, end: this.tokens[this.closeOf[o]]?.end ?? this.tokens[o].end }, items: [] };
      }
      o = this.openerOf[o];
    }
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
    // The classic N+1 walks the rows of a query: one written in place, or a name the function bound to a query or its rows.
    if (found && source && (source.query || source.names.some((n) => def?.bindings?.has(n) || def?.rowNames?.has(n)))) found.rows = true;
    if (found) found.items = items;
    return found;
  }

  /** Token k sits in the bracket opened at o, a comprehension, outside its first iterable: the targets of the clauses around k. */
  private comprehensionAt(o: number, k: number): { items: string[]; bounded: boolean; names: string[] } | undefined {
    const t = this.tokens;
    let kws = this.compCache.get(o);
    if (kws === undefined) {
      kws = null;
      const close = this.closeOf[o];
      const d = t[o].depth + 1;
      const found: number[] = [];
      for (let j = o + 1; j < close && j >= 0; j++) if (t[j].depth === d && t[j].type === 'name' && (t[j].value === 'for' || t[j].value === 'if' || t[j].value === 'in')) found.push(j);
      if (found.some((j) => t[j].value === 'for')) kws = found;
      this.compCache.set(o, kws);
    }
    if (!kws) return undefined;
    const close = this.closeOf[o] < 0 ? t.length : this.closeOf[o];
    const clauses: { items: string[]; bounded: boolean; iterEnd: number; names: string[] }[] = [];
    for (let x = 0; x < kws.length && clauses.length < 50; x++) {
      const f = kws[x];
      if (t[f].value !== 'for') continue;
      const inAt = kws.find((j) => j > f && t[j].value === 'in');
      if (inAt === undefined) break;
      const iterEnd = kws.find((j) => j > inAt && t[j].value !== 'in') ?? close;
      const names: string[] = [];
      for (let j = inAt + 1; j < iterEnd && names.length < 50; j++) if (t[j].type === 'name' && t[j - 1]?.value !== '.') names.push(t[j].value);
      clauses.push({ items: loopTargets(t, f + 1, inAt), bounded: literalDisplay(t, this.closeOf, inAt + 1, iterEnd), iterEnd, names });
    }
    if (!clauses.length) return undefined;
    const firstFor = kws.find((j) => t[j].value === 'for')!;
    const around = k < firstFor ? clauses : clauses.filter((c) => c.iterEnd <= k);
    if (!around.length) return undefined;
    const open = around.filter((c) => !c.bounded);
    return { items: open.flatMap((c) => c.items), bounded: open.length === 0, names: open.flatMap((c) => c.names) };
  }

  private span(a: number, b: number): Span {
    return { start: this.tokens[a].start, end: this.tokens[b - 1]?.end ?? this.tokens[a].end };
  }

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
        const start = this.chainStart(k, scope);
        if (!start) {
          const bind = scope?.bindings?.get(tok.value);
          if (bind && !(k === from && stmtAssign)) {
            if (bind.loop && loop && this.inLoopOf(bind.loop, loop) && !onlyPassed(t, this.openerOf, this.closeOf, k, k + 1, from, to)) bind.bare = bind.loop;
            else bind.bare = bind.bare ?? true;
          }
          continue;
        }
        fromVar = start.binding;
        fromVarName = fromVar ? tok.value : undefined;
        r = this.chain(start.state, start.next, to);
      } catch (e) {
        if (!(e instanceof Skip)) throw e;
        const end = this.skipChain(k, to);
        this.out.skipped.push({ reason: e.message, span: this.span(k, Math.max(k + 1, Math.min(to, end))) });
        const skippedFrom = fromVarName ? scope?.bindings?.get(fromVarName) : scope?.bindings?.get(tok.value);
        if (skippedFrom) skippedFrom.used = true;
        k = end - 1;
        continue;
      }
      const span = this.span(k, r.end);
      const wholeRhs = stmtAssign !== undefined && k === from + 2 && r.end === to && scope?.bindings !== undefined;
      // a bare `User.query` / `select(User)` aside: no query (yet)
      if (r.state.steps === 0 && !fromVar && !wholeRhs && !r.state.terminal) {
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
        let depth = this.condDepth();
        if (fromVar && fromVarName === stmtAssign) {
          if (depth > fromVar.depth) r.state.conditionalWhere.push(...r.state.where.splice(fromVar.state.where.length));
          depth = Math.min(depth, fromVar.depth);
        }
        scope.bindings!.set(stmtAssign, { state: r.state, span, loop, used: false, extended: false, depth, fn: scope.name });
        assignedChain = true;
      } else if (r.state.kind === 'query' || r.state.executed) {
        this.emit(r.state, span, r.state.terminal || !onlyPassed(t, this.openerOf, this.closeOf, k, r.end, from, to) ? loop : undefined, scope?.name);
        if (stmtAssign && wholeRhs && r.state.operation === 'select') scope.rowNames?.add(stmtAssign);
      }
      k = r.end - 1;
    }
    if (stmtAssign && !assignedChain && scope?.bindings?.has(stmtAssign)) {
      this.finish(scope.bindings.get(stmtAssign)!);
      scope.bindings.delete(stmtAssign);
    }
  }

  private inLoopOf(bound: LoopAt, use: LoopAt): boolean {
    return use.span.start === bound.span.start || this.stack.some((b) => (b.kind === 'for' || b.kind === 'while') && b.span.start === bound.span.start);
  }

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

  private newState(kind: State['kind'], nameSpan: Span, model?: string): State {
    return { kind, model, where: [], orderBy: [], limited: false, joins: [], loads: [], operation: 'select', method: kind === 'query' ? 'all' : 'execute', terminal: false, executed: false, forUpdate: false, nameSpan, parts: [], steps: 0, conditionalWhere: [], reads: [] };
  }

  private copy(b: Binding): State {
    const s = b.state;
    return { ...s, where: [...s.where], orderBy: [...s.orderBy], joins: [...s.joins], loads: [...s.loads], parts: [...s.parts, b.span], steps: 0, conditionalWhere: [...s.conditionalWhere], reads: [...s.reads] };
  }

  /** The entities of `session.query(…)` / `select(…)`: one model (or none: `func.count()`), and whether they count. */
  private entities(open: number, close: number): { model?: string; op: Op } {
    const t = this.tokens;
    const models = new Set<string>();
    let op: Op = 'select';
    const args = argRanges(this, open, close);
    for (const [from, b] of args) {
      const a = skipModules(t, from, b);
      if (t[a].type === 'name' && t[a].value === 'func' && t[a + 1]?.value === '.' && t[a + 2]?.type === 'name') {
        if (args.length === 1) op = t[a + 2].value === 'count' ? 'count' : 'aggregate';
        for (let j = a + 3; j < b; j++) if (t[j].type === 'name' && /^[A-Z]/.test(t[j].value) && t[j + 1]?.value === '.' && t[j - 1]?.value !== '.') models.add(t[j].value);
        continue;
      }
      const first = t[a];
      if (first.type === 'name' && (first.value === 'cls' || /^[A-Z]/.test(first.value)) && (b === a + 1 || t[a + 1]?.value === '.')) {
        const m = first.value === 'cls' ? this.enclosingClass() : first.value;
        if (!m) throw new Skip('entity not followed');
        models.add(m);
        continue;
      }
      if (first.type === 'name' && /^(?:distinct|literal_column|literal)$/.test(first.value)) continue;
      throw new Skip('entity not followed');
    }
    if (models.size > 1) throw new Skip('several entities (an implicit join)');
    return { model: [...models][0], op };
  }

  /** Where a query chain starts at token k (see the module comment), or undefined. */
  private chainStart(k: number, scope: Block | undefined): { state: State; next: number; binding?: Binding } | undefined {
    const t = this.tokens;
    if (t[k - 1]?.type === 'name' && (t[k - 1].value === 'def' || t[k - 1].value === 'class')) return undefined;
    let p = k;
    const names: Token[] = [t[k]];
    for (;;) {
      const nm = t[p].value;
      const prev = names.length >= 2 ? names[names.length - 2].value : undefined;
      const call = t[p + 1]?.value === '(' && this.closeOf[p + 1] > p;
      // Model.query (Flask-SQLAlchemy), models.Model.query
      if (nm === 'query' && names.length >= 2 && !call && names.slice(0, -2).every((x) => /^[a-z_]/.test(x.value))) {
        const m = names[names.length - 2];
        const model = m.value === 'cls' ? this.enclosingClass() : /^[A-Z]/.test(m.value) ? m.value : undefined;
        if (!model) return undefined;
        return { state: this.newState('query', { start: m.start, end: t[p].end }, model), next: p + 1 };
      }
      if (call && prev !== undefined && sessionLike(prev)) {
        const open = p + 1;
        const close = this.closeOf[open];
        if (nm === 'query') {
          const ent = this.entities(open, close);
          const st = this.newState('query', { start: t[k].start, end: t[close].end }, ent.model);
          st.operation = ent.op;
          if (!ent.model) throw new Skip('query entity not followed');
          return { state: st, next: close + 1 };
        }
        if (nm === 'get' || nm === 'get_or_404') return this.sessionGet(k, p, open, close);
        if (EXECUTORS.has(nm)) return this.executed(p, open, close, scope);
      }
      if (names.length === 1 || (names.length === 2 && /^(?:sa|sqlalchemy|db)$/.test(names[0].value))) {
        if (call && (nm === 'select' || nm === 'update' || nm === 'delete')) {
          const open = p + 1;
          const close = this.closeOf[open];
          let ent: { model?: string; op: Op };
          try {
            ent = this.entities(open, close);
          } catch (e) {
            // update(obj) / delete(x): some other function of the same name
            if (nm !== 'select') return undefined;
            throw e;
          }
          if (nm !== 'select' && (!ent.model || argRanges(this, open, close).length !== 1)) return undefined;
          const st = this.newState('stmt', { start: t[k].start, end: t[close].end }, ent.model);
          st.operation = nm === 'select' ? ent.op : nm;
          return { state: st, next: close + 1 };
        }
      }
      if (!(t[p + 1]?.value === '.' && t[p + 2]?.type === 'name') || names.length >= 20) break;
      p += 2;
      names.push(t[p]);
    }
    const bind = scope?.bindings?.get(t[k].value);
    const nx = t[k + 1];
    if (bind && nx && ((nx.value === '.' && t[k + 2]?.type === 'name' && t[k + 3]?.value === '(') || (nx.value === '[' && bind.state.kind === 'query'))) {
      const m = t[k + 2]?.value ?? '';
      if (nx.value === '.' && !(Q_PASS.has(m) || m in Q_TERMINAL || NESTED.has(m))) return undefined;
      return { state: this.copy(bind), next: k + 1, binding: bind };
    }
    return undefined;
  }

  /** `session.get(User, id)` / `db.get_or_404(User, id)`: a primary key lookup. */
  private sessionGet(k: number, p: number, open: number, close: number): { state: State; next: number } | undefined {
    const t = this.tokens;
    const args = argRanges(this, open, close);
    const [from, b] = args[0] ?? [open, open];
    const a = skipModules(t, from, b);
    if (args.length < 2 || b !== a + 1 || !/^[A-Z]/.test(t[a].value)) return undefined;
    const st = this.newState('query', { start: t[k].start, end: t[p].end }, t[a].value);
    st.where.push({ field: 'pk', via: [], op: 'eq', span: this.span(args[1][0], args[1][1]) });
    readNames(t, args[1][0], args[1][1], st.reads);
    st.method = t[p].value;
    // a primary key lookup: one row, and no LIMIT in the SQL
    st.terminal = true;
    st.steps = 1;
    return { state: st, next: close + 1 };
  }

  /** `session.execute(stmt)` / `scalars` / `scalar` / `db.paginate(stmt)`…: a statement written in place or bound to a local name. */
  private executed(p: number, open: number, close: number, scope: Block | undefined): { state: State; next: number; binding?: Binding } | undefined {
    const t = this.tokens;
    const args = argRanges(this, open, close);
    if (!args.length) return undefined;
    const [a, b] = args[0];
    let state: State;
    let binding: Binding | undefined;
    const bind = b === a + 1 ? scope?.bindings?.get(t[a].value) : undefined;
    if (bind && bind.state.kind === 'stmt') {
      binding = bind;
      state = this.copy(bind);
    } else {
      const start = t[a].type === 'name' ? this.chainStart(a, scope) : undefined;
      if (!start || start.state.kind !== 'stmt') return undefined;
      if (start.binding) binding = start.binding;
      const r = this.chain(start.state, start.next, b);
      if (r.end !== b) throw new Skip('statement not followed');
      state = r.state;
    }
    readNames(t, open + 1, close, state.reads);
    state.executed = true;
    state.terminal = true;
    state.method = t[p].value;
    if (t[p].value === 'paginate') state.limited = true;
    state.steps++;
    if (binding) binding.used = true;
    return { state, next: close + 1 };
  }

  private chain(state: State, p: number, to: number): { state: State; end: number } {
    const t = this.tokens;
    for (let g = 0; g < 200 && p < to; g++) {
      if (state.executed) {
        // the result of a statement a session ran: .scalars().all(), .scalar_one(), .first()…
        if (!(t[p].value === '.' && t[p + 1]?.type === 'name' && t[p + 2]?.value === '(' && RESULT.has(t[p + 1].value))) break;
        if (/^(?:all|first|one|one_or_none|scalar_one|scalar_one_or_none|scalar)$/.test(t[p + 1].value)) state.method = t[p + 1].value;
        p = this.closeOf[p + 2] + 1;
        continue;
      }
      if (state.terminal) break;
      if (t[p].value === '[' && this.closeOf[p] > p && state.kind === 'query') {
        const close = this.closeOf[p];
        const colon = findAt(t, p + 1, close, ':', t[p].depth + 1);
        state.limited = true;
        if (colon < 0) state.terminal = true;
        state.steps++;
        p = close + 1;
        continue;
      }
      if (!(t[p].value === '.' && t[p + 1]?.type === 'name' && t[p + 2]?.value === '(' && this.closeOf[p + 2] > 0)) break;
      const m = t[p + 1].value;
      const open = p + 2;
      const close = this.closeOf[open];
      if (NESTED.has(m)) throw new Skip(`.${m}(): part of another query`);
      const terminal = state.kind === 'query' && m in Q_TERMINAL;
      if (!Q_PASS.has(m) && !terminal) throw new Skip(`method .${m}() not followed`);
      this.step(state, m, open, close);
      if (terminal || m === 'filter' || m === 'filter_by' || m === 'where') state.method = m;
      if (state.steps === 0 && state.parts.length === 0) state.nameSpan = { start: state.nameSpan.start, end: t[p + 1].end };
      state.steps++;
      p = close + 1;
    }
    return { state, end: p };
  }

  private step(s: State, m: string, open: number, close: number): void {
    const t = this.tokens;
    const args = argRanges(this, open, close);
    const ctx = { tokens: t, closeOf: this.closeOf, model: s.model ?? '', cls: this.enclosingClass() };
    const isKw = (a: number): boolean => t[a].type === 'name' && t[a + 1]?.value === '=' && t[a + 1].type === 'op';
    switch (m) {
      case 'filter':
      case 'where': {
        if (!s.model) throw new Skip('filter before the model is known');
        if (args.some(([a]) => isKw(a))) throw new Skip('keyword arguments to filter()');
        const r = readConditions(ctx, args.map(([from, to]) => ({ from, to })));
        if ('skip' in r) throw new Skip(r.skip);
        s.where.push(...r.conds);
        readNames(t, open + 1, close, s.reads);
        break;
      }
      case 'filter_by':
        if (!s.model) throw new Skip('filter before the model is known');
        for (const [a, b] of args) {
          if (!isKw(a)) throw new Skip('filter_by() arguments built elsewhere');
          s.where.push(keywordCondition(ctx, t[a].value, a, a + 2, b));
          readNames(t, a + 2, b, s.reads);
        }
        break;
      case 'order_by':
        for (const [a, b] of args) {
          if (b === a + 1 && t[a].value === 'None') s.orderBy = [];
          const key = this.orderKey(a, b, s.model, 0);
          if (key) s.orderBy.push(key);
        }
        break;
      case 'limit':
      case 'slice':
      case 'fetch':
      case 'first':
      case 'first_or_404':
      case 'paginate':
        s.limited = true;
        break;
      case 'get':
      case 'get_or_404':
        // a primary key lookup: one row, and no LIMIT in the SQL
        if (args[0]) {
          s.where.push({ field: 'pk', via: [], op: 'eq', span: this.span(args[0][0], args[0][1]) });
          readNames(t, args[0][0], args[0][1], s.reads);
        }
        break;
      case 'join':
      case 'outerjoin':
        for (const [a, b] of args.slice(0, 1)) {
          const rel = this.relationOf(a, b);
          if (rel) s.joins.push({ relation: rel, span: this.span(a, b) });
        }
        break;
      case 'options':
        for (const [a, b] of args) {
          const fn = t[a].value;
          if (t[a + 1]?.value !== '(' || this.closeOf[a + 1] < 0) continue;
          const inner = argRanges(this, a + 1, this.closeOf[a + 1])[0];
          const rel = inner ? this.relationOf(inner[0], inner[1]) : undefined;
          if (!rel) continue;
          if (LOADS_JOIN.has(fn)) s.joins.push({ relation: rel, span: this.span(a, b) });
          else if (LOADS_SEPARATE.has(fn)) s.loads.push({ relation: rel, span: this.span(a, b) });
        }
        break;
      case 'select_from': {
        const a = args.length === 1 ? skipModules(t, args[0][0], args[0][1]) : -1;
        if (!s.model && a >= 0 && args[0][1] === a + 1 && /^[A-Z]/.test(t[a].value)) s.model = t[a].value;
        break;
      }
      case 'with_for_update':
        s.forUpdate = true;
        break;
    }
    if (s.kind === 'query' && m in Q_TERMINAL) {
      s.operation = s.operation === 'count' || s.operation === 'aggregate' ? s.operation : Q_TERMINAL[m];
      s.terminal = true;
    }
  }

  /** `User.team` → 'team'; `Team` → 'Team'; `'team'` → 'team'. */
  private relationOf(a: number, b: number): string | undefined {
    const t = this.tokens;
    if (b === a + 1 && (t[a].type === 'name' || t[a].type === 'string')) return t[a].type === 'string' ? t[a].value.slice(1, -1) : t[a].value;
    if (b === a + 3 && t[a + 1].value === '.' && t[a + 2].type === 'name') return t[a + 2].value;
    return undefined;
  }

  /** An ORDER BY key: `User.x`, `User.x.desc()`, `desc(User.x)`, `User.x.desc().nullslast()`, `'x'`. */
  private orderKey(a: number, b: number, model: string | undefined, depth: number): OrmQuery['orderBy'][number] | undefined {
    const t = this.tokens;
    if (a >= b || depth > 5) return undefined;
    if (b === a + 1 && t[a].type === 'string') {
      const name = t[a].value.slice(1, -1);
      return /^\w+$/.test(name) ? { field: name, via: [], desc: false, span: this.span(a, b) } : undefined;
    }
    // desc(X) / asc(X) / nullslast(X) / nulls_last(X)
    if (t[a].type === 'name' && t[a + 1]?.value === '(' && this.closeOf[a + 1] === b - 1) {
      const inner = this.orderKey(a + 2, b - 1, model, depth + 1);
      if (!inner) return undefined;
      if (t[a].value === 'desc') return { ...inner, desc: true, span: this.span(a, b) };
      if (t[a].value === 'asc' || /^nulls_?(?:first|last)$/.test(t[a].value)) return { ...inner, span: this.span(a, b) };
      return undefined;
    }
    a = skipModules(t, a, b);
    const m = t[a];
    if (m.type !== 'name' || t[a + 1]?.value !== '.' || t[a + 2]?.type !== 'name') return undefined;
    const owner = m.value === 'cls' ? this.enclosingClass() : m.value;
    if (!owner || owner !== model) return undefined;
    let desc = false;
    let p = a + 3;
    for (let g = 0; g < 4 && p < b; g++) {
      if (t[p].value === '.' && t[p + 1]?.type === 'name' && t[p + 2]?.value === '(' && this.closeOf[p + 2] === p + 3) {
        const nm = t[p + 1].value;
        if (nm === 'desc') desc = true;
        else if (nm !== 'asc' && !/^nulls_?(?:first|last)$/.test(nm)) return undefined;
        p += 4;
        continue;
      }
      return undefined;
    }
    return p === b ? { field: t[a + 2].value, via: [], desc, span: this.span(a, b) } : undefined;
  }

  private finish(b: Binding): void {
    if (b.state.kind === 'query' && (b.bare || (!b.used && !b.extended))) this.emit(b.state, b.span, b.bare && b.bare !== true ? b.bare : undefined, b.fn);
    b.used = true;
    b.extended = true;
    b.bare = undefined;
  }

  private emit(s: State, span: Span, loop: LoopAt | undefined, fn: string | undefined): void {
    if (!s.model) return;
    const q: SqlalchemyQuery = { orm: 'sqlalchemy', model: s.model, operation: s.operation, method: s.method, span, nameSpan: s.nameSpan, where: s.where, orderBy: s.orderBy, limited: s.limited, joins: s.joins };
    if (fn) q.functionName = fn;
    if (loop) q.inLoop = { kind: loop.kind, span: loop.span, usesItem: loop.items.some((n) => s.reads.includes(n)), ...(loop.rows ? { overQueryRows: true } : {}) };
    if (s.loads.length) q.loads = s.loads;
    if (s.forUpdate) q.forUpdate = true;
    if (s.parts.length) q.parts = [...s.parts, span];
    if (s.conditionalWhere.length) q.conditionalWhere = s.conditionalWhere;
    this.out.queries.push(q);
  }
}
