/**
 * Raw / gzip / brotli sizes of build outputs. Compression runs through zlib's asynchronous API (on
 * libuv's thread pool), so a host such as the VS Code extension host stays responsive. gzip is
 * level 9 (what size-limit, bundlesize and gzip-size report); brotli is quality 11 (what static
 * pre-compression produces) up to `brotliMaxQ11Bytes`, and quality 5 above it (marked approximate:
 * q5 overstates q11 by ~10–17%, but q11 on a 10 MB bundle takes over ten seconds).
 */
import { brotliCompress, constants, gzip } from 'node:zlib';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export interface SizeOptions {
  brotli?: boolean;
  brotliMaxQ11Bytes?: number;
}

export interface CompressedSizes {
  gzip: number;
  brotli?: number;
  brotliApprox?: boolean;
}

export async function gzipSize(data: Uint8Array, level = 9): Promise<number> {
  return (await gzipAsync(data, { level })).length;
}

export async function brotliSize(data: Uint8Array, quality = 11): Promise<number> {
  return (await brotliAsync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  })).length;
}

export async function compressedSizes(data: Uint8Array, opts: SizeOptions = {}): Promise<CompressedSizes> {
  if (opts.brotli === false) return { gzip: await gzipSize(data) };
  const max = opts.brotliMaxQ11Bytes ?? 1024 * 1024;
  const approx = data.length > max;
  // Both on the thread pool at once: a large file's gzip-9 and brotli do not wait for each other.
  const [gz, br] = await Promise.all([gzipSize(data), brotliSize(data, approx ? 5 : 11)]);
  return { gzip: gz, brotli: br, ...(approx ? { brotliApprox: true } : {}) };
}

/**
 * Whether JS/CSS text looks minified, from a sample of up to 256 KB: minified code has long lines
 * and little whitespace. Returns undefined for small files (< 2 KB) and unclear cases.
 */
export function looksMinified(text: string): boolean | undefined {
  if (text.length < 2048) return undefined;
  const sample = text.length > 262144 ? text.slice(0, 262144) : text;
  let lines = 1;
  let ws = 0;
  let commentLines = 0;
  let atLineStart = true;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 10) {
      lines++;
      atLineStart = true;
      continue;
    }
    if (c === 32 || c === 9) {
      ws++;
      continue;
    }
    if (atLineStart) {
      // "//", "/*" and " * " lines: a comment-heavy file is not minified.
      if ((c === 47 && (sample.charCodeAt(i + 1) === 47 || sample.charCodeAt(i + 1) === 42)) || (c === 42 && sample.charCodeAt(i + 1) !== 47)) commentLines++;
      atLineStart = false;
    }
  }
  const avgLine = sample.length / lines;
  const wsRatio = ws / sample.length;
  if (avgLine > 300 || (avgLine > 120 && wsRatio < 0.06)) return true;
  if (avgLine < 100 && (wsRatio > 0.12 || commentLines / lines > 0.1) && lines > 40) return false;
  return undefined;
}
