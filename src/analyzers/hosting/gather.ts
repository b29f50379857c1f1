/**
 * The hosting gatherer: vercel.json, netlify.toml, `_headers` (Netlify / Cloudflare Pages) and
 * firebase.json, read into header rules with spans (config/hosting/). It also matches package.json
 * and wrangler config files without producing artifacts: the rules read them (build tool, Cloudflare
 * Pages) and matching them makes the engine re-check hosting configs when they change.
 */
import type { FileGatherer } from '../../kernel/contracts.js';
import type { HostingArtifact } from './model.js';
import { readFirebaseJson, readVercelJson } from './json.js';
import { readNetlifyToml } from './netlify.js';
import { readHeadersFile } from './headers-file.js';
import { baseOf } from '../../kernel/text.js';

export const HOSTING_GATHERER_ID = 'hosting';

const CONFIGS = new Set(['vercel.json', 'netlify.toml', '_headers', 'firebase.json']);
const CONTEXT = /^(package\.json|wrangler\.(toml|json|jsonc))$/;

export const hostingGatherer: FileGatherer<HostingArtifact> = {
  id: HOSTING_GATHERER_ID,
  description: 'hosting configs',
  workspaceDependent: true,
  matches: (path) => {
    const b = baseOf(path);
    return CONFIGS.has(b) || CONTEXT.test(b);
  },
  gather(path, text) {
    switch (baseOf(path)) {
      case 'vercel.json':
        return readVercelJson(text);
      case 'netlify.toml':
        return readNetlifyToml(text);
      case '_headers':
        return readHeadersFile(text);
      case 'firebase.json':
        return readFirebaseJson(text);
      default:
        return undefined;
    }
  },
};

export const HOSTING_GATHERERS: FileGatherer[] = [hostingGatherer];
