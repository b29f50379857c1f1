import type { FileRule } from '../../../kernel/contracts.js';
import { BUNDLE_IMPORTS_GATHERER_ID, type ImportsArtifact } from '../gather.js';
import { lodashImportFix } from '../fixes.js';

export const bundleLodashFullImport: FileRule<ImportsArtifact> = {
  kind: 'file',
  gatherer: BUNDLE_IMPORTS_GATHERER_ID,
  meta: {
    id: 'bundle-lodash-full-import',
    title: 'lodash is imported per method',
    failureTitle: 'The whole of lodash is imported',
    description: 'An import or require of the `lodash` package itself: lodash is CommonJS, so bundlers cannot tree-shake it and ship all ~70 KB (~25 KB gzip) even for one function.',
    domain: 'bundle',
    checklistItem: 'bundle-size',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    for (const ref of ctx.artifact.lodash) {
      const fix = lodashImportFix(ctx, ref);
      const names = ref.named.filter((n) => !n.type).map((n) => n.imported);
      const what = ref.kind === 'require' ? 'require("lodash")' : ref.namespace ? `import * as ${ref.namespace} from "lodash"` : ref.defaultImport ? `import ${ref.defaultImport} from "lodash"` : names.length ? `importing { ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''} } from "lodash"` : 'this import of "lodash"';
      const advice = names.length && !ref.defaultImport && !ref.namespace
        ? `import ${names.length === 1 ? `lodash/${names[0]}` : 'each method from lodash/<method>'} or use lodash-es`
        : 'import the methods you use from lodash/<method> (or lodash-es), or use native methods';
      ctx.report({
        span: ref.span,
        message: `${what} bundles all of lodash (~25 KB gzip): it is CommonJS, so it cannot be tree-shaken. ${advice[0].toUpperCase()}${advice.slice(1)}.`,
        fixes: fix ? [fix] : [],
        data: { kind: ref.kind, names },
      });
    }
  },
};
