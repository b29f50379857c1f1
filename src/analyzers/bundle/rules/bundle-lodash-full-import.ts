import { parse as parseJsonc } from 'jsonc-parser';
import type { FileRule, FileRuleContext, PendingFix } from '../../../kernel/contracts.js';
import { BUNDLE_IMPORTS_GATHERER_ID, type ImportsArtifact } from '../gather.js';
import type { ImportRef } from '../imports.js';
import { readPackageJson } from '../heavy.js';
import { dirname, posixJoin } from '../paths.js';

/** lodash names without a standalone module that works on its own (chain needs the full wrapper). */
const NOT_PER_METHOD = new Set(['chain', 'VERSION', 'mixin', 'runInContext', 'noConflict', 'templateSettings', 'prototype']);

/** Nearest file named `name` from the file's folder up to the workspace root. */
function nearest(ctx: FileRuleContext<ImportsArtifact>, name: string): { path: string; text: string } | undefined {
  for (let d = dirname(ctx.path); ; d = dirname(d)) {
    const p = posixJoin(d, name);
    const text = ctx.ws.textOf(p);
    if (text !== undefined) return { path: p, text };
    if (!d) return undefined;
  }
}

/** TypeScript accepts `import x from 'lodash/x'` (a CommonJS module) only with synthetic default imports. */
function tsDefaultImportsOk(ctx: FileRuleContext<ImportsArtifact>): boolean {
  const ts = nearest(ctx, 'tsconfig.json');
  if (!ts) return false;
  const o = (parseJsonc(ts.text, [], { allowTrailingComma: true }) as { compilerOptions?: Record<string, unknown> } | undefined)?.compilerOptions ?? {};
  const lower = (v: unknown): string => (typeof v === 'string' ? v.toLowerCase() : '');
  return o.esModuleInterop === true || o.allowSyntheticDefaultImports === true || lower(o.moduleResolution) === 'bundler' || lower(o.module) === 'preserve';
}

function fixFor(ctx: FileRuleContext<ImportsArtifact>, ref: ImportRef): PendingFix | undefined {
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

export const bundleLodashFullImport: FileRule<ImportsArtifact> = {
  kind: 'file',
  gatherer: BUNDLE_IMPORTS_GATHERER_ID,
  meta: {
    id: 'bundle-lodash-full-import',
    title: 'lodash is imported per method',
    failureTitle: 'The whole of lodash is imported',
    description: 'An import or require of the `lodash` package itself: lodash is CommonJS, so bundlers cannot tree-shake it and ship all ~70 KB (~25 KB gzip) even for one function.',
    domain: 'bundle',
    checklistItem: 'bundle-size',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    for (const ref of ctx.artifact.lodash) {
      const fix = fixFor(ctx, ref);
      const names = ref.named.filter((n) => !n.type).map((n) => n.imported);
      const what = ref.kind === 'require' ? 'require("lodash")' : ref.namespace ? `import * as ${ref.namespace} from "lodash"` : ref.defaultImport ? `import ${ref.defaultImport} from "lodash"` : names.length ? `importing { ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''} } from "lodash"` : 'this import of "lodash"';
      const advice = names.length && !ref.defaultImport && !ref.namespace
        ? `import ${names.length === 1 ? `lodash/${names[0]}` : 'each method from lodash/<method>'} or use lodash-es`
        : 'import the methods you use from lodash/<method> (or lodash-es), or use native methods';
      ctx.report({
        span: ref.span,
        message: `${what} bundles all of lodash (~25 KB gzip): it is CommonJS, so it cannot be tree-shaken. ${advice[0].toUpperCase()}${advice.slice(1)}.`,
        fixes: fix ? [fix] : [],
        data: { kind: ref.kind, names },
      });
    }
  },
};
