/**
 * `_headers` (Netlify and Cloudflare Pages): a URL path line at the start of a line, followed by
 * indented `Name: value` lines; `#` comments; Cloudflare's `! Name` removes a header an earlier
 * rule set. Problems: a header line before any path, a header line without ":", a header written
 * without indentation (read as a path).
 */
import type { HeaderRule, HostingArtifact, HostingProblem, HostingSite } from './model.js';
import { linesWithOffsets } from '../../kernel/text.js';

const MAX_PROBLEMS = 20;

export function readHeadersFile(text: string): HostingArtifact {
  const problems: HostingProblem[] = [];
  const rules: HeaderRule[] = [];
  let current: HeaderRule | undefined;
  let anchor: HostingSite['anchor'] | undefined;
  const problem = (message: string, start: number, end: number): void => {
    if (problems.length < MAX_PROBLEMS) problems.push({ message, span: { start, end } });
  };
  for (const { line, start } of linesWithOffsets(text)) {
    const trimmed = line.trim();
    if (trimmed && !trimmed.startsWith('#')) {
      const lead = line.length - line.trimStart().length;
      const s = start + lead;
      const e = start + line.trimEnd().length;
      if (lead === 0) {
        if (!/^(\/|https?:\/\/|\*)/i.test(trimmed) && /^[A-Za-z0-9-]+\s*:\s/.test(trimmed)) {
          problem(`"${trimmed.slice(0, 60)}" looks like a header but is not indented, so it is read as a URL path. Indent header lines under their path.`, s, e);
          current = undefined;
        } else {
          current = { pattern: trimmed, kind: 'splat', patternSpan: { start: s, end: e } };
          rules.push(current);
          anchor ??= current.patternSpan;
        }
      } else if (!current) {
        problem(`"${trimmed.slice(0, 60)}" is a header line with no URL path above it: write the path (e.g. /assets/*) on its own line first.`, s, e);
      } else if (trimmed.startsWith('!')) {
        if (/^!\s*cache-control\s*$/i.test(trimmed)) {
          current.detachesCacheControl = true;
          current.cacheControl = undefined;
        }
      } else {
        const colon = trimmed.indexOf(':');
        if (colon <= 0) {
          problem(`"${trimmed.slice(0, 60)}" is not a header: write "Name: value".`, s, e);
        } else if (/^cache-control$/i.test(trimmed.slice(0, colon).trim())) {
          const raw = line.slice(lead + colon + 1);
          const vLead = raw.length - raw.trimStart().length;
          const vs = s + colon + 1 + vLead;
          current.cacheControl = { value: trimmed.slice(colon + 1).trim(), span: { start: vs, end: e }, quote: 'raw' };
        }
      }
    }
  }
  const site: HostingSite = { rules, anchor: anchor ?? { start: 0, end: 0 } };
  return { platform: 'headers', problems, invalid: false, sites: [site] };
}
