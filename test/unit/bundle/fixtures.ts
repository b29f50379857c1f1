/** Synthetic build outputs for the bundle tests: image headers, minified / unminified code, metafiles. */

export function png(width: number, height: number, bytes: number): Uint8Array {
  const b = new Uint8Array(Math.max(bytes, 33));
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  return b;
}

export function jpeg(width: number, height: number, bytes: number): Uint8Array {
  const b = new Uint8Array(Math.max(bytes, 40));
  // SOI, APP0 (16 bytes), SOF0 with height / width.
  b.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  b.set([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 255, width >> 8, width & 255, 0x03], 20);
  return b;
}

export function gif(width: number, height: number, bytes: number): Uint8Array {
  const b = new Uint8Array(Math.max(bytes, 13));
  b.set([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, width & 255, width >> 8, height & 255, height >> 8]);
  return b;
}

export function webp(bytes: number): Uint8Array {
  const b = new Uint8Array(Math.max(bytes, 30));
  b.set([...'RIFF'].map((c) => c.charCodeAt(0)));
  b.set([...'WEBPVP8X'].map((c) => c.charCodeAt(0)), 8);
  return b;
}

/** Minified-looking JS of about `kb` KB that does not compress away entirely (pseudo-random identifiers). */
export function minifiedJs(kb: number, seed = 1): string {
  let x = seed;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const parts: string[] = [];
  let len = 0;
  while (len < kb * 1024) {
    const id = Math.floor(rnd() * 1e9).toString(36);
    const p = `function ${id}(a,b){return a.${id}(b)+${Math.floor(rnd() * 1e6)}}`;
    parts.push(p);
    len += p.length;
  }
  return `${parts.join(';')}\n`;
}

/** Readable, commented, indented JS of about `kb` KB (a development build). */
export function unminifiedJs(kb: number): string {
  const lines: string[] = [];
  let len = 0;
  for (let i = 0; len < kb * 1024; i++) {
    const block = `/**\n * Handler number ${i}.\n */\nfunction handler${i}(event) {\n  const value = event.target.value;\n  if (value.length > ${i}) {\n    return value.slice(0, ${i});\n  }\n  return value;\n}\n`;
    lines.push(block);
    len += block.length;
  }
  return lines.join('\n');
}

export function metafile(outputs: Record<string, { bytes?: number; entryPoint?: string; imports?: { path: string; kind: string }[]; inputs: Record<string, number>; cssBundle?: string }>, formats: Record<string, 'cjs' | 'esm'> = {}): string {
  const inputs: Record<string, unknown> = {};
  for (const o of Object.values(outputs)) for (const i of Object.keys(o.inputs)) inputs[i] = { bytes: 1, imports: [], ...(formats[i] ? { format: formats[i] } : {}) };
  return JSON.stringify({
    inputs,
    outputs: Object.fromEntries(Object.entries(outputs).map(([p, o]) => [p, {
      bytes: o.bytes ?? Object.values(o.inputs).reduce((s, n) => s + n, 0), imports: o.imports ?? [], exports: [],
      inputs: Object.fromEntries(Object.entries(o.inputs).map(([i, n]) => [i, { bytesInOutput: n }])),
      ...(o.entryPoint ? { entryPoint: o.entryPoint } : {}), ...(o.cssBundle ? { cssBundle: o.cssBundle } : {}),
    }])),
  });
}
