/**
 * Dialect quirks of the MySQL / SQLite adapter: the same-length rewrites a query gets before
 * node-sql-parser reads it, for constructs its grammars lack (SQLite `"ident"` / `[ident]`, `?NNN`,
 * RETURNING, ON CONFLICT; MySQL index hints, `<=>`, STRAIGHT_JOIN ...). Error offsets stay exact.
 */
import { type Flavor, type Token, closeOf, isName, isPunct, isWord } from './nsp-tokens.js';

// ---------------------------------------------------------------------------------------------
// Pre-parse normalization (same length)
// ---------------------------------------------------------------------------------------------

export function normalizeForParser(text: string, toks: Token[], flavor: Flavor): string {
  // split into characters on the first rewrite only: most statements need none
  let chars: string[] | undefined;
  const result = (): string => (chars ? chars.join('') : text);
  const put = (start: number, end: number, repl: string): void => {
    chars ??= text.split('');
    for (let k = start; k < end; k++) chars[k] = k - start < repl.length ? repl[k - start] : ' ';
  };
  const blankTo = (start: number, end: number): void => {
    chars ??= text.split('');
    for (let k = start; k < end; k++) if (chars[k] !== '\n') chars[k] = ' ';
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const raw = text.slice(t.start, t.end);
    // sqlc macros: sqlc.arg(x), sqlc.narg(x), sqlc.slice(x) → ?
    if (isWord(t, 'sqlc') && isPunct(toks[i + 1], '.') && isName(toks[i + 2]) && isPunct(toks[i + 3], '(')) {
      const close = closeOf(toks, i + 3, -1);
      if (close > 0) {
        put(t.start, toks[close].end, '?');
        i = close;
        continue;
      }
    }
    // NATURAL JOIN: the grammars lack it; a plain JOIN keeps the table refs (the implicit USING columns are unknown)
    if (isWord(t, 'natural') && isWord(toks[i + 1], 'join', 'left', 'right', 'inner', 'full', 'cross')) {
      put(t.start, t.end, '');
      continue;
    }
    if (t.kind === 'string' && /^_[a-z0-9]+'/i.test(raw)) {
      // MySQL charset introducer _utf8'x'
      const q = raw.indexOf("'");
      put(t.start, t.start + q, '');
      continue;
    }
    if (flavor === 'mysql') {
      // DELETE a.*, b.* FROM ... → DELETE a, b FROM ...
      if (t.value === '*' && isPunct(toks[i - 1], '.') && isWord(toks[0], 'delete') && !toks.slice(0, i).some((x) => isWord(x, 'from'))) {
        put(toks[i - 1].start, t.end, '');
      }
      // index hints: USE / FORCE / IGNORE {INDEX|KEY} [FOR JOIN|ORDER BY|GROUP BY] (list)
      if (isWord(t, 'use', 'force', 'ignore') && isWord(toks[i + 1], 'index', 'key') && i > 0 && !isWord(toks[i - 1], 'insert', 'update', 'delete', 'into')) {
        let j = i + 2;
        if (isWord(toks[j], 'for')) j += isWord(toks[j + 1], 'join') ? 2 : 3;
        if (isPunct(toks[j], '(')) {
          const close = closeOf(toks, j, -1);
          if (close > 0) {
            put(t.start, toks[close].end, '');
            i = close;
          }
        }
        continue;
      }
      // null-safe equality: an equality for index purposes
      if (t.kind === 'op' && t.value === '<=>') {
        put(t.start, t.end, '=');
        continue;
      }
      // STRAIGHT_JOIN: a join (→ JOIN) or a SELECT modifier (→ nothing)
      if (isWord(t, 'straight_join')) {
        put(t.start, t.end, isWord(toks[i - 1], 'select') ? '' : 'JOIN');
        continue;
      }
      // INSERT ... VALUES (...) AS new [(cols)] ON DUPLICATE KEY UPDATE: drop the row alias
      if (isWord(t, 'as') && t.depth === 0 && isPunct(toks[i - 1], ')') && isWord(toks[0], 'insert', 'replace') && isName(toks[i + 1])) {
        let j = i + 2;
        if (isPunct(toks[j], '(')) j = closeOf(toks, j, j) + 1;
        if (isWord(toks[j], 'on') && isWord(toks[j + 1], 'duplicate')) {
          put(t.start, toks[j - 1].end, '');
          i = j - 1;
        }
      }
      continue;
    }
    // SQLite
    if (t.dqString) {
      const body = raw.slice(1, -1);
      if (raw.length >= 2 && raw.endsWith('"') && !/["'\n]/.test(body)) put(t.start, t.end, "'" + body + "'");
      continue;
    }
    if (t.kind === 'ident' && (raw[0] === '"' || raw[0] === '[')) {
      const body = raw.slice(1, -1);
      if (raw.length >= 2 && !/[`"\]\n]/.test(body) && (raw.endsWith('"') || raw.endsWith(']'))) put(t.start, t.end, '`' + body + '`');
      continue;
    }
    if (t.kind === 'param') {
      const limitCtx = isWord(toks[i - 1], 'limit', 'offset') || (isPunct(toks[i - 1], ',') && toks[i - 2]?.kind === 'param' && isWord(toks[i - 3], 'limit'));
      if (limitCtx) put(t.start, t.end, '1');
      else if (/^\?[0-9]+$/.test(raw)) put(t.start, t.end, '?');
      else if (raw[0] === '$' && /^\$[0-9]+$/.test(raw)) put(t.start, t.end, '?');
      continue;
    }
    if (t.kind !== 'word') continue;
    switch (t.value) {
      case 'full':
      case 'right':
        if (isWord(toks[i + 1], 'join', 'outer')) put(t.start, t.end, 'LEFT');
        break;
      case 'except':
      case 'intersect':
        if (!isPunct(toks[i + 1], '(') || isWord(toks[i + 2], 'select')) put(t.start, t.end, 'UNION');
        break;
      case 'returning':
        if (t.depth === 0) {
          blankTo(t.start, text.length);
          return result();
        }
        break;
      case 'on':
        if (isWord(toks[i + 1], 'conflict') && t.depth === 0 && (isWord(toks[0], 'insert', 'replace') || isWord(toks[0], 'with'))) {
          const ret = toks.findIndex((x, k) => k > i && x.depth === 0 && isWord(x, 'returning'));
          blankTo(t.start, ret > 0 ? toks[ret].start : text.length);
          if (ret < 0) return result();
          i = ret - 1;
        }
        break;
      case 'match':
        if (!isPunct(toks[i + 1], '(')) put(t.start, t.end, 'LIKE');
        break;
      case 'glob':
        put(t.start, t.end, 'LIKE');
        break;
      case 'collate':
        if (isName(toks[i + 1]) && !(toks[0] && isWord(toks[0], 'create') && !toks.some((x) => isWord(x, 'select')))) {
          put(t.start, toks[i + 1].end, '');
          i++;
        }
        break;
      case 'indexed':
        if (isWord(toks[i + 1], 'by') && isName(toks[i + 2])) {
          put(t.start, toks[i + 2].end, '');
          i += 2;
        }
        break;
      case 'not':
        if (isWord(toks[i + 1], 'indexed')) {
          put(t.start, toks[i + 1].end, '');
          i++;
        }
        break;
      case 'default':
        if (isWord(toks[i + 1], 'values') && isWord(toks[0], 'insert', 'replace')) put(t.start, toks[i + 1].end, 'VALUES (NULL)');
        break;
      case 'or':
        // UPDATE OR IGNORE / REPLACE / ROLLBACK / ABORT / FAIL
        if (i === 1 && isWord(toks[0], 'update') && isWord(toks[2], 'ignore', 'replace', 'rollback', 'abort', 'fail')) {
          put(t.start, toks[2].end, '');
          i = 2;
        }
        break;
    }
  }
  return result();
}
