/**
 * The Apache httpd gatherer: .htaccess files, httpd.conf / apache2.conf, `*.conf` files under an
 * apache / apache2 / httpd folder or named after Apache, and files in sites-available /
 * sites-enabled / conf.d / vhosts folders when their content is Apache syntax (those folders also
 * hold nginx configs: nginx-looking content is left to the nginx gatherer).
 */
import type { FileGatherer } from '../../kernel/contracts.js';
import { parseApacheConfig, type ApacheConfig } from './parse.js';
import { analyzeApache, type ApacheFacts } from './analyze.js';
import { baseOf } from '../../kernel/text.js';

export const APACHE_GATHERER_ID = 'apache';

export interface ApacheArtifact {
  /** `htaccess`: per-directory file; `server`: main server config or an included file / virtual host. */
  kind: 'htaccess' | 'server';
  config: ApacheConfig;
  facts: ApacheFacts;
}

const BASENAME_SERVER = /^(httpd|apache2?)\.conf$/i;
const APACHE_DIR = /(^|\/)(apache2?|httpd|apache24)(\/|$)/i;
const SHARED_DIR = /(^|\/)(sites-available|sites-enabled|mods-available|mods-enabled|conf\.d|conf-available|conf-enabled|vhosts?(\.d)?)\//i;

export function matchesApachePath(path: string): boolean {
  const b = baseOf(path);
  if (b === '.htaccess' || BASENAME_SERVER.test(b)) return true;
  if (/\.conf$/i.test(b) && (APACHE_DIR.test(path.slice(0, path.length - b.length)) || /(apache|httpd)/i.test(b))) return true;
  return SHARED_DIR.test(path) && !/\.(md|txt|json|ya?ml|js|ts|sh|py|rb|bak|orig|dist|example|sample)$/i.test(b);
}

/** Content that is clearly nginx (blocks in braces, `;`-terminated directives). */
export function looksLikeNginx(text: string): boolean {
  const head = text.slice(0, 64 * 1024);
  // (Horizontal space after ^: a line break in `^\s*` only moves the match to the next line start.)
  if (/^[^\S\n\r\u2028\u2029]*(?:(?:server|http|events|upstream)\s*\{|(?:location|map)\s[^\n{]*(?:\n\s*)?\{)/m.test(head)) return true;
  const lines = head.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (!lines.length) return false;
  const semi = lines.filter((l) => /;$/.test(l) || l === '}' || /\{$/.test(l)).length;
  return semi / lines.length > 0.5;
}

/** Content with Apache structure: a known section tag or a typical server-level directive. */
export function looksLikeApache(text: string): boolean {
  const head = text.slice(0, 64 * 1024);
  return /^[^\S\n\r\u2028\u2029]*<\/?(VirtualHost|Directory|DirectoryMatch|IfModule|Location|LocationMatch|Files|FilesMatch|IfDefine|Proxy)\b/im.test(head)
    || /^[^\S\n\r\u2028\u2029]*(ServerName|ServerAlias|DocumentRoot|LoadModule|Listen|ServerRoot|RewriteEngine|AddOutputFilterByType|ExpiresActive|Header\s+(always\s+)?set)\s[^;{\n\r\u2028\u2029]*$/im.test(head);
}

export const apacheGatherer: FileGatherer<ApacheArtifact> = {
  id: APACHE_GATHERER_ID,
  description: 'Apache configs',
  // Rules judge the server config files together and .htaccess files with their parent folders'.
  workspaceDependent: true,
  matches: matchesApachePath,
  gather(path, text) {
    const b = baseOf(path);
    const kind = b === '.htaccess' ? 'htaccess' : 'server';
    if (kind === 'server') {
      const named = BASENAME_SERVER.test(b) || /\.conf$/i.test(b);
      if (looksLikeNginx(text)) return undefined;
      // Files in shared folders (sites-enabled, conf.d…) or oddly named ones must look like Apache.
      if (!(named && (APACHE_DIR.test(path) || BASENAME_SERVER.test(b) || /(apache|httpd)/i.test(b))) && !looksLikeApache(text)) return undefined;
    }
    const config = parseApacheConfig(text);
    return { kind, config, facts: analyzeApache(config) };
  },
};

export const APACHE_GATHERERS: FileGatherer[] = [apacheGatherer];
