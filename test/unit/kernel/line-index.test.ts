import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../src/kernel/text.js';

/** The reference: one line break per LF, CRLF or lone CR, found a character at a time. */
function starts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    if (text[i] === '\n' || text[i] === '\r') out.push(i + 1);
  }
  return out;
}

test('LineIndex agrees with a character-by-character scan on LF, CRLF, lone CR and mixed text', () => {
  const cases = ['', '\n', '\r', '\r\n', 'a', 'a\nb', 'a\r\nb\r\n', 'a\rb', 'a\r\nb\rc\nd', '\n\n\r\r\n\r', 'x\r\n'];
  let seed = 1;
  const rnd = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let k = 0; k < 300; k++) cases.push(Array.from({ length: Math.floor(rnd() * 20) }, () => ['a', '\n', '\r', '\r\n', 'bc'][Math.floor(rnd() * 5)]).join(''));
  for (const text of cases) {
    const expected = starts(text);
    const li = new LineIndex(text);
    assert.equal(li.lineCount, expected.length, JSON.stringify(text));
    for (let line = 0; line < expected.length; line++) {
      assert.deepEqual(li.positionAt(expected[line]), { line, character: 0 }, JSON.stringify(text));
      assert.equal(li.offsetAt({ line, character: 0 }), expected[line]);
    }
    assert.deepEqual(li.positionAt(text.length), { line: expected.length - 1, character: text.length - expected[expected.length - 1] });
  }
});

test('isProbablyBinary: a NUL in the first 8,000 characters, not later', async () => {
  const { isProbablyBinary } = await import('../../../src/kernel/text.js');
  assert.equal(isProbablyBinary(''), false);
  assert.equal(isProbablyBinary('SELECT 1;\n'.repeat(2000)), false);
  assert.equal(isProbablyBinary('PK\u0003\u0004\u0000\u0000'), true);
  assert.equal(isProbablyBinary(`${'x'.repeat(7999)}\u0000`), true);
  assert.equal(isProbablyBinary(`${'x'.repeat(8000)}\u0000`), false);
});
