/**
 * Where a JS/TS ORM call sits: the named function around it, the loop it runs in, and the local consts
 * it names (shared by the Prisma, Sequelize and TypeORM extractors). They read only the ancestors of
 * the call and the functions around it; nothing is evaluated.
 */
import { isCall, isFunction, memberPath, patternNames, propName, unwrap, walk, type Node } from '../../../lang/javascript/ast.js';
import type { OrmQuery } from './model.js';

const LOOP_CALLBACKS = new Set(['map', 'forEach', 'flatMap', 'filter', 'reduce', 'some', 'every', 'find']);

/**
 * The loop the call runs in, within its own function: a for / for…of / for…in / while body, or the
 * callback of `.map` / `.forEach` (and `Promise.all(items.map(…))`). Crossing any other function ends the search.
 */
/** Methods whose result is a list of rows (what an N+1 loop usually walks). */
const LIST_METHODS = new Set(['findMany', 'findAll', 'findAndCountAll', 'execute', 'all', 'select', 'selectFrom', 'where', 'getMany', 'find', 'findBy', 'getRawMany']);

/**
 * Does `list` (a loop's iterable) hold the rows of a query run in the same function: a call of a
 * list method (`await prisma.folder.findMany(…)`), or a name bound to one (`const folders = await …findMany()`),
 * or a property of such a name (`result.rows`)? Then N grows with the data: the classic N+1.
 */
export function listFromQuery(list: Node | undefined, ancestors: readonly Node[]): boolean {
  const u = unwrap(list);
  if (!u) return false;
  const isListCall = (n: Node | undefined): boolean => {
    let c = unwrap(n);
    for (let guard = 0; c && guard < 8 && (c.type === 'CallExpression' || c.type === 'OptionalCallExpression'); guard++) {
      const p = memberPath(c.callee as Node);
      const name = p?.[p.length - 1];
      if (name && LIST_METHODS.has(name) && p.length >= 2) return true;
      const callee = unwrap(c.callee as Node);
      c = callee && (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') ? unwrap(callee.object as Node) : undefined;
    }
    return false;
  };
  if (isListCall(u)) return true;
  const root = u.type === 'MemberExpression' || u.type === 'OptionalMemberExpression' ? unwrap(u.object as Node) : u;
  if (root?.type !== 'Identifier') return false;
  const name = root.name as string;
  let fn: Node | undefined;
  for (let i = ancestors.length - 1; i >= 0 && !fn; i--) if (isFunction(ancestors[i])) fn = ancestors[i];
  let found = false;
  walk(fn ?? ancestors[0], (n) => {
    if (found) return false;
    if (n.type === 'VariableDeclarator' && patternNames(n.id as Node).includes(name) && isListCall(n.init as Node)) found = true;
    if (n.type === 'AssignmentExpression' && (n.left as Node).type === 'Identifier' && (n.left as Node).name === name && isListCall(n.right as Node)) found = true;
    return undefined;
  });
  return found;
}

/** Whether a loop walks a query's rows, computed once per loop (every call in its body asks). */
const overRowsByLoop = new WeakMap<Node, boolean>();

function loopOverRows(loop: Node, compute: () => boolean): boolean {
  let v = overRowsByLoop.get(loop);
  if (v === undefined) overRowsByLoop.set(loop, (v = compute()));
  return v;
}

export function loopAround(ancestors: readonly Node[]): { kind: NonNullable<OrmQuery['inLoop']>['kind']; span: { start: number; end: number }; names: string[]; body: Node; overQueryRows: boolean } | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i];
    if (a.type === 'ForStatement' || a.type === 'ForOfStatement' || a.type === 'ForInStatement' || a.type === 'WhileStatement' || a.type === 'DoWhileStatement') {
      // Only the body repeats (not the `for (const x of await prisma.a.findMany())` head).
      const body = a.body as Node;
      const child = ancestors[i + 1];
      if (child !== body) return undefined;
      // A loop over a list written in the code (`for (const role of ['ADMIN', 'MEMBER'])`) or a constant
      // (`for (const g of DEFAULT_GROUPS)`) runs a known, small number of times.
      if (boundedList(a.right as Node | undefined)) return undefined;
      const kind = a.type === 'ForOfStatement' ? 'for-of' : a.type === 'ForInStatement' ? 'for-in' : a.type === 'ForStatement' ? 'for' : 'while';
      const left = a.left as Node | undefined;
      const names = left ? patternNames(left.type === 'VariableDeclaration' ? (left.declarations as Node[])[0]?.id as Node : left) : [];
      return { kind, span: { start: a.start, end: (body.start) }, names, body, overQueryRows: loopOverRows(a, () => listFromQuery(a.right as Node | undefined, ancestors.slice(0, i))) };
    }
    if (isFunction(a)) {
      const parent = ancestors[i - 1];
      if (!parent || (parent.type !== 'CallExpression' && parent.type !== 'OptionalCallExpression') || !(parent.arguments as Node[]).includes(a)) return undefined;
      const p = memberPath(parent.callee as Node);
      const name = p?.[p.length - 1];
      if (!name || !LOOP_CALLBACKS.has(name) || p.length < 2) return undefined;
      if (boundedList((parent.callee as Node).object as Node | undefined)) return undefined;
      const all = ancestors[i - 2];
      const inAll = all && (all.type === 'ArrayExpression' ? ancestors[i - 3] : all);
      const promiseAll = inAll && (inAll.type === 'CallExpression') && memberPath(inAll.callee as Node)?.join('.') === 'Promise.all';
      const callee = parent.callee as Node;
      const names = (a.params as Node[]).slice(0, 1).flatMap((x) => patternNames(x));
      return { kind: promiseAll ? 'promise-all' : name === 'forEach' ? 'forEach' : 'map', span: { start: (callee.property as Node | undefined)?.start ?? parent.start, end: (callee.property as Node | undefined)?.end ?? parent.end }, names, body: a, overQueryRows: loopOverRows(a, () => listFromQuery((callee as { object?: Node }).object, ancestors.slice(0, i - 1))) };
    }
  }
  return undefined;
}

/** Does the expression read one of these names (the loop's item)? */
export function mentions(root: Node | undefined, names: readonly string[]): boolean {
  if (!root) return false;
  let found = false;
  walk(root, (n) => {
    if (found) return false;
    if (n.type === 'Identifier' && names.includes(n.name as string)) found = true;
    return undefined;
  });
  return found;
}

/**
 * Does the call run only when something failed: inside a `catch` block, or in a callback passed to
 * `.catch(…)`, of the innermost function around it? Such a fallback runs on the rare error path.
 */
export function inErrorHandler(ancestors: readonly Node[]): boolean {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i];
    if (a.type === 'CatchClause') return true;
    if (!isFunction(a)) continue;
    const parent = ancestors[i - 1];
    if (parent?.type !== 'CallExpression' || !(parent.arguments as Node[]).includes(a)) return false;
    const callee = parent.callee as Node;
    return callee.type === 'MemberExpression' && !callee.computed && (callee.property as Node).name === 'catch';
  }
  return false;
}

/** The name of the innermost named function around the call: `function f`, `const f = async () =>`, a method `f() {}`, `f: async () =>`. */
export function functionNameOf(ancestors: readonly Node[]): string | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i];
    if (!isFunction(a)) continue;
    if ((a.type === 'FunctionDeclaration' || a.type === 'FunctionExpression') && a.id) return (a.id as Node).name as string;
    if (a.type === 'ClassMethod' || a.type === 'ObjectMethod') return propName(a.key as Node, a.computed as boolean);
    const parent = ancestors[i - 1];
    if (parent?.type === 'VariableDeclarator' && (parent.id as Node).type === 'Identifier') return (parent.id as Node).name as string;
    if ((parent?.type === 'ObjectProperty' || parent?.type === 'ClassProperty') && parent.value === a) return propName(parent.key as Node, parent.computed as boolean);
    // an anonymous callback (`.map(async (x) => …)`): the function it is passed in names the work
  }
  return undefined;
}

/**
 * The loop's item names plus the locals declared from them in the loop body before `before`
 * (`const doc = await Document.findByPk(node.id)`, `const { id } = item`): a query reading those reads the item too.
 */
export function itemNames(body: Node, names: readonly string[], before: number): string[] {
  const out = [...names];
  if (!out.length) return out;
  const decls: Node[] = [];
  walk(body, (n) => {
    if (n.start >= before) return false;
    if (n.type === 'VariableDeclarator' && n.init && n.end <= before) decls.push(n);
    return undefined;
  });
  // A few passes reach chains (`const a = item.x; const b = await f(a);`); each adds names or stops.
  for (let pass = 0; pass < 5; pass++) {
    let added = false;
    for (const d of decls) {
      const declared = patternNames(d.id as Node);
      if (declared.every((x) => out.includes(x)) || !mentions(d.init as Node, out)) continue;
      for (const x of declared) if (!out.includes(x)) out.push(x);
      added = true;
    }
    if (!added) break;
  }
  return out;
}

/** A list written in the code, or a constant named in capitals (`DEFAULT_GROUPS`, `config.ALLOWED_TYPES`). */
function boundedList(n: Node | undefined): boolean {
  const u = unwrap(n);
  if (!u) return false;
  if (u.type === 'ArrayExpression') return true;
  const p = memberPath(u);
  const last = p?.[p.length - 1];
  return !!last && /^[A-Z][A-Z0-9_]*$/.test(last) && last.length > 1;
}

/** The `const` declarations of a function (or program), outside its nested functions, by name in source order: read once per scope. */
const constsByScope = new WeakMap<Node, Map<string, { init: Node; start: number }[]>>();

function constsOf(scope: Node): Map<string, { init: Node; start: number }[]> {
  let out = constsByScope.get(scope);
  if (out) return out;
  const found = new Map<string, { init: Node; start: number }[]>();
  walk(scope, (n) => {
    if (n !== scope && isFunction(n)) return false;
    if (n.type === 'VariableDeclaration' && n.kind === 'const') {
      for (const d of n.declarations as Node[]) {
        if (d.id?.type !== 'Identifier' || !d.init) continue;
        const list = found.get(d.id.name as string) ?? [];
        list.push({ init: d.init as Node, start: n.start });
        found.set(d.id.name as string, list);
      }
    }
    return undefined;
  });
  out = found;
  constsByScope.set(scope, out);
  return out;
}

/** The initializer and the function (or program) that declares it. */
export function localConstIn(name: string, anc: readonly Node[], at: Node): { init: Node; scope: Node } | undefined {
  for (let i = anc.length - 1; i >= 0; i--) {
    const scope = anc[i];
    if (!isFunction(scope) && scope.type !== 'Program') continue;
    const decl = constsOf(scope).get(name)?.find((d) => d.start < at.start);
    if (decl) return { init: decl.init, scope };
    // A parameter of that name in this function: not a const we can follow.
    if (scope.type !== 'Program' && ((scope.params ?? []) as Node[]).some((p) => unwrap(p)?.type === 'Identifier' && p.name === name)) return { init: scope, scope };
  }
  return undefined;
}

/** Whether the function around `at` writes into the const `name` (`name.x = …`, `name[Op.and].push(…)`, `Object.assign(name, …)`). */
const mutatedByScope = new WeakMap<Node, Map<string, boolean>>();

export function mutated(name: string, fn: Node): boolean {
  let known = mutatedByScope.get(fn);
  if (!known) mutatedByScope.set(fn, (known = new Map()));
  let hit = known.get(name);
  if (hit === undefined) known.set(name, (hit = writesInto(name, fn)));
  return hit;
}

function writesInto(name: string, fn: Node): boolean {
  let hit = false;
  walk(fn, (n, up) => {
    if (hit) return false;
    if (n.type !== 'Identifier' || n.name !== name) return;
    const p = up[up.length - 1];
    if (!p) return;
    if ((p.type === 'MemberExpression' || p.type === 'OptionalMemberExpression') && p.object === n) {
      const gp = up[up.length - 2];
      // `where.x = …`, `where[Op.and].push(…)`, `delete where.x`
      if (gp && (gp.type === 'AssignmentExpression' || gp.type === 'UnaryExpression' || gp.type === 'MemberExpression' || isCall(gp))) hit = true;
    } else if (isCall(p) && (p.arguments as Node[]).includes(n)) {
      const path = memberPath(p.callee as Node);
      if (path?.join('.') === 'Object.assign' && p.arguments[0] === n) hit = true;
    } else if (p.type === 'AssignmentExpression' && p.left === n) hit = true;
    return undefined;
  });
  return hit;
}
