/**
 * esbuild metafiles (`metafile: true`, written as JSON): per output its size, entry point, static
 * and dynamic imports, and per input module the bytes it contributes (`bytesInOutput`, measured
 * after minification: it matches source-map-explorer within a few bytes per package). A file may
 * hold one metafile or an array of them.
 */
import { packageOf } from './paths.js';
import type { ModuleShare } from './types.js';

export interface MetafileOutput {
  /** As written in the metafile (relative to esbuild's working directory). */
  path: string;
  bytes: number;
  entryPoint?: string;
  cssBundle?: string;
  /** Static imports of other outputs (chunks loaded with this one). */
  staticImports: string[];
  dynamicImports: string[];
  modules: ModuleShare[];
}

export interface ParsedMetafile {
  outputs: MetafileOutput[];
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Does this parsed JSON look like an esbuild metafile (or an array of them)? */
export function isMetafile(json: unknown): boolean {
  const one = (m: unknown): boolean => isObject(m) && isObject(m.outputs) && isObject(m.inputs);
  return Array.isArray(json) ? json.length > 0 && json.every(one) : one(json);
}

export function parseMetafile(json: unknown): ParsedMetafile {
  const list = Array.isArray(json) ? json : [json];
  const outputs: MetafileOutput[] = [];
  for (const m of list) {
    if (!isObject(m) || !isObject(m.outputs) || !isObject(m.inputs)) throw new ManifestError('not an esbuild metafile: expected "inputs" and "outputs" objects');
    const inputs = m.inputs;
    for (const [path, o] of Object.entries(m.outputs)) {
      if (!isObject(o) || typeof o.bytes !== 'number') throw new ManifestError(`output "${path}" has no "bytes"`);
      const modules: ModuleShare[] = [];
      if (isObject(o.inputs)) {
        for (const [input, v] of Object.entries(o.inputs)) {
          const bytes = isObject(v) && typeof v.bytesInOutput === 'number' ? v.bytesInOutput : 0;
          if (bytes <= 0) continue;
          const pkg = packageOf(input);
          const meta = inputs[input];
          const format = isObject(meta) && (meta.format === 'cjs' || meta.format === 'esm') ? meta.format : undefined;
          modules.push({ module: input, bytes, ...(pkg ? { pkg: pkg.name, pkgRoot: pkg.root } : {}), ...(format ? { format } : {}) });
        }
      }
      const imports = Array.isArray(o.imports) ? o.imports.filter(isObject) : [];
      outputs.push({
        path,
        bytes: o.bytes,
        ...(typeof o.entryPoint === 'string' ? { entryPoint: o.entryPoint } : {}),
        ...(typeof o.cssBundle === 'string' ? { cssBundle: o.cssBundle } : {}),
        staticImports: imports.filter((i) => i.kind === 'import-statement' && !i.external && typeof i.path === 'string').map((i) => i.path as string),
        dynamicImports: imports.filter((i) => i.kind === 'dynamic-import' && !i.external && typeof i.path === 'string').map((i) => i.path as string),
        modules,
      });
    }
  }
  return { outputs };
}
