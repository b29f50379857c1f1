/**
 * ORM sources in preview: read and reported, but at info until their findings meet the precision bar
 * (90% on real applications, docs/accuracy.md). SQLAlchemy's first measure (redash) was far below it:
 * a confident wrong warning is worse than a quiet note.
 */
import type { OrmKind } from '../types.js';

const PREVIEW: ReadonlySet<OrmKind> = new Set<OrmKind>(['sqlalchemy']);

const NAMES: Partial<Record<OrmKind, string>> = { sqlalchemy: 'SQLAlchemy' };

/** Whether findings from this ORM's calls or models are held at info. */
export function isPreviewOrm(kind: OrmKind | undefined): boolean {
  return kind !== undefined && PREVIEW.has(kind);
}

/** The sentence that says why such a finding is info. */
export function previewNote(kind: OrmKind): string {
  return `(${NAMES[kind] ?? kind} reading is in preview: its findings are info until they are measured at 90% precision on real applications.)`;
}
