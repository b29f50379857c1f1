/**
 * Column uses of the MySQL / SQLite adapter's query models: ColumnUseCollector (the base of QueryBuilder in
 * nsp-queries.ts) matches the AST's column refs with their tokens, resolves them against the FROM refs in
 * scope and turns WHERE / ON predicates and ORDER BY / GROUP BY items into ColumnUses.
 */
import type { ColumnUse, OrStep, QueryModel, Span } from '../types.js';
import { type Node, collectColumns, columnName, columnQualifier, funcName, isArithmetic } from './nsp-ast.js';
import { type Flavor, type Range, type Token, exprText, isName, isPunct, isWord, spanOf, stripParens } from './nsp-tokens.js';

export interface Ref {
  table: string;
  alias?: string;
  /** A derived table / table function: known by alias only. */
  derived?: boolean;
}

export interface Level {
  refs: Ref[];
  parent?: Level;
}

interface Resolved {
  table?: string;
  ref?: Ref;
}

interface SideInfo {
  cols: { node: Node; span: Span; res: Resolved }[];
  wrap?: 'function' | 'arithmetic' | 'cast';
  expression?: string;
  span?: Span;
  /** Not a column expression we can classify (CASE, nested comparisons ...). */
  opaque?: boolean;
}

/** Token matching, name resolution and predicates of QueryBuilder (which extends it with the statement structure). */
export class ColumnUseCollector {
  protected readonly used: Uint8Array;
  private readonly subRanges: Range[];

  constructor(
    readonly text: string,
    readonly toks: Token[],
    readonly flavor: Flavor,
  ) {
    this.used = new Uint8Array(toks.length);
    // all parenthesized subqueries: `(` followed by SELECT / WITH (possibly through extra parens)
    this.subRanges = [];
    for (let i = 0; i < toks.length; i++) {
      if (!isPunct(toks[i], '(')) continue;
      let j = i + 1;
      while (isPunct(toks[j], '(')) j++;
      if (isWord(toks[j], 'select', 'with', 'values') && toks[i].match > i) this.subRanges.push({ s: i + 1, e: toks[i].match });
    }
  }

  /** Direct subquery ranges inside r (not nested in another subquery inside r). */
  protected directSubs(r: Range): Range[] {
    const out: Range[] = [];
    for (const sr of this.subRanges) {
      if (sr.s <= r.s || sr.e > r.e) continue;
      if (out.length && sr.s < out[out.length - 1].e) continue;
      out.push(sr);
    }
    return out;
  }

  protected inSubs(i: number, subs: Range[]): boolean {
    for (const r of subs) if (i >= r.s - 1 && i <= r.e) return true;
    return false;
  }

  /** Finds the first unused occurrence of a (qualified) name in r, outside subs; marks it used. */
  protected locateName(name: string, qualifier: string | undefined, r: Range, subs: Range[], opts: { allowCall?: boolean } = {}): Range | undefined {
    const toks = this.toks;
    for (let i = r.s; i < r.e; i++) {
      if (this.used[i]) continue;
      const t = toks[i];
      if (!isName(t) || t.value !== name) continue;
      if (this.inSubs(i, subs)) continue;
      if (qualifier !== undefined) {
        if (!isPunct(toks[i - 1], '.') || !isName(toks[i - 2]) || toks[i - 2].value !== qualifier) continue;
      } else {
        if (isPunct(toks[i - 1], '.')) continue;
        if (isPunct(toks[i + 1], '.')) continue;
        if (!opts.allowCall && isPunct(toks[i + 1], '(')) continue;
      }
      this.used[i] = 1;
      return { s: i, e: i + 1 };
    }
    return undefined;
  }

  private resolve(qualifier: string | undefined, level: Level): Resolved {
    if (qualifier !== undefined) {
      for (let l: Level | undefined = level; l; l = l.parent) {
        const byAlias = l.refs.find((x) => x.alias === qualifier);
        if (byAlias) return { table: byAlias.table, ref: byAlias };
        const byName = l.refs.find((x) => !x.derived && x.table === qualifier);
        if (byName) return { table: byName.table, ref: byName };
      }
      return { table: qualifier };
    }
    if (level.refs.length === 1) return { table: level.refs[0].table, ref: level.refs[0] };
    return {};
  }

  private colSpan(node: Node, r: Range, subs: Range[]): Span | undefined {
    const loc = this.locateName(columnName(node), columnQualifier(node), r, subs);
    return loc ? { start: this.toks[loc.s].start, end: this.toks[loc.s].end } : undefined;
  }

  protected orderish(exprs: Node[], kind: 'order-by' | 'group-by', r: Range, subs: Range[], level: Level, m: QueryModel, aliases: Set<string>): void {
    for (const e of exprs) {
      if (!e || e.type !== 'column_ref') continue;
      const col = columnName(e);
      const q = columnQualifier(e);
      if (!col || col === '*') continue;
      if (q === undefined && aliases.has(col)) continue;
      const span = this.colSpan(e, r, subs);
      if (!span) continue;
      const res = this.resolve(q, level);
      m.uses.push({ ...(res.table ? { table: res.table } : {}), column: col, kind, span, op: 'other', sargable: true });
    }
  }

  // --- predicates -------------------------------------------------------------------------------

  /**
   * Boolean leaves of the AST with their OR context: `or` is where under ORs the leaf sits (see
   * ColumnUse.or), `[]` when AND-ed at the top, `null` under an OR whose branches are not modelled (XOR).
   * Each OR gets a group in `m.orGroups`; `a OR (b OR c)` is one OR of three branches.
   */
  private astLeaves(node: Node, or: OrStep[] | null, out: { node: Node; or: OrStep[] | null }[], m: QueryModel): void {
    if (node && node.type === 'binary_expr') {
      const op = String(node.operator).toUpperCase();
      if (op === 'AND' || op === '&&') {
        this.astLeaves(node.left, or, out, m);
        this.astLeaves(node.right, or, out, m);
        return;
      }
      if (op === 'XOR') {
        this.astLeaves(node.left, null, out, m);
        this.astLeaves(node.right, null, out, m);
        return;
      }
      if (op === 'OR') {
        const branches: Node[] = [];
        const flatten = (n: Node): void => {
          // `a OR (b OR c)`: a parenthesized OR directly under an OR adds branches to it
          if (n && n.type === 'binary_expr' && String(n.operator).toUpperCase() === 'OR') {
            flatten(n.left);
            flatten(n.right);
          } else branches.push(n);
        };
        flatten(node);
        if (or === null) {
          for (const b of branches) this.astLeaves(b, null, out, m);
          return;
        }
        const groups = (m.orGroups ??= []);
        const group = groups.push({ branches: branches.length, ...(or.length ? { parent: or[or.length - 1] } : {}) }) - 1;
        branches.forEach((b, branch) => this.astLeaves(b, [...or, { group, branch }], out, m));
        return;
      }
    }
    out.push({ node, or });
  }

  /** Boolean leaves of a token range (split at AND / OR / XOR of its depth, descending into parens). */
  private tokLeaves(r: Range, out: Range[]): void {
    const toks = this.toks;
    const sr = stripParens(toks, r);
    if (sr.e <= sr.s) return;
    const d = toks[sr.s].depth;
    const segs: Range[] = [];
    let a = sr.s;
    let between = 0;
    let caseDepth = 0;
    for (let i = sr.s; i < sr.e; i++) {
      const t = toks[i];
      if (t.depth !== d) continue;
      if (t.kind === 'word') {
        if (t.value === 'case') caseDepth++;
        else if (t.value === 'end' && caseDepth > 0) caseDepth--;
        else if (t.value === 'between') between++;
        else if (caseDepth === 0 && (t.value === 'and' || t.value === 'or' || t.value === 'xor')) {
          if (t.value === 'and' && between > 0) {
            between--;
            continue;
          }
          segs.push({ s: a, e: i });
          a = i + 1;
        }
      } else if (t.kind === 'op' && t.value === '&&' && caseDepth === 0 && this.flavor === 'mysql') {
        segs.push({ s: a, e: i });
        a = i + 1;
      }
    }
    segs.push({ s: a, e: sr.e });
    if (segs.length === 1) {
      out.push(sr);
      return;
    }
    for (const sg of segs) this.tokLeaves(sg, out);
  }

  protected predicates(node: Node, r: Range, subs: Range[], level: Level, m: QueryModel): void {
    const leaves: { node: Node; or: OrStep[] | null }[] = [];
    this.astLeaves(node, [], leaves, m);
    const tl: Range[] = [];
    this.tokLeaves(r, tl);
    const aligned = tl.length === leaves.length;
    leaves.forEach((lf, k) => this.leaf(lf.node, lf.or, aligned ? tl[k] : r, aligned, subs, level, m));
  }

  /** The comparison operator of a leaf: index of its first token and the index after it. */
  private opTokens(r: Range): { s: number; e: number } | undefined {
    const toks = this.toks;
    const d = toks[r.s]?.depth ?? 0;
    let caseDepth = 0;
    for (let i = r.s; i < r.e; i++) {
      const t = toks[i];
      if (t.depth !== d) continue;
      if (isWord(t, 'case')) caseDepth++;
      else if (isWord(t, 'end') && caseDepth) caseDepth--;
      if (caseDepth) continue;
      if (t.kind === 'op' && ['=', '==', '<>', '!=', '<', '>', '<=', '>=', '<=>'].includes(t.value)) return { s: i, e: i + 1 };
      if (t.kind === 'word') {
        if (['in', 'like', 'glob', 'regexp', 'rlike', 'between', 'match', 'ilike'].includes(t.value) && i > r.s) return { s: i, e: i + 1 };
        if (t.value === 'is' && i > r.s) return { s: i, e: isWord(toks[i + 1], 'not') ? i + 2 : i + 1 };
        if (t.value === 'not' && i > r.s && isWord(toks[i + 1], 'in', 'like', 'glob', 'regexp', 'rlike', 'between', 'match', 'ilike')) return { s: i, e: i + 2 };
      }
    }
    return undefined;
  }

  private side(node: Node, r: Range, subs: Range[], level: Level): SideInfo {
    const toks = this.toks;
    const sr = stripParens(toks, r);
    const colNodes = collectColumns(node);
    const cols: SideInfo['cols'] = [];
    for (const c of colNodes) {
      const span = this.colSpan(c, sr, subs);
      if (!span) continue;
      cols.push({ node: c, span, res: this.resolve(columnQualifier(c), level) });
    }
    const info: SideInfo = { cols };
    if (!node || node.type === 'column_ref' || !cols.length) return info;
    const t = node.type;
    if (t === 'cast' || (t === 'function' && ['cast', 'convert'].includes(funcName(node))) || t === 'convert') info.wrap = 'cast';
    else if (t === 'function' || t === 'aggr_func' || (t === 'binary_expr' && ['->', '->>', '#>', '#>>'].includes(String(node.operator)))) info.wrap = 'function';
    else if ((t === 'binary_expr' && isArithmetic(String(node.operator).toUpperCase())) || (t === 'unary_expr' && ['-', '+', '~'].includes(node.operator))) info.wrap = 'arithmetic';
    else if (t === 'expr_list') {
      // row constructor (a, b) IN (...): its members are plain columns when they are column refs
      if ((node.value ?? []).every((x: Node) => x?.type === 'column_ref')) return info;
      info.opaque = true;
    } else info.opaque = true;
    if (info.wrap) {
      // like the PostgreSQL adapter: a wrapper is attributed to its column only when it wraps exactly one
      if (colNodes.length !== 1) {
        info.opaque = true;
        return info;
      }
      info.span = spanOf(toks, sr);
      info.expression = exprText(toks, sr.s, sr.e);
    }
    return info;
  }

  private leaf(node: Node, or: OrStep[] | null, r: Range, aligned: boolean, subs: Range[], level: Level, m: QueryModel): void {
    if (!node || typeof node !== 'object') return;
    const toks = this.toks;
    const sr = stripParens(toks, r);
    const predSpan = aligned ? spanOf(toks, sr) : undefined;
    const push = (u: ColumnUse): void => {
      if (or === null || or.length) u.inOr = true;
      if (or?.length) u.or = or;
      m.uses.push(u);
    };
    const base = (c: SideInfo['cols'][number]): Pick<ColumnUse, 'table' | 'column' | 'span'> => ({ ...(c.res.table ? { table: c.res.table } : {}), column: columnName(c.node), span: c.span });

    // NOT (...), NOT EXISTS, EXISTS
    const isNot = (node.type === 'unary_expr' && String(node.operator).toUpperCase() === 'NOT') || (node.type === 'function' && funcName(node) === 'not');
    if (isNot || (node.type === 'unary_expr' && /EXISTS/i.test(String(node.operator))) || (node.type === 'function' && funcName(node) === 'exists')) {
      if (!isNot) return;
      const inner = node.type === 'unary_expr' ? node.expr : node.args?.value?.[0];
      if (inner && inner.type === 'function' && funcName(inner) === 'exists') return;
      if (inner && inner.type === 'unary_expr' && /EXISTS/i.test(String(inner.operator))) return;
      const span = predSpan ?? spanOf(toks, sr);
      for (const c of collectColumns(inner)) {
        const cs = this.colSpan(c, sr, subs);
        if (!cs) continue;
        const res = this.resolve(columnQualifier(c), level);
        push({ ...(res.table ? { table: res.table } : {}), column: columnName(c), kind: 'where', span: cs, op: 'other', sargable: false, nonSargable: { reason: 'negation', span: span ?? cs }, ...(inner?.type === 'column_ref' ? { fact: { is: 'false' as const } } : {}) });
      }
      return;
    }

    if (node.type === 'column_ref') {
      // bare boolean column: WHERE active
      const cs = this.colSpan(node, sr, subs);
      if (!cs) return;
      const res = this.resolve(columnQualifier(node), level);
      push({ ...(res.table ? { table: res.table } : {}), column: columnName(node), kind: 'where', span: cs, op: 'eq', sargable: true, fact: { is: 'true' } });
      return;
    }
    if (node.type !== 'binary_expr') return;

    const op = String(node.operator).toUpperCase();
    const opt = aligned ? this.opTokens(sr) : undefined;
    const leftRange: Range = opt ? { s: sr.s, e: opt.s } : sr;
    const rightRange: Range = opt ? { s: opt.e, e: sr.e } : sr;
    const opTok = opt ? toks[opt.s] : undefined;
    const glob = !!opTok && (isWord(opTok, 'glob') || (isWord(opTok, 'not') && isWord(toks[opt!.s + 1], 'glob')));
    const match = !!opTok && (isWord(opTok, 'match') || (isWord(opTok, 'not') && isWord(toks[opt!.s + 1], 'match')));
    const L = this.side(node.left, leftRange, subs, level);
    const R = this.side(node.right, rightRange, subs, level);
    const rightIsNull = node.right && (node.right.type === 'null' || (node.right.type === 'bool' && false));

    let opKind: ColumnUse['op'];
    let negation = false;
    let like = false;
    switch (op) {
      case '=':
      case '==':
      case '<=>':
      case 'IN':
      case 'IS':
        opKind = 'eq';
        break;
      case 'IS NOT':
        opKind = rightIsNull || node.right?.type === 'bool' ? 'eq' : 'other';
        negation = opKind === 'other';
        break;
      case '<':
      case '>':
      case '<=':
      case '>=':
      case 'BETWEEN':
        opKind = 'range';
        break;
      case 'LIKE':
      case 'ILIKE':
        opKind = 'range';
        like = !match;
        if (match) opKind = 'other';
        break;
      case '<>':
      case '!=':
      case 'NOT IN':
      case 'NOT BETWEEN':
      case 'NOT LIKE':
      case 'NOT ILIKE':
      case 'NOT REGEXP':
      case 'NOT RLIKE':
        opKind = 'other';
        negation = true;
        break;
      default:
        opKind = 'other';
    }
    const negSpan = predSpan ?? spanOf(toks, sr);

    const emit = (side: SideInfo, other: SideInfo): void => {
      if (side.opaque) return;
      const partner = other.cols.length && !other.opaque ? other.cols[0] : undefined;
      // same table ref on both sides (a.x = a.y): not an index lookup
      if (partner && side.cols.every((c) => c.res.ref && c.res.ref === partner.res.ref)) return;
      for (const c of side.cols) {
        const u: ColumnUse = { ...base(c), kind: partner ? 'join' : 'where', op: opKind, sargable: true };
        if (partner) u.joinPartner = { ...(partner.res.table ? { table: partner.res.table } : {}), column: columnName(partner.node) };
        if (negation) {
          u.sargable = false;
          u.nonSargable = { reason: 'negation', span: negSpan ?? c.span };
        } else if (side.wrap) {
          u.sargable = false;
          u.nonSargable = { reason: side.wrap, ...(side.expression ? { expression: side.expression } : {}), span: side.span ?? c.span };
        } else if (!partner && side.cols.length === 1) {
          const fact = literalFact(op, side === L ? node.right : node.left);
          if (fact) u.fact = fact;
        }
        if (like && side === L && !partner && !negation && !side.wrap) {
          const pat = node.right;
          const lit = pat && ['single_quote_string', 'string', 'double_quote_string', 'natural_string'].includes(pat.type) && typeof pat.value === 'string' ? (pat.value as string) : undefined;
          // CONCAT('%', ?, '%') / '%' || ?: built at run time, but starting with a wildcard.
          const head = lit === undefined ? wildcardConcatHead(pat) : undefined;
          if (head !== undefined) {
            u.op = 'other';
            u.sargable = false;
            u.nonSargable = { reason: 'leading-wildcard', span: this.findString(rightRange) ?? spanOf(toks, rightRange) ?? c.span };
          } else if (lit === undefined) u.op = 'other';
          else if (glob ? /^[*?[]/.test(lit) : /^[%_]/.test(lit)) {
            u.sargable = false;
            const strTok = this.findString(rightRange);
            u.nonSargable = { reason: 'leading-wildcard', span: strTok ?? spanOf(toks, rightRange) ?? c.span };
          }
        }
        push(u);
      }
    };
    emit(L, R);
    emit(R, L);
  }

  private findString(r: Range): Span | undefined {
    for (let i = r.s; i < r.e; i++) {
      const t = this.toks[i];
      if (t.kind === 'string' || (t.kind === 'ident' && this.text[t.start] === '"')) return { start: t.start, end: t.end };
    }
    return undefined;
  }
}

/** The first string of CONCAT('%', …) or '%' || … when it starts with a wildcard. */
function wildcardConcatHead(pat: Node): string | undefined {
  if (!pat || typeof pat !== 'object') return undefined;
  let first: Node = undefined;
  if (pat.type === 'function' && /^concat$/i.test(String(pat.name?.name?.[0]?.value ?? pat.name ?? ''))) first = pat.args?.value?.[0];
  else if (pat.type === 'binary_expr' && pat.operator === '||') {
    first = pat;
    for (let i = 0; i < 50 && first?.type === 'binary_expr' && first.operator === '||'; i++) first = first.left;
  }
  const v = first && ['single_quote_string', 'string', 'natural_string'].includes(first.type) && typeof first.value === 'string' ? (first.value as string) : undefined;
  return v !== undefined && /^[%_]/.test(v) ? v : undefined;
}

/** What `col <op> other` establishes about col, for partial indexes (see ColumnFact). */
function literalFact(op: string, other: Node): ColumnUse['fact'] {
  if (!other || typeof other !== 'object') return undefined;
  if (op === 'IS' && other.type === 'null') return { is: 'null' };
  if (op === 'IS NOT' && other.type === 'null') return { is: 'not-null' };
  if (op !== '=' && op !== '==') return undefined;
  if (other.type === 'bool') return { is: other.value ? 'true' : 'false' };
  if (other.type === 'number') return { is: 'eq', value: String(other.value) };
  if (['single_quote_string', 'string', 'natural_string'].includes(other.type) && typeof other.value === 'string') return { is: 'eq', value: `'${other.value.replace(/'/g, "''")}'` };
  if (other.type === 'origin' && other.value === '?') return { is: 'eq' };
  if (other.type === 'param' || other.type === 'var') return { is: 'eq' };
  return undefined;
}
