/**
 * Per-source byte attribution of a generated file from its source map (Rollup, Vite, Parcel,
 * webpack devtool output…), computed the way source-map-explorer does: each mapping owns the
 * generated columns up to the next mapping on its line (the last one to the end of the line);
 * bytes are UTF-8; line terminators and the `sourceMappingURL` comment are counted apart, the rest
 * is "unmapped". Decoding is a single pass over the VLQ string with a deadline check, so a 10 MB
 * bundle is bounded in time.
 */
import { ManifestError } from './metafile.js';
import { parseJsonText } from '../../kernel/json.js';

export interface RawSourceMap {
  version?: number;
  sources: (string | null)[];
  sourceRoot?: string;
  mappings: string;
}

export interface SourceMapSizes {
  /** Bytes per source (as named in the map, with sourceRoot applied). */
  bySource: Map<string, number>;
  mapped: number;
  unmapped: number;
  eol: number;
  comment: number;
  total: number;
}

const B64 = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (B64[c.charCodeAt(0)] = i));

export function parseSourceMapJson(text: string): RawSourceMap {
  let json: unknown;
  try {
    json = parseJsonText(text);
  } catch (e) {
    throw new ManifestError((e as Error).message);
  }
  const m = json as Partial<RawSourceMap> & { sections?: unknown };
  if (!m || typeof m !== 'object') throw new ManifestError('not a source map');
  if (Array.isArray(m.sections)) throw new ManifestError('indexed source maps ("sections") are not supported');
  if (typeof m.mappings !== 'string' || !Array.isArray(m.sources)) throw new ManifestError('not a source map: expected "sources" and "mappings"');
  return { sources: m.sources, mappings: m.mappings, ...(typeof m.sourceRoot === 'string' ? { sourceRoot: m.sourceRoot } : {}) };
}

const COMMENT_RE = /(?:\/\/[@#][ \t]+sourceMappingURL=[^\s'"]+?[ \t]*$)|(?:\/\*[@#][ \t]+sourceMappingURL=[^*]+\*\/[ \t]*$)/m;

/** The `sourceMappingURL` of a generated file (the last one), or undefined. */
export function sourceMappingUrl(code: string): string | undefined {
  const tail = code.length > 4096 ? code.slice(-4096) : code;
  const all = [...tail.matchAll(/[@#][ \t]+sourceMappingURL=([^\s'"*]+)/g)];
  return all.length ? all[all.length - 1][1] : undefined;
}

/** Decodes an inline `data:application/json;base64,…` source map URL. */
export function decodeDataUrl(url: string): string | undefined {
  const m = /^data:application\/json(?:;charset=[^;,]+)?;base64,(.*)$/i.exec(url);
  if (m) return Buffer.from(m[1], 'base64').toString('utf8');
  const plain = /^data:application\/json(?:;charset=[^;,]+)?,(.*)$/i.exec(url);
  return plain ? decodeURIComponent(plain[1]) : undefined;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

function sortedPairs(a: number[]): boolean {
  for (let k = 2; k < a.length; k += 2) if (a[k] < a[k - 2]) return false;
  return true;
}

/** Mappings in generated-column order (as the source-map library iterates them); stable for equal columns. */
function sortPairs(a: number[]): number[] {
  const idx = Array.from({ length: a.length / 2 }, (_, k) => k).sort((x, y) => a[2 * x] - a[2 * y] || x - y);
  return idx.flatMap((k) => [a[2 * k], a[2 * k + 1]]);
}

/**
 * Attributes the bytes of `code` to the map's sources. Throws ManifestError on a malformed mapping
 * string, and `Error('timeout')` when `deadline` (a performance.now() value) passes.
 */
export function sourceMapSizes(code: string, map: RawSourceMap, deadline = Infinity): SourceMapSizes {
  const commentMatch = COMMENT_RE.exec(code);
  const comment = commentMatch ? commentMatch[0].trim() : '';
  const eol = code.includes('\r\n') ? '\r\n' : '\n';
  const body = (comment ? code.replace(comment, '') : code).trim();
  const lines = body.split(eol);
  const root = map.sourceRoot ? map.sourceRoot.replace(/\/?$/, '/') : '';
  const names = map.sources.map((s) => (s === null ? '[no source]' : root && !/^[a-z]+:|^\//i.test(s) ? root + s : s));
  const bySource = new Map<string, number>();
  let mapped = 0;

  const m = map.mappings;
  let line = 0;
  let i = 0;
  let src = 0;
  const fields = [0, 0, 0, 0, 0];
  // Per line: [column, sourceIndex or -1] pairs.
  let segs: number[] = [];
  const flushLine = (): void => {
    const text = lines[line];
    if (text !== undefined && segs.length) {
      if (!sortedPairs(segs)) segs = sortPairs(segs);
      const ascii = isAscii(text);
      for (let k = 0; k < segs.length; k += 2) {
        const start = segs[k];
        if (start >= text.length) continue;
        const end = k + 2 < segs.length ? Math.min(segs[k + 2], text.length) : text.length;
        if (end <= start) continue;
        const bytes = ascii ? end - start : Buffer.byteLength(text.slice(start, end));
        const s = segs[k + 1];
        const key = s >= 0 ? (names[s] ?? '[no source]') : '[no source]';
        bySource.set(key, (bySource.get(key) ?? 0) + bytes);
        mapped += bytes;
      }
    }
    segs = [];
  };
  let genCol = 0;
  let count = 0;
  while (i < m.length) {
    const c = m.charCodeAt(i);
    if (c === 59) { // ';'
      flushLine();
      line++;
      genCol = 0;
      i++;
      if ((line & 1023) === 0 && performance.now() > deadline) throw new Error('timeout');
      continue;
    }
    if (c === 44) { // ','
      i++;
      continue;
    }
    // One segment: 1, 4 or 5 VLQ fields.
    let n = 0;
    while (i < m.length && m.charCodeAt(i) !== 44 && m.charCodeAt(i) !== 59) {
      let value = 0;
      let shift = 0;
      let digit: number;
      do {
        const code = m.charCodeAt(i++);
        digit = code < 128 ? B64[code] : -1;
        if (digit < 0) throw new ManifestError(`invalid character in "mappings" at ${i - 1}`);
        value += (digit & 31) << shift;
        shift += 5;
        if (shift > 30) throw new ManifestError('VLQ value out of range in "mappings"');
      } while (digit & 32);
      fields[n++] = value & 1 ? -(value >>> 1) : value >>> 1;
      if (n > 5) throw new ManifestError('segment with more than 5 fields in "mappings"');
    }
    if (n !== 1 && n !== 4 && n !== 5) throw new ManifestError(`segment with ${n} fields in "mappings"`);
    genCol += fields[0];
    let s = -1;
    if (n >= 4) {
      src += fields[1];
      s = src;
    }
    segs.push(genCol, s);
    if ((++count & 65535) === 0 && performance.now() > deadline) throw new Error('timeout');
  }
  flushLine();
  const total = Buffer.byteLength(code);
  const eolCount = code.split(eol).length - 1;
  const eolBytes = eolCount * eol.length;
  const commentBytes = Buffer.byteLength(comment);
  return { bySource, mapped, unmapped: Math.max(0, total - mapped - commentBytes - eolBytes), eol: eolBytes, comment: commentBytes, total };
}
