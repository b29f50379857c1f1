/** Loop headers and displays of Python token streams, for the Django extractor's `inLoop`. Never throws. */
import type { Token } from '../../../lang/python/tokenize.js';

/** Calls that evaluate a queryset passed to them; any other call only receives it (a form field's `queryset=`, a Paginator). */
export const EVALUATING = new Set(['list', 'tuple', 'set', 'frozenset', 'dict', 'len', 'sorted', 'sum', 'any', 'all', 'max', 'min', 'bool', 'next', 'iter', 'enumerate', 'zip', 'reversed', 'map', 'filter', 'print', 'str', 'repr', 'extend', 'join']);
export const SERIALIZER_GETTERS = new Set(['get_fields', 'get_field_names', 'get_default_field_names', 'get_extra_kwargs', 'get_validators', 'get_initial', 'get_value', 'get_attribute', 'get_queryset', 'get_serializer', 'get_serializer_class', 'get_serializer_context', 'get_unique_together_validators', 'get_unique_for_date_validators', 'get_uniqueness_extra_kwargs']);
export const KEYWORDS = new Set(['in', 'not', 'and', 'or', 'is', 'if', 'else', 'for', 'return', 'yield', 'await', 'lambda', 'assert', 'del', 'print']);

export function findAt(tokens: Token[], from: number, to: number, value: string, depth: number): number {
  for (let j = from; j < to; j++) if (tokens[j].value === value && tokens[j].depth === depth) return j;
  return -1;
}

/** `for <targets> in <iterable>` / `while`: the target names, and whether the iterable is a list / tuple / set written in the code. */
export function loopHeader(tokens: Token[], closeOf: Int32Array, i: number, end: number): { items: string[]; bounded: boolean; source?: { query: boolean; name?: string } } {
  const t = tokens;
  if (t[i]?.value !== 'for') return { items: [], bounded: false };
  const d = t[i].depth;
  const inAt = findAt(tokens, i + 1, end, 'in', d);
  if (inAt < 0) return { items: [], bounded: false };
  let colon = findAt(tokens, inAt + 1, end, ':', d);
  if (colon < 0) colon = end;
  return { items: loopTargets(tokens, i + 1, inAt), bounded: literalDisplay(tokens, closeOf, inAt + 1, colon) || constantList(tokens, inAt + 1, colon), source: loopSource(tokens, inAt + 1, colon) };
}

/** What a `for` walks: a queryset written in place (`Check.objects.filter(…)`, `project.check_set.all()`), or the local name it walks. */
function loopSource(tokens: Token[], a: number, b: number): { query: boolean; name?: string } {
  let query = false;
  for (let j = a; j < b && j < a + 200; j++) if (tokens[j].type === 'name' && (tokens[j].value === 'objects' || tokens[j].value.endsWith('_set')) && tokens[j - 1]?.value === '.') query = true;
  return { query, ...(b - a === 1 && tokens[a].type === 'name' ? { name: tokens[a].value } : {}) };
}

/** `settings.REMOTE_AUTH_DEFAULT_GROUPS`, `DEFAULT_GROUPS`: a configured or constant list, a known, small number of items. */
function constantList(tokens: Token[], a: number, b: number): boolean {
  if (a >= b || tokens[a].type !== 'name') return false;
  for (let j = a + 1; j < b; j += 2) if (tokens[j].value !== '.' || tokens[j + 1]?.type !== 'name') return false;
  const last = tokens[b - 1].value;
  // not the request's data (`request.POST`, `self.request.GET`): capitals there are Django's names for input
  if (tokens[a].value === 'request' || tokens[a].value === 'self') return false;
  return (tokens[a].value === 'settings' && b - a >= 3) || /^[A-Z][A-Z0-9_]+$/.test(last);
}

export function loopTargets(tokens: Token[], from: number, to: number): string[] {
  const out: string[] = [];
  for (let j = from; j < to; j++) if (tokens[j].type === 'name' && tokens[j - 1]?.value !== '.') out.push(tokens[j].value);
  return out;
}

/** Tokens [a, b) are one list / tuple / set / dict display (not a comprehension, no `*` unpacking), or a bare tuple `'a', 'b'`. */
export function literalDisplay(tokens: Token[], closeOf: Int32Array, a: number, b: number): boolean {
  const t = tokens;
  if (a >= b) return false;
  let d = t[a].depth;
  const single = /^[([{]$/.test(t[a].value) && closeOf[a] === b - 1;
  if (single) d++;
  else if (findAt(tokens, a, b, ',', d) < 0) return false;
  for (let j = single ? a + 1 : a; j < (single ? b - 1 : b); j++) {
    const x = t[j];
    if (x.depth !== d) continue;
    if (x.value === 'for' && x.type === 'name') return false;
    if ((x.value === '*' || x.value === '**') && (j === a + 1 || t[j - 1].value === ',' || j === a)) return false;
  }
  return true;
}

/** The names a filter-like call's arguments read (not keyword names, not attributes). */
export function readNames(tokens: Token[], from: number, to: number, out: string[]): void {
  const t = tokens;
  for (let j = from; j < to && out.length < 200; j++) {
    if (t[j].type === 'name' && t[j - 1]?.value !== '.' && t[j + 1]?.value !== '=') out.push(t[j].value);
  }
}

/**
 * The queryset chain [k, end) is only built, not run: the whole right-hand side of an assignment, or an argument / keyword
 * value of a call that does not evaluate it (a form field's `queryset=`, a Paginator), so a loop around it is no N+1.
 */
export function onlyPassed(tokens: Token[], openerOf: Int32Array, closeOf: Int32Array, k: number, end: number, from: number, to: number): boolean {
  const t = tokens;
  const eq = findAt(tokens, from, to, '=', t[from].depth);
  if (eq >= 0 && k === eq + 1 && end === to) return true;
  const o = openerOf[k];
  if (o < 1 || t[o].value !== '(') return false;
  const callee = t[o - 1];
  if (!((callee.type === 'name' && !KEYWORDS.has(callee.value) && !EVALUATING.has(callee.value)) || callee.value === ')' || callee.value === ']')) return false;
  const d = t[o].depth + 1;
  let a = k - 1;
  if (t[a]?.value === '=' && t[a - 1]?.type === 'name') a -= 2;
  if (!(a === o || (t[a]?.value === ',' && t[a].depth === d))) return false;
  return end === closeOf[o] || (t[end]?.value === ',' && t[end].depth === d);
}
