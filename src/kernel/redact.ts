/**
 * Secrets never leave Perf Auditor in an output: passwords in connection URLs, password / secret /
 * token assignments and well-known token formats are replaced by `***` in messages, fix previews and
 * reports. Linear-time patterns only (each run of characters is consumed by one class).
 */
import type { Finding } from './model.js';

export const REDACTED = '***';

const URL_PASSWORD = /([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/'"`]{0,200}):([^\s@/'"`]{1,500})@/gi;
// The value is read to its end: a value cut at 500 characters kept its tail, and the next pass redacted that again.
const ASSIGNED_SECRET = /((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|auth)["']?\s{0,5}[:=]\s{0,5}["']?)([^\s"'`,;)}]{3,500})[^\s"'`,;)}]*/gi;
const TOKENS = /\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255}|AKIA[0-9A-Z]{16}|sk_(?:live|test)_[A-Za-z0-9]{10,255}|xox[abprs]-[A-Za-z0-9-]{10,255}|glpat-[A-Za-z0-9_-]{20,255}|AIza[0-9A-Za-z_-]{35})\b/g;

function redactOnce(text: string): string {
  return text
    .replace(URL_PASSWORD, (_m, head: string, pw: string) => (pw === REDACTED ? `${head}:${pw}@` : `${head}:${REDACTED}@`))
    .replace(ASSIGNED_SECRET, (m, head: string, value: string) => (value === REDACTED || /^(?:env|process|os|getenv|settings|config)\b/i.test(value) ? m : `${head}${REDACTED}`))
    .replace(TOKENS, REDACTED);
}

/**
 * The text with every secret it holds replaced by `***`. Idempotent: one redaction can give what is
 * left the shape of another secret (`redis://password:postgres://u:pw@db` → `redis://password:***):***@db`
 * after the assignment pattern took `postgres://`), so passes repeat until nothing changes (two for
 * almost any text, bounded).
 */
export function redactSecrets(text: string): string {
  if (!text) return text;
  let cur = text;
  for (let pass = 0; pass < 8; pass++) {
    const next = redactOnce(cur);
    if (next === cur) break;
    cur = next;
  }
  return cur;
}

/** A finding as outputs show it: messages and fix texts without secrets (the editor applies the real fix). */
export function redactFinding(f: Finding): Finding {
  return {
    ...f,
    message: redactSecrets(f.message),
    related: f.related.map((r) => ({ ...r, message: redactSecrets(r.message) })),
    fixes: f.fixes.map((fix) => ({
      ...fix,
      title: redactSecrets(fix.title),
      changes: fix.changes.map((c) => ({
        ...c,
        ...(c.create ? { create: { newText: redactSecrets(c.create.newText) } } : {}),
        ...(c.edits ? { edits: c.edits.map((e) => ({ ...e, newText: redactSecrets(e.newText) })) } : {}),
      })),
    })),
  };
}
