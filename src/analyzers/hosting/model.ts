/**
 * Hosting configs (vercel.json, netlify.toml, `_headers`, firebase.json) read into one model: the
 * header rules each declares (a path pattern and the Cache-Control it sets, with spans), the
 * problems that make the file invalid, and what rules need to place findings and fixes.
 */
import type { Span } from '../../kernel/model.js';

export type HostingPlatform = 'vercel' | 'netlify' | 'headers' | 'firebase';

/**
 * How a rule's pattern matches a URL path:
 * - `path-to-regexp`: vercel.json `headers[].source` (`/assets/(.*)`, `/:path*`);
 * - `regex`: vercel.json legacy `routes[].src`, firebase.json `regex`;
 * - `splat`: netlify.toml `for` and `_headers` paths (`/assets/*`, `/:lang/*`);
 * - `glob`: firebase.json `source` / `glob` (`**\/*.@(js|css)`).
 */
export type PatternKind = 'path-to-regexp' | 'regex' | 'splat' | 'glob';

export interface CacheControlValue {
  value: string;
  /** The value as written (with quotes in JSON/TOML): the span an edit replaces. */
  span: Span;
  /** How a replacement value is written there. */
  quote: 'json' | 'toml' | 'raw';
  /** false when the value could not be located exactly (`span` is then the rule's): no edit. */
  editable?: boolean;
}

export interface HeaderRule {
  pattern: string;
  kind: PatternKind;
  patternSpan: Span;
  /** The Cache-Control this rule sets (the last one when it sets several). */
  cacheControl?: CacheControlValue;
  /** `_headers`: `! Cache-Control` removes the header set by an earlier rule. */
  detachesCacheControl?: boolean;
}

export interface HostingProblem {
  message: string;
  span: Span;
}

/** One site: a vercel.json, a netlify.toml, a `_headers` file, or one entry of firebase.json "hosting". */
export interface HostingSite {
  rules: HeaderRule[];
  /** Where a "missing" finding goes. */
  anchor: Span;
  /** Output folder the config names (`outputDirectory`, `publish`, `public`). */
  outputDir?: string;
  /** firebase.json: index in a "hosting" array; undefined when "hosting" is an object. */
  index?: number;
  /** firebase.json: a site or target name, for messages. */
  name?: string;
  /** firebase.json "hosting.source": the web frameworks integration builds and serves the app. */
  frameworkBuild?: boolean;
}

export interface HostingArtifact {
  platform: HostingPlatform;
  /** Syntax and structure problems (invalid JSON/TOML, a header rule without a path…). */
  problems: HostingProblem[];
  /** The file could not be read as its format at all (rules other than hosting-config-invalid skip it). */
  invalid: boolean;
  sites: HostingSite[];
  /** vercel.json "framework". */
  framework?: string;
  /** netlify.toml build.base: the folder with package.json. */
  base?: string;
  /** vercel.json uses the legacy "routes" (headers go there, not in "headers"). */
  legacyRoutes?: boolean;
  /** netlify.toml: headers are written as a `[[headers]]` array of tables (a fix can append one). */
  appendableToml?: boolean;
}

export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i + 1;
    }
  }
  return { line, column: offset - last + 1 };
}
