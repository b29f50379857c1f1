/** Images in markup: HTML / JSX / Vue / Svelte files with `<img>` elements, and where each one sits on the page. */
import type { FileGatherer } from '../../kernel/contracts.js';
import { htmlImages, jsxImages, type ImgTag } from './markup.js';

export const IMAGE_MARKUP_GATHERER_ID = 'image-markup';

export interface MarkupArtifact {
  kind: 'html' | 'jsx';
  images: ImgTag[];
  /**
   * Markup that no browser lays out as a page: an email (mail clients ignore loading="lazy" and
   * many strip it), or a template rendered to an image or PDF on the server (satori, next/og,
   * @vercel/og, @react-pdf, an HTML-to-PDF route), where a lazy image may never load at all.
   */
  notAPage?: 'email' | 'rendered';
}

/**
 * Folder names of email templates (emails/, mails/, mailers/, email_templates/). A singular `email/`
 * is often a feature's folder (an "add email integration" page), so it does not count.
 */
const EMAIL_SEGMENT = /^(?:e-?mails|mails|mailers?|newsletters?|(?:e-?mail|mail)[-_]?(?:templates?|layouts?|views?))$/i;

function notAPage(path: string, text: string): MarkupArtifact['notAPage'] {
  const parts = path.toLowerCase().split('/');
  parts.pop();
  if (parts.some((d) => EMAIL_SEGMENT.test(d))) return 'email';
  if (/from\s+['"](?:@react-email\/[\w-]+|react-email|mjml(?:-react)?|@jsx-email\/[\w-]+|jsx-email)['"]/.test(text) || /<mj-(?:body|section|image)\b/i.test(text)) return 'email';
  if (/from\s+['"](?:satori|next\/og|@vercel\/og|@react-pdf\/renderer)['"]/.test(text) || /htmltopdf|html-to-pdf|\bpuppeteer\b/i.test(path)) return 'rendered';
  return undefined;
}

export const imageMarkupGatherer: FileGatherer<MarkupArtifact> = {
  id: IMAGE_MARKUP_GATHERER_ID,
  description: 'HTML/JSX files with images',
  matches: (p) => /\.(html?|vue|svelte|astro|jsx|tsx|js|mjs)$/i.test(p),
  gather(path, text) {
    if (!/<img\b/i.test(text)) return undefined;
    const html = /\.(html?|vue|svelte|astro)$/i.test(path);
    const images = html ? htmlImages(text, { templates: !/\.html?$/i.test(path) }) : jsxImages(text);
    if (!images.length) return undefined;
    const purpose = notAPage(path, text);
    return { kind: html ? 'html' : 'jsx', images, ...(purpose ? { notAPage: purpose } : {}) };
  },
};

/**
 * Styles, server templates and server code the engine reads only so the image rules can tell which
 * image files the app names (bundle/image-refs.ts runs over every file the audit read). It gathers
 * nothing: markup and JS/TS are read already for other gatherers.
 */
export const IMAGE_REFERENCE_GATHERER_ID = 'image-references';
const REFERENCING = /\.(?:css|scss|sass|less|styl|erb|haml|slim|php|twig|jinja2?|j2|hbs|handlebars|mustache|ejs|pug|liquid|njk|tmpl|gohtml|heex|eex|cshtml|razor|rs|rb|ex|webmanifest)$/i;

export const imageReferenceGatherer: FileGatherer<never> = {
  id: IMAGE_REFERENCE_GATHERER_ID,
  description: 'styles and templates naming images',
  matches: (p) => REFERENCING.test(p),
  gather: () => undefined,
};
