/** Helpers shared by the nginx rules: the levels to judge, labels, and fixes grouped per file. */
import type { FileRuleContext, PendingFix } from '../../../kernel/contracts.js';
import type { NginxArtifact } from '../analyze.js';
import { allContexts, locationPattern, topAnalysed } from '../context.js';
import type { Ctx, ENode, NginxDirective } from '../model.js';
import type { SpanEdit } from '../fixes.js';

export type NginxRuleContext = FileRuleContext<NginxArtifact>;

/** The analysed levels (none when the file is covered by a config that includes it). */
export function levels(a: NginxArtifact): Ctx[] {
  return a.root ? allContexts(a.root).filter((c) => !c.external) : [];
}

export function httpBlocks(a: NginxArtifact): Ctx[] {
  return levels(a).filter((c) => c.kind === 'http' && c.node);
}

/** Server levels, including a snippet whose top level is a server's content. */
export function servers(a: NginxArtifact): Ctx[] {
  return levels(a).filter((c) => c.kind === 'server');
}

export function locations(a: NginxArtifact): Ctx[] {
  return levels(a).filter((c) => c.kind === 'location');
}

/** "the http block", "this server block", `location ~* \.(css|js)$`. */
export function label(c: Ctx): string {
  if (c.kind === 'location') {
    const p = locationPattern(c);
    return p ? `location ${p.modifier ? `${p.modifier} ` : ''}${p.pattern}` : 'this location';
  }
  if (c.kind === 'server') {
    const name = c.items.find((n) => n.d.name === 'server_name')?.d.args[0]?.value;
    return name ? `server ${name}` : 'this server block';
  }
  if (c.kind === 'if') return 'this if block';
  return c.node ? `the ${c.node.d.name} block` : 'this file';
}

/** Where a level is in the source, for messages: "nginx.conf:12". */
export function where(n: ENode, text: (file: string) => string | undefined): string {
  const t = text(n.d.file) ?? '';
  let line = 1;
  for (let i = t.indexOf('\n'); i >= 0 && i < n.d.span.start; i = t.indexOf('\n', i + 1)) line++;
  return `${n.d.file}:${line}`;
}

/** Groups edits by file into one fix (edits of one file must be applied together). */
export function fixOf(title: string, edits: { file: string; edit: SpanEdit | undefined }[], preferred = true): PendingFix | undefined {
  const byFile = new Map<string, SpanEdit[]>();
  for (const e of edits) {
    if (!e.edit) return undefined;
    const list = byFile.get(e.file) ?? [];
    list.push(e.edit);
    byFile.set(e.file, list);
  }
  if (!byFile.size) return undefined;
  return { title, ...(preferred ? { preferred: true } : {}), changes: [...byFile].map(([file, es]) => ({ file, edits: es })) };
}

export function textOf(ctx: NginxRuleContext, file: string): string {
  return file === ctx.path ? ctx.text : ctx.ws.textOf(file) ?? '';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** 31536000 → "1 year", 604800 → "7 days", 3600 → "1 hour". */
export function human(seconds: number): string {
  const units: [number, string][] = [[31536000, 'year'], [86400, 'day'], [3600, 'hour'], [60, 'minute']];
  for (const [n, u] of units) if (seconds >= n && seconds % n === 0) return plural(seconds / n, u);
  for (const [n, u] of units) if (seconds >= n) return `${(seconds / n).toFixed(1)} ${u}s`;
  return plural(seconds, 'second');
}

export function fixes(...fs: (PendingFix | undefined)[]): PendingFix[] {
  return fs.filter((f): f is PendingFix => !!f);
}

/**
 * The levels judged for settings normally made once for everything (gzip, sendfile…): each server,
 * and an http block only when it has no servers of its own (its servers may live in files outside
 * the workspace). A server that inherits a missing setting is reported at the top analysed level.
 */
/**
 * Where to report a setting that no level of `lv`'s chain has: its topmost analysed level (see
 * topAnalysed) and that level's block directive, marked in `done`. Undefined when the chain reaches
 * an external file, the level has no block, or it was reported already.
 */
export function unreportedTop(lv: Ctx, done: Set<object>): { top: Ctx; d: NginxDirective } | undefined {
  const top = topAnalysed(lv);
  if (top === 'external' || !top.node || done.has(top)) return undefined;
  done.add(top);
  return { top, d: top.node.d };
}

export function judgedLevels(a: NginxArtifact): Ctx[] {
  return [...httpBlocks(a).filter((h) => !h.children.some((c) => c.kind === 'server')), ...servers(a).filter((s) => !redirectOnly(s))];
}

const REDIRECT = /^30[1278]$/;

/** A server that only redirects (the usual port-80 → https server): `return 301 …` for the server or its `location /`. */
export function redirectOnly(server: Ctx): boolean {
  const redirects = (c: Ctx): boolean => c.items.some((n) => !n.children && ((n.d.name === 'return' && REDIRECT.test(n.d.args[0]?.value ?? '')) || (n.d.name === 'rewrite' && /^(permanent|redirect)$/.test(n.d.args[2]?.value ?? '') && /^\^?\/?\(?\.\*\)?\$?$/.test(n.d.args[0]?.value ?? ''))));
  if (redirects(server)) return true;
  const root = server.children.find((c) => c.kind === 'location' && locationPattern(c)?.pattern === '/' && ['', '^~'].includes(locationPattern(c)?.modifier ?? 'x'));
  return !!root && redirects(root);
}
