/** What the gzip / brotli rules require: the MIME types of text assets, as the config maps them. */
import { lookup, mimeTypes } from '../context.js';
import type { Ctx } from '../model.js';

export interface RequiredType {
  ext: string;
  /** The type to name in messages and data. */
  type: string;
  /** Any of these in *_types covers the extension. */
  accepts: string[];
}

const DEFAULTS: Record<string, string[]> = {
  css: ['text/css'],
  // nginx's stock mime.types maps .js to application/javascript (text/javascript in newer releases).
  js: ['application/javascript', 'text/javascript'],
  json: ['application/json'],
  svg: ['image/svg+xml'],
};

/** The types CSS, JS, JSON and SVG are served with at `ctx` (from `types` blocks the config includes, else nginx's defaults). */
export function requiredTypes(ctx: Ctx): RequiredType[] {
  const map = mimeTypes(ctx);
  return Object.entries(DEFAULTS).map(([ext, defaults]) => {
    const mapped = map?.get(ext);
    const accepts = mapped ? [mapped] : defaults;
    return { ext, type: accepts[0], accepts };
  });
}

/** The types listed in the applying `gzip_types` / `brotli_types` (text/html is always compressed). */
export function listedTypes(ctx: Ctx, directive: string): { types: Set<string>; set: boolean } {
  const l = lookup(ctx, directive);
  const types = new Set<string>(['text/html']);
  for (const n of l?.nodes ?? []) for (const a of n.d.args) types.add(a.value.toLowerCase());
  return { types, set: !!l };
}

export function missingTypes(ctx: Ctx, directive: string): RequiredType[] {
  const { types } = listedTypes(ctx, directive);
  if (types.has('*')) return [];
  return requiredTypes(ctx).filter((r) => !r.accepts.some((t) => types.has(t)));
}

/** The types to add for the missing ones (both JavaScript types when nginx's mapping is not known). */
export function typesToAdd(missing: RequiredType[]): string[] {
  return missing.flatMap((m) => m.accepts);
}

export const TEXT_TYPES = 'text/css text/plain text/javascript application/javascript application/json image/svg+xml';

export const GZIP_LINES: [string, string][] = [
  ['gzip', 'gzip on;'],
  ['gzip_types', `gzip_types ${TEXT_TYPES};`],
  ['gzip_min_length', 'gzip_min_length 256;'],
  ['gzip_vary', 'gzip_vary on;'],
];

export const BROTLI_LINES: [string, string][] = [
  ['brotli', 'brotli on;'],
  ['brotli_comp_level', 'brotli_comp_level 5;'],
  ['brotli_types', `brotli_types ${TEXT_TYPES};`],
];
