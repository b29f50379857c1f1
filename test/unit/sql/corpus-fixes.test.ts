/**
 * Every quick fix recorded for the SQL corpus (test/golden/corpus-sql.jsonl) is checked where it
 * lands: the file it edits or creates is of the finding's dialect, the statement it writes parses in
 * that dialect, and the columns it names exist in that table in files of that dialect.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSqlFile, StatementParser, type ParsedSqlFile } from '../../../src/analyzers/sql/analyze.js';
import { splitStatements } from '../../../src/analyzers/sql/split.js';

const root = path.resolve(__dirname, '../../..');
const corpus = path.resolve(root, '../shared/corpora/sql');
const golden = process.env.CORPUS_FIXES_GOLDEN ?? path.join(root, 'test/golden/corpus-sql.jsonl');

interface Change { file: string; create?: { newText: string }; edits?: { newText: string }[] }
interface GoldenFinding { ruleId: string; file: string; fixes: { title: string; changes: Change[] }[] }

const parser = new StatementParser();
before(() => parser.ready(['postgresql']));

test('corpus fixes: same dialect, valid SQL there, existing columns', { skip: !existsSync(corpus) && `${corpus} is absent` }, () => {
  const findings = readFileSync(golden, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as GoldenFinding);
  const files = new Map<string, ParsedSqlFile>();
  const parsed = (p: string): ParsedSqlFile | undefined => {
    if (!files.has(p)) {
      const full = path.join(corpus, p);
      if (!existsSync(full)) return undefined;
      files.set(p, parseSqlFile(p, readFileSync(full, 'utf8'), parser));
    }
    return files.get(p);
  };
  let checked = 0;
  const problems: string[] = [];
  for (const f of findings) {
    const from = parsed(f.file);
    if (!from) continue;
    for (const fix of f.fixes) {
      for (const ch of fix.changes) {
        if (!ch.file.endsWith('.sql')) continue;
        // the dialect of the target: an existing file's own, or a new file's from its folder and name
        const target = parsed(ch.file) ?? parseSqlFile(ch.file, ch.create?.newText ?? '', parser);
        const where = `${f.ruleId} ${f.file} → ${ch.file}`;
        if (target.dialect !== from.dialect) problems.push(`${where}: a ${from.dialect} finding fixed in a ${target.dialect} file`);
        const texts = ch.create ? [ch.create.newText] : (ch.edits ?? []).map((e) => e.newText);
        for (const text of texts) {
          for (const raw of splitStatements(text, target.dialect)) {
            if (!/^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\b/i.test(raw.text.replace(/^(?:\s*--[^\n]*\n)+/, ''))) continue;
            checked++;
            const r = parser.parse(target.dialect, raw.text);
            if (r.error) {
              problems.push(`${where}: ${raw.text} does not parse in ${target.dialect}: ${r.error.message}`);
              continue;
            }
            const idx = r.schema?.indexes[0];
            if (!idx) continue;
            // the table's columns in the files of that folder and dialect (migrations add columns)
            const dir = ch.file.slice(0, ch.file.lastIndexOf('/'));
            if (existsSync(path.join(corpus, dir))) for (const n of readdirSync(path.join(corpus, dir))) if (n.endsWith('.sql')) parsed(`${dir}/${n}`);
            const cols = new Set<string>();
            for (const p of files.keys()) {
              const pf = files.get(p)!;
              if (!p.startsWith(`${dir}/`) || pf.dialect !== target.dialect) continue;
              for (const t of pf.fragment.tables) if (t.name === idx.table) for (const c of t.columns) cols.add(c.name);
              for (const a of pf.fragment.addedColumns ?? []) if (a.table === idx.table) cols.add(a.column.name);
            }
            if (!cols.size) continue; // the table is created elsewhere (read below)
            for (const k of idx.keys) if (k.kind === 'column' && !cols.has(k.column)) problems.push(`${where}: column ${idx.table}.${k.column} does not exist there`);
          }
        }
      }
    }
  }
  assert.ok(checked > 100, `only ${checked} fixes checked`);
  assert.deepEqual(problems, []);
});
