/**
 * The virtual entry that measures one import: what the import statement pulls in, and nothing the
 * file does with it. Named imports are sorted and use their imported names, so `import { b as x, a }`
 * and `import { a, b }` share one cache entry. A CommonJS package cannot be tree-shaken, so every
 * form of importing it costs the whole module: it is measured through `require`, which also avoids
 * esbuild's ESM-interop helper (~200 bytes that a webpack bundle does not carry).
 */
import type { ImportRef } from '../imports.js';

const ident = (n: string): boolean => /^[A-Za-z_$][\w$]*$/.test(n);

export function entryCode(ref: ImportRef, opts: { cjs?: boolean } = {}): string {
  const spec = JSON.stringify(ref.specifier);
  if (opts.cjs && ref.kind !== 'dynamic') return ref.kind === 'side-effect' ? `require(${spec});` : `const m = require(${spec});\nconsole.log(m);`;
  switch (ref.kind) {
    case 'side-effect':
      return `import ${spec};`;
    case 'require':
      return `const m = require(${spec});\nconsole.log(m);`;
    case 'dynamic':
      return `import(${spec}).then((m) => console.log(m));`;
    case 'export-from':
      if (ref.star || !ref.named.length) return `export * from ${spec};`;
      return `export { ${[...new Set(ref.named.filter((n) => !n.type).map((n) => n.imported))].sort().join(', ')} } from ${spec};`;
    default: {
      const parts: string[] = [];
      const used: string[] = [];
      if (ref.defaultImport) {
        parts.push('d');
        used.push('d');
      }
      if (ref.namespace) {
        parts.push('* as ns');
        used.push('ns');
      }
      const named = [...new Set(ref.named.filter((n) => !n.type).map((n) => n.imported))].sort();
      if (named.length) {
        const specs = named.map((n, i) => (ident(n) && n !== 'default' ? `${n} as n${i}` : `${JSON.stringify(n)} as n${i}`));
        parts.push(`{ ${specs.join(', ')} }`);
        used.push(...named.map((_, i) => `n${i}`));
      }
      if (!parts.length) return `import ${spec};`;
      return `import ${parts.join(', ')} from ${spec};\nconsole.log(${used.join(', ')});`;
    }
  }
}
