/**
 * TypeORM QueryBuilder chains written as one expression and run in it (`getMany`, `getOne(OrFail)`,
 * `getCount`, `getExists`, `getRawMany`, `getRawOne`, `getManyAndCount`, `stream`, `execute`) → OrmQuery.
 *
 * The root is `repo.createQueryBuilder('u')` (the repository's entity: typeorm-receivers.ts),
 * `dataSource.createQueryBuilder(User, 'u')` / `manager.createQueryBuilder(User, 'u')`, or
 * `createQueryBuilder()` with `.from(User, 'u')` / `.update(User)`; a delete or update builder's
 * `.from('items')` names the table itself. A chain kept in a variable and
 * extended over several statements is not followed.
 *
 * `where` / `andWhere` / `orWhere` take an SQL fragment over `alias.property` (or a column as the
 * database names it, without alias, while nothing is joined), read by a linear
 * tokenizer: comparisons (`=`, `<`, `<=`, `>`, `>=`, `!=`, `<>`), `[NOT] IN (:...ids)`, `IS [NOT] NULL`,
 * `[NOT] LIKE` / `ILIKE` (a prefix when the pattern, written or passed as a parameter literal, starts
 * with a constant), `BETWEEN`, joined by AND and OR (no parentheses). An object (`.where({ email })`)
 * reads as a find where. Anything else — a function, `Brackets`, a column compared with a column, a
 * quoted name, an alias no join names — skips the call, as does an inner join with a
 * condition of its own or a method this reader does not know. `orWhere` ORs with all that came before,
 * as SQL's precedence reads the flat text TypeORM writes (AND binds tighter).
 */
import { isCall, objectProps, propName, stringValue, unwrap, type Node } from '../../../lang/javascript/ast.js';
import type { Span } from '../types.js';
import type { OrmCondition, OrmFieldCondition, OrmQuery, SqlOp } from './model.js';
import { constantPrefix, entityName, literalValue, placeCall, readWhere, repositoryEntity, Skip, spanOf, type TypeormQuery } from './typeorm-receivers.js';

const TERMINALS: Record<string, OrmQuery['operation'] | 'run'> = {
  getMany: 'select', getOne: 'select', getOneOrFail: 'select', getRawMany: 'select', getRawOne: 'select', getManyAndCount: 'select',
  getRawAndEntities: 'select', stream: 'select', getCount: 'count', getExists: 'exists', execute: 'run',
};

/** Methods that change no filter and no row count. */
const NEUTRAL = new Set([
  'select', 'addSelect', 'distinct', 'distinctOn', 'cache', 'setLock', 'setOnLocked', 'useTransaction', 'setParameter', 'setParameters', 'setNativeParameters',
  'setQueryRunner', 'comment', 'maxExecutionTime', 'loadRelationCountAndMap', 'loadRelationIdAndMap', 'returning', 'output', 'set', 'groupBy', 'addGroupBy',
  'having', 'andHaving', 'orHaving', 'skip', 'offset', 'printSql', 'callListeners', 'updateEntity', 'useIndex',
]);

const JOINS = /^(?:left|inner)Join(?:AndSelect|AndMapOne|AndMapMany)?$/;

export function builderTerminal(method: string): boolean {
  return method in TERMINALS;
}

interface Step {
  name: string;
  args: Node[];
  node: Node;
}

/** The chain of calls ending at `terminal`, from its `createQueryBuilder` root; undefined when the chain starts elsewhere (a variable). */
function chainOf(terminal: Node): { root: Step; rootReceiver: Node; steps: Step[] } | undefined {
  const steps: Step[] = [];
  let cur: Node | undefined = terminal;
  for (let guard = 0; cur && guard < 200; guard++) {
    if (!isCall(cur)) return undefined;
    const callee = unwrap(cur.callee as Node);
    if (!callee || (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') || callee.computed) return undefined;
    const name = propName(callee.property as Node);
    if (!name) return undefined;
    const step = { name, args: cur.arguments as Node[], node: cur };
    if (name === 'createQueryBuilder') return { root: step, rootReceiver: callee.object as Node, steps };
    steps.unshift(step);
    cur = unwrap(callee.object as Node);
  }
  return undefined;
}

interface State {
  entity?: string;
  /** `from('items')`: the table itself (its columns named as the database names them). */
  table?: string;
  activeRecord?: true;
  /** alias → relation path from the main entity ([] for the main alias); undefined for an alias joined on something else. */
  aliases: Map<string, string[] | undefined>;
  /** The where as SQL reads the flat text: OR of AND branches. */
  branches: OrmCondition[][];
  /** Where clauses since the last `.where()`, and whether one of them has an OR of its own. */
  clauses: number;
  orInside: boolean;
  operation: OrmQuery['operation'];
  q: TypeormQuery;
}

/** Reads a QueryBuilder chain run by `terminal`; undefined when it is not one (or its entity is unknown), Skip when it cannot be followed whole. */
export function readBuilderChain(terminal: Node, anc: readonly Node[]): TypeormQuery | undefined {
  const chain = chainOf(terminal);
  if (!chain) return undefined;
  const { root, rootReceiver, steps } = chain;
  const last = steps[steps.length - 1];
  if (!last || !(last.name in TERMINALS)) return undefined;
  const rootCallee = unwrap(root.node.callee as Node)!;
  const q: TypeormQuery = {
    orm: 'typeorm', operation: 'select', method: last.name, span: spanOf(terminal),
    nameSpan: { start: (rootCallee.property as Node).start, end: root.node.end }, where: [], orderBy: [], limited: false, joins: [],
  };
  const st: State = { aliases: new Map(), branches: [[]], clauses: 0, orInside: false, operation: 'select', q };
  const a0 = root.args[0];
  const e0 = entityName(a0);
  if (e0 && stringValue(root.args[1]) !== undefined) {
    st.entity = e0;
    st.aliases.set(stringValue(root.args[1])!, []);
  } else if (root.args.length === 0 || stringValue(a0) !== undefined) {
    // A repository's builder (its alias, else the entity's class name); a data source's `createQueryBuilder()` names its table in `from()`.
    const target = root.args.length || !steps.some((x) => x.name === 'from') ? repositoryEntity(rootReceiver, anc, terminal) : undefined;
    if (target) {
      st.entity = target.entity;
      if (target.activeRecord) st.activeRecord = true;
      st.aliases.set(stringValue(a0) ?? target.entity, []);
    }
  } else return undefined;
  for (const s of steps.slice(0, -1)) step(st, s);
  if (!st.entity && st.table === undefined) return undefined;
  if (st.entity) q.model = st.entity;
  else q.table = st.table;
  if (st.activeRecord) q.activeRecord = true;
  const run = TERMINALS[last.name];
  q.operation = run === 'run' ? st.operation : run;
  if (run === 'exists') q.limited = true;
  const branches = st.branches.filter((b) => b.length);
  if (st.branches.length > 1 && branches.length < st.branches.length) throw new Skip('an OR branch without conditions');
  if (branches.length === 1) q.where.push(...branches[0]);
  else if (branches.length > 1) q.where.push({ or: branches, span: spanOf(terminal) });
  placeCall(q, terminal, anc, steps.flatMap((s) => s.args));
  return q;
}

function step(st: State, s: Step): void {
  const { q } = st;
  const args = s.args;
  if (NEUTRAL.has(s.name)) return;
  switch (s.name) {
    case 'from': {
      // A delete / update builder's from() replaces its target; a select's adds a table (a cross join) unless it has none yet.
      const replaces = st.operation !== 'select';
      if ((st.entity || st.table !== undefined) && !replaces) throw new Skip('from() adds a second table');
      const e = entityName(args[0]);
      const table = stringValue(args[0]);
      const alias = stringValue(args[1]) ?? e ?? table;
      if ((!e && table === undefined) || alias === undefined) throw new Skip('from() names no entity class or table');
      st.entity = e;
      st.table = e ? undefined : table;
      st.activeRecord = undefined;
      st.aliases = new Map([[alias, []]]);
      return;
    }
    case 'update':
    case 'softDelete':
    case 'restore':
    case 'delete': {
      st.operation = s.name === 'delete' ? 'delete' : 'update';
      const e = entityName(args[0]);
      if (e && !st.entity) st.entity = e;
      return;
    }
    case 'where':
    case 'andWhere':
    case 'orWhere': {
      const conds = whereArg(st, args[0], args[1]);
      const hasOr = conds.some((c) => 'or' in c);
      if (s.name === 'where' || st.clauses === 0) {
        st.branches = [conds];
        st.clauses = 1;
        st.orInside = hasOr;
      } else {
        if (s.name === 'andWhere') st.branches[st.branches.length - 1].push(...conds);
        else st.branches.push(conds);
        st.clauses++;
        st.orInside ||= hasOr;
      }
      // `a AND b OR c` reads differently when the data source isolates where statements (`(a) AND (b OR c)`): one OR text alone only.
      if (st.orInside && st.clauses > 1) throw new Skip('an OR inside one of several where clauses');
      return;
    }
    case 'orderBy':
    case 'addOrderBy': {
      if (s.name === 'orderBy') q.orderBy = [];
      const sort = stringValue(args[0]);
      if (sort !== undefined) addOrder(st, sort, stringValue(args[1]), args[0]);
      else if (unwrap(args[0])?.type === 'ObjectExpression') {
        for (const [k, v] of objectProps(args[0])) addOrder(st, k, stringValue(v.value) ?? stringValue(objectProps(v.value).get('order')?.value), v.prop);
      }
      return;
    }
    case 'take':
    case 'limit':
      if (args.length) q.limited = true;
      return;
    case 'withDeleted':
      q.paranoidOff = true;
      return;
    case 'insert':
      throw new Skip('an insert filters nothing');
  }
  if (JOINS.test(s.name)) {
    const mapped = s.name.includes('AndMap') ? 1 : 0;
    const property = stringValue(args[mapped]);
    const alias = stringValue(args[mapped + 1]);
    const condition = args[mapped + 2];
    if (alias === undefined) throw new Skip(`${s.name}: the alias is not a string`);
    if (condition && s.name.startsWith('inner')) throw new Skip(`${s.name}: an inner join with a condition of its own`);
    const dot = property?.indexOf('.') ?? -1;
    const from = property !== undefined && dot > 0 ? st.aliases.get(property.slice(0, dot)) : undefined;
    const path = from && property ? [...from, property.slice(dot + 1)] : undefined;
    st.aliases.set(alias, path);
    if (path) q.joins.push({ relation: path.join('.'), span: spanOf(s.node) });
    return;
  }
  throw new Skip(`.${s.name}() is not read`);
}

function addOrder(st: State, sort: string, dir: string | undefined, at: Node): void {
  const ref = aliasRef(st, sort);
  // An order on a joined table is reached through the join: left out.
  if (!ref || ref.via.length) return;
  st.q.orderBy.push({ field: ref.field, via: [], desc: dir !== undefined && /^desc$/i.test(dir), span: spanOf(at) });
}

/** `u.email` → the field on the main entity, or through the relations its alias was joined by. */
function aliasRef(st: State, ref: string): { field: string; via: string[] } | undefined {
  const dot = ref.indexOf('.');
  // A name without alias is a column as the database names it: the main table's only while nothing is joined.
  if (dot < 0) return st.aliases.size === 1 ? { field: ref, via: [] } : undefined;
  if (dot === 0 || ref.indexOf('.', dot + 1) >= 0) return undefined;
  const via = st.aliases.get(ref.slice(0, dot));
  if (!via) return undefined;
  const field = ref.slice(dot + 1);
  // `t.id` of a joined relation is the join column itself.
  if (field === 'id' && via.length) return { field: via[via.length - 1], via: via.slice(0, -1) };
  return { field, via };
}

function whereArg(st: State, arg: Node | undefined, params: Node | undefined): OrmCondition[] {
  const u = unwrap(arg);
  if (u?.type === 'ObjectExpression') return readWhere(u, [], 0);
  const text = stringValue(u);
  if (text === undefined || !u) throw new Skip('a where that is not an SQL string or an object literal');
  const raw = (u.extra as { raw?: string } | undefined)?.raw;
  // Offsets inside the string map onto the source when nothing in it is escaped.
  const base = raw !== undefined && raw.length === text.length + 2 ? u.start + 1 : undefined;
  const parsed = parseWhereSql(text);
  if (!parsed) throw new Skip(`where '${text.length > 60 ? `${text.slice(0, 57)}…` : text}' is not a simple comparison`);
  const values = objectProps(params);
  const toCond = (c: SqlCondition): OrmFieldCondition => {
    const ref = aliasRef(st, c.ref);
    if (!ref) throw new Skip(`where names ${c.ref}, not alias.property of a known alias`);
    const span: Span = base !== undefined ? { start: base + c.start, end: base + c.end } : spanOf(u);
    const valueNode = c.param !== undefined ? values.get(c.param)?.value : undefined;
    const value = c.literal ?? (valueNode ? literalValue(valueNode).value : undefined);
    const out: OrmFieldCondition = { field: ref.field, via: ref.via, op: c.op, span };
    if (c.sqlOp) out.sqlOp = c.sqlOp;
    if (value !== undefined && c.op === 'eq' && !c.sqlOp) out.value = value;
    if (c.isNull) out.value = c.isNull;
    if (c.like) {
      const prefix = c.likeLiteral !== undefined ? c.likeLiteral.length > 0 && c.likeLiteral[0] !== '%' && c.likeLiteral[0] !== '_' : constantPrefix(valueNode);
      out.op = prefix ? 'prefix' : 'other';
      if (c.like === 'ilike') out.insensitive = true;
    }
    return out;
  };
  const branches = parsed.map((b) => b.map(toCond));
  return branches.length === 1 ? branches[0] : [{ or: branches, span: spanOf(u) }];
}

// ---------------------------------------------------------------------------------------------
// The where fragment: a linear tokenizer, then a recursive-descent reader of OR / AND / comparisons.

interface Token {
  kind: 'word' | 'param' | 'spread' | 'string' | 'number' | 'op' | '(' | ')' | ',' | '.';
  text: string;
  start: number;
  end: number;
}

interface SqlCondition {
  ref: string;
  op: OrmFieldCondition['op'];
  sqlOp?: SqlOp;
  param?: string;
  literal?: string;
  isNull?: 'null' | 'not-null';
  like?: 'like' | 'ilike';
  likeLiteral?: string;
  start: number;
  end: number;
}

const isWordStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isWord = (c: string): boolean => isWordStart(c) || (c >= '0' && c <= '9') || c === '$';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** Tokens of the fragment; undefined at a character this reader does not know (quotes, casts, functions' punctuation…). */
export function tokenizeWhere(s: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (isWordStart(c)) {
      while (i < s.length && isWord(s[i])) i++;
      out.push({ kind: 'word', text: s.slice(start, i), start, end: i });
    } else if (isDigit(c)) {
      while (i < s.length && (isDigit(s[i]) || s[i] === '.')) i++;
      out.push({ kind: 'number', text: s.slice(start, i), start, end: i });
    } else if (c === ':') {
      const spread = s.startsWith('...', i + 1);
      i += spread ? 4 : 1;
      const nameStart = i;
      while (i < s.length && isWord(s[i])) i++;
      if (i === nameStart) return undefined;
      out.push({ kind: spread ? 'spread' : 'param', text: s.slice(nameStart, i), start, end: i });
    } else if (c === "'") {
      i++;
      let value = '';
      for (;;) {
        if (i >= s.length) return undefined;
        if (s[i] === "'" && s[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (s[i] === "'") {
          i++;
          break;
        } else value += s[i++];
      }
      out.push({ kind: 'string', text: value, start, end: i });
    } else if (c === '<' || c === '>' || c === '=' || c === '!') {
      const two = s.slice(i, i + 2);
      const op = two === '<=' || two === '>=' || two === '<>' || two === '!=' ? two : c === '!' ? undefined : c;
      if (!op) return undefined;
      i += op.length;
      out.push({ kind: 'op', text: op, start, end: i });
    } else if (c === '(' || c === ')' || c === ',' || c === '.') {
      i++;
      out.push({ kind: c, text: c, start, end: i });
    } else return undefined;
  }
  return out;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'ILIKE', 'BETWEEN', 'TRUE', 'FALSE', 'EXISTS', 'SELECT', 'CASE']);

const COMPARE: Record<string, { op: OrmFieldCondition['op']; sqlOp?: SqlOp }> = {
  '=': { op: 'eq' }, '<': { op: 'range', sqlOp: '<' }, '<=': { op: 'range', sqlOp: '<=' }, '>': { op: 'range', sqlOp: '>' }, '>=': { op: 'range', sqlOp: '>=' },
  '<>': { op: 'other', sqlOp: '<>' }, '!=': { op: 'other', sqlOp: '<>' },
};

/** `u.a = :a AND u.b IN (:...bs) OR u.c IS NULL` → OR of AND branches; undefined for anything else. */
export function parseWhereSql(s: string): SqlCondition[][] | undefined {
  const toks = tokenizeWhere(s);
  if (!toks?.length) return undefined;
  let k = 0;
  const word = (w: string): boolean => toks[k]?.kind === 'word' && toks[k].text.toUpperCase() === w;
  const value = (): { param?: string; literal?: string; raw?: string } | undefined => {
    const t = toks[k];
    if (!t) return undefined;
    if (t.kind === 'param') return (k++, { param: t.text });
    if (t.kind === 'string') return (k++, { literal: `'${t.text}'`, raw: t.text });
    if (t.kind === 'number') return (k++, { literal: t.text });
    if (word('TRUE') || word('FALSE')) return (k++, { literal: t.text.toLowerCase() });
    return undefined;
  };
  const condition = (): SqlCondition | undefined => {
    const a = toks[k];
    const dot = toks[k + 1];
    const b = toks[k + 2];
    if (a?.kind !== 'word' || KEYWORDS.has(a.text.toUpperCase())) return undefined;
    const qualified = dot?.kind === '.';
    if (qualified && b?.kind !== 'word') return undefined;
    k += qualified ? 3 : 1;
    const ref = qualified ? `${a.text}.${b.text}` : a.text;
    const start = a.start;
    const end = (): number => toks[k - 1].end;
    const t = toks[k];
    if (t?.kind === 'op') {
      k++;
      const v = value();
      if (!v) return undefined;
      return { ref, ...COMPARE[t.text], ...(v.param !== undefined ? { param: v.param } : {}), ...(v.literal !== undefined ? { literal: v.literal } : {}), start, end: end() };
    }
    if (word('IS')) {
      k++;
      const not = word('NOT');
      if (not) k++;
      if (!word('NULL')) return undefined;
      k++;
      return { ref, op: not ? 'other' : 'eq', isNull: not ? 'not-null' : 'null', start, end: end() };
    }
    const not = word('NOT');
    if (not) k++;
    if (word('IN')) {
      k++;
      const open = toks[k]?.kind === '(';
      if (open) k++;
      let n = 0;
      for (;;) {
        const x = toks[k];
        if (x?.kind !== 'spread' && x?.kind !== 'param' && x?.kind !== 'string' && x?.kind !== 'number') return undefined;
        k++;
        n++;
        if (!open || toks[k]?.kind !== ',') break;
        k++;
      }
      if (open && toks[k++]?.kind !== ')') return undefined;
      if (!n) return undefined;
      return { ref, op: not ? 'other' : 'eq', sqlOp: not ? 'NOT IN' : 'IN', start, end: end() };
    }
    if (word('LIKE') || word('ILIKE')) {
      const like = word('LIKE') ? 'like' : 'ilike';
      k++;
      const v = value();
      if (!v || (v.param === undefined && v.raw === undefined)) return undefined;
      if (not) return { ref, op: 'other', start, end: end() };
      return { ref, op: 'other', like, ...(v.param !== undefined ? { param: v.param } : {}), ...(v.raw !== undefined ? { likeLiteral: v.raw } : {}), start, end: end() };
    }
    if (word('BETWEEN') && !not) {
      k++;
      if (!value() || !word('AND')) return undefined;
      k++;
      if (!value()) return undefined;
      return { ref, op: 'range', sqlOp: 'BETWEEN', start, end: end() };
    }
    return undefined;
  };
  const branches: SqlCondition[][] = [[]];
  for (;;) {
    const c = condition();
    if (!c) return undefined;
    branches[branches.length - 1].push(c);
    if (k >= toks.length) break;
    if (word('AND')) k++;
    else if (word('OR')) {
      k++;
      branches.push([]);
    } else return undefined;
  }
  return branches;
}
