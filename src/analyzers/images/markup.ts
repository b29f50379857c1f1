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
  exempt?: ImgExemption;
  inList: boolean;
}

/**
 * Why an image is left eager: it is in the first screen (`header`: in a header, nav or sidebar;
 * `logo`; `first`: the first image of the page or component, or one beside it with no text block in
 * between), it is an explicit choice (`priority`, `lazy-library`, `loading-attribute`), or lazy
 * loading gains nothing (`data-uri`: nothing to download; `tiny`: an icon of at most 64 px, a few
 * hundred bytes that Chrome would fetch anyway, since it loads lazy images 1250–2500 px ahead).
 */
export type ImgExemption = 'header' | 'logo' | 'first' | 'priority' | 'lazy-library' | 'loading-attribute' | 'data-uri' | 'tiny';

/** At most this many images after the first one with no text block between them count as the first screen's. */
const FIRST_GROUP_MAX = 3;
/** Displayed sizes (CSS px) up to which an image is an icon. */
const TINY_PX = 64;
/** Visible text (characters, template tags left out) after which an image is no longer beside the previous one. */
const FIRST_GROUP_TEXT = 40;
/** Elements that start a new block of text: an image after one of them is further down the page. */
export const TEXT_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'tr', 'section', 'article', 'table', 'ul', 'ol', 'dl', 'blockquote', 'pre', 'form', 'hr', 'figcaption', 'details']);
/** Elements whose images are in the first screen (site header, navigation, sidebar). */
const HEADER_TAGS = new Set(['header', 'nav', 'aside']);

/** A literal attribute value (`src="a.png"`, `src={'a.png'}`); undefined for expressions (`src={x}`) or no attribute. */
function attrValue(tag: string, name: string): string | undefined {
  const m = new RegExp(`[\\s{]${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|\\{\\s*["'\`]([^"'\`$]*)["'\`]\\s*\\}|\\{([^}]*)\\}|([^\\s>/]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? m[5]) : undefined;
}

/** The raw text of an attribute's value, literal or expression (`src={x.base64}` → `x.base64`). */
function attrText(tag: string, name: string): string | undefined {
  const m = new RegExp(`[\\s{]${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|\\{([^}]*)\\}|([^\\s>/]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? m[4]) : undefined;
}

/** A pixel size from an attribute (`24`, `"24"`, `{24}`, `24px`), else undefined. */
function pxOf(tag: string, name: string): number | undefined {
  const v = attrText(tag, name)?.trim();
  return v !== undefined && /^\d{1,5}(?:px)?$/.test(v) ? parseInt(v, 10) : undefined;
}

/** Tailwind size utilities (`h-4 w-4`, `size-6`, `h-[24px]`) in a class list, in px. */
function utilitySizes(cls: string): number[] {
  const out: number[] = [];
  for (const t of cls.split(/\s+/)) {
    const m = /^(?:h|w|size)-(?:(\d{1,3}(?:\.5)?)|\[(\d{1,4})px\])$/.exec(t);
    if (m) out.push(m[1] !== undefined ? parseFloat(m[1]) * 4 : parseInt(m[2], 10));
  }
  return out;
}

/** Both displayed dimensions that the tag states are icon-sized (and it states at least one). */
function isTiny(tag: string): boolean {
  const sizes = [pxOf(tag, 'width'), pxOf(tag, 'height')].filter((x): x is number => x !== undefined);
  const cls = attrText(tag, 'className') ?? attrText(tag, 'class') ?? '';
  sizes.push(...utilitySizes(cls));
  return sizes.length > 0 && sizes.every((px) => px <= TINY_PX);
}

function classify(tag: string): Pick<ImgTag, 'hasLoading' | 'exempt' | 'src'> {
  const src = attrValue(tag, 'src');
  const base = { ...(src !== undefined ? { src } : {}) };
  if (/[\s{]loading\s*=/i.test(tag)) return { ...base, hasLoading: true, exempt: 'loading-attribute' };
  if (/fetchpriority\s*=\s*(?:["'{]+(?:\s+["']?)?|["'])?high/i.test(tag)) return { ...base, hasLoading: false, exempt: 'priority' };
  if (/[\s{]data-(src|srcset)\s*=/i.test(tag) || /class(Name)?\s*=\s*["'{][^"'}]*\blazyload\b/i.test(tag)) return { ...base, hasLoading: false, exempt: 'lazy-library' };
  // A data: URI (literal, or an expression named for one) is already in the page: nothing to defer.
  const srcText = (attrText(tag, 'src') ?? '').trim().replace(/^[`'"]/, '');
  if (/^data:/i.test(srcText) || /base64|data_?ur[il]/i.test(srcText)) return { ...base, hasLoading: false, exempt: 'data-uri' };
  const described = `${src ?? ''} ${attrText(tag, 'alt') ?? ''} ${attrText(tag, 'className') ?? attrText(tag, 'class') ?? ''}`;
  if (/logo|brand/i.test(described)) return { ...base, hasLoading: false, exempt: 'logo' };
  if (isTiny(tag)) return { ...base, hasLoading: false, exempt: 'tiny' };
  // Named an icon by its class (`class="icon"`, `integration-icon`): sized by a stylesheet
  // the tag does not show, and icons are small files the browser would fetch ahead of the viewport anyway.
  const cls = attrText(tag, 'className') ?? attrText(tag, 'class') ?? '';
  if (cls.split(/\s+/).some((t) => /^(?:[\w-]*[-_])?icons?$|^icons?[-_]\w[\w-]*$/i.test(t))) return { ...base, hasLoading: false, exempt: 'tiny' };
  return { ...base, hasLoading: false };
}

/**
 * Tracks the first screen of one page or component: the first image, and up to FIRST_GROUP_MAX
 * more right after it with no text block (paragraph, heading, list item, table row…) in between —
 * side-by-side previews in one row, light/dark variants of one picture.
 */
/** Characters of text that show, without whitespace and template tags ({% … %}, {{ … }}, {# … #}). */
function visibleLength(t: string): number {
  let n = 0;
  let inTemplate = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (!inTemplate && c === '{' && (t[i + 1] === '%' || t[i + 1] === '{' || t[i + 1] === '#')) inTemplate = true;
    else if (inTemplate && (c === '%' || c === '}' || c === '#') && t[i + 1] === '}') {
      inTemplate = false;
      i++;
    } else if (!inTemplate && c.trim()) n++;
  }
  return n;
}

class FirstScreen {
  private images = 0;
  private blockSinceFirst = false;
  private textSinceFirst = 0;
  /** A text block element opened. */
  block(): void {
    if (this.images > 0) this.blockSinceFirst = true;
  }
  /** Text between elements (a caption, a sentence of instructions). */
  text(t: string): void {
    if (this.images === 0) return;
    this.textSinceFirst += visibleLength(t);
    if (this.textSinceFirst > FIRST_GROUP_TEXT) this.blockSinceFirst = true;
  }
  /** Whether the next content image is still in the first group (and count it). */
  take(): boolean {
    const first = this.images === 0 || (!this.blockSinceFirst && this.images <= FIRST_GROUP_MAX);
    this.images++;
    return first;
  }
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
  for (const m of masked.matchAll(/<(header|nav|aside)\b[\s\S]*?<\/\1\s*>/gi)) headerRanges.push([m.index, m.index + m[0].length]);
  const screen = new FirstScreen();
  let textFrom = 0;
  for (const m of masked.matchAll(/<(\/?[a-z][a-z0-9]*)\b[^>]*>/gi)) {
    screen.text(masked.slice(textFrom, m.index));
    textFrom = m.index + m[0].length;
    const name = m[1].toLowerCase();
    if (name !== 'img') {
      if (TEXT_BLOCKS.has(name)) screen.block();
      continue;
    }
    const tag = m[0];
    const c = classify(tag);
    const inHeader = headerRanges.some(([s, e]) => m.index > s && m.index < e);
    let exempt = c.exempt;
    if (!exempt && inHeader) exempt = 'header';
    if (!inHeader && !takesNoPlace(c.exempt) && screen.take() && !exempt) exempt = 'first';
    out.push({ span: { start: m.index, end: m.index + tag.length }, insertAt: m.index + 4, ...c, ...(exempt ? { exempt } : {}), inList: false });
  }
  return out;
}

/** A data: URI placeholder stands in for the real image at the same place: it does not use up the first screen. */
function takesNoPlace(e: ImgExemption | undefined): boolean {
  return e === 'data-uri';
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
  // JavaScript braces (not JSX expression containers): depth 0 is the module's top level.
  let jsBraces = 0;
  let screen = new FirstScreen();
  let inHeader = 0;
  let lastTagOpen: number | undefined;
  const tokens = [...jsTokens(code, { jsx: true })];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const start = offset;
    offset += t.value.length;
    if (t.type === 'WhiteSpace' || t.type === 'LineTerminatorSequence' || t.type === 'MultiLineComment' || t.type === 'SingleLineComment') continue;
    if (t.type === 'JSXText') screen.text(t.value);
    if (t.type === 'Punctuator' && t.value === '(') {
      const prev = lastSignificant;
      parens.push(prev.length === 2 && prev[0] === '.' && (prev[1] === 'map' || prev[1] === 'flatMap'));
    } else if (t.type === 'Punctuator' && t.value === ')') parens.pop();
    else if (t.type === 'Punctuator' && t.value === '{') jsBraces++;
    else if (t.type === 'Punctuator' && t.value === '}') jsBraces = Math.max(0, jsBraces - 1);
    // A top-level declaration starts another component: its first image is its own first screen.
    if (t.type === 'IdentifierName' && jsBraces === 0 && parens.length === 0 && depthBraces === 0 && (t.value === 'function' || t.value === 'const' || t.value === 'let' || t.value === 'class')) screen = new FirstScreen();
    if (t.type === 'JSXPunctuator' && t.value === '<') lastTagOpen = start;
    if (t.type === 'JSXIdentifier' && lastTagOpen !== undefined && lastSignificant[lastSignificant.length - 1] === '<') {
      if (t.value === 'img') pendingImg = { start: lastTagOpen, list: parens.includes(true), depth: depthBraces };
      else if (HEADER_TAGS.has(t.value)) inHeader++;
      else if (TEXT_BLOCKS.has(t.value)) screen.block();
      lastTagOpen = undefined;
    }
    if (t.type === 'JSXPunctuator' && t.value === '/' && lastSignificant[lastSignificant.length - 1] === '<') {
      const next = tokens.slice(i + 1).find((x) => x.type !== 'WhiteSpace' && x.type !== 'LineTerminatorSequence');
      if (next && HEADER_TAGS.has(next.value)) inHeader = Math.max(0, inHeader - 1);
    }
    if (t.type === 'JSXPunctuator' && t.value === '{') depthBraces++;
    if (t.type === 'JSXPunctuator' && t.value === '}' && depthBraces > 0) depthBraces--;
    if (pendingImg && t.type === 'JSXPunctuator' && t.value === '>' && depthBraces === pendingImg.depth) {
      const tag = code.slice(pendingImg.start, offset);
      const c = classify(tag);
      let exempt = c.exempt;
      if (!exempt && inHeader > 0 && !pendingImg.list) exempt = 'header';
      const first = inHeader === 0 && !takesNoPlace(c.exempt) && screen.take();
      if (!exempt && first && !pendingImg.list) exempt = 'first';
      out.push({ span: { start: pendingImg.start, end: offset }, insertAt: pendingImg.start + 4, ...c, ...(exempt ? { exempt } : {}), inList: pendingImg.list });
      pendingImg = undefined;
    }
    lastSignificant = [...lastSignificant.slice(-1), t.value];
  }
  return out;
}
