/**
 * What gatherers compute from one file's text, kept per key (a path) while the text is the same
 * string (the engine keeps the object), so re-gathering after another file changes is a lookup.
 */

/** Keys kept by one memo; past it, the one computed longest ago is dropped. */
const MEMO_LIMIT = 20_000;

/** A memo of its own: `(key, text, compute)` returns the value computed for `key` from this `text`, computing it when there is none. */
export function textMemo(limit = MEMO_LIMIT): <T>(key: string, text: string, compute: () => T) => T {
  const memo = new Map<string, { text: string; value: unknown }>();
  return <T>(key: string, text: string, compute: () => T): T => {
    const hit = memo.get(key);
    if (hit && hit.text === text) return hit.value as T;
    const value = compute();
    memo.delete(key);
    memo.set(key, { text, value });
    if (memo.size > limit) memo.delete(memo.keys().next().value!);
    return value;
  };
}
