/**
 * JavaScript / TypeScript syntax trees for the config analyzers (Node servers, connection pools).
 * @babel/parser is loaded on first use (it is shipped outside the main bundle); files that are too
 * large or minified are never parsed. Nothing here throws on bad input: a file Babel cannot recover
 * from comes back as `{ error }`.
 */
import { conventionalCodeRole, isTestLike } from '../../kernel/code-role.js';
import type { Span } from '../../kernel/model.js';
import { nestingOverAt } from '../../kernel/text.js';

/** A Babel AST node, read structurally (the parser's own types are not part of our API). */
export interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: any;
}

export type ModuleStyle = 'esm' | 'cjs';

export interface ParsedJs {
  program: Node;
  /** Recovered syntax errors (the tree is still usable). */
  errors: { message: string; offset: number }[];
  moduleStyle: ModuleStyle;
  typescript: boolean;
}

/** Files above this size (UTF-16 units) are not parsed: server entry points and db modules are far smaller. */
export const MAX_JS_CHARS = 512_000;
/** A line longer than this means minified or generated code. */
export const MAX_LINE_CHARS = 5_000;
/**
 * Babel recurses per nesting level and its TypeScript plugin backtracks on ambiguous `<(` runs
 * (`A<(A<(…` took seconds at 900 characters): deeper code than this is not parsed (real code nests a
 * few dozen levels at most).
 */
export const MAX_BRACKET_DEPTH = 100;
/** More unmatched `<` than this and Babel's TypeScript plugin spends ~0.1 s or more guessing type arguments (quadratic). */
export const MAX_UNMATCHED_ANGLES = 150;

/** How many more `<` than `>` the text holds (a linear count; `=>` and `->` count as `>`). */
export function unmatchedAngles(text: string): number {
  let n = 0;
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) n++;
  for (let i = text.indexOf('>'); i >= 0; i = text.indexOf('>', i + 1)) n--;
  return n;
}

/** Whether `(`/`[`/`{` nest deeper than `limit` outside strings and comments (a linear scan). */
export function bracketDepthOver(text: string, limit: number): boolean {
  return nestingOverAt(text, limit, { quotes: '"\'`', stringEndsAtNewline: false, parens: true }) >= 0;
}

export const JS_EXTENSIONS = /\.(?:[cm]?[jt]s|jsx|tsx)$/i;
const SKIPPED_DIRS = /(?:^|\/)(?:node_modules|dist|build|out|coverage|\.next|\.nuxt|\.output|vendor|bower_components)\//;

/** A hand-written JS/TS source file (not a dependency, a build output, a declaration file or a minified bundle). */
export function isSourcePath(path: string): boolean {
  return JS_EXTENSIONS.test(path) && !SKIPPED_DIRS.test(path) && !/\.d\.[cm]?ts$/i.test(path) && !/[.-]min\.[cm]?js$/i.test(path);
}

/**
 * Test code, fixtures, examples and docs (the kernel's code roles, by path convention): apps and
 * clients created there are not served. Rules also ask the kernel with the settings' overrides.
 */
export function isTestPath(path: string): boolean {
  return isTestLike(conventionalCodeRole(path));
}

/** Why a file is not parsed (too large, minified), or undefined. Linear, no regex backtracking. */
export function unparseableReason(text: string): string | undefined {
  if (text.length > MAX_JS_CHARS) return `larger than ${MAX_JS_CHARS / 1000} KB`;
  if (bracketDepthOver(text, MAX_BRACKET_DEPTH)) return `brackets are nested more than ${MAX_BRACKET_DEPTH} levels deep`;
  // Babel's TypeScript plugin tries every `<` as a type-argument list: quadratic on `A<A<A<…` chains.
  if (unmatchedAngles(text) > MAX_UNMATCHED_ANGLES) return `more than ${MAX_UNMATCHED_ANGLES} unmatched "<" (generated or hostile code)`;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); ; i = text.indexOf('\n', i + 1)) {
    const end = i < 0 ? text.length : i;
    if (end - lineStart > MAX_LINE_CHARS) return `a line is longer than ${MAX_LINE_CHARS} characters (minified or generated code)`;
    if (i < 0) break;
    lineStart = i + 1;
  }
  return undefined;
}

interface BabelParser {
  parse(text: string, options: Record<string, unknown>): Node & { program: Node; errors?: { message: string; pos?: number }[] };
}

let babel: BabelParser | undefined;
function parser(): BabelParser {
  // Loaded lazily: the grammar is ~1.8 MB and most workspaces never need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  babel ??= require('@babel/parser') as BabelParser;
  return babel;
}

function pluginsFor(path: string): unknown[] {
  const ts = /\.[cm]?tsx?$/i.test(path);
  const jsx = !/\.[cm]?ts$/i.test(path);
  return [...(ts ? ['typescript'] : []), ...(jsx ? ['jsx'] : []), 'decorators-legacy', 'importAttributes', 'explicitResourceManagement'];
}

/** Parses a JS/TS file with error recovery. Returns `{ error }` when it cannot be read at all. */
/** The last parse: several readers (the ORM extractors of one file) ask for the same file in a row; the AST is only read. */
let lastParse: { path: string; text: string; result: ParsedJs | { error: string } } | undefined;

export function parseJs(path: string, text: string): ParsedJs | { error: string } {
  if (lastParse && lastParse.path === path && lastParse.text === text) return lastParse.result;
  const result = parseJsUncached(path, text);
  lastParse = { path, text, result };
  return result;
}

function parseJsUncached(path: string, text: string): ParsedJs | { error: string } {
  const reason = unparseableReason(text);
  if (reason) return { error: `not parsed: ${reason}` };
  const ts = /\.[cm]?tsx?$/i.test(path);
  const options = {
    sourceType: /\.c[jt]s$/i.test(path) ? 'script' : 'unambiguous',
    plugins: pluginsFor(path),
    errorRecovery: true,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: true,
    allowUndeclaredExports: true,
    allowNewTargetOutsideFunction: true,
    allowSuperOutsideMethod: true,
    attachComment: false,
    tokens: false,
    ranges: false,
  };
  let file: ReturnType<BabelParser['parse']>;
  try {
    file = parser().parse(text, options);
  } catch (e) {
    const err = e as { message?: string; pos?: number };
    return { error: String(err.message ?? e).replace(/(?<!\s)\s*\(\d+:\d+\)$/, '') };
  }
  const program = file.program;
  const esm = program.sourceType === 'module' || /\.m[jt]s$/i.test(path);
  return {
    program,
    errors: (file.errors ?? []).map((e) => ({ message: e.message, offset: e.pos ?? 0 })),
    moduleStyle: esm ? 'esm' : 'cjs',
    typescript: ts,
  };
}

const SKIP_KEYS = new Set(['type', 'start', 'end', 'loc', 'range', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'errors']);

/** Child nodes of a node, in source order. */
export function childrenOf(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of Object.keys(node)) {
    if (SKIP_KEYS.has(key)) continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === 'object' && typeof x.type === 'string') out.push(x as Node);
    } else if (v && typeof v === 'object' && typeof v.type === 'string') out.push(v as Node);
  }
  return out;
}

/**
 * Depth-first walk without recursion. `enter` gets the node and its ancestors (outermost first; do
 * not keep the array); returning false skips the node's children.
 */
export function walk(root: Node, enter: (node: Node, ancestors: readonly Node[]) => boolean | void): void {
  const stack: { node: Node; depth: number }[] = [{ node: root, depth: 0 }];
  const ancestors: Node[] = [];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    ancestors.length = depth;
    if (enter(node, ancestors) === false) continue;
    ancestors.push(node);
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], depth: depth + 1 });
  }
}

export function isFunction(n: Node | undefined): boolean {
  return !!n && (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression' || n.type === 'ObjectMethod' || n.type === 'ClassMethod' || n.type === 'ClassPrivateMethod');
}

export function isCall(n: Node | undefined): boolean {
  return !!n && (n.type === 'CallExpression' || n.type === 'OptionalCallExpression');
}

/** Strips `await`, parentheses, TS casts and non-null assertions. */
export function unwrap(n: Node | undefined): Node | undefined {
  let cur = n;
  while (cur && (cur.type === 'AwaitExpression' || cur.type === 'ParenthesizedExpression' || cur.type === 'TSAsExpression' || cur.type === 'TSSatisfiesExpression' || cur.type === 'TSNonNullExpression' || cur.type === 'TypeCastExpression' || cur.type === 'TSTypeAssertion')) {
    cur = (cur.argument ?? cur.expression) as Node | undefined;
  }
  return cur;
}

/** The name of a non-computed property key or member property (`a.b` → "b", `{ 'c': 1 }` → "c"). */
export function propName(key: Node | undefined, computed = false): string | undefined {
  if (!key) return undefined;
  if (key.type === 'Identifier' && !computed) return key.name as string;
  if (key.type === 'PrivateName') return undefined;
  return stringValue(key);
}

/** The value of a string literal or a template literal without substitutions. */
export function stringValue(n: Node | undefined): string | undefined {
  const u = unwrap(n);
  if (!u) return undefined;
  if (u.type === 'StringLiteral') return u.value as string;
  if (u.type === 'TemplateLiteral' && u.expressions.length === 0) return (u.quasis[0]?.value?.cooked ?? '') as string;
  return undefined;
}

/**
 * A callee or member chain as names: `app.use` → ['app', 'use'], `this.prisma.user.findMany` →
 * ['this', 'prisma', 'user', 'findMany'], `getRepository(User).find` → ['getRepository()', 'find'],
 * `db['users']` → ['db', 'users']. Undefined for anything else.
 */
export function memberPath(n: Node | undefined): string[] | undefined {
  const out: string[] = [];
  let cur = unwrap(n);
  for (let guard = 0; cur && guard < 64; guard++) {
    if (cur.type === 'Identifier') {
      out.unshift(cur.name as string);
      return out;
    }
    if (cur.type === 'ThisExpression') {
      out.unshift('this');
      return out;
    }
    if (cur.type === 'Super') {
      out.unshift('super');
      return out;
    }
    if (cur.type === 'MemberExpression' || cur.type === 'OptionalMemberExpression') {
      const name = propName(cur.property as Node, cur.computed as boolean);
      if (name === undefined) return undefined;
      out.unshift(name);
      cur = unwrap(cur.object as Node);
      continue;
    }
    if (isCall(cur)) {
      const inner = memberPath(cur.callee as Node);
      if (!inner) return undefined;
      out.unshift(`${inner.join('.')}()`);
      return out;
    }
    return undefined;
  }
  return undefined;
}

/** Object literal properties by (static) key name; spreads and computed keys are skipped. */
export function objectProps(n: Node | undefined): Map<string, { prop: Node; key: Node; value: Node }> {
  const out = new Map<string, { prop: Node; key: Node; value: Node }>();
  const o = unwrap(n);
  if (!o || o.type !== 'ObjectExpression') return out;
  for (const p of o.properties as Node[]) {
    if (p.type !== 'ObjectProperty' && p.type !== 'ObjectMethod') continue;
    const name = propName(p.key as Node, p.computed as boolean);
    if (name === undefined) continue;
    out.set(name, { prop: p, key: p.key as Node, value: p.type === 'ObjectMethod' ? p : (p.value as Node) });
  }
  return out;
}

/** Evaluates numeric literals, `-x`, `+ - * /` of them, and `Number.MAX_SAFE_INTEGER`-free constant arithmetic. */
export function numberValue(n: Node | undefined, depth = 0): number | undefined {
  const u = unwrap(n);
  if (!u || depth > 20) return undefined;
  if (u.type === 'NumericLiteral') return u.value as number;
  if (u.type === 'UnaryExpression' && (u.operator === '-' || u.operator === '+')) {
    const v = numberValue(u.argument as Node, depth + 1);
    return v === undefined ? undefined : u.operator === '-' ? -v : v;
  }
  if (u.type === 'BinaryExpression' && ['+', '-', '*', '/'].includes(u.operator as string)) {
    const a = numberValue(u.left as Node, depth + 1);
    const b = numberValue(u.right as Node, depth + 1);
    if (a === undefined || b === undefined) return undefined;
    switch (u.operator) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      default: return b === 0 ? undefined : a / b;
    }
  }
  return undefined;
}

export function booleanValue(n: Node | undefined): boolean | undefined {
  const u = unwrap(n);
  if (u?.type === 'BooleanLiteral') return u.value as boolean;
  if (u?.type === 'UnaryExpression' && u.operator === '!' && (u.argument as Node).type === 'NumericLiteral') return !(u.argument as Node).value;
  return undefined;
}

/** What a local name is bound to by an import or a require. */
export interface ImportBinding {
  source: string;
  /** 'default', '*' (namespace / whole require), or the imported name. */
  imported: string;
  /** The import declaration or the `const x = require(...)` statement. */
  statement: Node;
  style: ModuleStyle;
}

/** `require('m')`, `require('m').x`, `require('m').default` → { source, member } */
export function requireOf(n: Node | undefined): { source: string; member?: string } | undefined {
  let u = unwrap(n);
  let member: string | undefined;
  if (u && (u.type === 'MemberExpression' || u.type === 'OptionalMemberExpression')) {
    member = propName(u.property as Node, u.computed as boolean);
    u = unwrap(u.object as Node);
  }
  if (!u || !isCall(u) || u.callee.type !== 'Identifier' || u.callee.name !== 'require' || u.arguments.length < 1) return undefined;
  const source = stringValue(u.arguments[0] as Node);
  if (source === undefined) return undefined;
  return member === undefined ? { source } : { source, member };
}

/** Import and require bindings of the module's top level (and of `import x = require()` in TS). */
export function collectImports(program: Node): Map<string, ImportBinding> {
  const out = new Map<string, ImportBinding>();
  for (const st of program.body as Node[]) {
    if (st.type === 'ImportDeclaration') {
      const source = st.source.value as string;
      for (const s of st.specifiers as Node[]) {
        const local = s.local.name as string;
        if (s.type === 'ImportDefaultSpecifier') out.set(local, { source, imported: 'default', statement: st, style: 'esm' });
        else if (s.type === 'ImportNamespaceSpecifier') out.set(local, { source, imported: '*', statement: st, style: 'esm' });
        else out.set(local, { source, imported: propName(s.imported as Node) ?? local, statement: st, style: 'esm' });
      }
    } else if (st.type === 'TSImportEqualsDeclaration' && st.moduleReference?.type === 'TSExternalModuleReference') {
      out.set(st.id.name as string, { source: st.moduleReference.expression.value as string, imported: '*', statement: st, style: 'cjs' });
    } else if (st.type === 'VariableDeclaration') {
      for (const d of st.declarations as Node[]) {
        const req = requireOf(d.init as Node);
        if (!req) continue;
        const id = d.id as Node;
        if (id.type === 'Identifier') out.set(id.name as string, { source: req.source, imported: req.member === undefined || req.member === 'default' ? '*' : req.member, statement: st, style: 'cjs' });
        else if (id.type === 'ObjectPattern') {
          for (const p of id.properties as Node[]) {
            if (p.type !== 'ObjectProperty' || (p.value as Node).type !== 'Identifier') continue;
            const imported = propName(p.key as Node, p.computed as boolean);
            if (imported) out.set((p.value as Node).name as string, { source: req.source, imported, statement: st, style: 'cjs' });
          }
        }
      }
    }
  }
  return out;
}

/** Names bound by a pattern (`a`, `{ a, b: c }`, `[d, ...e]`, `f = 1`). */
export function patternNames(p: Node | undefined, out: string[] = []): string[] {
  if (!p) return out;
  switch (p.type) {
    case 'Identifier': out.push(p.name as string); break;
    case 'ObjectPattern': for (const x of p.properties as Node[]) patternNames(x.type === 'RestElement' ? x.argument : x.value, out); break;
    case 'ArrayPattern': for (const x of p.elements as (Node | null)[]) if (x) patternNames(x, out); break;
    case 'RestElement': patternNames(p.argument as Node, out); break;
    case 'AssignmentPattern': patternNames(p.left as Node, out); break;
    case 'TSParameterProperty': patternNames(p.parameter as Node, out); break;
  }
  return out;
}

/** Every name declared anywhere in the subtree (params, variables, functions, classes, catch clauses). */
export function declaredNames(root: Node): Set<string> {
  const out = new Set<string>();
  walk(root, (n) => {
    if (n.type === 'VariableDeclarator') patternNames(n.id as Node, [] as string[]).forEach((x) => out.add(x));
    else if ((n.type === 'FunctionDeclaration' || n.type === 'ClassDeclaration' || n.type === 'FunctionExpression' || n.type === 'ClassExpression') && n.id) out.add(n.id.name as string);
    else if (n.type === 'CatchClause' && n.param) patternNames(n.param as Node).forEach((x) => out.add(x));
    else if (n.type === 'ImportSpecifier' || n.type === 'ImportDefaultSpecifier' || n.type === 'ImportNamespaceSpecifier') out.add(n.local.name as string);
    else if (n.type === 'TSImportEqualsDeclaration') out.add(n.id.name as string);
    if (isFunction(n)) for (const p of (n.params ?? []) as Node[]) patternNames(p).forEach((x) => out.add(x));
  });
  return out;
}

/** Identifiers read in an expression (not property names, object keys or type annotations). */
export function referencedNames(root: Node): Set<string> {
  const out = new Set<string>();
  walk(root, (n, anc) => {
    if (n.type.startsWith('TS') && n.type !== 'TSAsExpression' && n.type !== 'TSNonNullExpression' && n.type !== 'TSSatisfiesExpression') return false;
    if (n.type !== 'Identifier') return;
    const parent = anc[anc.length - 1];
    if (parent && (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.property === n && !parent.computed) return;
    if (parent && (parent.type === 'ObjectProperty' || parent.type === 'ObjectMethod') && parent.key === n && !parent.computed) return;
    out.add(n.name as string);
  });
  return out;
}

/** Names declared at the module's top level. */
export function topLevelNames(program: Node): Set<string> {
  const out = new Set<string>();
  for (const raw of program.body as Node[]) {
    const st = raw.type === 'ExportNamedDeclaration' || raw.type === 'ExportDefaultDeclaration' ? ((raw.declaration as Node | undefined) ?? raw) : raw;
    if (st.type === 'VariableDeclaration') for (const d of st.declarations as Node[]) patternNames(d.id as Node, []).forEach((x) => out.add(x));
    else if ((st.type === 'FunctionDeclaration' || st.type === 'ClassDeclaration' || st.type === 'TSEnumDeclaration') && st.id) out.add(st.id.name as string);
    else if (st.type === 'ImportDeclaration') for (const s of st.specifiers as Node[]) out.add(s.local.name as string);
    else if (st.type === 'TSImportEqualsDeclaration') out.add(st.id.name as string);
  }
  return out;
}

export function spanOf(n: Node): Span {
  return { start: n.start, end: n.end };
}

/** The statement of `program.body` that contains `offset`. */
export function topLevelStatementAt(program: Node, offset: number): Node | undefined {
  return (program.body as Node[]).find((s) => s.start <= offset && offset < s.end);
}

/** 'pages' for pages/api/** handlers, 'app' for app/**\/route.* handlers. */
export function isNextRouteFile(path: string): 'pages' | 'app' | undefined {
  if (/(?:^|\/)(?:src\/)?pages\/api\/.+\.[cm]?[jt]sx?$/.test(path)) return 'pages';
  if (/(?:^|\/)(?:src\/)?app\/(?:.+\/)?route\.[cm]?[jt]s$/.test(path)) return 'app';
  return undefined;
}
