import { engineWith } from '../../helpers/engine.js';
/**
 * Evidence against the real thing: for each fixture config in test/fixtures/nginx/evidence, start
 * nginx (the Debian package; 127.0.0.1 only, everything inside a temporary prefix), fetch a CSS
 * and a hashed JS asset with `Accept-Encoding: gzip`, and check that the analyzer's verdicts agree
 * with the headers nginx actually sends:
 *   - compression: a finding of nginx-gzip-disabled, or nginx-gzip-types-incomplete naming the
 *     asset's type, that applies to the location serving the URL ⇔ no `Content-Encoding: gzip`;
 *   - caching: a browser-caching finding at warning level or above that applies to that location
 *     ⇔ no long-lived caching (Cache-Control max-age of at least 7 days).
 * A finding applies to a URL when it is inside the location that serves it (nginx's own location
 * matching, reimplemented in context.ts), or in its server or the http block outside any location.
 * The only difference between the analysed config and the one nginx runs is the listen port.
 *
 * Skipped, with a message, when the nginx binary is missing (`apt-get install nginx`).
 * Run: node --import tsx --test test/evidence/nginx/nginx-evidence.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NGINX_GATHERERS, NGINX_RULES } from '../../../src/analyzers/nginx/index.js';
import { analyzeNginx } from '../../../src/analyzers/nginx/analyze.js';
import { allContexts, matchLocation } from '../../../src/analyzers/nginx/context.js';
import type { Ctx } from '../../../src/analyzers/nginx/model.js';
import type { Finding, Range } from '../../../src/kernel/model.js';
import { SEVERITY_ORDER } from '../../../src/kernel/model.js';
import { LineIndex } from '../../../src/kernel/text.js';
import { applyFix } from '../../helpers/rule-tester.js';
import { freePort } from '../helpers/server-process.js';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'nginx', 'evidence');
const SHARED = ['mime.types', 'common.conf'];
const LONG_LIVED = 7 * 86400;

const ASSETS: { url: string; type: string }[] = [
  { url: '/app.css', type: 'text/css' },
  { url: '/assets/app.3f9a1c2b.js', type: 'application/javascript' },
];

function nginxBinary(): string | undefined {
  for (const p of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** ~10 KB of realistic, compressible text. */
function asset(kind: 'css' | 'js'): string {
  const out: string[] = [];
  for (let i = 0; out.join('\n').length < 10_000; i++) {
    out.push(kind === 'css'
      ? `.card-${i} { display: flex; margin: ${i % 7}px auto; padding: 4px ${i % 5}px; color: #33${(i % 10)}; border-radius: 4px; }`
      : `export function handler${i}(event) { if (!event || event.type !== 'click') return null; return { id: ${i}, target: event.target, at: Date.now() }; }`);
  }
  return `${out.join('\n')}\n`;
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`nginx exited with code ${child.exitCode}: ${stderr()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on 127.0.0.1:${port} within ${ms} ms: ${stderr()}`);
}

interface Response {
  status: number;
  encoding: string;
  cacheControl: string;
  expires: string;
  date: string;
}

async function fetchAsset(port: number, url: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: url, headers: { 'Accept-Encoding': 'gzip' }, agent: false, timeout: 3000 }, (res) => {
      const h = res.headers;
      res.resume();
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        encoding: String(h['content-encoding'] ?? ''),
        cacheControl: String(h['cache-control'] ?? ''),
        expires: String(h.expires ?? ''),
        date: String(h.date ?? ''),
      }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

/** Lifetime the browser gets: the smallest max-age of the Cache-Control fields, else Expires − Date. */
function lifetime(r: Response): number {
  if (r.cacheControl) {
    if (/no-store|no-cache/i.test(r.cacheControl)) return 0;
    const ages = [...r.cacheControl.matchAll(/max-age=(\d+)/gi)].map((m) => Number(m[1]));
    if (ages.length) return Math.min(...ages);
  }
  if (r.expires && r.date) return Math.max(0, (Date.parse(r.expires) - Date.parse(r.date)) / 1000);
  return 0;
}

function inside(r: Range, outer: Range): boolean {
  const le = (a: Range['start'], b: Range['start']): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, r.start) && le(r.end, outer.end);
}

/** Analyzer findings that apply to the location serving `url`. */
function applicable(findings: Finding[], file: string, text: string, url: string): Finding[] {
  const a = analyzeNginx(file, text, { paths: () => [file], textOf: (p) => (p === file ? text : undefined) });
  const li = new LineIndex(text);
  const rangeOf = (c: Ctx): Range => li.rangeOf(c.node!.d.span.start, c.node!.d.span.end);
  const server = a?.root ? allContexts(a.root).find((c) => c.kind === 'server') : undefined;
  assert.ok(server, `${file} has a server block`);
  const loc = matchLocation(server, url);
  const otherLocations = allContexts(server).filter((c) => c.kind === 'location' && c !== loc && !(loc && allContexts(c).includes(loc))).map(rangeOf);
  return findings.filter((f) => {
    if (f.file !== file) return true; // included files hold http-level settings here
    if (loc && inside(f.range, rangeOf(loc))) return true;
    // Findings in other locations do not apply; those in the server or http block outside them do.
    return !otherLocations.some((r) => inside(f.range, r));
  });
}

interface Row {
  fixture: string;
  url: string;
  analyzerGzip: boolean;
  nginxGzip: boolean;
  analyzerCached: boolean;
  nginxLifetime: number;
  agree: boolean;
}

const binary = nginxBinary();
const SKIP = binary ? false : 'nginx is not installed (Debian: apt-get install nginx); the evidence tests need the real server';
const children = new Set<ChildProcess>();
const killAll = (): void => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
};
process.once('exit', killAll);

type Files = Record<string, string>;

function fixtureFiles(name: string): Files {
  const files: Files = { [`nginx/${name}`]: readFileSync(join(FIXTURES, name), 'utf8') };
  for (const s of SHARED) files[`nginx/${s}`] = readFileSync(join(FIXTURES, s), 'utf8');
  return files;
}

async function audit(files: Files): Promise<Finding[]> {
  const engine = engineWith(NGINX_RULES, NGINX_GATHERERS);
  for (const [p, t] of Object.entries(files)) engine.setFile(p, t);
  return (await engine.run()).findings;
}

/** Starts nginx on `files` (the config is `nginx/<name>`), fetches the assets, and compares with the analyzer. */
async function evaluate(name: string, files: Files, label: string): Promise<Row[]> {
  const file = `nginx/${name}`;
  const text = files[file];
  const findings = await audit(files);
  assert.deepEqual(findings.filter((f) => f.ruleId === 'nginx-parse-error' || f.ruleId === 'rule-error').map((f) => f.message), [], `${label} parses cleanly`);
  const prefix = mkdtempSync(join(tmpdir(), 'perf-audit-nginx-'));
  let child: ChildProcess | undefined;
  try {
    for (const d of ['conf', 'html/assets', 'logs', 'tmp']) mkdirSync(join(prefix, d), { recursive: true });
    const port = await freePort();
    for (const [p, t] of Object.entries(files)) writeFileSync(join(prefix, 'conf', p.slice('nginx/'.length)), p === file ? t.replace(/127\.0\.0\.1:8080/g, `127.0.0.1:${port}`) : t);
    writeFileSync(join(prefix, 'html', 'app.css'), asset('css'));
    writeFileSync(join(prefix, 'html', 'assets', 'app.3f9a1c2b.js'), asset('js'));
    writeFileSync(join(prefix, 'html', 'index.html'), '<!doctype html><title>evidence</title>\n');
    const c = spawn(binary!, ['-p', `${prefix}/`, '-c', `conf/${name}`, '-e', 'stderr', '-g', `daemon off; master_process off; pid ${prefix}/nginx.pid;`], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    children.add(c);
    let err = '';
    c.stderr.on('data', (b: Buffer) => (err += b.toString()));
    await waitForPort(port, c, () => err);
    const rows: Row[] = [];
    for (const a of ASSETS) {
      const res = await fetchAsset(port, a.url);
      assert.equal(res.status, 200, `${label} ${a.url}: HTTP ${res.status}`);
      const apply = applicable(findings, file, text, a.url);
      const analyzerUncompressed = apply.some((f) => f.ruleId === 'nginx-gzip-disabled' || (f.ruleId === 'nginx-gzip-types-incomplete' && (f.data?.missing as string[] | undefined)?.includes(a.type)));
      const analyzerUncached = apply.some((f) => f.checklistItem === 'browser-caching' && SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER.warning);
      const nginxGzip = res.encoding === 'gzip';
      const life = lifetime(res);
      const agree = analyzerUncompressed === !nginxGzip && analyzerUncached === !(life >= LONG_LIVED);
      rows.push({ fixture: label, url: a.url, analyzerGzip: !analyzerUncompressed, nginxGzip, analyzerCached: !analyzerUncached, nginxLifetime: life, agree });
    }
    return rows;
  } finally {
    if (child) await stop(child);
    rmSync(prefix, { recursive: true, force: true });
  }
}

async function stop(c: ChildProcess): Promise<void> {
  if (c.exitCode === null) {
    c.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        c.kill('SIGKILL');
        resolve();
      }, 2000);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  children.delete(c);
}

function printTable(title: string, rows: Row[]): string {
  const yes = (b: boolean): string => (b ? 'yes' : 'no');
  const table = [
    '| fixture | asset | analyzer: gzip | nginx: Content-Encoding gzip | analyzer: long-lived cache | nginx: lifetime (s) | agree |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.fixture} | ${r.url} | ${yes(r.analyzerGzip)} | ${yes(r.nginxGzip)} | ${yes(r.analyzerCached)} | ${r.nginxLifetime} | ${r.agree ? '✅' : '❌'} |`),
  ].join('\n');
  const version = spawnSync(binary!, ['-v'], { encoding: 'utf8' }).stderr.trim();
  const summary = `${title} (${version}): ${rows.filter((r) => r.agree).length}/${rows.length} verdicts agree`;
  console.log(`\n${summary}\n${table}\n`);
  return summary;
}

const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.conf') && !SHARED.includes(f)).sort();

test('nginx evidence: analyzer verdicts agree with the headers nginx sends', { timeout: 120_000, skip: SKIP }, async (t) => {
  t.after(killAll);
  assert.ok(fixtures.length >= 6, 'at least six fixtures');
  const rows: Row[] = [];
  for (const name of fixtures) rows.push(...(await evaluate(name, fixtureFiles(name), name.replace(/\.conf$/, ''))));
  t.diagnostic(printTable('Fixtures as written', rows));
  assert.deepEqual(rows.filter((r) => !r.agree), [], 'every verdict agrees with nginx');
  // The fixtures cover both outcomes of both verdicts.
  for (const k of ['nginxGzip', 'analyzerCached'] as const) assert.ok(rows.some((r) => r[k]) && rows.some((r) => !r[k]), `fixtures cover both outcomes of ${k}`);
});

test('nginx evidence: the quick fixes give configs nginx accepts, and the headers it then sends', { timeout: 120_000, skip: SKIP }, async (t) => {
  t.after(killAll);
  const rows: Row[] = [];
  let fixedVerdicts = 0;
  for (const name of fixtures) {
    const before = await evaluate(name, fixtureFiles(name), name.replace(/\.conf$/, ''));
    // Apply the preferred fix of compression and caching findings one at a time, re-auditing after each.
    let files = fixtureFiles(name);
    const applied: string[] = [];
    for (let i = 0; i < 10; i++) {
      const f = (await audit(files)).find((x) => ['compression', 'browser-caching'].includes(x.checklistItem) && x.fixes.some((fx) => fx.preferred));
      if (!f) break;
      files = applyFix(files, f.fixes.find((fx) => fx.preferred)!);
      applied.push(f.ruleId);
    }
    if (!applied.length) continue;
    const after = await evaluate(name, files, `${name.replace(/\.conf$/, '')} + fixes of ${applied.map((r) => r.replace(/^nginx-/, '')).join(', ')}`);
    rows.push(...after);
    after.forEach((r, i) => {
      const b = before[i];
      assert.ok((r.nginxGzip || !b.nginxGzip) && (r.nginxLifetime >= LONG_LIVED || b.nginxLifetime < LONG_LIVED), `${r.fixture} ${r.url}: a fix made it worse`);
      if ((r.nginxGzip && !b.nginxGzip) || (r.nginxLifetime >= LONG_LIVED && b.nginxLifetime < LONG_LIVED)) fixedVerdicts++;
    });
  }
  t.diagnostic(printTable('Fixtures with the quick fixes applied', rows));
  assert.deepEqual(rows.filter((r) => !r.agree), [], 'every verdict agrees with nginx after the fixes');
  assert.ok(fixedVerdicts > 0, 'the fixes change what nginx sends');
});
