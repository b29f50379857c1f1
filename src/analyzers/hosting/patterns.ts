/**
 * URL path matching for each platform's header rule patterns, approximated with JS regular
 * expressions. A pattern that cannot be compiled matches nothing (never throws).
 */
import { globMatcher } from '../../kernel/glob.js';
import type { PatternKind } from './model.js';
import { linearRegex } from '../../kernel/regex.js';

const ESCAPE = /[.+?^${}()|[\]\\*]/g;

function escape(s: string): string {
  return s.replace(ESCAPE, '\\$&');
}

/** Reads a balanced `( … )` group starting at `i`; returns its end (exclusive) or -1. */
function groupEnd(p: string, i: number): number {
  let depth = 0;
  for (let j = i; j < p.length; j++) {
    const c = p[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

/** vercel.json `source` (path-to-regexp v6): `/assets/(.*)`, `/:path*`, `/blog/:slug`, `/(.*)\\.js`. */
function pathToRegexp(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) {
      out += escape(p[i + 1]);
      i += 2;
    } else if (c === '(') {
      const end = groupEnd(p, i);
      if (end < 0) throw new Error('unbalanced group');
      out += `(?:${p.slice(i + 1, end - 1)})`;
      i = end;
      const mod = p[i];
      if (mod === '*' || mod === '+' || mod === '?') {
        out += mod;
        i++;
      }
    } else if (c === ':') {
      const m = /^:([A-Za-z0-9_]+)/.exec(p.slice(i));
      if (!m) {
        out += escape(c);
        i++;
        continue;
      }
      i += m[0].length;
      let inner = '[^/]+?';
      if (p[i] === '(') {
        const end = groupEnd(p, i);
        if (end < 0) throw new Error('unbalanced group');
        inner = p.slice(i + 1, end - 1);
        i = end;
      }
      const mod = p[i];
      const prefixed = out.endsWith('/');
      if (mod === '*' || mod === '+' || mod === '?') {
        i++;
        if (prefixed) out = out.slice(0, -1);
        const seg = `${prefixed ? '/' : ''}(?:${inner})`;
        const many = `(?:${seg}(?:/(?:${inner}))*)`;
        out += mod === '*' ? `${many}?` : mod === '+' ? many : `(?:${seg})?`;
      } else out += `(?:${inner})`;
    } else if (c === '*') {
      out += '.*';
      i++;
    } else {
      out += escape(c);
      i++;
    }
  }
  return out;
}

/** netlify.toml `for` / `_headers` path: `*` matches the rest (slashes included), `:name` one segment. */
function splat(p: string): string {
  let path = p.trim();
  const origin = /^[a-z]+:\/\/[^/]+/i.exec(path);
  if (origin) path = path.slice(origin[0].length) || '/';
  let out = '';
  for (let i = 0; i < path.length; ) {
    const c = path[i];
    if (c === '*') {
      out += '.*';
      i++;
    } else if (c === ':') {
      const m = /^:[A-Za-z0-9_]+/.exec(path.slice(i));
      if (m) {
        out += '[^/]+';
        i += m[0].length;
      } else {
        out += escape(c);
        i++;
      }
    } else {
      out += escape(c);
      i++;
    }
  }
  // `/assets/*` also matches `/assets`; a trailing slash is optional.
  return out.replace(/\/\.\*$/, '(?:/.*)?');
}

export type PathMatcher = (urlPath: string) => boolean;

export function compilePattern(pattern: string, kind: PatternKind): PathMatcher {
  try {
    switch (kind) {
      // Patterns are the workspace's: they run on RE2 (linear time); unreadable ones match nothing.
      case 'path-to-regexp': {
        const re = linearRegex(`^${pathToRegexp(pattern)}/?$`, { caseInsensitive: true });
        return (u) => !!re?.test(u);
      }
      case 'regex': {
        const re = linearRegex(`^(?:${pattern.replace(/^\^/, '').replace(/(?<!\\)\$$/, '')})$`);
        return (u) => !!re?.test(u);
      }
      case 'splat': {
        const re = linearRegex(`^${splat(pattern)}/?$`);
        return (u) => !!re?.test(u);
      }
      case 'glob': {
        const m = globMatcher(pattern.replace(/^\/+/, ''));
        return (u) => m(u.replace(/^\/+/, ''));
      }
      default:
        return () => false;
    }
  } catch {
    return () => false;
  }
}

/** The literal folder a pattern starts with (`/assets/(.*)` → `/assets/`), for messages and hashed-folder tests. */
export function literalPrefix(pattern: string, kind: PatternKind): string {
  const p = kind === 'glob' ? `/${pattern.replace(/^\/+/, '')}` : pattern.replace(/^\^/, '');
  const m = /^[^*(:?[{\\+]*/.exec(p);
  const lit = m ? m[0] : '';
  return lit.slice(0, lit.lastIndexOf('/') + 1);
}
