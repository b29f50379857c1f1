import type { FileRule } from '../../../kernel/contracts.js';
import { BUNDLE_MANIFEST_GATHERER_ID } from '../gather.js';
import { heavyPackage, type PackageJsonInfo } from '../heavy.js';
import { keySpan } from '../json-spans.js';

/** Heavy packages whose cost is large enough to warn about; the others are informational. */
const WARN = new Set(['moment', 'moment-timezone', 'jquery', 'core-js']);

export const bundleHeavyDependency: FileRule<PackageJsonInfo> = {
  kind: 'file',
  gatherer: BUNDLE_MANIFEST_GATHERER_ID,
  meta: {
    id: 'bundle-heavy-dependency',
    title: 'No known heavy dependencies in the browser bundle',
    failureTitle: 'A heavy dependency with a lighter replacement is bundled',
    description: 'A frontend package.json lists a dependency known to be heavy in browser bundles (moment, moment-timezone, lodash, underscore, jquery, core-js) that has a lighter or tree-shakable replacement.',
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
      ctx.report({
        span,
        severity: WARN.has(name) ? 'warning' : 'info',
        message: `${name} (~${h.gzipKb} KB gzip when bundled) ${h.why}. This project is bundled for the browser (${ctx.artifact.frontend}): consider ${h.alternatives}.`,
        data: { package: name, gzipKb: h.gzipKb },
      });
    }
  },
};
