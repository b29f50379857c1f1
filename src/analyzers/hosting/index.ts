import type { FileRule } from '../../kernel/contracts.js';
import { hostingStaticCacheMissing } from './rules/hosting-static-cache-missing.js';
import { hostingCacheTooShort } from './rules/hosting-cache-too-short.js';
import { hostingConfigInvalid } from './rules/hosting-config-invalid.js';

/** The hosting config rules: vercel.json, netlify.toml, _headers, firebase.json (gatherer: HOSTING_GATHERERS in gatherers/hosting.ts). */
export const HOSTING_RULES: FileRule[] = [hostingStaticCacheMissing, hostingCacheTooShort, hostingConfigInvalid];
