import type { FileRule } from '../../../kernel/contracts.js';
import type { NginxArtifact } from '../analyze.js';
import { NGINX_GATHERER_ID } from '../gather.js';

export const nginxParseError: FileRule<NginxArtifact> = {
  kind: 'file',
  gatherer: NGINX_GATHERER_ID,
  meta: {
    id: 'nginx-parse-error',
    title: 'nginx configs can be read',
    failureTitle: 'nginx configs with syntax errors or unreadable includes',
    description: 'A syntax error (unbalanced braces, a directive without ";", an unterminated string), an include that is missing, loops or is not text: nginx would refuse the configuration, and the parts Perf Auditor cannot read are not checked.',
    domain: 'nginx',
    checklistItem: 'compression',
    defaultSeverity: 'error',
    fixable: false,
  },
  check(ctx) {
    for (const d of ctx.artifact.diagnostics) {
      ctx.report({ file: d.file, span: d.span, message: d.message, severity: d.severity, data: { kind: d.kind } });
    }
  },
};
