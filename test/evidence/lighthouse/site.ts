/**
 * Local pages for the Lighthouse evidence tests, served by a plain node http server on 127.0.0.1:
 *   /slow/    no compression, no Cache-Control, a 1200×900 PNG shown at 400 px, a PNG below the fold
 *             without lazy loading, ~250 KB of unminified, mostly unused JavaScript;
 *   /good/    gzip, year-long immutable caching of hashed assets, a small WebP, minified used JS;
 *   /hung/    sends the head of the document and never ends the response;
 *   /error/   answers 500.
 * Everything is generated (deterministic PRNG), nothing is read from disk.
 */
import * as http from 'node:http';
import { gzipSync, deflateSync } from 'node:zlib';
import type { AddressInfo, Socket } from 'node:net';

/** A 1×1 lossless WebP (the classic feature-detection image), shown at 64×48. */
const SMALL_WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A noisy RGB PNG (barely compressible, like a photo saved as PNG). */
export function noisePng(width: number, height: number, seed: number): Buffer {
  const rnd = mulberry32(seed);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let o = 0;
  for (let y = 0; y < height; y++) {
    raw[o++] = 0;
    for (let x = 0; x < width; x++) {
      // A gradient plus noise, so the picture is not pure static.
      const n = rnd() * 96;
      raw[o++] = Math.min(255, (x * 255) / width * 0.6 + n);
      raw[o++] = Math.min(255, (y * 255) / height * 0.6 + n);
      raw[o++] = Math.min(255, 80 + n);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** ~250 KB of readable JavaScript; only `start` and `renderGreeting` run. */
export function bloatedScript(): string {
  const out: string[] = ['/* app.js: an unminified bundle with a lot of dead code */', ''];
  for (let i = 0; i < 600; i++) {
    out.push(
      `/**`,
      ` * Helper number ${i}: formats a record for the admin dashboard (never called on this page).`,
      ` */`,
      `function formatRecord${i}(record, options) {`,
      `  var result = [];`,
      `  var keys = Object.keys(record || {});`,
      `  for (var index = 0; index < keys.length; index++) {`,
      `    var key = keys[index];`,
      `    var value = record[key];`,
      `    if (options && options.uppercase) { value = String(value).toUpperCase(); }`,
      `    result.push(key + ': ' + value + ' (' + ${i} + ')');`,
      `  }`,
      `  return result.join('\\n');`,
      `}`,
      '',
    );
  }
  out.push(
    'function renderGreeting() {',
    '  var el = document.getElementById("greeting");',
    '  if (el) { el.textContent = "Hello from the slow page"; }',
    '}',
    'function start() {',
    '  // Busy work on load: blocks the main thread like a heavy framework boot.',
    '  var until = Date.now() + 400;',
    '  var x = 0;',
    '  while (Date.now() < until) { x += Math.sqrt(x + 1); }',
    '  window.__bootValue = x;',
    '  renderGreeting();',
    '}',
    'start();',
  );
  return out.join('\n');
}

const SLOW_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Slow page</title>
<script src="/slow/app.js"></script>
</head>
<body>
<h1 id="greeting">Slow page</h1>
<p>${'This page is served without compression and without caching. '.repeat(60)}</p>
<img src="/slow/hero.png" width="400" height="300" alt="hero">
<div style="height: 4000px"></div>
<img src="/slow/gallery.png" width="600" height="450" alt="gallery">
</body>
</html>
`;

const GOOD_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Good page</title>
<style>body{font-family:sans-serif;margin:2rem}img{display:block}</style>
</head>
<body>
<h1 id="greeting">Good page</h1>
<p>${'This page is compressed and its hashed assets are cached for a year. '.repeat(60)}</p>
<img src="/good/hero.3f9a1c.webp" width="64" height="48" alt="hero">
<div style="height: 4000px"></div>
<img src="/good/hero.3f9a1c.webp" width="64" height="48" loading="lazy" alt="below the fold">
<script src="/good/app.8c1d2e.js" defer></script>
</body>
</html>
`;

const GOOD_JS = 'document.getElementById("greeting").textContent="Hello from the good page";';

export interface Site {
  origin: string;
  port: number;
  close(): Promise<void>;
  /** Requests seen, by path (for asserting that traffic stayed here). */
  requests: string[];
}

export async function startSite(): Promise<Site> {
  const hero = noisePng(1200, 900, 1);
  const gallery = noisePng(900, 675, 2);
  const script = Buffer.from(bloatedScript());
  const requests: string[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    const send = (status: number, type: string, body: Buffer | string, headers: Record<string, string> = {}, gzip = false): void => {
      let data = typeof body === 'string' ? Buffer.from(body) : body;
      const h: Record<string, string> = { 'Content-Type': type, ...headers };
      if (gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        data = gzipSync(data);
        h['Content-Encoding'] = 'gzip';
        h.Vary = 'Accept-Encoding';
      }
      h['Content-Length'] = String(data.length);
      res.writeHead(status, h);
      res.end(data);
    };
    // No Cache-Control at all (what a bare node/express server sends): Lighthouse flags that;
    // an explicit `no-cache` / `no-store` it treats as deliberate and skips.
    const noCache = {};
    const longCache = { 'Cache-Control': 'public, max-age=31536000, immutable' };
    switch (url.pathname) {
      case '/slow/':
        return send(200, 'text/html; charset=utf-8', SLOW_HTML, noCache);
      case '/slow/app.js':
        return send(200, 'text/javascript', script, noCache);
      case '/slow/hero.png':
        return send(200, 'image/png', hero, noCache);
      case '/slow/gallery.png':
        return send(200, 'image/png', gallery, noCache);
      case '/good/':
        return send(200, 'text/html; charset=utf-8', GOOD_HTML, { 'Cache-Control': 'no-cache' }, true);
      case '/good/app.8c1d2e.js':
        return send(200, 'text/javascript', GOOD_JS, longCache, true);
      case '/good/hero.3f9a1c.webp':
        return send(200, 'image/webp', SMALL_WEBP, longCache);
      case '/hung/':
        // Headers and the start of the document, then nothing: the response never ends.
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.write('<!DOCTYPE html><html><head><title>Hung</title></head><body><h1>Loading forever</h1>');
        return;
      case '/error/':
        return send(500, 'text/plain', 'Internal Server Error');
      case '/favicon.ico':
        return send(404, 'text/plain', 'not found', longCache);
      default:
        return send(404, 'text/plain', 'not found');
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
