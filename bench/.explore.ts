import { loadJob, jobRefs, findPostgresBin, startPostgres, postgresVerdicts, analyzerVerdicts, score } from './accuracy.js';
async function main(): Promise<void> {
const job = loadJob(); const refs = await jobRefs(job);
const c = await startPostgres(findPostgresBin()!);
try {
  for (const settings of [[], ['enable_hashjoin = off', 'enable_mergejoin = off']]) {
    const pv = await postgresVerdicts(job, c, 'pk', settings);
    const s = score(refs, 'pk', await analyzerVerdicts(job, refs, 'pk'), pv);
    console.log(settings, s.tp, s.fp, s.fn, s.tn, s.excluded, s.precision.toFixed(3), s.recall.toFixed(3));
    let withFilter = 0, noFilter = 0;
    for (const d of s.disagreements) { if (/Filter/.test(d.plan)) withFilter++; else noFilter++; }
    console.log('disagreements with Filter on the table:', withFilter, 'without:', noFilter);
    if (settings.length) for (const d of s.disagreements) console.log(' ', d.query, d.alias, d.ours, d.planner, d.plan);
  }
} finally { c.stop(); }
}
void main();
