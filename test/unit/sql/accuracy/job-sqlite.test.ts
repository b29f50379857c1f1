/**
 * missing-index against SQLite's planner (sql.js, in-process) on the Join Order Benchmark, in two
 * schema variants (PKs only; PKs + FK indexes). See bench/accuracy.ts for the method.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { classifySqlitePlanLine, formatDisagreements, JOB_DIR, jobRefs, loadJob, markdownTable, pgScans, sqliteAccuracy, VARIANTS } from '../../../../bench/accuracy.js';

const haveCorpus = existsSync(JOB_DIR);

test('SQLite plan lines are read as the planner means them', () => {
  assert.deepEqual(classifySqlitePlanLine('SCAN mc'), { alias: 'mc', access: 'scan' });
  // min()/max() optimisation labels a full table scan SEARCH with no USING clause
  assert.deepEqual(classifySqlitePlanLine('SEARCH mc'), { alias: 'mc', access: 'scan' });
  assert.deepEqual(classifySqlitePlanLine('SEARCH t USING INTEGER PRIMARY KEY (rowid=?)'), { alias: 't', access: 'index' });
  assert.deepEqual(classifySqlitePlanLine('SEARCH mi_idx USING AUTOMATIC COVERING INDEX (movie_id=?)'), { alias: 'mi_idx', access: 'automatic-index' });
  assert.deepEqual(classifySqlitePlanLine('SEARCH mc USING INDEX movie_id_movie_companies (movie_id=?)'), { alias: 'mc', access: 'index' });
  assert.deepEqual(classifySqlitePlanLine('SCAN t USING COVERING INDEX t_b'), { alias: 't', access: 'full-index-scan' });
  assert.deepEqual(classifySqlitePlanLine('SCAN users AS u'), { alias: 'u', access: 'scan' });
  assert.equal(classifySqlitePlanLine('BLOOM FILTER ON mk (movie_id=?)'), undefined);
  assert.equal(classifySqlitePlanLine('SCAN (subquery-1)'), undefined);
});

test('PostgreSQL scans: outer side first, Index Cond must use the leading column', () => {
  const plan = {
    'Node Type': 'Hash Join',
    Plans: [
      { 'Node Type': 'Index Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'company_name', Alias: 'cn', 'Index Name': 'company_name_pkey', Filter: "((country_code)::text = '[us]'::text)" },
      { 'Node Type': 'Hash', 'Parent Relationship': 'Inner', Plans: [{
        'Node Type': 'Nested Loop', Plans: [
          { 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'movie_companies', Alias: 'mc' },
          { 'Node Type': 'Index Scan', 'Parent Relationship': 'Inner', 'Relation Name': 'title', Alias: 't', 'Index Name': 'title_pkey', 'Index Cond': '(id = mc.movie_id)' },
          { 'Node Type': 'Index Scan', 'Parent Relationship': 'Inner', 'Relation Name': 'x', Alias: 'x', 'Index Name': 'x_a_b', 'Index Cond': '(b = mc.id)' },
        ],
      }] },
    ],
  };
  const leading = (i: string): string | undefined => ({ company_name_pkey: 'id', title_pkey: 'id', x_a_b: 'a' } as Record<string, string>)[i];
  assert.deepEqual(pgScans(plan, leading).map((s) => [s.alias, s.needsIndex]), [['cn', true], ['mc', true], ['t', false], ['x', true]]);
});

test('JOB: every query has table references', { skip: !haveCorpus && `corpus not found at ${JOB_DIR}` }, async () => {
  const job = loadJob();
  assert.ok(job.queries.length >= 100, `${job.queries.length} queries`);
  const refs = await jobRefs(job);
  for (const q of job.queries) assert.ok(refs.some((r) => r.query === q.name), q.name);
});

test('JOB: missing-index precision and recall >= 0.9 against SQLite EXPLAIN QUERY PLAN', { skip: !haveCorpus && `corpus not found at ${JOB_DIR}` }, async () => {
  const job = loadJob();
  const refs = await jobRefs(job);
  const result = await sqliteAccuracy(job, refs);
  const report = { corpus: 'JOB', queries: job.queries.length, refs: refs.length, oracles: [result] };
  const detail = `\n${markdownTable(report)}\n${formatDisagreements(report, 40)}`;
  // The PK-only schema must give the planner real work (otherwise the check is vacuous).
  assert.ok((result.variants.pk?.tp ?? 0) + (result.variants.pk?.fn ?? 0) >= 100, `too few planner positives${detail}`);
  for (const v of VARIANTS) {
    const s = result.variants[v]!;
    assert.ok(s.precision >= 0.9, `${v}: precision ${s.precision.toFixed(3)} < 0.9${detail}`);
    assert.ok(s.recall >= 0.9, `${v}: recall ${s.recall.toFixed(3)} < 0.9${detail}`);
  }
});
