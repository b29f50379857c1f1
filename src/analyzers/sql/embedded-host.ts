/**
 * SQL embedded in Go and Python source (issue #14 class 10): string literals (Go `"…"` and raw
 * `` `…` ``; Python `'…'`, `"…"`, triple-quoted, raw and f-strings), joined when adjacent or
 * concatenated with `+` (simple operands in between become placeholders), kept when they have the
 * shape of a statement (`SELECT … FROM x`, `INSERT INTO x`, …; DDL too as the argument of a query
 * call such as `db.ExecContext(ctx, "CREATE TABLE …")` or `cursor.execute("…")`).
 *
 * Driver placeholders that are not SQL syntax become the dialect's own (`$n` or `?`): Python's
 * `%s` / `%(name)s` (psycopg, MySQLdb), `:name` (SQLAlchemy `text()`, sqlx named queries), Go's
 * `fmt.Sprintf` verbs (`%s`, `%d`, `%v`), and f-string substitutions. The scan is linear: one pass
 * over the host text, no regular expression over it.
 *
 * Every result is reported `via: 'content'`: a string that does not parse is dropped, never a parse
 * error (a host string is only guessed to be SQL).
 */
import type { EmbeddedSql, EmbeddedSqlPiece, ExtractOptions } from './embedded.js';
import { extendedLater, isFragmentPosition, looksLikeSql, sqlHead } from './embedded.js';

export type HostLanguage = 'go' | 'python';

const MAX_HOST_CHARS = 2 * 1024 * 1024;
const MAX_OPERAND = 200;

/** Calls whose string argument is SQL: DDL counts there too. */
const SQL_CALLS: Record<HostLanguage, ReadonlySet<string>> = {
  go: new Set(['Query', 'QueryRow', 'QueryContext', 'QueryRowContext', 'Exec', 'ExecContext', 'Prepare', 'PrepareContext', 'Get', 'GetContext', 'Select', 'SelectContext', 'NamedExec', 'NamedExecContext', 'NamedQuery', 'NamedQueryContext', 'MustExec', 'MustExecContext', 'Queryx', 'QueryRowx', 'QueryxContext', 'QueryRowxContext', 'Raw', 'Rebind']),
  python: new Set(['execute', 'executemany', 'executescript', 'raw', 'text', 'RunSQL', 'mogrify', 'fetch', 'fetchrow', 'fetchval', 'fetchone', 'fetchall', 'exec_driver_sql']),
};

const DDL_START = /^(?:create\s+(?:unique\s+)?(?:table|index|type|view|sequence|extension|materialized\s+view)|alter\s+table)\s/i;
const STATEMENT_START = /^(?:select|with|insert|replace|update|delete|create|alter|drop)\b/i;

/** One piece of a literal's content: decoded text, or a substitution (`{expr}` of an f-string). */
type RawPiece = { kind: 'text' | 'escape'; hostStart: number; hostLength: number; text: string } | { kind: 'sub'; hostStart: number; hostLength: number };

interface StrLit {
  start: number;
  end: number;
  pieces: RawPiece[];
}

export function extractHostSql(hostText: string, lang: HostLanguage, opts: ExtractOptions = {}): EmbeddedSql[] {
  try {
    if (typeof hostText !== 'string' || !hostText.length || hostText.length > MAX_HOST_CHARS) return [];
    // Cheap pre-check: a statement keyword and a word that follows one (FROM, INTO, SET, TABLE, INDEX).
    const lower = hostText.toLowerCase();
    if (!['select', 'insert', 'update', 'delete', 'create', 'alter', 'replace'].some((w) => lower.includes(w))) return [];
    if (!['from', 'into', 'set', 'table', 'index'].some((w) => lower.includes(w))) return [];
    const lits = lang === 'go' ? scanGo(hostText) : scanPython(hostText);
    return build(hostText, lits, lang, opts.placeholder ?? ((i: number): string => `$${i}`));
  } catch {
    return [];
  }
}

// ------------------------------------------------------------------------------------------ Go

function scanGo(t: string): StrLit[] {
  const out: StrLit[] = [];
  const n = t.length;
  let i = 0;
  while (i < n) {
    const c = t[i];
    if (c === '/' && t[i + 1] === '/') i = lineEnd(t, i);
    else if (c === '/' && t[i + 1] === '*') {
      const e = t.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else if (c === "'") {
      // rune literal: at most a few characters
      let j = i + 1;
      while (j < n && j < i + 16 && t[j] !== "'" && t[j] !== '\n') j += t[j] === '\\' ? 2 : 1;
      i = j + 1;
    } else if (c === '`') {
      const e = t.indexOf('`', i + 1);
      if (e < 0) return out;
      out.push({ start: i, end: e + 1, pieces: [{ kind: 'text', hostStart: i + 1, hostLength: e - i - 1, text: t.slice(i + 1, e) }] });
      i = e + 1;
    } else if (c === '"') {
      const lit = scanEscaped(t, i, '"', false, false);
      if (lit) out.push(lit);
      i = lit ? lit.end : lineEnd(t, i);
    } else i++;
  }
  return out;
}

// -------------------------------------------------------------------------------------- Python

function scanPython(t: string): StrLit[] {
  const out: StrLit[] = [];
  const n = t.length;
  let i = 0;
  while (i < n) {
    const c = t[i];
    if (c === '#') {
      i = lineEnd(t, i);
      continue;
    }
    if (isWordStart(t.charCodeAt(i))) {
      // a word: a string prefix (r, b, f, u, rb, fr…) when a quote follows it directly
      let j = i;
      while (j < n && isWordChar(t.charCodeAt(j))) j++;
      const word = t.slice(i, j);
      if ((t[j] === '"' || t[j] === "'") && /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/.test(word)) {
        const lit = scanPythonString(t, j, /[rR]/.test(word), /[fF]/.test(word));
        if (lit) {
          out.push({ ...lit, start: i });
          i = lit.end;
          continue;
        }
      }
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      const lit = scanPythonString(t, i, false, false);
      if (lit) out.push(lit);
      i = lit ? lit.end : lineEnd(t, i);
      continue;
    }
    i++;
  }
  return out;
}

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isWordChar(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57);
}

function scanPythonString(t: string, q: number, raw: boolean, f: boolean): StrLit | undefined {
  const quote = t[q];
  if (t[q + 1] === quote && t[q + 2] === quote) {
    const close = quote.repeat(3);
    // triple-quoted: find the closing triple quote, skipping escaped characters
    let j = q + 3;
    const n = t.length;
    while (j < n && t.slice(j, j + 3) !== close) j += t[j] === '\\' ? 2 : 1;
    if (j >= n) return undefined;
    const pieces = decodeRun(t, q + 3, j, raw, f);
    return { start: q, end: j + 3, pieces };
  }
  return scanEscaped(t, q, quote, raw, f);
}

// ------------------------------------------------------------------------------- shared scanning

function lineEnd(t: string, i: number): number {
  const e = t.indexOf('\n', i);
  return e < 0 ? t.length : e + 1;
}

/** A one-line quoted literal with backslash escapes starting at `q`; undefined when unterminated. */
function scanEscaped(t: string, q: number, quote: string, raw: boolean, f: boolean): StrLit | undefined {
  let j = q + 1;
  const n = t.length;
  while (j < n && t[j] !== quote) {
    if (t[j] === '\n') return undefined;
    j += t[j] === '\\' ? 2 : 1;
  }
  if (j >= n) return undefined;
  return { start: q, end: j + 1, pieces: decodeRun(t, q + 1, j, raw, f) };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', a: '\x07', '\\': '\\', "'": "'", '"': '"', '`': '`', '0': '\0' };

/** Content of a literal from `s` to `e`: text runs, decoded escapes and (f-strings) substitutions. */
function decodeRun(t: string, s: number, e: number, raw: boolean, f: boolean): RawPiece[] {
  const pieces: RawPiece[] = [];
  let runStart = s;
  const flush = (to: number): void => {
    if (to > runStart) pieces.push({ kind: 'text', hostStart: runStart, hostLength: to - runStart, text: t.slice(runStart, to) });
  };
  let i = s;
  while (i < e) {
    const c = t[i];
    if (c === '\\' && !raw) {
      flush(i);
      const d = t[i + 1];
      let len = 2;
      let text = ESCAPES[d] ?? `\\${d}`;
      if (d === '\n') text = '';
      else if (d === 'x' && /^[0-9a-fA-F]{2}$/.test(t.slice(i + 2, i + 4))) {
        text = String.fromCharCode(parseInt(t.slice(i + 2, i + 4), 16));
        len = 4;
      } else if (d === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
        text = String.fromCharCode(parseInt(t.slice(i + 2, i + 6), 16));
        len = 6;
      }
      pieces.push({ kind: 'escape', hostStart: i, hostLength: len, text });
      i += len;
      runStart = i;
      continue;
    }
    if (f && (c === '{' || c === '}')) {
      flush(i);
      if (t[i + 1] === c) {
        pieces.push({ kind: 'escape', hostStart: i, hostLength: 2, text: c });
        i += 2;
      } else if (c === '{') {
        let depth = 0;
        let j = i;
        for (; j < e; j++) {
          if (t[j] === '{') depth++;
          else if (t[j] === '}' && --depth === 0) break;
        }
        pieces.push({ kind: 'sub', hostStart: i, hostLength: Math.min(j, e - 1) - i + 1 });
        i = j + 1;
      } else i++;
      runStart = i;
      continue;
    }
    i++;
  }
  flush(e);
  return pieces;
}

// ------------------------------------------------------------------------------ joining + building

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function skipBlank(t: string, i: number): number {
  while (i < t.length && isBlank(t[i])) i++;
  return i;
}

/** End of a simple operand (`x`, `a.b`, `f(x, y)`, `strings.Join(cols, ", ")`) from `i`, or -1. */
function operandEnd(t: string, i: number, litAt: ReadonlyMap<number, StrLit>): number {
  let j = i;
  let depth = 0;
  const limit = Math.min(t.length, i + MAX_OPERAND);
  for (; j < limit; j++) {
    const c = t[j];
    const inner = depth > 0 ? litAt.get(j) : undefined;
    if (inner) j = inner.end - 1; // a string argument inside the operand: f(cols, ", ")
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (c === '+' || c === ',' || c === '\n' || c === ';' || c === '{' || c === '}' || c === '=')) break;
    else if (c === '"' || c === "'" || c === '`') return -1;
  }
  if ((j >= limit && j < t.length) || j === i) return -1;
  let e = j;
  while (e > i && isBlank(t[e - 1])) e--;
  return e > i ? e : -1;
}

/** The called function when the literal at `start` is an argument of a call: `db.QueryContext(ctx, "…")` → QueryContext. */
function calleeBefore(t: string, start: number): string | undefined {
  let i = start - 1;
  while (i >= 0 && isBlank(t[i])) i--;
  if (t[i] === ',') {
    // a later argument: back to the opening parenthesis (a short, flat argument list)
    let depth = 0;
    for (let k = 0; i >= 0 && k < 120; i--, k++) {
      const c = t[i];
      if (c === ')' || c === ']') depth++;
      else if (c === '(' || c === '[') {
        if (depth === 0) break;
        depth--;
      } else if (c === '"' || c === "'" || c === '`' || c === ';' || c === '{' || c === '}') return undefined;
    }
  }
  if (t[i] !== '(') return undefined;
  i--;
  while (i >= 0 && isBlank(t[i])) i--;
  let s = i;
  while (s >= 0 && /\w/.test(t[s])) s--;
  return s < i ? t.slice(s + 1, i + 1) : undefined;
}

/** Go calls that map each row into a struct by column name: sqlx's Select/Get (destination first), xorm's SQL(…).Find, gorm's Raw(…).Scan. */
const STRUCT_DESTINATION_CALLS = new Set(['Select', 'SelectContext', 'Get', 'GetContext']);
const RAW_SQL_CALLS = new Set(['SQL', 'Raw']);
const STRUCT_FINISHERS = /^\s*\.\s*(?:Find|Get|Scan|Iterate|FindAndCount)\s*\(/;

/**
 * Does the Go call around the SQL literal that starts at `literalStart` (its quote) and whose
 * statement ends at `sqlEnd` map the rows into structs? `SELECT *` there loads whole records on
 * purpose: the struct lists the columns.
 */
export function goMapsRowsToStructs(t: string, literalStart: number, sqlEnd: number): boolean {
  let q = literalStart;
  while (q > 0 && t[q] !== '"' && t[q] !== '`' && literalStart - q < 4) q--;
  const callee = calleeBefore(t, q);
  if (!callee) return false;
  if (STRUCT_DESTINATION_CALLS.has(callee)) return true;
  if (!RAW_SQL_CALLS.has(callee)) return false;
  // the call's closing parenthesis (a short argument list after the SQL), then `.Find(`
  let depth = 0;
  let quote = '';
  const from = t[sqlEnd] === '`' || t[sqlEnd] === '"' ? sqlEnd + 1 : sqlEnd;
  for (let i = from, k = 0; i < t.length && k < 2000; i++, k++) {
    const c = t[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '`' || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return STRUCT_FINISHERS.test(t.slice(i + 1, i + 40));
      depth--;
    } else if (c === ';' || c === '{' || c === '}') return false;
  }
  return false;
}

interface Part {
  kind: 'lit' | 'operand';
  lit?: StrLit;
  start: number;
  end: number;
}

function build(t: string, lits: StrLit[], lang: HostLanguage, placeholder: (i: number) => string): EmbeddedSql[] {
  const litAt = new Map(lits.map((l) => [l.start, l]));
  const out: EmbeddedSql[] = [];
  for (let k = 0; k < lits.length; k++) {
    const head = lits[k];
    // Only a literal that starts like a statement can head one (cheap test before joining anything).
    const first = head.pieces[0];
    if (!first || first.kind !== 'text' || !STATEMENT_START.test(sqlHead(first.text.slice(0, 4000)).slice(0, 64))) continue;
    const parts: Part[] = [{ kind: 'lit', lit: head, start: head.start, end: head.end }];
    let end = head.end;
    // follow `+ lit`, `+ operand`, and (Python) adjacent literals
    for (let guard = 0; guard < 200; guard++) {
      let j = skipBlank(t, end);
      const adjacent = lang === 'python' && litAt.get(j);
      if (adjacent && j > end) {
        parts.push({ kind: 'lit', lit: adjacent, start: adjacent.start, end: adjacent.end });
        end = adjacent.end;
        k = lits.indexOf(adjacent, k);
        continue;
      }
      if (t[j] !== '+') break;
      j = skipBlank(t, j + 1);
      const next = litAt.get(j);
      if (next) {
        parts.push({ kind: 'lit', lit: next, start: next.start, end: next.end });
        end = next.end;
        k = lits.indexOf(next, k);
        continue;
      }
      const e = operandEnd(t, j, litAt);
      if (e < 0) break;
      parts.push({ kind: 'operand', start: j, end: e });
      end = e;
    }
    // `query := \`SELECT … FROM feeds\`` then `query += " WHERE " + …`: only the start of a statement.
    if (extendedLater(t, head.start, end)) continue;
    let built = assemble(t, parts, lang, placeholder);
    const callee = calleeBefore(t, head.start);
    // DDL counts as the argument of a query call, or as a string of its own (`sql := \`CREATE TABLE …\``
    // in a Go migration list); an English sentence that starts the same way does not parse and is dropped.
    const strong = (!!callee && SQL_CALLS[lang].has(callee)) || DDL_START.test(sqlHead(built.text).slice(0, 200));
    if (!looksLikeSql(built.text, !strong)) continue;
    if (/^\s*(?:create|alter|drop)\b/i.test(built.text) && built.pieces.some((p) => p.kind === 'placeholder')) {
      // DDL assembled from code: `id ` + db.typeChar(6) + ` NOT NULL, PRIMARY KEY (id)) ` + db.engine().
      // An operand after a column name is its type (written `text`: the keys and columns are what
      // matter); any other operand (an engine clause, a constraint) is left out. Only a CREATE TABLE /
      // INDEX whose names are all literal text is kept.
      if (!/^\s*(?:create\s+(?:unique\s+)?(?:table|index)|alter\s+table)\b/i.test(built.text)) continue;
      const firstParen = built.text.indexOf('(');
      const firstHole = built.pieces.find((p) => p.kind === 'placeholder')!.sqlStart;
      if (firstParen < 0 || firstHole < firstParen) continue; // the table or index name is built
      built = assemble(t, parts, lang, placeholder, true);
    }
    const segments = built.pieces.filter((p) => p.kind === 'text').map((p) => ({ sqlStart: p.sqlStart, hostStart: p.hostStart, length: p.sqlLength }));
    out.push({ text: built.text, segments, hostSpan: { start: head.start, end }, via: 'content', pieces: built.pieces });
  }
  return out;
}

/**
 * The SQL text of the joined parts, with every non-SQL placeholder (operands, f-string substitutions,
 * `%s`, `%(name)s`, `:name`, Sprintf verbs outside SQL string literals) replaced by the dialect's.
 */
function assemble(host: string, parts: Part[], lang: HostLanguage, placeholder: (i: number) => string, ddl = false): { text: string; pieces: EmbeddedSqlPiece[] } {
  const pieces: EmbeddedSqlPiece[] = [];
  let text = '';
  let n = 0;
  let inQuote = false;
  const ph = (hostStart: number, hostLength: number): void => {
    // DDL: a type helper named for a primary key (db.typeIntPrimaryKey()) keeps the key.
    const typeText = /primary_?key|serial|autoincrement/i.test(host.slice(hostStart, hostStart + hostLength)) ? 'text PRIMARY KEY' : 'text';
    // Elsewhere an operand where no value can stand is a spliced-in fragment (`FROM memo " + where`): a blank.
    const p = ddl ? (/[\w"`\]]\s*$/.test(text.slice(-64)) ? typeText : '') : isFragmentPosition(text) ? ' ' : placeholder(++n);
    pieces.push({ sqlStart: text.length, sqlLength: p.length, hostStart, hostLength, kind: 'placeholder' });
    text += p;
  };
  const addText = (s: string, hostStart: number, kind: 'text' | 'escape', hostLength: number): void => {
    if (kind === 'escape') {
      if (s === "'") inQuote = !inQuote;
      if (s) pieces.push({ sqlStart: text.length, sqlLength: s.length, hostStart, hostLength, kind });
      text += s;
      return;
    }
    // scan the run for driver placeholders outside SQL string literals
    let runStart = 0;
    const flush = (to: number): void => {
      if (to > runStart) {
        pieces.push({ sqlStart: text.length, sqlLength: to - runStart, hostStart: hostStart + runStart, hostLength: to - runStart, kind: 'text' });
        text += s.slice(runStart, to);
      }
    };
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === "'") {
        inQuote = !inQuote;
        continue;
      }
      if (inQuote) continue;
      let len = 0;
      if (c === '%') {
        if (s[i + 1] === '%') {
          flush(i);
          pieces.push({ sqlStart: text.length, sqlLength: 1, hostStart: hostStart + i, hostLength: 2, kind: 'escape' });
          text += '%';
          i++;
          runStart = i + 1;
          continue;
        }
        if (/[sdvq]/.test(s[i + 1] ?? '')) len = 2;
        else if (lang === 'python' && s[i + 1] === '(') {
          const close = s.indexOf(')', i + 2);
          if (close > 0 && close - i < 64 && /^\w+$/.test(s.slice(i + 2, close)) && /[sd]/.test(s[close + 1] ?? '')) len = close + 2 - i;
        }
      } else if (c === ':' && s[i - 1] !== ':' && s[i + 1] !== ':' && /[A-Za-z_]/.test(s[i + 1] ?? '') && !/\w/.test(s[i - 1] ?? '')) {
        let j = i + 1;
        while (j < s.length && /\w/.test(s[j])) j++;
        len = j - i;
      }
      if (!len) continue;
      flush(i);
      ph(hostStart + i, len);
      i += len - 1;
      runStart = i + 1;
    }
    flush(s.length);
  };
  for (const part of parts) {
    if (part.kind === 'operand') {
      ph(part.start, part.end - part.start);
      continue;
    }
    for (const p of part.lit!.pieces) {
      if (p.kind === 'sub') ph(p.hostStart, p.hostLength);
      else addText(p.text, p.hostStart, p.kind, p.hostLength);
    }
  }
  return { text, pieces };
}
