/** The Python tokenizer and expression reader used by the Django / SQLAlchemy analyzers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readExpr, statements, stringTokenValue, tokenize } from '../../../src/lang/python/tokenize.js';
import { djangoFacts } from '../../../src/analyzers/pools/django.js';

test('tokens: strings with prefixes and triple quotes, comments, continuation lines', () => {
  const t = tokenize("x = rb'a\\\\' + f\"{y}\"  # c 'q'\ns = '''multi\nline''' \\\n  + 'z'\n");
  assert.deepEqual(t.filter((x) => x.type === 'string').map((x) => x.value), ["rb'a\\\\'", 'f"{y}"', "'''multi\nline'''", "'z'"]);
  assert.equal(statements(t).length, 2);
  assert.equal(stringTokenValue(t.find((x) => x.value === "'z'")!), 'z');
});

test('expressions: dicts, calls with keyword arguments, subscripts, arithmetic', () => {
  const src = "D = {'a': {'n': 60 * 10, 'o': None}, 'b': f(1, k=[2, 3])}\n";
  const tokens = tokenize(src);
  const e = readExpr(tokens, 2).expr;
  assert.equal(e.kind, 'dict');
  if (e.kind !== 'dict') return;
  const a = e.entries[0].value;
  assert.ok(a.kind === 'dict' && a.entries[0].value.kind === 'number' && a.entries[0].value.value === 600);
  const b = e.entries[1].value;
  assert.ok(b.kind === 'call' && b.kwargs[0].name === 'k' && b.kwargs[0].value.kind === 'list');
});

test('django: comprehension, ** unpacking and conditionals are unknown, never guessed', () => {
  const f = djangoFacts("DATABASES = {'default': {**BASE, 'ENGINE': 'x'}, 'r': {'CONN_MAX_AGE': 0 if DEBUG else 60}}\n", tokenize("DATABASES = {'default': {**BASE, 'ENGINE': 'x'}, 'r': {'CONN_MAX_AGE': 0 if DEBUG else 60}}\n"))!;
  assert.deepEqual(f.problems, []);
});

test('garbage never throws and stays linear', () => {
  const junk = `${'{[('.repeat(20000)}"""${"'".repeat(1000)}\\\n`.repeat(3);
  const t0 = performance.now();
  const tokens = tokenize(junk);
  readExpr(tokens, 0);
  djangoFacts(`DATABASES = ${junk}`, tokenize(`DATABASES = ${junk}`));
  assert.ok(performance.now() - t0 < 2000);
});
