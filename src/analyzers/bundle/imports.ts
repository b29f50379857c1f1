/**
 * Module imports of a JS/TS file — `import … from`, `export … from`, side-effect imports,
 * `require("…")` and `import("…")` — with spans, found with a real tokenizer (js-tokens), so
 * imports in strings, comments, templates and regular expressions are not mistaken for code.
 * Used by the lodash rule and by the inline import cost.
 */
import type JsTokens from 'js-tokens' with { 'resolution-mode': 'import' };
import type { Span } from '../../kernel/model.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsTokensModule = require('js-tokens') as typeof JsTokens | { default: typeof JsTokens };
const jsTokens: typeof JsTokens = typeof jsTokensModule === 'function' ? jsTokensModule : jsTokensModule.default;

export interface NamedImport {
  imported: string;
  local: string;
  type?: boolean;
}

export interface ImportRef {
  kind: 'import' | 'export-from' | 'side-effect' | 'require' | 'dynamic';
  specifier: string;
  /** The statement (import/export, up to its `;`) or the call expression. */
  span: Span;
  /** The string literal, quotes included. */
  specifierSpan: Span;
  quote: '"' | "'" | '`';
  defaultImport?: string;
  namespace?: string;
  named: NamedImport[];
  /** `import type …` / `export type …` (erased at compile time). */
  typeOnly: boolean;
  /** `export * from`. */
  star?: boolean;
}

interface Tok {
  type: string;
  value: string;
  start: number;
}

function significant(code: string, jsx: boolean): Tok[] {
  const out: Tok[] = [];
  let offset = 0;
  for (const t of jsTokens(code, { jsx })) {
    const start = offset;
    offset += t.value.length;
    if (t.type === 'WhiteSpace' || t.type === 'LineTerminatorSequence' || t.type === 'MultiLineComment' || t.type === 'SingleLineComment' || t.type === 'HashbangComment') continue;
    out.push({ type: t.type, value: t.value, start });
  }
  return out;
}

function stringValue(t: Tok | undefined): string | undefined {
  if (!t) return undefined;
  if (t.type === 'StringLiteral' || t.type === 'NoSubstitutionTemplate') {
    const body = t.value.slice(1, -1);
    return body.includes('\\') ? body.replace(/\\(.)/g, '$1') : body;
  }
  return undefined;
}

const isName = (t: Tok | undefined): boolean => t?.type === 'IdentifierName';

/** `jsx`: tokenize JSX (for .jsx/.tsx/.js); off for .ts where `<T>` is a type argument. */
export function findImports(code: string, opts: { jsx?: boolean } = {}): ImportRef[] {
  if (!/\b(import|require|export)\b/.test(code)) return [];
  const toks = significant(code, opts.jsx ?? true);
  const out: ImportRef[] = [];
  const endOf = (t: Tok): number => t.start + t.value.length;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.type !== 'IdentifierName') continue;
    const prev = toks[i - 1];
    if (prev && prev.type === 'Punctuator' && (prev.value === '.' || prev.value === '?.')) continue;
    const next = toks[i + 1];
    // require("x") / import("x")
    if ((t.value === 'require' || t.value === 'import') && next?.value === '(') {
      const lit = toks[i + 2];
      const spec = stringValue(lit);
      const close = toks[i + 3];
      if (spec !== undefined && lit && (close?.value === ')' || close?.value === ',')) {
        let j = i + 3;
        while (j < toks.length && toks[j].value !== ')') j++;
        out.push({ kind: t.value === 'require' ? 'require' : 'dynamic', specifier: spec, span: { start: t.start, end: j < toks.length ? endOf(toks[j]) : endOf(lit) }, specifierSpan: { start: lit.start, end: endOf(lit) }, quote: lit.value[0] as ImportRef['quote'], named: [], typeOnly: false });
      }
      continue;
    }
    if (t.value !== 'import' && t.value !== 'export') continue;
    if (t.value === 'import' && (next?.value === '.' || next?.value === '(')) continue;
    const ref: ImportRef = { kind: t.value === 'import' ? 'import' : 'export-from', specifier: '', span: { start: t.start, end: t.start }, specifierSpan: { start: 0, end: 0 }, quote: '"', named: [], typeOnly: false };
    let j = i + 1;
    if (toks[j]?.value === 'type' && (isName(toks[j + 1]) && toks[j + 1].value !== 'from' || toks[j + 1]?.value === '{' || toks[j + 1]?.value === '*')) {
      ref.typeOnly = true;
      j++;
    }
    // import "x";
    const direct = stringValue(toks[j]);
    if (direct !== undefined && t.value === 'import') {
      ref.kind = 'side-effect';
    } else {
      let ok = false;
      for (let guard = 0; j < toks.length && guard < 4096; guard++) {
        const k = toks[j];
        if (k.value === 'from' && stringValue(toks[j + 1]) !== undefined) {
          j++;
          ok = true;
          break;
        }
        if (k.value === '*') {
          if (toks[j + 1]?.value === 'as' && isName(toks[j + 2])) {
            if (ref.kind === 'import') ref.namespace = toks[j + 2].value;
            j += 3;
          } else {
            ref.star = true;
            j++;
          }
          continue;
        }
        if (k.value === '{') {
          j++;
          while (j < toks.length && toks[j].value !== '}') {
            let type = false;
            if (toks[j].value === 'type' && toks[j + 1] && toks[j + 1].value !== ',' && toks[j + 1].value !== '}' && toks[j + 1].value !== 'as') {
              type = true;
              j++;
            }
            const name = toks[j];
            const imported = isName(name) ? name.value : stringValue(name);
            if (imported === undefined) break;
            let local = imported;
            if (toks[j + 1]?.value === 'as' && toks[j + 2]) {
              local = toks[j + 2].value;
              j += 2;
            }
            ref.named.push({ imported, local, ...(type ? { type: true } : {}) });
            j++;
            if (toks[j]?.value === ',') j++;
          }
          j++;
          continue;
        }
        if (k.value === ',') {
          j++;
          continue;
        }
        if (isName(k) && t.value === 'import' && ref.defaultImport === undefined && ref.named.length === 0) {
          ref.defaultImport = k.value;
          j++;
          continue;
        }
        break;
      }
      if (!ok) continue;
    }
    const lit = toks[j];
    ref.specifier = stringValue(lit)!;
    ref.specifierSpan = { start: lit.start, end: endOf(lit) };
    ref.quote = lit.value[0] as ImportRef['quote'];
    let end = endOf(lit);
    // Import attributes: with { type: "json" } / assert { … }
    let k = j + 1;
    if ((toks[k]?.value === 'with' || toks[k]?.value === 'assert') && toks[k + 1]?.value === '{') {
      while (k < toks.length && toks[k].value !== '}') k++;
      if (toks[k]) end = endOf(toks[k]);
      k++;
    }
    if (toks[k]?.value === ';') end = endOf(toks[k]);
    ref.span = { start: t.start, end };
    if (ref.named.length && ref.named.every((n) => n.type) && !ref.defaultImport && !ref.namespace) ref.typeOnly = true;
    out.push(ref);
    i = j;
  }
  return out;
}

const BUILTINS = new Set(['assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console', 'constants', 'crypto', 'dgram', 'diagnostics_channel', 'dns', 'domain', 'events', 'fs', 'http', 'http2', 'https', 'inspector', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'punycode', 'querystring', 'readline', 'repl', 'stream', 'string_decoder', 'sys', 'timers', 'tls', 'trace_events', 'tty', 'url', 'util', 'v8', 'vm', 'wasi', 'worker_threads', 'zlib']);

/** Node built-in module (`fs`, `node:fs`, `fs/promises`)? */
export function isBuiltin(spec: string): boolean {
  if (spec.startsWith('node:')) return true;
  return BUILTINS.has(spec.split('/')[0]);
}

/** A bare package specifier (`lodash`, `@scope/x/sub`), not a relative/absolute path, URL, alias or builtin. */
export function isBareSpecifier(spec: string): boolean {
  if (!spec || spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('#') || spec.startsWith('~') || /^[a-z][a-z0-9+.-]*:/i.test(spec)) return false;
  if (spec.startsWith('@') && !/^@[^/]+\/[^/]+/.test(spec)) return false;
  return !isBuiltin(spec);
}

/** The package name of a bare specifier: `@scope/name/sub` → `@scope/name`, `lodash/debounce` → `lodash`. */
export function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
