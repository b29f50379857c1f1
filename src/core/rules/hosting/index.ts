import type { FileRule } from '../rule.js';
import { hostingStaticCacheMissing } from './hosting-static-cache-missing.js';
import { hostingCacheTooShort } from './hosting-cache-too-short.js';
import { hostingConfigInvalid } from './hosting-config-invalid.js';

/** The hosting config rules: vercel.json, netlify.toml, _headers, firebase.json (gatherer: HOSTING_GATHERERS in gatherers/hosting.ts). */
export const HOSTING_RULES: FileRule[] = [hostingStaticCacheMissing, hostingCacheTooShort, hostingConfigInvalid];
