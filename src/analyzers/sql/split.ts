import type { Dialect, Span } from './types.js';

export interface RawStatement {
  /** Span of the statement text, without the terminating `;` and surrounding blank space/comments-only prefix. */
  span: Span;
  text: string;
}

/**
 * Splits SQL text into statements on top-level `;`, honouring quotes ('', "", ``, [] in SQLite),
 * comments (--, /* *\/ nested in PostgreSQL, # in MySQL), PostgreSQL dollar quoting, MySQL
 * `DELIMITER` directives and `BEGIN ... END` bodies of SQLite/MySQL triggers.
 * It never throws: an unterminated quote or comment runs to the end of the text; an unterminated
 * block comment is reported in `problems` (everything after it is not analysed).
 */
export function splitStatements(text: string, dialect: Dialect, problems?: { message: string; span: Span }[]): RawStatement[] {
  const out: RawStatement[] = [];
  const n = text.length;
  let i = 0;
  let stmtStart = -1; // offset of the first significant character of the current statement
  let delimiter = ';';
  let beginDepth = 0; // BEGIN ... END nesting inside CREATE TRIGGER / PROCEDURE bodies
  let createRoutine = false;
  let lastWord = '';
  /** Does the current statement start with CREATE (known from its first word on)? Only CREATE statements have bodies. */
  let createStatement: boolean | undefined;
  /** PostgreSQL `BEGIN ATOMIC … END` routine body (SQL-standard, PostgreSQL 14+): 'open' until its END. */
  let atomic: 'no' | 'open' | 'closed' | undefined;

  const push = (end: number): void => {
    if (stmtStart >= 0) {
      let e = end;
      while (e > stmtStart && /\s/.test(text[e - 1])) e--;
      if (e > stmtStart) out.push({ span: { start: stmtStart, end: e }, text: text.slice(stmtStart, e) });
    }
    stmtStart = -1;
    beginDepth = 0;
    createRoutine = false;
    lastWord = '';
    createStatement = undefined;
    atomic = undefined;
  };

  // Inside a statement whose words do not matter (every PostgreSQL statement, MySQL/SQLite ones but
  // CREATE), only quotes, comments and the delimiter do: jump to the next of those with a regex.
  let skip = ordinaryRun(dialect, delimiter);
  while (i < n) {
    if (stmtStart >= 0 && (dialect === 'postgresql' || createStatement === false)) {
      skip.lastIndex = i;
      if (skip.test(text)) {
        i = skip.lastIndex;
        if (i >= n) break;
      }
    }
    const c = text[i];
    // line comments
    if ((c === '-' && text[i + 1] === '-') || (c === '#' && dialect === 'mysql')) {
      // `-- name: x` (sqlc, yesql, goyesql, HugSQL, PugSQL) starts the next query even when the one
      // before has no `;`: those tools load each named query on its own.
      if (stmtStart >= 0 && c === '-' && (i === 0 || text[i - 1] === '\n') && /^--[ \t]*name:/i.test(text.slice(i, i + 16))) push(i);
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const from = i;
      i = blockCommentEnd(text, i + 2, dialect === 'postgresql');
      if (i >= n && problems && !text.endsWith('*/')) problems.push({ message: 'This /* comment is never closed: the rest of the file is part of it and is not analysed', span: { start: from, end: from + 2 } });
      continue;
    }
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    // MySQL client DELIMITER directive at the start of a statement
    if (stmtStart < 0 && dialect === 'mysql' && (c === 'd' || c === 'D') && /^delimiter[ \t]+/i.test(text.slice(i, i + 10))) {
      const nl = text.indexOf('\n', i);
      const line = text.slice(i, nl < 0 ? n : nl).trim();
      delimiter = line.split(/\s+/)[1] || ';';
      skip = ordinaryRun(dialect, delimiter);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    // psql meta-commands (\\c db, \\set x, \\i file) are client commands, not SQL: skip the line.
    if (stmtStart < 0 && dialect === 'postgresql' && c === '\\') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (stmtStart < 0) stmtStart = i;
    if (text.startsWith(delimiter, i) && dialect === 'postgresql' && atomic !== 'closed' && atomic !== 'no') {
      // The body's statements end with `;`; the body itself with an END right after one of them.
      atomic ??= /^CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|PROCEDURE)\b/i.test(text.slice(stmtStart, stmtStart + 40)) && /\bBEGIN\s+ATOMIC\b/i.test(text.slice(stmtStart, i)) && !/\$[A-Za-z_]*\$/.test(text.slice(stmtStart, i)) ? 'open' : 'no';
      if (atomic === 'open') {
        if (/^(?:\s|--[^\n]*\n)*END\b/i.test(text.slice(i + 1, i + 400))) atomic = 'closed';
        i++;
        continue;
      }
    }
    if (text.startsWith(delimiter, i) && (delimiter !== ';' || beginDepth === 0)) {
      const copyFromStdin = dialect === 'postgresql' && /^COPY\b[\s\S]*\bFROM\s+STDIN\b/i.test(text.slice(stmtStart, i));
      push(i);
      i += delimiter.length;
      if (copyFromStdin) {
        // pg_dump data follows, up to a line holding only \\.
        const end = text.indexOf('\n\\.', i);
        i = end < 0 ? n : end + 3;
      }
      continue;
    }
    if (c === "'" || c === '"' || c === '`' || (c === '[' && dialect === 'sqlite')) {
      const close = c === '[' ? ']' : c;
      const backslash = c === "'" && (dialect === 'mysql' || (dialect === 'postgresql' && (text[i - 1] === 'e' || text[i - 1] === 'E')));
      i = quoteEnd(text, i + 1, close, backslash) + 1;
      lastWord = '';
      continue;
    }
    if (c === '$' && dialect === 'postgresql') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (m && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
        const tag = m[0];
        const close = text.indexOf(tag, i + tag.length);
        i = close < 0 ? n : close + tag.length;
        continue;
      }
    }
    if (isIdentStart(code)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      if (dialect !== 'postgresql') createStatement ??= /^CREATE\b/i.test(text.slice(stmtStart, stmtStart + 6));
      if (!createStatement) {
        i = j;
        continue;
      }
      const word = text.slice(i, j).toUpperCase();
      {
        if (word === 'TRIGGER' || word === 'PROCEDURE' || word === 'FUNCTION' || word === 'EVENT') {
          createRoutine = true;
        } else if (createRoutine && (word === 'BEGIN' || word === 'CASE') && !(word === 'CASE' && beginDepth === 0)) {
          beginDepth++;
        } else if (createRoutine && word === 'END' && beginDepth > 0 && lastWord !== 'END') {
          // `END IF` / `END LOOP` / `END CASE` close inner blocks that did not count; only BEGIN/CASE count.
          const rest = /^\s*(IF|LOOP|WHILE|REPEAT)\b/i.test(text.slice(j, j + 12));
          if (!rest) beginDepth--;
        }
      }
      lastWord = word;
      i = j;
      continue;
    }
    i++;
  }
  push(n);
  return out;
}

const ORDINARY_RUNS = new Map<string, RegExp>();

/**
 * A sticky regex over a run of characters that cannot start a quote, a comment, a dollar quote or
 * the delimiter. PostgreSQL identifiers are taken whole (`a$b$` is a name, not a dollar quote).
 */
function ordinaryRun(dialect: Dialect, delimiter: string): RegExp {
  const key = `${dialect}\u0000${delimiter[0] ?? ';'}`;
  let re = ORDINARY_RUNS.get(key);
  if (!re) {
    const literal = `-/'"\`${dialect === 'mysql' ? '#' : ''}${dialect === 'sqlite' ? '[' : ''}${dialect === 'postgresql' ? '$_' : ''}${delimiter[0] ?? ';'}`;
    const cls = `[^${literal.replace(/[\]\\^-]/g, '\\$&')}${dialect === 'postgresql' ? 'A-Za-z' : ''}]`;
    re = new RegExp(dialect === 'postgresql' ? `(?:[A-Za-z_][A-Za-z0-9_$]*|${cls})+` : `${cls}+`, 'y');
    ORDINARY_RUNS.set(key, re);
  }
  return re;
}

/**
 * Offset of the quote closing the one opened just before `from` (a doubled quote is an escaped one,
 * except for `]`; with `backslash`, a backslash escapes the next character); `text.length` when it
 * is not closed.
 */
export function quoteEnd(text: string, from: number, close: string, backslash: boolean): number {
  const n = text.length;
  let j = from;
  let k = -1; // the next `close` at or after j
  while (j < n) {
    if (k < j) k = text.indexOf(close, j);
    if (k < 0) return n;
    if (backslash) {
      // a backslash before the quote escapes the character after it (looked for within the literal
      // only: a search of the whole text for the next backslash would make a dump quadratic)
      let b = j;
      while (b < k && text.charCodeAt(b) !== 92) b++;
      if (b < k) {
        j = b + 2;
        continue;
      }
    }
    if (close !== ']' && text[k + 1] === close) {
      j = k + 2;
      continue;
    }
    return k;
  }
  return n;
}

/**
 * Offset just past the `*\/` closing the block comment whose body starts at `from`; with `nested`
 * (PostgreSQL), inner `/*` open comments of their own. `text.length` when it is not closed.
 */
export function blockCommentEnd(text: string, from: number, nested: boolean): number {
  const n = text.length;
  let depth = 1;
  let j = from;
  while (j < n && depth > 0) {
    if (text[j] === '*' && text[j + 1] === '/') {
      depth--;
      j += 2;
    } else if (nested && text[j] === '/' && text[j + 1] === '*') {
      depth++;
      j += 2;
    } else j++;
  }
  return j;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 160 || c === 0xfeff;
}
function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}
