import type { FileRule } from '../../../kernel/contracts.js';
import { HOSTING_GATHERER_ID } from '../gather.js';
import type { HostingArtifact } from '../model.js';

export const hostingConfigInvalid: FileRule<HostingArtifact> = {
  kind: 'file',
  gatherer: HOSTING_GATHERER_ID,
  meta: {
    id: 'hosting-config-invalid',
    title: 'Hosting configs are valid',
    failureTitle: 'Invalid hosting config',
    description: 'vercel.json or firebase.json that is not valid JSON, netlify.toml that is not valid TOML, or a header rule the platform ignores or rejects (no path, a header line without a path, "routes" mixed with "headers"): the deploy fails or the headers silently do not apply.',
    domain: 'hosting',
    checklistItem: 'browser-caching',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    for (const p of ctx.artifact.problems) ctx.report({ span: p.span, message: p.message });
  },
};
