// Minimal PNG reader for the runner's screenshot checks (node:zlib only, no dependencies):
// signature, IHDR, IDAT inflate and scanline unfiltering for 8-bit non-interlaced
// greyscale / RGB / greyscale+alpha / RGBA images (what Chromium's screenshots are).
import zlib from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** The IHDR fields; throws when `buf` is not a PNG starting with a well-formed IHDR chunk. */
export function pngHeader(buf) {
  if (buf.length < 33 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG (bad signature)');
  if (buf.readUInt32BE(8) !== 13 || buf.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG (the first chunk is not a 13-byte IHDR)');
  if (zlib.crc32 && zlib.crc32(buf.subarray(12, 29)) !== buf.readUInt32BE(29)) throw new Error('PNG IHDR CRC mismatch');
  return {
    width: buf.readUInt32BE(16),
    height: buf.readUInt32BE(20),
    bitDepth: buf[24],
    colorType: buf[25],
    compression: buf[26],
    filter: buf[27],
    interlace: buf[28],
  };
}

/** Decodes `buf` to { width, height, channels, data } (data: unfiltered 8-bit samples, row-major). */
export function decodePng(buf) {
  const h = pngHeader(buf);
  const channels = CHANNELS[h.colorType];
  if (h.bitDepth !== 8 || !channels || h.interlace !== 0 || h.compression !== 0 || h.filter !== 0) {
    throw new Error(`unsupported PNG: bit depth ${h.bitDepth}, color type ${h.colorType}, interlace ${h.interlace}`);
  }
  const idat = [];
  let sawEnd = false;
  for (let pos = 8; pos + 12 <= buf.length;) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + len > buf.length) throw new Error(`PNG chunk ${type} runs past the end of the file`);
    if (type === 'IDAT') idat.push(buf.subarray(pos + 8, pos + 8 + len));
    if (type === 'IEND') { sawEnd = true; break; }
    pos += 12 + len;
  }
  if (!idat.length) throw new Error('PNG has no IDAT chunk');
  if (!sawEnd) throw new Error('PNG has no IEND chunk (truncated?)');
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = h.width * channels;
  if (raw.length !== h.height * (stride + 1)) throw new Error(`PNG image data is ${raw.length} bytes, expected ${h.height * (stride + 1)}`);
  const data = Buffer.alloc(h.height * stride);
  for (let y = 0; y < h.height; y++) {
    const type = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = data.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? data.subarray((y - 1) * stride, y * stride) : undefined;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels] : 0;
      const b = prev ? prev[i] : 0;
      const c = prev && i >= channels ? prev[i - channels] : 0;
      let v;
      switch (type) {
        case 0: v = 0; break;
        case 1: v = a; break;
        case 2: v = b; break;
        case 3: v = (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw new Error(`PNG row ${y} has filter type ${type}`);
      }
      out[i] = (line[i] + v) & 0xff;
    }
  }
  return { width: h.width, height: h.height, channels, data };
}

/**
 * Luminance statistics of the rectangle [x0, x1) × [y0, y1) of a decoded image:
 * { mean, stdDev, distinctColors } (distinct RGB colours, counted up to 4096).
 */
export function regionStats(img, x0, y0, x1, y1) {
  const { width, height, channels, data } = img;
  const [xa, xb] = [Math.max(0, x0), Math.min(width, x1)];
  const [ya, yb] = [Math.max(0, y0), Math.min(height, y1)];
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  const colors = new Set();
  for (let y = ya; y < yb; y++) {
    for (let x = xa; x < xb; x++) {
      const i = (y * width + x) * channels;
      const [r, g, b] = channels >= 3 ? [data[i], data[i + 1], data[i + 2]] : [data[i], data[i], data[i]];
      const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      n++;
      sum += l;
      sumSq += l * l;
      if (colors.size < 4096) colors.add((r << 16) | (g << 8) | b);
    }
  }
  if (!n) throw new Error(`empty region ${x0},${y0}-${x1},${y1} of a ${width}x${height} image`);
  const mean = sum / n;
  return { mean, stdDev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), distinctColors: colors.size };
}
