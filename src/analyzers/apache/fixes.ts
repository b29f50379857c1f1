/** Edits that add compression and caching blocks to an Apache config, in the file's own style. */
import type { Span } from '../../kernel/model.js';
import type { ApacheConfig } from './parse.js';
import { endsWithBlankLine } from '../../kernel/linear.js';

/** The file's indentation unit (from the first nested directive), two spaces by default. */
export function indentUnit(config: ApacheConfig): string {
  for (const d of config.directives) {
    if (!d.parent) continue;
    if (d.indent.length > d.parent.indent.length && d.indent.startsWith(d.parent.indent)) return d.indent.slice(d.parent.indent.length);
  }
  for (const s of config.sections) {
    if (s.parent && s.indent.length > s.parent.indent.length && s.indent.startsWith(s.parent.indent)) return s.indent.slice(s.parent.indent.length);
  }
  return '  ';
}

export function eolOf(text: string): string {
  return /\r\n/.test(text.slice(0, 4096)) ? '\r\n' : '\n';
}

/**
 * An edit appending `lines` (indented by level with `unit`) at the end of the file, separated from
 * the existing content by one blank line.
 */
export function appendBlock(text: string, lines: readonly [number, string][], unit: string): { span: Span; newText: string } {
  const eol = eolOf(text);
  const body = lines.map(([level, l]) => (l ? unit.repeat(level) + l : '')).join(eol) + eol;
  let lead = '';
  if (text.trim()) {
    if (!/\r?\n$/.test(text)) lead = eol + eol;
    else if (!endsWithBlankLine(text)) lead = eol;
  }
  return { span: { start: text.length, end: text.length }, newText: lead + body };
}

export const DEFLATE_TYPES = ['text/html', 'text/plain', 'text/css', 'text/javascript', 'application/javascript', 'application/json', 'image/svg+xml'];

export function compressionBlock(): [number, string][] {
  return [
    [0, '# Compress text responses (Perf Auditor: apache-compression-missing)'],
    [0, '<IfModule mod_deflate.c>'],
    [1, '<IfModule mod_filter.c>'],
    [2, `AddOutputFilterByType DEFLATE ${DEFLATE_TYPES.join(' ')}`],
    [1, '</IfModule>'],
    [0, '</IfModule>'],
  ];
}

/** Fingerprinted file names: a `.` or `-` then 8+ letters/digits with at least one digit, then the extension. */
export const HASHED_FILES_MATCH = '[.-](?=[A-Za-z0-9_]*[0-9])[A-Za-z0-9_]{8,}\\.(css|js|mjs|woff2?|svg|png|jpe?g|gif|webp|avif)$';

export function expiresBlock(): [number, string][] {
  const week = '"access plus 1 week"';
  const month = '"access plus 1 month"';
  return [
    [0, '# Browser caching for static files (Perf Auditor: apache-expires-missing)'],
    [0, '<IfModule mod_expires.c>'],
    [1, 'ExpiresActive On'],
    [1, `ExpiresByType text/css ${week}`],
    [1, `ExpiresByType text/javascript ${week}`],
    [1, `ExpiresByType application/javascript ${week}`],
    [1, `ExpiresByType image/svg+xml ${month}`],
    [1, `ExpiresByType image/png ${month}`],
    [1, `ExpiresByType image/jpeg ${month}`],
    [1, `ExpiresByType image/gif ${month}`],
    [1, `ExpiresByType image/webp ${month}`],
    [1, `ExpiresByType image/avif ${month}`],
    [1, `ExpiresByType font/woff2 ${month}`],
    [0, '</IfModule>'],
    [0, '<IfModule mod_headers.c>'],
    [1, '# Fingerprinted files (app.3f9a2c1b.js, index-B4x9Qk2a.css) never change: cache them for a year.'],
    [1, `<FilesMatch "${HASHED_FILES_MATCH}">`],
    [2, 'Header set Cache-Control "public, max-age=31536000, immutable"'],
    [1, '</FilesMatch>'],
    [0, '</IfModule>'],
  ];
}
