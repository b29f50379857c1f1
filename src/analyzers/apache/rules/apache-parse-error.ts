import type { FileRule } from '../../../kernel/contracts.js';
import { APACHE_GATHERER_ID, type ApacheArtifact } from '../gather.js';
import { isKnownDirective } from '../directives.js';
import { insideConditional } from '../parse.js';

const MAX_UNKNOWN = 20;

export const apacheParseError: FileRule<ApacheArtifact> = {
  kind: 'file',
  gatherer: APACHE_GATHERER_ID,
  meta: {
    id: 'apache-parse-error',
    title: 'Apache configs parse',
    failureTitle: 'Apache config syntax errors',
    description: 'A section that is never closed or closed by the wrong tag, nginx syntax, or a directive Apache does not know: Apache refuses to start (or answers 500 for every request in an .htaccess folder), and the file cannot be checked reliably. Unterminated quotes are noted too.',
    domain: 'apache',
    checklistItem: 'compression',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    const { config } = ctx.artifact;
    for (const e of config.errors) ctx.report({ span: e.span, message: e.message, ...(e.severity ? { severity: e.severity } : {}), data: { kind: e.kind } });
    const where = ctx.artifact.kind === 'htaccess' ? 'every request to this folder fails with 500 Internal Server Error' : 'Apache refuses to start';
    let unknown = 0;
    for (const d of config.directives) {
      if (isKnownDirective(d.lname) || insideConditional(d)) continue;
      if (++unknown > MAX_UNKNOWN) break;
      const last = d.args[d.args.length - 1];
      const nginx = !!last && !last.quoted && last.value.endsWith(';');
      ctx.report({
        span: d.nameSpan,
        severity: nginx ? 'warning' : 'info',
        message: nginx
          ? `"${d.name}" is not an Apache directive: this line looks like nginx syntax (it ends with ";"). Apache answers "Invalid command '${d.name}'" and ${where}.`
          : `Unknown directive "${d.name}": unless a module that defines it is loaded, Apache answers "Invalid command '${d.name}'" and ${where}. Wrap it in <IfModule> if it belongs to an optional module.`,
        data: { kind: nginx ? 'nginx-syntax' : 'unknown-directive', directive: d.name },
      });
    }
  },
};
