/** Path helpers: which package a bundled module belongs to, path joining, output file kinds. */
import type { OutputKind } from './types.js';
import { cutTail } from '../../kernel/linear.js';

export interface PackageRef {
  name: string;
  /** The package instance directory, up to and including its name (…/node_modules/@s/n). */
  root: string;
  /** Version when the path carries it (pnpm `.pnpm/name@1.2.3/…`, yarn PnP cache). */
  version?: string;
}

const NM = 'node_modules/';

/**
 * The package a module path belongs to, from its last `node_modules/` segment (npm, yarn, pnpm's
 * `.pnpm/<name>@<version>/node_modules/<name>`). Loader prefixes (`css-loader!…`), query strings,
 * `webpack://` / `\0` prefixes and Windows separators are handled. Undefined for app code.
 */
export function packageOf(modulePath: string): PackageRef | undefined {
  let p = modulePath.replace(/\\/g, '/');
  const bang = p.lastIndexOf('!');
  if (bang >= 0) p = p.slice(bang + 1);
  p = cutTail(p, '?#');
  const i = p.lastIndexOf(NM);
  if (i < 0) return undefined;
  const rest = p.slice(i + NM.length).split('/');
  if (!rest[0] || rest[0] === '.pnpm' || rest[0] === '.bin') return undefined;
  const name = rest[0].startsWith('@') ? (rest[1] ? `${rest[0]}/${rest[1]}` : undefined) : rest[0];
  if (!name) return undefined;
  const root = p.slice(0, i + NM.length) + name;
  const pnpm = /\.pnpm\/((?:@[^/+]+\+)?[^/@]+)@([^/(_]+)/.exec(p.slice(0, i));
  const version = pnpm && pnpm[1].replace('+', '/') === name ? pnpm[2] : undefined;
  return { name, root, ...(version ? { version } : {}) };
}

export function posixJoin(...parts: string[]): string {
  const out: string[] = [];
  for (const part of parts) {
    for (const seg of part.replace(/\\/g, '/').split('/')) {
      if (!seg || seg === '.') continue;
      if (seg === '..') {
        if (out.length && out[out.length - 1] !== '..') out.pop();
        else out.push('..');
      } else out.push(seg);
    }
  }
  return out.join('/');
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function extname(path: string): string {
  const b = basename(path);
  const i = b.lastIndexOf('.');
  return i <= 0 ? '' : b.slice(i).toLowerCase();
}

export function outputKind(path: string): OutputKind {
  const e = extname(path);
  if (e === '.js' || e === '.mjs' || e === '.cjs') return 'js';
  if (e === '.css') return 'css';
  if (e === '.html' || e === '.htm') return 'html';
  if (e === '.map') return 'map';
  if (e === '.json') return 'json';
  if (['.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.svg', '.ico', '.bmp'].includes(e)) return 'image';
  if (['.woff', '.woff2', '.ttf', '.otf', '.eot'].includes(e)) return 'font';
  return 'other';
}

/** `1536` → "1.5 KB"; sizes are in KiB/MiB like bundlers print them. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

/** The package a bare specifier names ("@scope/pkg/sub" → "@scope/pkg"), or undefined for relative paths, aliases and built-ins. */
export function packageName(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || spec.startsWith('~') || spec.startsWith('#') || spec.includes(':')) return undefined;
  const parts = spec.split('/');
  if (spec.startsWith('@')) return parts.length >= 2 && parts[0].length > 1 ? `${parts[0]}/${parts[1]}` : undefined;
  return parts[0] || undefined;
}
