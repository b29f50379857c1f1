/**
 * The TextMate grammar and language configuration the extension contributes for nginx files:
 * valid JSON, every regex compiles, known directives are highlighted as such. (Tokenization was
 * checked against vscode-textmate + vscode-oniguruma; those are not dependencies of the project.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KNOWN_DIRECTIVES } from '../../../src/analyzers/nginx/directives.js';

const ROOT = join(__dirname, '..', '..', '..');
const grammar = JSON.parse(readFileSync(join(ROOT, 'syntaxes', 'nginx.tmLanguage.json'), 'utf8')) as { scopeName: string; patterns: unknown[]; repository: Record<string, unknown> };
const langConfig = JSON.parse(readFileSync(join(ROOT, 'syntaxes', 'nginx.language-configuration.json'), 'utf8')) as { comments: { lineComment: string }; brackets: string[][]; autoClosingPairs: unknown[] };

function regexes(node: unknown, out: { key: string; source: string }[] = []): { key: string; source: string }[] {
  if (Array.isArray(node)) for (const x of node) regexes(x, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') out.push({ key: k, source: v });
      else regexes(v, out);
    }
  }
  return out;
}

test('grammar: scope, includes resolve, every regex compiles', () => {
  assert.equal(grammar.scopeName, 'source.nginx');
  const all = regexes(grammar);
  assert.ok(all.length > 20);
  for (const r of all) assert.doesNotThrow(() => new RegExp(r.source.replace(/\(\?<=\[/g, '(?<=[')), `${r.key}: ${r.source.slice(0, 80)}`);
  const includes = JSON.stringify(grammar).match(/"include":"#[\w-]+"/g) ?? [];
  for (const inc of includes) {
    const name = inc.slice('"include":"#'.length, -1);
    assert.ok(name in grammar.repository, `#${name} is defined`);
  }
});

test('grammar: directives, comments, variables, regex locations', () => {
  const repo = grammar.repository as Record<string, { begin?: string; match?: string }>;
  const directive = new RegExp(repo.directive.begin!);
  for (const d of KNOWN_DIRECTIVES) {
    const m = directive.exec(`    ${d} x;`);
    assert.ok(m && m[1] === d, `${d} is a known directive in the grammar`);
  }
  const unknown = directive.exec('my_module_thing on;');
  assert.ok(unknown && unknown[1] === undefined && unknown[2] === 'my_module_thing');
  assert.ok(new RegExp((repo.comment as { match: string }).match).test('gzip on; # note'));
  assert.equal(new RegExp((repo.comment as { match: string }).match).exec('root /x#y;'), null, '# inside a word is not a comment');
  assert.ok(new RegExp(repo.location.begin!).test('    location ~* \\.(css|js)$ {'));
});

test('language configuration: # comments, brackets, auto-closing', () => {
  assert.equal(langConfig.comments.lineComment, '#');
  assert.ok(langConfig.brackets.some(([o, c]) => o === '{' && c === '}'));
  assert.ok(langConfig.autoClosingPairs.length >= 4);
});
