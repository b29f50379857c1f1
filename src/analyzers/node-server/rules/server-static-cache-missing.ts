import type { FileRule } from '../../../kernel/contracts.js';
import type { ServerArtifact } from '../gather.js';
import type { StaticServe } from '../server-model.js';
import { effectiveMaxAgeSeconds } from '../server-model.js';
import { staticCacheFix } from '../fixes.js';
import { HASHED_MIN_MAX_AGE, isHashedDir, onlyDocuments, staticFolderFiles, staticLabel } from './shared.js';

export type StaticProblem = 'no-max-age' | 'zero' | 'invalid' | 'short' | 'cache-control-off';

/**
 * The rule's verdict on one static-serving call, and the max-age (seconds) the library will send
 * (undefined when it cannot be known statically).
 */
export function staticVerdict(s: StaticServe): { problem?: StaticProblem; maxAgeSeconds?: number; hashed: boolean } {
  const hashed = isHashedDir(s);
  if (s.hasSetHeaders) return { hashed };
  if (s.cacheControl === false) return { problem: 'cache-control-off', hashed };
  if (s.maxAge === 'invalid') return { problem: 'invalid', maxAgeSeconds: 0, hashed };
  if (s.maxAge === 'unknown') return { hashed };
  if (s.maxAge === undefined) return s.optionsUnknown ? { hashed } : { problem: 'no-max-age', maxAgeSeconds: 0, hashed };
  const secs = effectiveMaxAgeSeconds(s.maxAge);
  if (secs === 0) return { problem: 'zero', maxAgeSeconds: 0, hashed };
  if (hashed && secs < HASHED_MIN_MAX_AGE) return { problem: 'short', maxAgeSeconds: secs, hashed };
  return { maxAgeSeconds: secs, hashed };
}

function headerSetBefore(a: ServerArtifact, text: string, s: StaticServe): boolean {
  return a.uses.some((u) => u.serves !== 'static' && u.span.end <= s.span.start && /cache-control/i.test(text.slice(u.span.start, u.span.end)) && !/no-?store|no-?cache|max-age\s*=\s*0\b/i.test(text.slice(u.span.start, u.span.end)));
}

export const serverStaticCacheMissing: FileRule<ServerArtifact> = {
  kind: 'file',
  gatherer: 'server',
  meta: {
    id: 'server-static-cache-missing',
    title: 'Static files are served with a cache lifetime',
    failureTitle: 'Static files served without a cache lifetime',
    description: 'express.static / serve-static, @fastify/static, koa-static and NestJS static serving send `max-age=0` unless given a maxAge: browsers revalidate every file on every page view, and content-hashed assets are never cached long-term.',
    domain: 'node-server',
    checklistItem: 'browser-caching',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    for (const s of ctx.artifact.statics) {
      const v = staticVerdict(s);
      if (!v.problem) continue;
      // The effective response: a middleware registered before it that sets Cache-Control wins (send keeps an existing header).
      if (headerSetBefore(ctx.artifact, ctx.text, s)) continue;
      const label = staticLabel(s);
      // A folder of documents only (intro.md, motd.md) changes when someone edits it: revalidation is right there.
      const served = staticFolderFiles(s, ctx.path, ctx.ws.listing?.());
      if (served && onlyDocuments(served.files) && v.problem !== 'short') {
        const names = served.files.slice(0, 3).map((f) => f.slice(served.folder.length + 1)).join(', ') + (served.files.length > 3 ? ', …' : '');
        ctx.report({
          span: s.span,
          severity: 'info',
          message: `${label} serves only documents (${served.folder}: ${names}), which change whenever someone edits them: revalidating them on every view is right. Give it a ${s.maxAgeKey} if the folder comes to hold scripts, styles or images.`,
          data: { lib: s.lib, problem: v.problem, hashed: v.hashed, documentsOnly: true },
        });
        continue;
      }
      const advice = v.hashed
        ? `These look like build output with content-hashed names: use \`{ ${s.maxAgeKey}: ${s.lib === 'koa-static' ? '31536000000' : "'1y'"}, immutable: true }\`.`
        : `Set \`${s.maxAgeKey}\` (e.g. ${s.lib === 'koa-static' ? '3600000 ms' : "'1h'"}), or a year with \`immutable: true\` for content-hashed files.`;
      const why: Record<StaticProblem, string> = {
        'no-max-age': `${label} has no ${s.maxAgeKey}, so it sends \`Cache-Control: public, max-age=0\`: browsers revalidate every file on every page view.`,
        zero: `${label} sets ${s.maxAgeKey} to ${s.maxAgeText ?? '0'}, so it sends \`max-age=0\`: browsers revalidate every file on every page view.`,
        invalid: `${label}: ${s.maxAgeKey} ${s.maxAgeText ?? ''} is not a duration the library understands (like '1h', '7d' or milliseconds), so it falls back to \`max-age=0\`.`,
        short: `${label} serves content-hashed files with only \`max-age=${v.maxAgeSeconds ?? 0}\` (${s.maxAgeText ?? ''}): hashed files never change, so they can be cached for a year.`,
        'cache-control-off': `${label} sets \`cacheControl: false\`, so no Cache-Control header is sent and browsers guess a lifetime heuristically.`,
      };
      const fix = staticCacheFix(s, v.hashed, ctx.text, ctx.path, ctx.artifact.fix.quote);
      ctx.report({
        span: s.span,
        message: `${why[v.problem]} ${v.problem === 'short' ? '' : advice}`.trim(),
        ...(fix ? { fixes: [fix] } : {}),
        data: { lib: s.lib, problem: v.problem, hashed: v.hashed, ...(v.maxAgeSeconds !== undefined ? { maxAgeSeconds: v.maxAgeSeconds } : {}) },
      });
    }
  },
};
