/**
 * Whether a GET handler is a public, read-only one — the only kind whose response may be cached for
 * everyone. A handler that writes (a save/update/destroy call, a transaction or lock), runs behind
 * authentication or a session (route, router or app middleware), or is a health check, an OAuth /
 * login callback or an email link (unsubscribe, confirm) is not: its response must not be shared.
 */
import type { Node } from '../../lang/javascript/ast.js';
import { isCall, memberPath } from '../../lang/javascript/ast.js';

/** Methods that change data (ORMs, query builders, document stores). */
const WRITE_METHODS = new Set([
  'save', 'update', 'updateOne', 'updateMany', 'destroy', 'delete', 'deleteOne', 'deleteMany', 'remove', 'create', 'createMany', 'bulkCreate',
  'insert', 'insertOne', 'insertMany', 'upsert', 'increment', 'decrement', 'findOrCreate', 'findOneAndUpdate', 'findOneAndDelete',
  'findByIdAndUpdate', 'findByIdAndDelete', 'restore', 'truncate', '$executeRaw', '$executeRawUnsafe', 'destroyWithCtx', 'saveWithCtx', 'updateWithCtx', 'createWithCtx',
]);

/** SQL text that writes or locks rows. */
const WRITE_SQL = /^\s*(?:insert|update|delete|merge|upsert)\b|\bfor\s+(?:no\s+key\s+)?update\b|\bfor\s+share\b/i;

/** Middleware (route, router or app level) that authenticates or loads a session. */
const AUTH_MIDDLEWARE = /auth|passport|session|login|jwt|guard|protect|permission|requireUser|ensureUser|currentUser|isAdmin|role/i;
/** Middleware that opens a transaction or takes a lock: the handler writes. */
const TX_MIDDLEWARE = /transaction|\block\b|mutex/i;

/** Health and readiness probes: they must reflect the live state, never a cache. */
const HEALTH_PATH = /^\/?_?(?:health|healthz|healthcheck|health-check|ping|ready|readyz|readiness|live|livez|liveness|status)(?:\/|$|\.)/i;
/** Login / OAuth callbacks and links from emails that act on a token (unsubscribe, confirm, verify). */
const FLOW_PATH = /callback|oauth|\bauth\b|\/auth|login|logout|signin|sign-in|signout|sso|saml|redirect|register|unsubscribe|confirm|verify|activate|invite|\.(?:delete|remove|create|update)\b/i;

/** A call that writes: `.save()`, `Model.update(…)`, `db.$executeRaw`, `pool.query('UPDATE …')`, `{ lock: true }`. */
export function writeCallText(n: Node, text: string): string | undefined {
  if (!isCall(n)) return undefined;
  const mp = memberPath(n.callee as Node);
  const last = mp?.[mp.length - 1];
  if (last && mp.length >= 2 && WRITE_METHODS.has(last)) return text.slice(n.start, Math.min(n.end, n.start + 60));
  for (const a of (n.arguments ?? []) as Node[]) {
    const v = a.type === 'StringLiteral' ? String(a.value) : a.type === 'TemplateLiteral' ? ((a.quasis ?? []) as Node[]).map((q) => String(q.value?.cooked ?? '')).join(' ') : undefined;
    if (v !== undefined && WRITE_SQL.test(v)) return text.slice(n.start, Math.min(n.end, n.start + 60));
    if (a.type === 'ObjectExpression' && ((a.properties ?? []) as Node[]).some((p) => p.key?.name === 'lock' && !(p.value?.type === 'BooleanLiteral' && p.value.value === false))) return 'a row lock (lock: …)';
  }
  return undefined;
}

export function isAuthMiddlewareText(t: string): boolean {
  return AUTH_MIDDLEWARE.test(t);
}

/** Why a GET route is not a public read-only one, or undefined when it may be. */
export function notPublicRead(r: { path?: string; middlewares: readonly string[]; writes?: string; guardedBy?: string; file: string }): string | undefined {
  if (r.writes) return `it writes (${r.writes})`;
  const tx = r.middlewares.find((m) => TX_MIDDLEWARE.test(m));
  if (tx) return `it runs in ${tx}`;
  const auth = r.middlewares.find(isAuthMiddlewareText) ?? r.guardedBy;
  if (auth) return `it runs behind ${auth}`;
  if (r.path !== undefined && HEALTH_PATH.test(r.path)) return 'it is a health check';
  if (r.path !== undefined && FLOW_PATH.test(r.path)) return 'it is a login, OAuth or email-link flow';
  if (/(?:^|\/)(?:auth|oauth|sso|login)(?:\/|$)/i.test(r.file)) return 'it is part of the authentication routes';
  return undefined;
}

/** `{ notPublic }` for a route object, or nothing. */
export function notPublicOf(r: Parameters<typeof notPublicRead>[0]): { notPublic?: string } {
  const why = notPublicRead(r);
  return why ? { notPublic: why } : {};
}
