/** The statement text under the PostgreSQL converters (ExpressionReader): UTF-8 offsets → spans, column refs, normalized expression text and the facts of simple predicates. */
import type { ColumnFact, Span } from '../types.js';
import { Utf8Offsets } from '../../../kernel/text.js';
import { quoteIdent } from '../ident.js';
import { type Node, lower, typeName, walk } from './pg-ast.js';

/** An identifier at `lastIndex` (sticky: no slice of the text per lookup). */
const IDENT_RE = /(?:"(?:[^"]|"")*"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)/y;

/** Base of DdlConverter (pg-ddl.ts) and QueryConverter (pg-queries.ts): what both read of one statement's text and expressions. */
export class ExpressionReader {
  private readonly utf8: Utf8Offsets;
  constructor(protected readonly text: string) {
    this.utf8 = new Utf8Offsets(text);
  }

  protected off(loc: number | undefined): number {
    return loc === undefined || loc < 0 ? 0 : this.utf8.toUtf16(loc);
  }

  /** Span of the last identifier of a dotted name starting at `loc` (e.g. `status` in `o.status`). */
  protected lastIdentSpan(loc: number | undefined): Span {
    let i = this.off(loc);
    let last: Span = { start: i, end: i };
    if (this.text[i] === '*') return { start: i, end: i + 1 };
    for (;;) {
      IDENT_RE.lastIndex = i;
      const m = IDENT_RE.exec(this.text);
      if (!m) break;
      last = { start: i, end: i + m[0].length };
      let j = last.end;
      while (/\s/.test(this.text[j] ?? '')) j++;
      if (this.text[j] !== '.') break;
      j++;
      while (/\s/.test(this.text[j] ?? '')) j++;
      if (this.text[j] === '*') {
        last = { start: j, end: j + 1 };
        break;
      }
      i = j;
    }
    return last;
  }

  /** Span of a whole parenthesised call starting at `loc`: `lower(u.email)`. */
  protected callSpan(loc: number | undefined): Span {
    const start = this.off(loc);
    const open = this.text.indexOf('(', start);
    if (open < 0) return this.lastIdentSpan(loc);
    let depth = 0;
    for (let i = open; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === "'") {
        const close = this.text.indexOf("'", i + 1);
        i = close < 0 ? this.text.length : close;
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return { start, end: i + 1 };
    }
    return { start, end: this.text.length };
  }

  protected tokenSpan(loc: number | undefined): Span {
    const start = this.off(loc);
    if (this.text[start] === "'") {
      let i = start + 1;
      while (i < this.text.length) {
        if (this.text[i] === "'" && this.text[i + 1] === "'") i += 2;
        else if (this.text[i] === "'") break;
        else i++;
      }
      return { start, end: Math.min(i + 1, this.text.length) };
    }
    const m = /^\S+/.exec(this.text.slice(start, start + 256));
    return { start, end: start + (m ? m[0].length : 0) };
  }

  protected exprSpan(expr: Node): Span {
    let start = Infinity;
    let end = 0;
    walk(expr, (n) => {
      for (const v of Object.values(n)) {
        if (v && typeof v === 'object' && typeof (v as Node).location === 'number' && (v as Node).location >= 0) {
          const s = this.off((v as Node).location);
          start = Math.min(start, s);
          end = Math.max(end, this.tokenSpan((v as Node).location).end);
        }
      }
      return true;
    });
    return start === Infinity ? { start: 0, end: 0 } : { start, end };
  }

  protected columnOf(ref: Node): { table?: string; column: string; qualifier?: string } | undefined {
    const fields = (ref.fields ?? []) as Node[];
    const names = fields.map((f) => f.String?.sval as string | undefined);
    if (names.some((n) => n === undefined)) return undefined; // t.* etc.
    const column = lower(names[names.length - 1]);
    const qualifier = names.length >= 2 ? lower(names[names.length - 2]) : undefined;
    return { column, ...(qualifier ? { qualifier } : {}) };
  }

  /** What a simple predicate establishes about one column: `c = 'x'`, `c = $1`, `c IS [NOT] NULL`, `c`, `NOT c`. */
  protected fact(expr: Node): ColumnFact | undefined {
    const col = (n: Node | undefined): string | undefined => (n?.ColumnRef ? this.columnOf(n.ColumnRef as Node)?.column : undefined);
    let c = col(expr);
    if (c) return { column: c, is: 'true' };
    if (expr.BoolExpr?.boolop === 'NOT_EXPR' && (c = col((expr.BoolExpr.args as Node[])[0]))) return { column: c, is: 'false' };
    if (expr.NullTest && (c = col(expr.NullTest.arg as Node))) return { column: c, is: expr.NullTest.nulltesttype === 'IS_NULL' ? 'null' : 'not-null' };
    const a = expr.A_Expr as Node | undefined;
    if (a?.kind !== 'AEXPR_OP' || ((a.name ?? []) as Node[]).length !== 1 || a.name[0].String?.sval !== '=') return undefined;
    for (const [side, other] of [[a.lexpr, a.rexpr], [a.rexpr, a.lexpr]] as Node[][]) {
      if (!(c = col(side))) continue;
      const k = other?.TypeCast && (other.TypeCast.arg as Node).A_Const ? (other.TypeCast.arg as Node) : other;
      if (k?.ParamRef) return { column: c, is: 'eq' };
      if (!k?.A_Const || k.A_Const.isnull) return undefined;
      const value = this.exprText(k, []);
      return value === 'true' || value === 'false' ? { column: c, is: value } : { column: c, is: 'eq', value };
    }
    return undefined;
  }

  /** Normalized text of an expression, for matching expression indexes: `lower(email)`, `(data ->> 'k')`. */
  exprText(expr: Node | undefined, cols: string[]): string {
    if (!expr) return '';
    if (expr.ColumnRef) {
      const c = this.columnOf(expr.ColumnRef as Node);
      if (!c) return '*';
      cols.push(c.column);
      // Written back into CREATE INDEX fixes: keep a quoted name's case ("authorId").
      const fields = (expr.ColumnRef as Node).fields as Node[];
      return quoteIdent(String(fields[fields.length - 1].String.sval), 'postgresql');
    }
    if (expr.A_Const) {
      const c = expr.A_Const as Node;
      if (c.isnull) return 'null';
      if (c.sval) return `'${String(c.sval.sval).replace(/'/g, "''")}'`;
      if (c.ival) return String(c.ival.ival ?? 0);
      if (c.fval) return String(c.fval.fval);
      if (c.boolval) return String(c.boolval.boolval ?? false);
      return c.ival !== undefined ? '0' : 'false';
    }
    if (expr.ParamRef) return `$${(expr.ParamRef as Node).number ?? 0}`;
    if (expr.FuncCall) {
      const f = expr.FuncCall as Node;
      const name = ((f.funcname ?? []) as Node[]).map((n) => lower(n.String?.sval)).filter((n) => n !== 'pg_catalog').join('.');
      const args = ((f.args ?? []) as Node[]).map((a) => this.exprText(a, cols));
      if (f.funcformat === 'COERCE_SQL_SYNTAX') return sqlSyntaxCall(name, args, (f.args ?? []) as Node[]);
      return `${name}(${f.agg_star ? '*' : args.join(', ')})`;
    }
    if (expr.TypeCast) {
      const tc = expr.TypeCast as Node;
      const inner = this.exprText(tc.arg as Node, cols);
      // A cast of a constant is the constant; a cast of a column is part of an expression index key.
      return (tc.arg as Node).A_Const ? inner : `${inner}::${CAST_NAMES[typeName(tc.typeName as Node)] ?? typeName(tc.typeName as Node)}`;
    }
    if (expr.A_Expr) {
      const a = expr.A_Expr as Node;
      const names = ((a.name ?? []) as Node[]).map((n) => String(n.String?.sval));
      const op = names.length > 1 ? `operator(${names.join('.')})` : names[0] ?? '?';
      const l = this.exprText(a.lexpr as Node, cols);
      const r = this.exprText(a.rexpr as Node, cols);
      const range = (a.rexpr as Node | undefined)?.List ? ((a.rexpr as Node).List.items as Node[]).map((x) => this.exprText(x, cols)) : [r];
      switch (a.kind) {
        case 'AEXPR_IN': return `(${l} ${op === '=' ? 'in' : 'not in'} (${range.join(', ')}))`;
        case 'AEXPR_BETWEEN': case 'AEXPR_NOT_BETWEEN': case 'AEXPR_BETWEEN_SYM': case 'AEXPR_NOT_BETWEEN_SYM': {
          const kw = { AEXPR_BETWEEN: 'between', AEXPR_NOT_BETWEEN: 'not between', AEXPR_BETWEEN_SYM: 'between symmetric', AEXPR_NOT_BETWEEN_SYM: 'not between symmetric' }[a.kind as string];
          return `(${l} ${kw} ${range[0]} and ${range[1]})`;
        }
        case 'AEXPR_DISTINCT': return `(${l} is distinct from ${r})`;
        case 'AEXPR_NOT_DISTINCT': return `(${l} is not distinct from ${r})`;
        case 'AEXPR_NULLIF': return `nullif(${l}, ${r})`;
        case 'AEXPR_OP_ANY': return `(${l} ${op} any (${r}))`;
        case 'AEXPR_OP_ALL': return `(${l} ${op} all (${r}))`;
        default: return `(${l} ${op} ${r})`.replace('( ', '(');
      }
    }
    if (expr.BoolExpr) {
      const b = expr.BoolExpr as Node;
      const args = ((b.args ?? []) as Node[]).map((x) => (x.BoolExpr ? `(${this.exprText(x, cols)})` : this.exprText(x, cols)));
      if (b.boolop === 'NOT_EXPR') return `not ${args[0]}`;
      return args.join(b.boolop === 'AND_EXPR' ? ' and ' : ' or ');
    }
    if (expr.NullTest) {
      const n = expr.NullTest as Node;
      return `${this.exprText(n.arg as Node, cols)} ${n.nulltesttype === 'IS_NULL' ? 'is null' : 'is not null'}`;
    }
    if (expr.CoalesceExpr) return `coalesce(${((expr.CoalesceExpr as Node).args as Node[]).map((x) => this.exprText(x, cols)).join(', ')})`;
    if (expr.List) return ((expr.List as Node).items as Node[]).map((x) => this.exprText(x, cols)).join(', ');
    return '?';
  }
}

/**
 * A call the grammar writes with keywords (`extract(year from d)`, `position('x' in s)`), which the
 * parser turns into a plain call of a pg_catalog function with reordered arguments: written back in
 * SQL syntax, or as the qualified pg_catalog call when we do not know the syntax.
 */
function sqlSyntaxCall(name: string, args: string[], nodes: Node[]): string {
  const a = args;
  switch (`${name}/${a.length}`) {
    case 'extract/2': {
      const field = (nodes[0]?.A_Const as Node | undefined)?.sval?.sval as string | undefined;
      if (field && /^[a-z_]+$/i.test(field)) return `extract(${field.toLowerCase()} from ${a[1]})`;
      break;
    }
    case 'position/2': return `position(${a[1]} in ${a[0]})`;
    case 'overlay/3': return `overlay(${a[0]} placing ${a[1]} from ${a[2]})`;
    case 'overlay/4': return `overlay(${a[0]} placing ${a[1]} from ${a[2]} for ${a[3]})`;
    case 'substring/2': return `substring(${a[0]} from ${a[1]})`;
    case 'substring/3': return `substring(${a[0]} from ${a[1]} for ${a[2]})`;
    case 'btrim/1': case 'ltrim/1': case 'rtrim/1':
    case 'btrim/2': case 'ltrim/2': case 'rtrim/2': {
      const where = name === 'btrim' ? 'both' : name === 'ltrim' ? 'leading' : 'trailing';
      return `trim(${where} ${a.length === 2 ? `${a[1]} ` : ''}from ${a[0]})`;
    }
    case 'timezone/2': return `(${a[1]} at time zone ${a[0]})`;
    case 'timezone/1': return `(${a[0]} at local)`;
    case 'normalize/1': return `normalize(${a[0]})`;
    case 'normalize/2': {
      const form = (nodes[1]?.A_Const as Node | undefined)?.sval?.sval as string | undefined;
      if (form && /^nfk?[cd]$/i.test(form)) return `normalize(${a[0]}, ${form.toLowerCase()})`;
      break;
    }
  }
  return `pg_catalog.${name}(${a.join(', ')})`;
}

/** pg_catalog internal type names back to the SQL spelling users write. */
const CAST_NAMES: Record<string, string> = { int4: 'integer', int8: 'bigint', int2: 'smallint', float8: 'double precision', float4: 'real', bool: 'boolean', varchar: 'varchar', bpchar: 'char', timestamptz: 'timestamptz', timestamp: 'timestamp' };
