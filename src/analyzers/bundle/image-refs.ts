/**
 * Which image files the served app refers to: image paths named in the workspace's code, markup,
 * templates and styles (not in Markdown or other prose), so the image rules can leave out a root
 * `assets/` folder that holds README pictures or source artwork nobody is served.
 *
 * Linear scan (indexOf per image extension, then a bounded walk back over path characters): no
 * regex runs over workspace text.
 */
import { basename } from './paths.js';

const IMAGE_SUFFIXES = ['.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.svg'];

/** Prose and documentation: a picture named only here is shown on GitHub or a docs site, not served by the app. */
const PROSE = /\.(?:md|mdx|markdown|rst|txt|adoc|asciidoc)$/i;

/**
 * Folders whose files the app serves as they are (web roots and framework asset folders). An image
 * in one is judged whether or not a scanned file names it (it may be named from a database, an
 * email, a file type this scan does not read). Other asset folders (a root `assets/`, `images/`,
 * `img/`) are judged only when a file names the image.
 */
const SERVED_DIRS = /^(?:public|static|www|wwwroot|web|htdocs|dist|build|out)$|^(?:src|app|client|frontend|web)\/(?:assets|static|public|images|img)$/;

export function isServedFolder(dir: string): boolean {
  return SERVED_DIRS.test(dir);
}

function isPathChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95 || c === 46 || c === 47 || c === 64 || c === 126 || c === 43 || c === 37;
}

/** Normalised image references (lower case, without `.`, `..`, `~`, `@` or empty segments) in one text. */
export function imageReferencesIn(text: string, out: Set<string> = new Set()): Set<string> {
  for (const suffix of IMAGE_SUFFIXES) {
    for (let i = text.indexOf(suffix); i >= 0; i = text.indexOf(suffix, i + suffix.length)) {
      const end = i + suffix.length;
      const next = end < text.length ? text.charCodeAt(end) : 0;
      if ((next >= 97 && next <= 122) || (next >= 65 && next <= 90) || (next >= 48 && next <= 57)) continue;
      let start = i;
      while (start > 0 && end - start < 300 && isPathChar(text.charCodeAt(start - 1))) start--;
      // Relative steps and alias roots (`./`, `../`, `~/`, `@/`) say nothing about where the file is.
      const token = text.slice(start, end).toLowerCase().split('/').filter((s) => s && s !== '.' && s !== '..' && s !== '~' && s !== '@').join('/');
      if (token.length > suffix.length && !token.endsWith(`/${suffix}`)) out.add(token);
    }
  }
  return out;
}

export interface ImageReferences {
  /** Whether a scanned file names the image at `path` (workspace-relative). */
  has(path: string): boolean;
}

/**
 * The image references of the served texts among `files`. A reference names an image when its
 * path is a suffix of the image's path (`img/logo.png` → `static/img/logo.png`), also after
 * dropping its first folder (a URL prefix such as `/assets/logo.png` for `public/logo.png`). A bare
 * file name (`{% static 'logo.png' %}`) names the image only when `listing` (every file of the
 * workspace) holds no other file of that name: a root `assets/logo.png` is often the source artwork
 * of the `app/static/logo.png` the template means.
 */
export function imageReferences(files: Iterable<{ path: string; text: string }>, listing?: readonly string[]): ImageReferences {
  const tokens = new Set<string>();
  for (const f of files) if (!PROSE.test(f.path)) imageReferencesIn(f.text, tokens);
  const byName = new Map<string, string[]>();
  for (const t of tokens) {
    const b = basename(t);
    byName.set(b, [...(byName.get(b) ?? []), t]);
  }
  const sameName = new Map<string, number>();
  for (const l of listing ?? []) {
    const b = basename(l).toLowerCase();
    if (byName.has(b)) sameName.set(b, (sameName.get(b) ?? 0) + 1);
  }
  return {
    has(path) {
      const p = path.toLowerCase();
      const name = basename(p);
      for (const t of byName.get(name) ?? []) {
        const slash = t.indexOf('/');
        if (slash >= 0 && (p === t || p.endsWith(`/${t}`))) return true;
        const tail = t.slice(slash + 1);
        if (tail.includes('/') ? p.endsWith(`/${tail}`) : (sameName.get(name) ?? 1) <= 1) return true;
      }
      return false;
    },
  };
}
