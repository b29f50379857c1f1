/**
 * Django persistent connections: `CONN_MAX_AGE` of each `DATABASES` alias in a settings module
 * (dict literals, `DATABASES['default'] = dj_database_url.config(...)`, later
 * `DATABASES['default']['CONN_MAX_AGE'] = …` / `.update(...)` statements). Django's default is 0:
 * a new database connection for every request.
 */
import type { Span } from '../../kernel/model.js';
import { eolOf, indentAt, type TextEditSpan } from '../../lang/javascript/edits.js';
import { dottedName, readExpr, statements, type PyExpr, type Token } from '../../lang/python/tokenize.js';

export interface ConnMaxAgeProblem {
  alias: string;
  problem: 'zero' | 'absent' | 'invalid';
  span: Span;
  /** How the alias is configured. */
  via: 'dict' | 'dj_database_url';
  fix?: TextEditSpan;
}

export interface DjangoFacts {
  problems: ConnMaxAgeProblem[];
  /** The file sets CONN_MAX_AGE / conn_max_age somewhere (to any value): for split settings. */
  setsConnMaxAge: boolean;
  /** Aliases configured in this file. */
  aliases: string[];
}

/** settings.py, settings_prod.py, settings/base.py, config/settings/production.py… */
export function isDjangoSettingsPath(path: string): boolean {
  return /(?:^|\/)settings(?:[_.-][\w.-]*)?\.py$/.test(path) || /(?:^|\/)settings\/[\w-]+\.py$/.test(path);
}

export const CONN_MAX_AGE_FIX = 60;

function subscriptPath(e: PyExpr): { root: string; keys: (string | undefined)[] } | undefined {
  const keys: (string | undefined)[] = [];
  let cur = e;
  for (let guard = 0; guard < 10 && cur.kind === 'subscript'; guard++) {
    keys.unshift(cur.index.kind === 'string' ? cur.index.value : undefined);
    cur = cur.object;
  }
  return cur.kind === 'name' ? { root: cur.name, keys } : undefined;
}

function entryOf(d: Extract<PyExpr, { kind: 'dict' }>, key: string): { key: PyExpr; value: PyExpr; span: Span } | undefined {
  return d.entries.find((e) => e.key.kind === 'string' && e.key.value === key);
}

function isDjDatabaseUrl(e: PyExpr, text: string): boolean {
  if (e.kind !== 'call') return false;
  const name = dottedName(e.callee) ?? '';
  return /(?:^|\.)(?:dj_database_url|db_url)\.(?:config|parse)$/.test(name) || (/^(?:config|parse)$/.test(name) && /from\s+dj_database_url\s+import/.test(text));
}

/** Inserts `'CONN_MAX_AGE': 60` as the dict's last entry, in its layout. */
function insertEntry(text: string, d: Extract<PyExpr, { kind: 'dict' }>, quote: string): TextEditSpan {
  const entry = `${quote}CONN_MAX_AGE${quote}: ${CONN_MAX_AGE_FIX}`;
  const last = d.entries[d.entries.length - 1];
  if (!last) return { span: d.span, newText: `{${entry}}` };
  if (d.multiline) {
    const indent = indentAt(text, last.span.start);
    const eol = eolOf(text);
    if (d.trailingComma) {
      const comma = text.indexOf(',', last.span.end);
      return { span: { start: comma + 1, end: comma + 1 }, newText: `${eol}${indent}${entry},` };
    }
    return { span: { start: last.span.end, end: last.span.end }, newText: `,${eol}${indent}${entry}` };
  }
  return { span: { start: last.span.end, end: last.span.end }, newText: `, ${entry}` };
}

/** Adds `conn_max_age=60` to a dj_database_url call. */
function insertKwarg(text: string, c: Extract<PyExpr, { kind: 'call' }>): TextEditSpan {
  const kw = `conn_max_age=${CONN_MAX_AGE_FIX}`;
  const items = [...c.args.map((a) => a.span), ...c.kwargs.map((k) => k.span)].sort((a, b) => a.start - b.start);
  const last = items[items.length - 1];
  if (!last) return { span: { start: c.open.end, end: c.open.end }, newText: kw };
  if (c.close.lineStart) {
    const indent = indentAt(text, last.start);
    const eol = eolOf(text);
    if (c.trailingComma) {
      const comma = text.indexOf(',', last.end);
      return { span: { start: comma + 1, end: comma + 1 }, newText: `${eol}${indent}${kw},` };
    }
    return { span: { start: last.end, end: last.end }, newText: `,${eol}${indent}${kw}` };
  }
  return { span: { start: last.end, end: last.end }, newText: `, ${kw}` };
}

function judge(v: PyExpr): 'ok' | 'zero' | 'invalid' {
  if (v.kind === 'number') return v.value === 0 ? 'zero' : 'ok';
  if (v.kind === 'string') return 'invalid';
  return 'ok';
}

export function djangoFacts(text: string, tokens: Token[]): DjangoFacts | undefined {
  if (!text.includes('DATABASES')) return undefined;
  const defs = new Map<string, { keySpan: Span; value: PyExpr; quote: string }>();
  const explicit = new Map<string, PyExpr>();
  for (const st of statements(tokens)) {
    if (!st.topLevel) continue;
    const t0 = st.tokens[0];
    if (t0.type !== 'name' || t0.value !== 'DATABASES') continue;
    const target = readExpr(tokens, st.index);
    const eq = tokens[target.next];
    if (eq?.type === 'op' && eq.value === '=') {
      const value = readExpr(tokens, target.next + 1).expr;
      const sp = subscriptPath(target.expr);
      if (!sp) continue;
      if (sp.keys.length === 0 && value.kind === 'dict') {
        defs.clear();
        explicit.clear();
        for (const e of value.entries) if (e.key.kind === 'string') defs.set(e.key.value, { keySpan: e.key.span, value: e.value, quote: e.key.quote });
      } else if (sp.keys.length === 1 && sp.keys[0] !== undefined) {
        const q = target.expr.kind === 'subscript' && target.expr.index.kind === 'string' ? target.expr.index.quote : "'";
        defs.set(sp.keys[0], { keySpan: target.expr.span, value, quote: q });
        explicit.delete(sp.keys[0]);
      } else if (sp.keys.length === 2 && sp.keys[0] !== undefined && sp.keys[1] === 'CONN_MAX_AGE') explicit.set(sp.keys[0], value);
      continue;
    }
    // DATABASES['default'].update({...}) / .update(CONN_MAX_AGE=…)
    const e = target.expr;
    if (e.kind === 'call' && e.callee.kind === 'attr' && e.callee.name === 'update') {
      const sp = subscriptPath(e.callee.object);
      const alias = sp?.keys.length === 1 ? sp.keys[0] : undefined;
      if (!alias) continue;
      const arg = e.args[0];
      const v = arg?.kind === 'dict' ? entryOf(arg, 'CONN_MAX_AGE')?.value : e.kwargs.find((k) => k.name === 'CONN_MAX_AGE')?.value;
      if (v) explicit.set(alias, v);
    }
  }
  const problems: ConnMaxAgeProblem[] = [];
  for (const [alias, def] of defs) {
    const later = explicit.get(alias);
    const v = def.value;
    if (v.kind === 'dict') {
      const engine = entryOf(v, 'ENGINE')?.value;
      if (engine?.kind === 'string' && /sqlite/i.test(engine.value)) continue;
      const options = entryOf(v, 'OPTIONS')?.value;
      const pool = options?.kind === 'dict' ? entryOf(options, 'pool')?.value : undefined;
      if (pool && !(pool.kind === 'const' && (pool.value === false || pool.value === null))) continue; // Django 5.1+ native pooling
      const own = entryOf(v, 'CONN_MAX_AGE')?.value;
      const eff = later ?? own;
      if (eff) {
        const j = judge(eff);
        if (j !== 'ok') problems.push({ alias, problem: j, span: eff.span, via: 'dict', fix: { span: eff.span, newText: String(CONN_MAX_AGE_FIX) } });
        continue;
      }
      problems.push({ alias, problem: 'absent', span: def.keySpan, via: 'dict', fix: insertEntry(text, v, def.quote) });
      continue;
    }
    if (isDjDatabaseUrl(v, text) && v.kind === 'call') {
      const url = [...v.args, ...v.kwargs.map((k) => k.value)].find((x) => x.kind === 'string');
      if (url?.kind === 'string' && /^sqlite/i.test(url.value)) continue;
      const kw = v.kwargs.find((k) => k.name === 'conn_max_age');
      const eff = later ?? kw?.value;
      if (eff) {
        const j = judge(eff);
        if (j !== 'ok') problems.push({ alias, problem: j, span: eff.span, via: later ? 'dict' : 'dj_database_url', fix: { span: eff.span, newText: String(CONN_MAX_AGE_FIX) } });
        continue;
      }
      problems.push({ alias, problem: 'absent', span: v.span, via: 'dj_database_url', fix: insertKwarg(text, v) });
      continue;
    }
    if (later) {
      const j = judge(later);
      if (j !== 'ok') problems.push({ alias, problem: j, span: later.span, via: 'dict', fix: { span: later.span, newText: String(CONN_MAX_AGE_FIX) } });
    }
  }
  return { problems, setsConnMaxAge: /CONN_MAX_AGE|conn_max_age/.test(text), aliases: [...defs.keys()] };
}
