#!/usr/bin/env node
/**
 * Real-world precision: audits the repositories of test/realworld/repos.tsv (checked out at their
 * pinned commits in a cache outside git) with the built CLI, and scores every warning against the
 * hand triage in test/realworld/triage.tsv. Recall is measured against the warnings the 0.1.0 version
 * gave (test/realworld/before.tsv): a true positive it found must still be found.
 *
 *   npm run eval:realworld                      score (repositories fetched into the cache if missing)
 *   npm run eval:realworld -- --untriaged F     also write the warnings nobody has judged yet to F
 *   npm run eval:realworld -- --merge F         add the rows of F whose verdict is filled in (true, false, debatable) to triage.tsv
 *   npm run eval:realworld -- --not-true F      also write the current warnings judged false or debatable, with the reason, to F
 *   npm run eval:realworld -- --check           exit 1 when a warning rule is under 90% precision or recall, or untriaged
 *   options: --repos FILE (another list of repositories), --cache DIR (or PERF_AUDITOR_REALWORLD_DIR), --mirrors DIR (local git mirrors <owner+name>/repo),
 *            --out DIR (keep each repository's JSON), --markdown (tables for docs/accuracy.md), --repo NAME (one repository)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const cache = resolve(opt('--cache') ?? process.env.PERF_AUDITOR_REALWORLD_DIR ?? join(homedir(), '.cache', 'perf-auditor', 'realworld'));
const mirrors = opt('--mirrors') ?? process.env.PERF_AUDITOR_REALWORLD_MIRRORS;
const outDir = opt('--out');
const only = opt('--repo');
const cli = join(root, 'dist', 'cli.js');
/** Rules judged at every severity: a parse error on valid SQL is a defect even as info. */
const JUDGED_AT_ANY_SEVERITY = new Set(['sql-parse-error']);

/** Reads a TSV with a header line into objects. */
export function readTsv(file) {
  if (!existsSync(file)) return [];
  const [head, ...rows] = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const cols = head.split('\t');
  return rows.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

/** A finding's subject: what it is about, stable when its line moves (table and columns, package, or message shape). */
export function subjectOf(f) {
  const d = f.data ?? {};
  if (typeof d.table === 'string') {
    const cols = Array.isArray(d.columns) ? d.columns.join(',') : typeof d.column === 'string' ? d.column : '';
    return `${d.table}(${cols})`;
  }
  if (typeof d.package === 'string') return d.package;
  return f.message.replace(/\d[\d.,]*/g, '#').replace(/\s+/g, ' ').slice(0, 90);
}

function checkout(repo, commit) {
  const dir = join(cache, repo.replace('/', '+'));
  const head = existsSync(join(dir, '.git')) ? spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim() : '';
  if (head === commit) return dir;
  mkdirSync(cache, { recursive: true });
  if (!existsSync(join(dir, '.git'))) {
    const mirror = mirrors ? join(mirrors, repo.replace('/', '+'), 'repo') : undefined;
    const source = mirror && existsSync(mirror) ? mirror : `https://github.com/${repo}.git`;
    process.stderr.write(`eval: fetching ${repo} from ${source}\n`);
    execFileSync('git', ['clone', '-q', '--no-checkout', source, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  // read-tree + checkout-index: a mirror may lack a few large blobs (fonts, data files); the rest is checked out.
  spawnSync('git', ['-C', dir, 'read-tree', commit], { stdio: 'ignore' });
  spawnSync('git', ['-C', dir, 'checkout-index', '-a', '-f'], { stdio: 'ignore' });
  spawnSync('git', ['-C', dir, 'update-ref', 'HEAD', commit], { stdio: 'ignore' });
  return dir;
}

function audit(dir) {
  const r = spawnSync(process.execPath, [cli, dir, '--format', 'json', '--fail-on', 'none', '--no-color'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`perf-audit failed on ${dir}: ${r.stderr.slice(0, 500)}`);
  return JSON.parse(r.stdout);
}

/**
 * Matches a finding to a triage row: same line and subject, then the same subject in the same file,
 * then the same line, then the same subject elsewhere in the repository (the finding moved, e.g. to
 * the statement that created the current definition): the row whose path shares the longest prefix.
 */
function matcher(rows) {
  const by = (keyOf) => {
    const m = new Map();
    for (const r of rows) {
      const k = keyOf(r);
      if (!m.has(k)) m.set(k, r);
    }
    return m;
  };
  const exact = by((r) => `${r.repo}|${r.path}|${r.rule}|${r.line}|${r.subject}`);
  const line = by((r) => `${r.repo}|${r.path}|${r.rule}|${r.line}`);
  const subject = by((r) => `${r.repo}|${r.path}|${r.rule}|${r.subject}`);
  const moved = new Map();
  for (const r of rows) {
    const k = `${r.repo}|${r.rule}|${r.subject}`;
    moved.set(k, [...(moved.get(k) ?? []), r]);
  }
  const ext = (p) => p.slice(p.lastIndexOf('.'));
  const common = (a, b) => {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return i;
  };
  return (repo, path, ruleId, line1, s) => {
    const hit = exact.get(`${repo}|${path}|${ruleId}|${line1}|${s}`) ?? subject.get(`${repo}|${path}|${ruleId}|${s}`) ?? line.get(`${repo}|${path}|${ruleId}|${line1}`);
    if (hit) return hit;
    const cands = moved.get(`${repo}|${ruleId}|${s}`);
    if (!cands) return undefined;
    const score = (r) => (ext(r.path) === ext(path) ? 1e6 : 0) + common(r.path, path);
    return cands.reduce((best, r) => (score(r) > score(best) ? r : best));
  };
}

const TRIAGE_COLUMNS = ['repo', 'commit', 'path', 'line', 'rule', 'subject', 'verdict', 'reason'];

/** Adds the judged rows of `file` to triage.tsv (a row per repo, path, line, rule and subject; later verdicts win). */
function merge(file) {
  const target = join(root, 'test/realworld/triage.tsv');
  const rows = new Map();
  const key = (r) => `${r.repo}|${r.path}|${r.line}|${r.rule}|${r.subject}`;
  for (const r of readTsv(target)) rows.set(key(r), r);
  let added = 0;
  for (const r of readTsv(file)) {
    if (!['true', 'false', 'debatable'].includes(r.verdict)) continue;
    if (!r.reason?.trim()) throw new Error(`${file}: ${r.repo} ${r.path}:${r.line} ${r.rule} has a verdict without a reason`);
    rows.set(key(r), r);
    added++;
  }
  const sorted = [...rows.values()].sort((a, b) => a.repo.localeCompare(b.repo) || a.path.localeCompare(b.path) || Number(a.line) - Number(b.line) || a.rule.localeCompare(b.rule));
  writeFileSync(target, `${TRIAGE_COLUMNS.join('\t')}\n${sorted.map((r) => TRIAGE_COLUMNS.map((c) => String(r[c] ?? '').replace(/[\t\n]/g, ' ')).join('\t')).join('\n')}\n`);
  process.stderr.write(`eval: ${added} judged rows merged into ${target} (${rows.size} in all)\n`);
}

function main() {
  if (opt('--merge')) return merge(opt('--merge'));
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build first');
  const repos = readTsv(resolve(root, opt('--repos') ?? 'test/realworld/repos.tsv')).filter((r) => !only || r.repo === only || r.repo.replace('/', '+') === only);
  const triage = readTsv(join(root, 'test/realworld/triage.tsv'));
  const before = readTsv(join(root, 'test/realworld/before.tsv'));
  const match = matcher(triage);
  const perRule = new Map();
  const rule = (id) => {
    if (!perRule.has(id)) perRule.set(id, { warnings: 0, true: 0, false: 0, debatable: 0, untriaged: 0, info: 0, beforeTrue: 0, kept: 0 });
    return perRule.get(id);
  };
  const untriaged = [];
  const notTrue = [];
  const current = new Set();
  /** repo|rule|subject of every current warning: a 0.1.0 true positive still reported, wherever it is now. */
  const reported = new Set();
  for (const { repo, commit } of repos) {
    const dir = checkout(repo, commit);
    const report = audit(dir);
    if (outDir) {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, `${repo.replace('/', '+')}.json`), JSON.stringify(report, null, 1));
    }
    for (const f of report.findings) {
      if ((f.severity === 'info' || f.severity === 'hint') && !JUDGED_AT_ANY_SEVERITY.has(f.ruleId)) {
        rule(f.ruleId).info++;
        continue;
      }
      const s = rule(f.ruleId);
      s.warnings++;
      reported.add(`${repo}|${f.ruleId}|${subjectOf(f)}`);
      reported.add(`${repo}|${f.ruleId}|${f.file}:${f.range.start.line + 1}`);
      const row = match(repo, f.file, f.ruleId, f.range.start.line + 1, subjectOf(f));
      if (row) {
        current.add(row);
        if (row.verdict !== 'true') notTrue.push([repo, f.file, f.range.start.line + 1, f.ruleId, subjectOf(f), row.verdict, row.reason].join('\t'));
        s[row.verdict in s ? row.verdict : 'untriaged']++;
      } else {
        s.untriaged++;
        untriaged.push([repo, commit, f.file, f.range.start.line + 1, f.ruleId, subjectOf(f), '', '', f.message.replace(/\s+/g, ' ')].join('\t'));
      }
    }
  }
  // Recall: the true positives of the 0.1.0 version, still reported at warning level.
  for (const b of before.filter((b) => repos.some((r) => r.repo === b.repo))) {
    const t = match(b.repo, b.path, b.rule, b.line, b.subject);
    if (t?.verdict !== 'true') continue;
    const s = rule(b.rule);
    s.beforeTrue++;
    if (current.has(t) || reported.has(`${b.repo}|${b.rule}|${b.subject}`) || reported.has(`${b.repo}|${b.rule}|${b.path}:${b.line}`)) s.kept++;
  }
  const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(0)}%` : '—');
  const lines = ['| rule | warnings¹ | true | false | debatable | untriaged | precision | 0.1.0 true positives | kept | info |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  let failed = false;
  const totals = { warnings: 0, true: 0 };
  for (const [id, s] of [...perRule].sort((a, b) => a[0].localeCompare(b[0]))) {
    const judged = s.true + s.false + s.debatable;
    totals.warnings += s.warnings;
    totals.true += s.true;
    const precision = judged ? s.true / judged : 1;
    const recall = s.beforeTrue ? s.kept / s.beforeTrue : 1;
    if (s.warnings && (precision < 0.9 || s.untriaged)) failed = true;
    if (recall < 0.9) failed = true;
    lines.push(`| ${id} | ${s.warnings} | ${s.true} | ${s.false} | ${s.debatable} | ${s.untriaged} | ${pct(s.true, judged)} | ${s.beforeTrue} | ${s.beforeTrue ? `${s.kept} (${pct(s.kept, s.beforeTrue)})` : '—'} | ${s.info} |`);
  }
  lines.push(`\n${repos.length} repositories, ${totals.warnings} warnings, ${totals.true} judged true (precision counts debatable as not true).\n¹ warnings and errors; for ${[...JUDGED_AT_ANY_SEVERITY].join(', ')} every finding.`);
  process.stdout.write(`${lines.join('\n')}\n`);
  const notTrueFile = opt('--not-true');
  if (notTrueFile) writeFileSync(notTrueFile, `repo\tpath\tline\trule\tsubject\tverdict\treason\n${notTrue.join('\n')}\n`);
  const file = opt('--untriaged');
  if (file) {
    writeFileSync(file, `repo\tcommit\tpath\tline\trule\tsubject\tverdict\treason\tmessage\n${untriaged.join('\n')}\n`);
    process.stderr.write(`eval: ${untriaged.length} untriaged warnings written to ${file}\n`);
  }
  if (args.includes('--check') && failed) {
    process.stderr.write('eval: a warning rule is under 90% precision or recall, or has untriaged warnings\n');
    process.exit(1);
  }
}

main();
