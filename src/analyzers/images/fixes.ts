/** The quick fixes of the image rules. */
import type { PendingFix } from '../../kernel/contracts.js';

/** Adds ` loading="lazy"` to an `<img>` tag (`insertAt`: right after its name). */
export function lazyLoadingFix(path: string, insertAt: number): PendingFix {
  return { title: 'Add loading="lazy"', preferred: true, changes: [{ file: path, edits: [{ span: { start: insertAt, end: insertAt }, newText: ' loading="lazy"' }] }] };
}
