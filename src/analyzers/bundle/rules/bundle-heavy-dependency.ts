import type { FileRule } from '../../../kernel/contracts.js';
import { BUNDLE_MANIFEST_GATHERER_ID, type ManifestArtifact } from '../gather.js';
import { heavyPackage } from '../heavy.js';
import { keySpan } from '../json-spans.js';

/** Heavy packages whose cost is large enough to warn about; the others are informational. */
const WARN = new Set(['moment', 'moment-timezone', 'jquery', 'core-js']);

/** core-js entry points that load every polyfill (the rest, core-js/actual/array/flat…, load one feature). */
const CORE_JS_WHOLE = /^core-js(?:\/(?:stable|actual|full|es|features|proposals|web))?(?:\/index(?:\.js)?)?$/;

/**
 * What the project's code says about a heavy package: `undefined` when nothing is known (no code in
 * the workspace), else whether browser code imports it (for core-js: one of its whole entry points),
 * and why not.
 */
function evidence(a: ManifestArtifact, name: string): { bundled: boolean; why?: string; serverOnly?: boolean } | undefined {
  if (!a.imports || a.imports.files === 0) return undefined;
  const e = a.imports.byName[name];
  if (!e || !e.browser.length) {
    return e?.server ? { bundled: false, serverOnly: true } : { bundled: false, why: `no code of this project imports ${name} (if a tool injects it, it is judged by what the tool imports; if nothing uses it, remove it)` };
  }
  if (name === 'core-js' && !e.browser.some((s) => CORE_JS_WHOLE.test(s))) return { bundled: false, why: `the code imports single core-js features (${e.browser.slice(0, 2).join(', ')}), not the whole library` };
  return { bundled: true };
}

export const bundleHeavyDependency: FileRule<ManifestArtifact> = {
  kind: 'file',
  gatherer: BUNDLE_MANIFEST_GATHERER_ID,
  meta: {
    id: 'bundle-heavy-dependency',
    title: 'No known heavy dependencies in the browser bundle',
    failureTitle: 'A heavy dependency with a lighter replacement is bundled',
    description: 'A frontend package.json lists a dependency known to be heavy in browser bundles (moment, moment-timezone, lodash, underscore, jquery, core-js) that has a lighter or tree-shakable replacement, and the project\'s browser code imports it (core-js: one of its whole entry points). Listed but not imported (or only single core-js features) is information; imported only from server code is not reported.',
    domain: 'bundle',
    checklistItem: 'bundle-size',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    for (const name of Object.keys(ctx.artifact.dependencies)) {
      const h = heavyPackage(name);
      if (!h) continue;
      const span = keySpan(ctx.text, ['dependencies', name]);
      if (!span) continue;
      const ev = evidence(ctx.artifact, name);
      if (ev?.serverOnly) continue;
      const unconfirmed = ev && !ev.bundled ? ` It may not be in your bundle, though: ${ev.why}.` : '';
      ctx.report({
        span,
        severity: WARN.has(name) && !unconfirmed ? 'warning' : 'info',
        message: `${name} (~${h.gzipKb} KB gzip when bundled) ${h.why}. This project is bundled for the browser (${ctx.artifact.frontend}): consider ${h.alternatives}.${unconfirmed}`,
        data: { package: name, gzipKb: h.gzipKb },
      });
    }
  },
};
