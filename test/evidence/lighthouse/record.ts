/**
 * Re-records the LHR fixtures of the unit tests (test/fixtures/lighthouse/*.json) from real
 * Lighthouse runs against the local site, trimmed as the runner trims them, with the server's
 * random port replaced by 8080 so the fixtures are stable:
 *
 *   node --import tsx test/evidence/lighthouse/record.ts
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { runLighthouse, LighthouseRunError } from '../../../src/analyzers/lighthouse/run/runner.js';
import type { Lhr, LighthousePreset } from '../../../src/analyzers/lighthouse/types.js';
import { startSite } from './site.js';

const OUT = path.join(__dirname, '..', '..', 'fixtures', 'lighthouse');
export const HOST_RULES = '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost';

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const site = await startSite();
  const fix = (lhr: Lhr): string => JSON.stringify(lhr, null, 1).split(site.origin).join('http://127.0.0.1:8080') + '\n';
  const cases: [string, string, LighthousePreset][] = [
    ['slow-mobile', '/slow/', 'mobile'],
    ['good-desktop', '/good/', 'desktop'],
    ['error-desktop', '/error/', 'desktop'],
  ];
  try {
    for (const [name, page, preset] of cases) {
      let lhr: Lhr;
      try {
        lhr = (await runLighthouse({ url: site.origin + page, preset, timeoutMs: 90_000, chromeFlags: [HOST_RULES] })).lhrs[0];
      } catch (e) {
        if (!(e instanceof LighthouseRunError) || !e.lhr) throw e;
        lhr = e.lhr;
      }
      writeFileSync(path.join(OUT, `${name}.json`), fix(lhr));
      process.stdout.write(`recorded ${name}: score ${lhr.categories.performance?.score ?? 'none'}${lhr.runtimeError ? `, runtimeError ${lhr.runtimeError.code}` : ''}\n`);
    }
  } finally {
    await site.close();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
