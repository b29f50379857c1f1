import { engineWith } from '../../helpers/engine.js';
/**
 * Files nginx configs include although their paths are not nginx paths (snippets/*.conf, h5bp/*.conf,
 * *.inc): read by the CLI's loader, asked for by the extension through includedPathsToRead, and an
 * edit of one re-analyses the config that includes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { includedPathsToRead, isRelevantPath, loadWorkspace } from '../../../src/analyzers/index.js';
import { NGINX_GATHERERS, NGINX_RULES } from '../../../src/analyzers/nginx/index.js';
import { conf } from './tester.js';

async function withFiles<T>(files: Record<string, string>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'perf-audit-includes-'));
  try {
    for (const [p, t] of Object.entries(files)) {
      await mkdir(dirname(join(dir, p)), { recursive: true });
      await writeFile(join(dir, p), t);
    }
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const REPRO = {
  'deploy/nginx.conf': conf('http { include snippets/gzip.conf; include /etc/nginx/h5bp/*.conf; include gzip.inc; server { listen 80; root /srv; } }'),
  'deploy/snippets/gzip.conf': conf('gzip on; gzip_types text/css application/javascript application/json image/svg+xml;'),
  'deploy/h5bp/perf.conf': conf('sendfile on;', 'include h5bp/more.inc;'),
  'deploy/h5bp/more.inc': conf('tcp_nopush on;'),
  'deploy/gzip.inc': conf('gzip_vary on;'),
  'deploy/unused.inc': conf('gzip off;'),
  'deploy/snippets/unused.conf': conf('gzip off;'),
};

test('the loader reads what nginx configs include, transitively, and nothing else', async () => {
  for (const p of ['deploy/snippets/gzip.conf', 'deploy/h5bp/perf.conf', 'deploy/gzip.inc']) assert.equal(isRelevantPath(p), false, `${p} is not relevant by its path`);
  await withFiles(REPRO, async (dir) => {
    const ws = await loadWorkspace(dir);
    assert.deepEqual(ws.files.map((f) => f.path), ['deploy/gzip.inc', 'deploy/h5bp/more.inc', 'deploy/h5bp/perf.conf', 'deploy/nginx.conf', 'deploy/snippets/gzip.conf']);
    const engine = engineWith(NGINX_RULES, NGINX_GATHERERS);
    for (const f of ws.files) engine.setFile(f.path, f.text);
    const r = await engine.run();
    assert.deepEqual(r.findings.map((f) => f.ruleId).filter((id) => id !== 'nginx-static-cache-missing'), [], r.findings.map((f) => f.message).join('\n'));
  });
});

test('includedPathsToRead: resolved against the listing, only files not held yet', () => {
  const held = new Map([['deploy/nginx.conf', REPRO['deploy/nginx.conf']]]);
  const ws = { paths: () => [...held.keys()], textOf: (p: string) => held.get(p) };
  const listing = Object.keys(REPRO);
  assert.deepEqual(includedPathsToRead(ws, listing), ['deploy/gzip.inc', 'deploy/h5bp/perf.conf', 'deploy/snippets/gzip.conf']);
  held.set('deploy/h5bp/perf.conf', REPRO['deploy/h5bp/perf.conf']);
  assert.deepEqual(includedPathsToRead(ws, listing), ['deploy/gzip.inc', 'deploy/h5bp/more.inc', 'deploy/snippets/gzip.conf']);
  assert.deepEqual(includedPathsToRead({ paths: () => listing, textOf: (p) => (REPRO as Record<string, string>)[p] }, listing), []);
});

test('an edit of an included file (not an nginx path) re-analyses the config that includes it', async () => {
  const engine = engineWith(NGINX_RULES, NGINX_GATHERERS);
  engine.setFile('deploy/nginx.conf', conf('http {', '    include gzip.inc;', '    sendfile on; tcp_nopush on;', '    server { listen 80; }', '}'));
  const gzipOn = conf('gzip on;', 'gzip_types text/css application/javascript application/json image/svg+xml;');
  engine.setFile('deploy/gzip.inc', gzipOn);
  const ids = async (): Promise<string[]> => (await engine.run()).findings.map((f) => `${f.file}:${f.ruleId}`);
  assert.deepEqual(await ids(), []);
  engine.setFile('deploy/gzip.inc', conf('gzip off;'));
  assert.deepEqual(await ids(), ['deploy/gzip.inc:nginx-gzip-disabled']);
  assert.deepEqual(await ids(), ['deploy/gzip.inc:nginx-gzip-disabled'], 'cached');
  engine.removeFile('deploy/gzip.inc');
  assert.deepEqual(await ids(), ['deploy/nginx.conf:nginx-gzip-disabled', 'deploy/nginx.conf:nginx-parse-error']);
  // The included file appears again (created, or read once a config includes it).
  engine.setFile('deploy/gzip.inc', gzipOn);
  assert.deepEqual(await ids(), []);
});
