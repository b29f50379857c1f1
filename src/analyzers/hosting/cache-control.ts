/** Cache-Control values as browsers read them. */

export const ONE_DAY = 86400;
export const ONE_YEAR = 31536000;
export const IMMUTABLE_VALUE = 'public, max-age=31536000, immutable';

export interface CacheControl {
  /** Browser lifetime in seconds: max-age, or 0 for no-store / no-cache; undefined when neither is set. */
  browserSeconds?: number;
  sMaxage?: number;
  immutable: boolean;
}

export function parseCacheControl(value: string): CacheControl {
  const out: CacheControl = { immutable: false };
  for (const part of value.split(',')) {
    const m = /^\s*([a-z-]+)\s*(?:=\s*"?(\d+)"?\s*)?$/i.exec(part);
    if (!m) continue;
    const name = m[1].toLowerCase();
    const n = m[2] !== undefined ? Number(m[2]) : undefined;
    if (name === 'max-age' && n !== undefined) out.browserSeconds = out.browserSeconds === 0 ? 0 : n;
    else if (name === 's-maxage' && n !== undefined) out.sMaxage = n;
    else if (name === 'immutable') out.immutable = true;
    else if (name === 'no-store' || name === 'no-cache') out.browserSeconds = 0;
  }
  return out;
}

/** Is this long enough for fingerprinted files (at least a day in the browser)? */
export function isLongLived(value: string): boolean {
  const cc = parseCacheControl(value);
  return (cc.browserSeconds ?? 0) >= ONE_DAY;
}

export function describeSeconds(s: number): string {
  if (s === 0) return '0 seconds';
  if (s % 86400 === 0) return `${s / 86400} day${s === 86400 ? '' : 's'}`;
  if (s % 3600 === 0) return `${s / 3600} hour${s === 3600 ? '' : 's'}`;
  if (s % 60 === 0) return `${s / 60} minute${s === 60 ? '' : 's'}`;
  return `${s} seconds`;
}
