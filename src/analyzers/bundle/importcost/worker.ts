/**
 * The import cost worker: a child process that bundles virtual entries with esbuild (minified,
 * browser platform, production defines) and reports raw and gzip sizes. It runs outside the VS Code
 * extension host so bundling never blocks the editor. esbuild comes from PERF_AUDITOR_ESBUILD (a
 * path to the esbuild package) or the normal module lookup.
 *
 * Queued jobs can be cancelled; running ones finish (an esbuild build of one import takes 10–100 ms).
 */
import { gzipSync } from 'node:zlib';
import type * as Esbuild from 'esbuild';
import type { BuildJob, ParentMessage, WorkerMessage } from './protocol.js';

const CONCURRENCY = 8;

const BUILTINS = ['assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console', 'constants', 'crypto', 'dgram', 'diagnostics_channel', 'dns', 'domain', 'events', 'fs', 'http', 'http2', 'https', 'inspector', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'punycode', 'querystring', 'readline', 'repl', 'stream', 'string_decoder', 'sys', 'timers', 'tls', 'trace_events', 'tty', 'url', 'util', 'v8', 'vm', 'wasi', 'worker_threads', 'zlib'];
const BUILTIN_RE = new RegExp(`^(node:)?(${BUILTINS.join('|')})(/.*)?$`);

function send(m: WorkerMessage): void {
  process.send?.(m);
}

/** Reports a fatal error and exits once the message is out. */
function fatal(error: string): void {
  if (process.send) process.send({ type: 'fatal', error } satisfies WorkerMessage, () => process.exit(1));
  else process.exit(1);
}

function loadEsbuild(): typeof Esbuild {
  const from = process.env.PERF_AUDITOR_ESBUILD;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (from ? require(from) : require('esbuild')) as typeof Esbuild;
}

let esbuild!: typeof Esbuild;
let loaded = false;
try {
  esbuild = loadEsbuild();
  loaded = true;
} catch (e) {
  fatal(`esbuild could not be loaded: ${(e as Error).message}`);
}
// Loading esbuild's JS succeeds without its platform binary (@esbuild/<platform>): start the binary
// now so a missing or wrong-platform one is one clear fatal error, not a failure per import.
if (loaded) {
  // (esbuild throws synchronously when it cannot find the binary: call it inside the promise chain.)
  Promise.resolve().then(() => esbuild.transform('', {})).then(
    () => send({ type: 'ready', esbuild: esbuild.version }),
    (e: unknown) => fatal(`esbuild ${esbuild.version} could not start its binary: ${((e as Error).message ?? String(e)).split('\n')[0]}`),
  );
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Exact-match externals (esbuild's own `external` also matches subpaths) and empty Node built-ins. */
function plugin(externals: string[]): Esbuild.Plugin {
  return {
    name: 'perf-auditor-import-cost',
    setup(build) {
      if (externals.length) {
        build.onResolve({ filter: new RegExp(`^(${externals.map(escapeRe).join('|')})$`) }, (args) => ({ path: args.path, external: true }));
      }
      build.onResolve({ filter: BUILTIN_RE }, (args) => ({ path: args.path, namespace: 'empty-builtin' }));
      build.onLoad({ filter: /.*/, namespace: 'empty-builtin' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    },
  };
}

async function run(job: BuildJob): Promise<void> {
  const t0 = performance.now();
  try {
    const r = await esbuild.build({
      stdin: { contents: job.code, resolveDir: job.resolveDir, sourcefile: 'import-cost-entry.js', loader: 'js' },
      bundle: true,
      minify: true,
      write: false,
      outdir: '/import-cost-out',
      format: 'esm',
      platform: 'browser',
      mainFields: ['browser', 'module', 'main'],
      legalComments: 'none',
      define: { 'process.env.NODE_ENV': '"production"' },
      loader: { '.png': 'file', '.jpg': 'file', '.jpeg': 'file', '.gif': 'file', '.svg': 'file', '.webp': 'file', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.wav': 'file', '.mp3': 'file', '.mp4': 'file' },
      logLevel: 'silent',
      plugins: [plugin(job.externals)],
    });
    let size = 0;
    let gzip = 0;
    for (const f of r.outputFiles) {
      if (!/\.(js|css)$/.test(f.path)) continue;
      size += f.contents.length;
      gzip += gzipSync(f.contents, { level: 6 }).length;
    }
    send({ type: 'result', key: job.key, size, gzip, ms: performance.now() - t0 });
  } catch (e) {
    const errors = (e as { errors?: { text: string }[] }).errors;
    const message = errors?.length ? errors.slice(0, 2).map((x) => x.text).join('; ') : (e as Error).message;
    send({ type: 'result', key: job.key, error: message, ms: performance.now() - t0 });
  }
}

const queue: BuildJob[] = [];
let running = 0;

function pump(): void {
  while (running < CONCURRENCY && queue.length) {
    const job = queue.shift()!;
    running++;
    void run(job).finally(() => {
      running--;
      pump();
    });
  }
}

process.on('message', (m: ParentMessage) => {
  if (m.type === 'build') {
    queue.push(...m.jobs);
    pump();
  } else if (m.type === 'cancel') {
    const keys = new Set(m.keys);
    for (let i = queue.length - 1; i >= 0; i--) if (keys.has(queue[i].key)) queue.splice(i, 1);
  }
});

process.on('disconnect', () => process.exit(0));
