/** The quick fixes of the bundle rules. */
import { parse as parseJsonc } from 'jsonc-parser';
import type { FileRuleContext, PendingFix } from '../../kernel/contracts.js';
import type { ImportRef } from './imports.js';
import { readPackageJson } from './heavy.js';
import { dirname, posixJoin } from './paths.js';
import { tooDeeplyNested } from '../../kernel/json.js';

/** The file a fix is for, and read access to the workspace around it. */
type FileInWorkspace = Pick<FileRuleContext<unknown>, 'path' | 'text' | 'ws'>;

/** lodash names without a standalone module that works on its own (chain needs the full wrapper). */
const NOT_PER_METHOD = new Set(['chain', 'VERSION', 'mixin', 'runInContext', 'noConflict', 'templateSettings', 'prototype']);

/** Nearest file named `name` from the file's folder up to the workspace root. */
function nearest(ctx: FileInWorkspace, name: string): { path: string; text: string } | undefined {
  for (let d = dirname(ctx.path); ; d = dirname(d)) {
    const p = posixJoin(d, name);
    const text = ctx.ws.textOf(p);
    if (text !== undefined) return { path: p, text };
    if (!d) return undefined;
  }
}

/** TypeScript accepts `import x from 'lodash/x'` (a CommonJS module) only with synthetic default imports. */
function tsDefaultImportsOk(ctx: FileInWorkspace): boolean {
  const ts = nearest(ctx, 'tsconfig.json');
  if (!ts) return false;
  if (tooDeeplyNested(ts.text)) return false;
  const o = (parseJsonc(ts.text, [], { allowTrailingComma: true }) as { compilerOptions?: Record<string, unknown> } | undefined)?.compilerOptions ?? {};
  const lower = (v: unknown): string => (typeof v === 'string' ? v.toLowerCase() : '');
  return o.esModuleInterop === true || o.allowSyntheticDefaultImports === true || lower(o.moduleResolution) === 'bundler' || lower(o.module) === 'preserve';
}

/**
 * Rewrites a named import of `lodash`: to `lodash-es` when the project depends on it, otherwise to one
 * default import of `lodash/<method>` per method (type imports stay on `lodash`); undefined when
 * no safe rewrite is known.
 */
export function lodashImportFix(ctx: FileInWorkspace, ref: ImportRef): PendingFix | undefined {
  if (ref.kind !== 'import' || ref.defaultImport || ref.namespace || !ref.named.length) return undefined;
  const values = ref.named.filter((n) => !n.type);
  const types = ref.named.filter((n) => n.type);
  const pkgFile = nearest(ctx, 'package.json');
  const pkg = pkgFile ? readPackageJson(pkgFile.text) : undefined;
  const hasEs = !!pkg && ('lodash-es' in pkg.dependencies || 'lodash-es' in pkg.devDependencies);
  const q = ref.quote;
  if (hasEs) {
    return { title: 'Import from lodash-es (tree-shakable)', preferred: true, changes: [{ file: ctx.path, edits: [{ span: ref.specifierSpan, newText: `${q}lodash-es${q}` }] }] };
  }
  if (values.some((n) => NOT_PER_METHOD.has(n.imported) || !/^[a-z][A-Za-z0-9]*$/.test(n.imported))) return undefined;
  if (/\.(m|c)?tsx?$/.test(ctx.path) && !tsDefaultImportsOk(ctx)) return undefined;
  const text = ctx.text;
  const semi = text[ref.span.end - 1] === ';' ? ';' : '';
  const lineStart = text.lastIndexOf('\n', ref.span.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, ref.span.start))![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = values.map((n) => `import ${n.local} from ${q}lodash/${n.imported}${q}${semi}`);
  if (types.length) lines.push(`import type { ${types.map((t) => (t.local === t.imported ? t.imported : `${t.imported} as ${t.local}`)).join(', ')} } from ${q}lodash${q}${semi}`);
  return { title: `Import ${values.length === 1 ? `lodash/${values[0].imported}` : 'each lodash method from its own module'}`, preferred: true, changes: [{ file: ctx.path, edits: [{ span: ref.span, newText: lines.join(eol + indent) }] }] };
}
