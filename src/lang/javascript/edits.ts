/**
 * Text-edit helpers for quick fixes in JS/TS sources and package.json: where to put an import, the
 * file's quote/semicolon/indent/EOL style, whole-line removal, and dependency additions that keep
 * package.json's formatting and key order.
 */
import { applyEdits, modify, parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { Span } from '../../kernel/model.js';
import type { WorkspaceView } from '../../kernel/contracts.js';
import { propName, requireOf, spanOf, type Node, type ModuleStyle } from './ast.js';
import { tooDeeplyNested } from '../../kernel/json.js';

export interface TextEditSpan {
  span: Span;
  newText: string;
}

export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Offset of the end of the line containing `offset` (before its EOL). */
export function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** Offset just after the EOL of the line containing `offset` (or the text's end). */
export function nextLineStart(text: string, offset: number): number {
  const e = lineEndOf(text, offset);
  if (text.startsWith('\r\n', e)) return e + 2;
  return e < text.length ? e + 1 : e;
}

export function indentAt(text: string, offset: number): string {
  const s = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(s, s + 200))![0];
}

/** One indentation unit of the file (two spaces when unknown). */
export function indentUnit(text: string): string {
  const m = /^( +|\t)\S/m.exec(text);
  if (!m) return '  ';
  return m[1] === '\t' ? '\t' : ' '.repeat(Math.min(m[1].length, 8));
}

export function quoteOf(text: string, program: Node): string {
  for (const st of program.body as Node[]) {
    if (st.type === 'ImportDeclaration') return text[st.source.start as number] === '"' ? '"' : "'";
    if (st.type === 'VariableDeclaration') {
      for (const d of st.declarations as Node[]) {
        const r = requireOf(d.init as Node);
        if (r) {
          const m = /require\(\s*(["'`])/.exec(text.slice(d.init.start as number, d.init.end as number));
          if (m) return m[1] === '"' ? '"' : "'";
        }
      }
    }
  }
  return /"/.test(text) && !/'/.test(text) ? '"' : "'";
}

/** Whether the file ends statements with semicolons (judged on its top-level statements). */
export function usesSemicolons(text: string, program: Node): boolean {
  let yes = 0;
  let no = 0;
  for (const st of (program.body as Node[]).slice(0, 50)) {
    if (!/(Declaration|Statement)$/.test(st.type) || st.type === 'FunctionDeclaration' || st.type === 'ClassDeclaration' || st.type.startsWith('TS')) continue;
    if (/Statement$/.test(st.type) && st.type !== 'ExpressionStatement') continue;
    if (text[st.end - 1] === ';') yes++;
    else no++;
  }
  return yes >= no;
}

function isImportLike(st: Node): boolean {
  if (st.type === 'ImportDeclaration' || st.type === 'TSImportEqualsDeclaration') return true;
  if (st.type === 'VariableDeclaration') return (st.declarations as Node[]).every((d) => !!requireOf(d.init as Node));
  if (st.type === 'ExpressionStatement' && requireOf(st.expression as Node)) return true;
  return false;
}

/**
 * Where a new import/require goes: on the line after the last leading import-like statement, else
 * after directives ('use strict') and a shebang, else at the top.
 */
export function importInsertionOffset(text: string, program: Node): number {
  let last: Node | undefined;
  for (const st of program.body as Node[]) {
    if (isImportLike(st)) last = st;
    else if (last) break;
  }
  if (!last) {
    for (const st of program.body as Node[]) if (isImportLike(st)) last = st;
  }
  if (last) return nextLineStart(text, last.end);
  const dirs = (program.directives ?? []) as Node[];
  if (dirs.length) return nextLineStart(text, dirs[dirs.length - 1].end);
  if (text.startsWith('#!')) return nextLineStart(text, 0);
  return 0;
}

/** The import statement text for `local` (default import / namespace import / require) in the file's style. */
export function importStatement(opts: { local: string; source: string; style: ModuleStyle; namespace?: boolean; quote: string; semi: boolean }): string {
  const q = opts.quote;
  const semi = opts.semi ? ';' : '';
  if (opts.style === 'cjs') return `const ${opts.local} = require(${q}${opts.source}${q})${semi}`;
  return opts.namespace ? `import * as ${opts.local} from ${q}${opts.source}${q}${semi}` : `import ${opts.local} from ${q}${opts.source}${q}${semi}`;
}

/** Removes a statement with its whole line(s) when it is alone on them, else just the statement. */
export function removeStatementEdit(text: string, st: Node): TextEditSpan {
  const s = lineStartOf(text, st.start);
  const e = lineEndOf(text, st.end);
  if (/^[ \t]*$/.test(text.slice(s, st.start)) && /^[ \t]*(?:;[ \t]*)?$/.test(text.slice(st.end, e))) return { span: { start: s, end: nextLineStart(text, st.end) }, newText: '' };
  return { span: { start: st.start, end: st.end }, newText: '' };
}

export interface ObjectLiteralInfo {
  span: Span;
  /** Property name → spans of the property and of its value. */
  props: Record<string, { span: Span; value: Span }>;
  multiline: boolean;
  /** Offset right after the last property (before a trailing comma, if any). */
  lastPropEnd?: number;
  trailingComma: boolean;
  /** Indentation of the properties (multi-line objects). */
  propIndent: string;
}

export function objectInfo(text: string, o: Node): ObjectLiteralInfo {
  const props: ObjectLiteralInfo['props'] = {};
  const list = o.properties as Node[];
  for (const p of list) {
    if (p.type !== 'ObjectProperty' && p.type !== 'ObjectMethod') continue;
    const name = propName(p.key as Node, p.computed as boolean);
    if (name === undefined) continue;
    props[name] = { span: spanOf(p), value: p.type === 'ObjectMethod' ? spanOf(p) : spanOf(p.value as Node) };
  }
  const last = list[list.length - 1];
  const after = last ? text.slice(last.end, o.end - 1) : '';
  const body = text.slice(o.start, o.end);
  const multiline = /[\r\n]/.test(body);
  const first = list[0];
  return {
    span: spanOf(o),
    props,
    multiline,
    ...(last ? { lastPropEnd: last.end } : {}),
    trailingComma: /^\s*,/.test(after),
    propIndent: first && multiline ? indentAt(text, first.start) : indentAt(text, o.start) + indentUnit(text),
  };
}

/**
 * Edits that set properties of an object literal: existing keys get the new value, new keys are
 * appended in the object's layout (one line or one property per line, trailing comma kept).
 */
export function setPropsEdits(text: string, o: ObjectLiteralInfo, set: { key: string; value: string }[]): TextEditSpan[] {
  const edits: TextEditSpan[] = [];
  const added: string[] = [];
  for (const { key, value } of set) {
    const cur = o.props[key];
    if (cur) edits.push({ span: cur.value, newText: value });
    else added.push(`${key}: ${value}`);
  }
  if (!added.length) return edits;
  if (o.lastPropEnd === undefined) {
    edits.push({ span: o.span, newText: `{ ${added.join(', ')} }` });
  } else if (o.multiline) {
    const eol = eolOf(text);
    edits.push({ span: { start: o.lastPropEnd, end: o.lastPropEnd }, newText: added.map((a) => `,${eol}${o.propIndent}${a}`).join('') });
  } else {
    edits.push({ span: { start: o.lastPropEnd, end: o.lastPropEnd }, newText: added.map((a) => `, ${a}`).join('') });
  }
  return edits;
}

/** The smallest single edit turning `before` into `after`. */
export function diffEdit(before: string, after: string): TextEditSpan {
  let s = 0;
  while (s < before.length && s < after.length && before[s] === after[s]) s++;
  let eb = before.length;
  let ea = after.length;
  while (eb > s && ea > s && before[eb - 1] === after[ea - 1]) {
    eb--;
    ea--;
  }
  return { span: { start: s, end: eb }, newText: after.slice(s, ea) };
}

// ---------------------------------------------------------------------------------------------
// package.json

export interface PackageJson {
  path: string;
  text: string;
  /** Parsed content, or undefined when the file is not valid JSON (see `error`). */
  json?: { type?: unknown; dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown>; peerDependencies?: Record<string, unknown> };
  error?: string;
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** The nearest file called `name` in the directory of `path` or above (workspace-relative paths). */
export function nearestFile(path: string, name: string, ws: WorkspaceView): { path: string; text: string } | undefined {
  let dir = dirOf(path);
  for (let guard = 0; guard < 64; guard++) {
    const p = joinPath(dir, name);
    const text = ws.textOf(p);
    if (text !== undefined) return { path: p, text };
    if (!dir) return undefined;
    dir = dirOf(dir);
  }
  return undefined;
}

export function readPackageJson(path: string, text: string): PackageJson {
  if (tooDeeplyNested(text)) return { path, text, error: `${path} is nested too deeply to read` };
  const errors: ParseError[] = [];
  const json = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (errors.length || !json || typeof json !== 'object' || Array.isArray(json)) return { path, text, error: `${path} is not valid JSON` };
  return { path, text, json: json };
}

export function nearestPackageJson(path: string, ws: WorkspaceView): PackageJson | undefined {
  const f = nearestFile(path, 'package.json', ws);
  return f ? readPackageJson(f.path, f.text) : undefined;
}

/** The version range a package.json declares for `name` (dependencies, devDependencies or peerDependencies). */
export function dependencyRange(pkg: PackageJson | undefined, name: string): string | undefined {
  const j = pkg?.json;
  if (!j) return undefined;
  for (const section of [j.dependencies, j.devDependencies, j.peerDependencies]) {
    const v = section && typeof section === 'object' ? section[name] : undefined;
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/** The major version a range allows (`^4.21.2` → 4, `~5.0.0` → 5, `latest`/`*` → undefined). */
export function majorOf(range: string | undefined): number | undefined {
  // (From the start of a run of digits only: where the first match started anyway, since the
  // character after the run decides.)
  const m = /(?<!\d)(\d+)(?:\.|$|\s|x)/.exec(range ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * One edit adding dependencies to package.json, keeping its indentation and EOL and inserting each
 * key in alphabetical position (as npm does). Names already declared anywhere are left alone.
 * Undefined when nothing needs adding or package.json is not valid JSON.
 */
export function addDependenciesEdit(pkg: PackageJson, add: { name: string; version: string; dev?: boolean }[]): TextEditSpan | undefined {
  if (!pkg.json) return undefined;
  const unit = indentUnit(pkg.text);
  const formattingOptions = { insertSpaces: unit !== '\t', tabSize: unit === '\t' ? 1 : unit.length, eol: eolOf(pkg.text) };
  let text = pkg.text;
  for (const a of add) {
    if (dependencyRange(pkg, a.name) !== undefined) continue;
    const section = a.dev ? 'devDependencies' : 'dependencies';
    const current = (tooDeeplyNested(text) ? {} : parseJsonc(text, [], { allowTrailingComma: true })) as Record<string, unknown>;
    const has = current[section] && typeof current[section] === 'object' && !Array.isArray(current[section]);
    const edits = has
      ? modify(text, [section, a.name], a.version, {
          formattingOptions,
          getInsertionIndex: (props) => {
            const i = props.findIndex((p) => p.localeCompare(a.name, 'en') > 0);
            return i < 0 ? props.length : i;
          },
        })
      : modify(text, [section], { [a.name]: a.version }, {
          formattingOptions,
          // A new section goes after its usual neighbours (dependencies before devDependencies).
          getInsertionIndex: (props) => {
            const after = a.dev ? ['dependencies', 'scripts', 'main', 'version'] : ['scripts', 'main', 'version', 'name'];
            for (const k of after) {
              const i = props.indexOf(k);
              if (i >= 0) return i + 1;
            }
            return props.length;
          },
        });
    text = applyEdits(text, edits);
  }
  return text === pkg.text ? undefined : diffEdit(pkg.text, text);
}
