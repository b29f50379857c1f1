/**
 * The one list of the files the audit may read, as globs matched against a workspace-relative path
 * below any folder: every path isRelevantPath accepts matches one of them (a unit test checks it
 * against the gatherers), and the files nginx configs commonly include (`*.conf` anywhere, `*.inc`).
 * The extension's file search and watcher (WATCH_GLOB) and its live-edit filter come from here, so
 * the CLI and the extension read the same files. No imports: the extension loads this at activation.
 */
export const WATCHED_GLOBS: readonly string[] = [
  // SQL, and code (SQL in strings, servers, pools, imports)
  '*.sql', '*.ddl', '*.psql', '*.pgsql', '*.prisma',
  '*.ts', '*.tsx', '*.js', '*.jsx', '*.mjs', '*.cjs', '*.mts', '*.cts',
  '*.html', '*.htm', '*.vue', '*.svelte', '*.astro',
  // Packages
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'tsconfig.json', 'tsconfig.*.json',
  // nginx and Apache configs, and what they include
  '*.conf', '*.conf.template', '*.nginx', '*.inc', 'mime.types', '*_params', '.htaccess',
  'sites-available/**', 'sites-enabled/**', 'mods-available/**', 'mods-enabled/**', 'conf-available/**', 'conf-enabled/**',
  'conf.d/**', 'vhost/**', 'vhosts/**', 'vhost.d/**', 'vhosts.d/**',
  // Hosting
  'vercel.json', 'netlify.toml', '_headers', 'firebase.json', 'wrangler.toml', 'wrangler.json', 'wrangler.jsonc',
  // Python projects, serverless markers, environment files (pool settings)
  '*.py', 'requirements*.txt', 'pyproject.toml', 'Pipfile', 'setup.cfg', 'serverless.yml', 'serverless.yaml', 'zappa_settings.json', '.env', '.env.*',
  // Perf Auditor's own files
  '.perfauditrc.json', '.perfaudit-baseline.json',
];

/** The glob for VS Code's file search and watcher. */
export const WATCH_GLOB = `**/{${WATCHED_GLOBS.join(',')}}`;

function globToRegExp(glob: string): string {
  return glob.split('**').map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('.*');
}

const WATCHED = new RegExp(`(?:^|/)(?:${WATCHED_GLOBS.map(globToRegExp).join('|')})$`, 'i');

/** The path (workspace-relative or a URI path, `/` separators) matches WATCH_GLOB (ignoring case, as some gatherers do). */
export function isWatchedPath(path: string): boolean {
  return WATCHED.test(path);
}
