import type { FileRule } from '../../kernel/contracts.js';
import { servedCodeOnly } from '../../kernel/served-code.js';
import { hostingStaticCacheMissing } from './rules/hosting-static-cache-missing.js';
import { hostingCacheTooShort } from './rules/hosting-cache-too-short.js';
import { hostingConfigInvalid } from './rules/hosting-config-invalid.js';
import type { Analyzer } from '../../kernel/contracts.js';
import { HOSTING_GATHERERS } from './gather.js';

/** The hosting config rules: vercel.json, netlify.toml, _headers, firebase.json (gatherer: HOSTING_GATHERERS in gatherers/hosting.ts). */
export const HOSTING_RULES: FileRule[] = [hostingStaticCacheMissing, hostingCacheTooShort, hostingConfigInvalid].map(servedCodeOnly);

/** The hosting analyzer: vercel.json, netlify.toml, _headers, firebase.json, wrangler settings. */
export const hostingAnalyzer: Analyzer = {
  id: 'hosting',
  title: 'Hosting platform configs',
  watch: ['vercel.json', 'netlify.toml', '_headers', 'firebase.json', 'wrangler.toml', 'wrangler.json', 'wrangler.jsonc'],
  rules: HOSTING_RULES,
  gatherers: HOSTING_GATHERERS,
};
