import type { FileRule } from '../../../kernel/contracts.js';
import { IMAGE_MARKUP_GATHERER_ID, type MarkupArtifact } from '../gather.js';
import { lazyLoadingFix } from '../fixes.js';
import { codeRoleOf, isTestLike } from '../../../kernel/code-role.js';

export const imageLazyLoading: FileRule<MarkupArtifact> = {
  kind: 'file',
  gatherer: IMAGE_MARKUP_GATHERER_ID,
  meta: {
    id: 'image-lazy-loading',
    title: 'Images below the first screen load lazily',
    failureTitle: 'Images below the first screen load eagerly',
    description: 'An `<img>` in HTML or JSX that is probably below the first screen (not the first image of the page or component, nor one beside it, not in a header, nav or sidebar, not a logo, or rendered in a list) has no `loading` attribute, so the browser downloads it during the initial page load. Icons of at most 64 px, data: URIs, email templates, markup rendered to images or PDFs, and tests, fixtures and docs are left alone.',
    domain: 'images',
    checklistItem: 'lazy-loading',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    // Tests, fixtures and examples are not served; emails and server-rendered images are no pages.
    if (ctx.artifact.notAPage || isTestLike(codeRoleOf(ctx.settings, ctx.path))) return;
    for (const img of ctx.artifact.images) {
      if (img.exempt) continue;
      const what = img.src ? `<img src="${img.src.length > 60 ? `${img.src.slice(0, 57)}…` : img.src}">` : '<img>';
      const where = img.inList ? 'is rendered in a list, so most copies are below the first screen' : 'is not the first image of this page or component, so it is probably below the first screen';
      ctx.report({
        span: { start: img.span.start, end: img.span.start + 4 },
        message: `${what} ${where}, but it loads eagerly. Add loading="lazy" so the browser fetches it only when it nears the viewport.`,
        fixes: [lazyLoadingFix(ctx.path, img.insertAt)],
        data: { src: img.src ?? null, inList: img.inList },
      });
    }
  },
};
