/**
 * Who calls a named function, found by name in the code files of the workspace: enough to tell that
 * every caller of a helper is background code (a queue task) without a call graph. Name matching
 * over-approximates callers (any call of that name counts), which only ever keeps a finding louder.
 */
import type { ParsedSqlFile } from './analyze.js';
import { jsTokens } from './embedded.js';

/** Names too generic to find callers by (a call of `list(` says nothing about which `list`). */
const MIN_NAME = 8;

const cache = new WeakMap<readonly ParsedSqlFile[], Map<string, string[] | undefined>>();

const isIdent = (c: string | undefined): boolean => c !== undefined && /[\w$]/.test(c);

/** Occurrences of `name(` (or `name (`) as a whole identifier in `text`. */
function callsIn(text: string, name: string): number {
  let n = 0;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    if (isIdent(text[at - 1]) || isIdent(text[at + name.length])) continue;
    let k = at + name.length;
    while (text[k] === ' ') k++;
    if (text[k] === '(' || (text[k] === '<' && text[at - 1] === '.')) n++;
  }
  return n;
}

/**
 * The code files, other than `defining`, that call `name`; undefined when the name is too generic,
 * when `defining` itself calls it besides defining it, or when no caller is found (exported for a
 * caller the workspace does not hold, or called through a reference).
 */
export function callersOf(allFiles: readonly ParsedSqlFile[], textOf: (path: string) => string | undefined, name: string, defining: string): string[] | undefined {
  if (name.length < MIN_NAME) return undefined;
  let byName = cache.get(allFiles);
  if (!byName) cache.set(allFiles, (byName = new Map()));
  const key = `${defining}\u0000${name}`;
  if (byName.has(key)) return byName.get(key);
  let result: string[] | undefined = [];
  for (const f of allFiles) {
    if (f.kind !== 'code') continue;
    const text = textOf(f.path);
    if (text === undefined || !text.includes(name)) continue;
    const n = callsIn(text, name);
    if (f.path === defining) {
      // The definition (`name(…) {`, `function name(`) reads like a call once; more is a call from its own file.
      if (n > 1) {
        result = undefined;
        break;
      }
    } else if (n > 0) result.push(f.path);
  }
  if (result && !result.length) result = undefined;
  byName.set(key, result);
  return result;
}

/** Names frameworks call by convention, never by a reference the workspace holds. */
const FRAMEWORK_CALLED = new Set(['getServerSideProps', 'getStaticProps', 'getStaticPaths', 'generateMetadata', 'generateStaticParams', 'middleware', 'clientLoader', 'clientAction']);

const deadCache = new WeakMap<readonly ParsedSqlFile[], Map<string, boolean>>();

/**
 * Is the top-level function `name` of `defining` (a JS/TS file) dead code: defined once, imported
 * elsewhere, and every other mention of it anywhere in the workspace's code is an import or a comment
 * (a call commented out, an import left behind)? A reference without a call (`setInterval(name, …)`, a re-export, an
 * object of handlers) counts as a use. False whenever unsure.
 */
export function isNeverReferenced(allFiles: readonly ParsedSqlFile[], textOf: (path: string) => string | undefined, name: string, defining: string): boolean {
  if (name.length < MIN_NAME || FRAMEWORK_CALLED.has(name) || !/\.[cm]?[jt]sx?$/.test(defining)) return false;
  let byName = deadCache.get(allFiles);
  if (!byName) deadCache.set(allFiles, (byName = new Map()));
  const key = `${defining}\u0000${name}`;
  const known = byName.get(key);
  if (known !== undefined) return known;
  let definitions = 0;
  let imported = false;
  let used = false;
  for (const f of allFiles) {
    if (f.kind !== 'code' || used) continue;
    const text = textOf(f.path);
    if (text === undefined || !text.includes(name)) continue;
    // Python and Go files name functions differently: any mention there is a use (conservative).
    if (!/\.[cm]?[jt]sx?$/.test(f.path)) {
      used = true;
      break;
    }
    const m = mentionsIn(text, name, /x$/.test(f.path));
    definitions += f.path === defining ? m.definitions : 0;
    if (f.path !== defining && m.imports) imported = true;
    if (m.uses || (f.path !== defining && m.definitions)) used = true;
  }
  // Imported elsewhere and never used: wired up once, its call since removed or commented out. Not
  // imported anywhere: a module's export the workspace may not see the caller of (a route, a library).
  const dead = !used && imported && definitions === 1;
  byName.set(key, dead);
  return dead;
}

/** Mentions of identifier `name` in JS/TS text, comments excluded: definitions (`function name`, `const name =`) and other uses, imports aside. */
function mentionsIn(text: string, name: string, jsx: boolean): { definitions: number; uses: number; imports: number } {
  let definitions = 0;
  let uses = 0;
  let imports = 0;
  // Inside `import … from '…'` (until its module string) or `import name = …`.
  let inImport = false;
  let prev = '';
  let prevPrev = '';
  let pendingName = false;
  for (const t of jsTokens(text, { jsx })) {
    if (t.type === 'WhiteSpace' || t.type === 'LineTerminatorSequence' || t.type === 'MultiLineComment' || t.type === 'SingleLineComment') continue;
    if (pendingName) {
      pendingName = false;
      // `const name = …`: a definition; `const x = name`-style reads are handled below.
      if (t.value === '=' || t.value === ':') definitions++;
      else uses++;
    }
    if (t.type === 'IdentifierName' && t.value === 'import' && prev !== '.' && (prev === '' || prev === ';' || prev === '}' || prev === 'export')) inImport = true;
    else if (inImport && (t.type === 'StringLiteral' || t.value === ';')) inImport = false;
    else if (inImport && t.type === 'IdentifierName' && t.value === name) imports++;
    else if (t.type === 'IdentifierName' && t.value === name && !inImport && prev !== '.') {
      if (prev === 'function' || (prev === '*' && prevPrev === 'function')) definitions++;
      else if (prev === 'const' || prev === 'let' || prev === 'var') pendingName = true;
      else uses++;
    }
    prevPrev = prev;
    prev = t.value;
  }
  return { definitions, uses, imports };
}
