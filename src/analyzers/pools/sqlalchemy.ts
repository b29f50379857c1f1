/**
 * SQLAlchemy `NullPool`: `create_engine(url, poolclass=NullPool)` (also `create_async_engine`,
 * `engine_from_config`) and `{"poolclass": NullPool}` in Flask-SQLAlchemy's
 * SQLALCHEMY_ENGINE_OPTIONS. NullPool opens and closes a real connection for every checkout.
 */
import type { Span } from '../../kernel/model.js';
import { lineEndOf, lineStartOf, nextLineStart, type TextEditSpan } from '../../lang/javascript/edits.js';
import { dottedName, readExpr, statements, type Token } from '../../lang/python/tokenize.js';

export interface NullPoolUse {
  /** `poolclass=NullPool` or `"poolclass": NullPool`. */
  span: Span;
  form: 'kwarg' | 'dict';
  /** Removes the argument / entry, and the NullPool import when nothing else uses it. */
  removal: TextEditSpan[];
}

/** Removes a list item (argument, dict entry, imported name) with its comma, or its whole line when it is alone there. */
export function removeListItem(text: string, tokens: Token[], first: number, last: number): TextEditSpan {
  const item = { start: tokens[first].start, end: tokens[last].end };
  const before = tokens[first - 1];
  const after = tokens[last + 1];
  const ls = lineStartOf(text, item.start);
  const afterItem = after?.type === 'op' && after.value === ',' ? after.end : item.end;
  const le = lineEndOf(text, afterItem);
  if (/^[ \t]*$/.test(text.slice(ls, item.start)) && /^[ \t]*(?:#.*)?$/.test(text.slice(afterItem, le))) return { span: { start: ls, end: nextLineStart(text, afterItem) }, newText: '' };
  if (after?.type === 'op' && after.value === ',') {
    const next = tokens[last + 2];
    return { span: { start: item.start, end: next && next.start <= le ? next.start : after.end }, newText: '' };
  }
  if (before?.type === 'op' && before.value === ',') return { span: { start: before.start, end: item.end }, newText: '' };
  return { span: item, newText: '' };
}

function tokenIndexAt(tokens: Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tokens[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The edit removing `NullPool` from its `from … import …` statement when that is its only other use. */
function importRemoval(text: string, tokens: Token[], name: string): TextEditSpan | undefined {
  const uses = tokens.filter((t) => t.type === 'name' && t.value === name);
  if (uses.length !== 2) return undefined;
  for (const st of statements(tokens)) {
    const ts = st.tokens;
    if (ts[0]?.value !== 'from') continue;
    const imp = ts.findIndex((t) => t.type === 'name' && t.value === 'import');
    if (imp < 0) continue;
    const k = ts.findIndex((t, i) => i > imp && t.type === 'name' && t.value === name);
    if (k < 0 || ts[k + 1]?.value === 'as') continue;
    const names = ts.slice(imp + 1).filter((t) => t.type === 'name' && t.value !== 'as');
    if (names.length === 1) {
      const s = lineStartOf(text, ts[0].start);
      return { span: { start: s, end: nextLineStart(text, ts[ts.length - 1].end) }, newText: '' };
    }
    const gi = st.index + k;
    return removeListItem(text, tokens, gi, gi);
  }
  return undefined;
}

export function nullPoolUses(text: string, tokens: Token[]): NullPoolUse[] {
  if (!text.includes('NullPool')) return [];
  const out: NullPoolUse[] = [];
  for (let i = 0; i < tokens.length - 2; i++) {
    const t = tokens[i];
    const kwarg = t.type === 'name' && t.value === 'poolclass' && tokens[i + 1].value === '=' && t.depth > 0;
    const dict = t.type === 'string' && /^['"]poolclass['"]$/.test(t.value) && tokens[i + 1].value === ':';
    if (!kwarg && !dict) continue;
    const v = readExpr(tokens, i + 2);
    const name = dottedName(v.expr);
    if (!name || !/(?:^|\.)NullPool$/.test(name)) continue;
    const last = tokenIndexAt(tokens, v.expr.span.end - 1);
    const removal: TextEditSpan[] = [removeListItem(text, tokens, i, last)];
    if (name === 'NullPool') {
      const imp = importRemoval(text, tokens, 'NullPool');
      if (imp) removal.push(imp);
    }
    out.push({ span: { start: t.start, end: v.expr.span.end }, form: kwarg ? 'kwarg' : 'dict', removal });
  }
  return out;
}
