/**
 * `<img>` elements in HTML and JSX that load eagerly although they are probably below the first
 * screen. Without layout information the fold is estimated statically:
 * - images inside `<header>` / `<nav>` are above the fold (logos, avatars);
 * - the first other image of a page or component is treated as the hero image (eager is right);
 * - every later image, and every image rendered in a list (`.map(…)` in JSX), is below the fold.
 * Images with any `loading` attribute (an explicit choice), `fetchpriority="high"`, or a lazy-loading
 * library's `data-src` / `lazyload` class are left alone.
 */
import type JsTokens from 'js-tokens' with { 'resolution-mode': 'import' };
import type { Span } from '../../kernel/model.js';

// js-tokens is an ES module (see sql/embedded.ts for why it is required this way).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsTokensModule = require('js-tokens') as typeof JsTokens | { default: typeof JsTokens };
const jsTokens: typeof JsTokens = typeof jsTokensModule === 'function' ? jsTokensModule : jsTokensModule.default;

export interface ImgTag {
  /** Span of the whole tag (`<img …>`). */
  span: Span;
  /** Offset just after `<img`, where ` loading="lazy"` is inserted. */
  insertAt: number;
  src?: string;
  hasLoading: boolean;
  exempt?: 'header' | 'first' | 'priority' | 'lazy-library' | 'loading-attribute';
  inList: boolean;
}

/** A literal attribute value (`src="a.png"`, `src={'a.png'}`); undefined for expressions (`src={x}`) or no attribute. */
function attrValue(tag: string, name: string): string | undefined {
  const m = new RegExp(`[\\s{]${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|\\{\\s*["'\`]([^"'\`$]*)["'\`]\\s*\\}|\\{([^}]*)\\}|([^\\s>/]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? m[5]) : undefined;
}

function classify(tag: string): Pick<ImgTag, 'hasLoading' | 'exempt' | 'src'> {
  const src = attrValue(tag, 'src');
  const base = { ...(src !== undefined ? { src } : {}) };
  if (/[\s{]loading\s*=/i.test(tag)) return { ...base, hasLoading: true, exempt: 'loading-attribute' };
  if (/fetchpriority\s*=\s*(?:["'{]+(?:\s+["']?)?|["'])?high/i.test(tag)) return { ...base, hasLoading: false, exempt: 'priority' };
  if (/[\s{]data-(src|srcset)\s*=/i.test(tag) || /class(Name)?\s*=\s*["'{][^"'}]*\blazyload\b/i.test(tag)) return { ...base, hasLoading: false, exempt: 'lazy-library' };
  return { ...base, hasLoading: false };
}

/**
 * `<img>` tags of an HTML document (comments, `<script>` and `<style>` skipped, and `<template>`
 * unless `templates` — Vue/Svelte single-file components put their markup in one).
 */
export function htmlImages(html: string, opts: { templates?: boolean } = {}): ImgTag[] {
  const skip = opts.templates ? /<!--[\s\S]*?-->|<(script|style)\b[\s\S]*?<\/\1\s*>/gi : /<!--[\s\S]*?-->|<(script|style|template)\b[\s\S]*?<\/\1\s*>/gi;
  const masked = html.replace(skip, (m) => ' '.repeat(m.length));
  const out: ImgTag[] = [];
  const headerRanges: [number, number][] = [];
  for (const m of masked.matchAll(/<(header|nav)\b[\s\S]*?<\/\1\s*>/gi)) headerRanges.push([m.index, m.index + m[0].length]);
  let seenContent = false;
  for (const m of masked.matchAll(/<img\b[^>]*>/gi)) {
    const tag = m[0];
    const c = classify(tag);
    const inHeader = headerRanges.some(([s, e]) => m.index > s && m.index < e);
    let exempt = c.exempt;
    if (!exempt && inHeader) exempt = 'header';
    if (!exempt && !seenContent) exempt = 'first';
    if (!inHeader) seenContent = true;
    out.push({ span: { start: m.index, end: m.index + tag.length }, insertAt: m.index + 4, ...c, ...(exempt ? { exempt } : {}), inList: false });
  }
  return out;
}

/**
 * `<img>` JSX elements of a JS/TS file, found with a JSX-aware tokenizer (so `<img` in strings or
 * comments does not count), with whether each is inside the callback of a `.map(` call.
 */
export function jsxImages(code: string): ImgTag[] {
  if (!code.includes('<img')) return [];
  const out: ImgTag[] = [];
  // Parenthesis stack: true for the "(" that opens a `.map(` / `.flatMap(` call.
  const parens: boolean[] = [];
  let lastSignificant: string[] = [];
  let offset = 0;
  let pendingImg: { start: number; list: boolean; depth: number } | undefined;
  let depthBraces = 0;
  let seenContent = false;
  let inHeader = 0;
  let lastTagOpen: number | undefined;
  const tokens = [...jsTokens(code, { jsx: true })];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const start = offset;
    offset += t.value.length;
    if (t.type === 'WhiteSpace' || t.type === 'LineTerminatorSequence' || t.type === 'MultiLineComment' || t.type === 'SingleLineComment') continue;
    if (t.type === 'Punctuator' && t.value === '(') {
      const prev = lastSignificant;
      parens.push(prev.length === 2 && prev[0] === '.' && (prev[1] === 'map' || prev[1] === 'flatMap'));
    } else if (t.type === 'Punctuator' && t.value === ')') parens.pop();
    if (t.type === 'JSXPunctuator' && t.value === '<') lastTagOpen = start;
    if (t.type === 'JSXIdentifier' && lastTagOpen !== undefined && lastSignificant[lastSignificant.length - 1] === '<') {
      if (t.value === 'img') pendingImg = { start: lastTagOpen, list: parens.includes(true), depth: depthBraces };
      else if (t.value === 'header' || t.value === 'nav') inHeader++;
      lastTagOpen = undefined;
    }
    if (t.type === 'JSXPunctuator' && t.value === '/' && lastSignificant[lastSignificant.length - 1] === '<') {
      const next = tokens.slice(i + 1).find((x) => x.type !== 'WhiteSpace' && x.type !== 'LineTerminatorSequence');
      if (next && (next.value === 'header' || next.value === 'nav')) inHeader = Math.max(0, inHeader - 1);
    }
    if (t.type === 'JSXPunctuator' && t.value === '{') depthBraces++;
    if (t.type === 'JSXPunctuator' && t.value === '}' && depthBraces > 0) depthBraces--;
    if (pendingImg && t.type === 'JSXPunctuator' && t.value === '>' && depthBraces === pendingImg.depth) {
      const tag = code.slice(pendingImg.start, offset);
      const c = classify(tag);
      let exempt = c.exempt;
      if (!exempt && inHeader > 0 && !pendingImg.list) exempt = 'header';
      if (!exempt && !seenContent && !pendingImg.list) exempt = 'first';
      if (inHeader === 0) seenContent = true;
      out.push({ span: { start: pendingImg.start, end: offset }, insertAt: pendingImg.start + 4, ...c, ...(exempt ? { exempt } : {}), inList: pendingImg.list });
      pendingImg = undefined;
    }
    lastSignificant = [...lastSignificant.slice(-1), t.value];
  }
  return out;
}
