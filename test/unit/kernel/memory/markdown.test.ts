/** The lossless markdown section model: offsets, fences, line endings, BOM, edits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendLines,
  detectEol,
  findSection,
  insertLinesAfter,
  normalizeTitle,
  ownBodyEndLine,
  parseMarkdown,
  replaceLines,
  subSections,
} from '../../../../src/kernel/memory/markdown.js';

test('lines keep exact offsets and endings (LF, CRLF, no trailing newline, BOM)', () => {
  const text = '\uFEFFa\r\nb\n\nc';
  const doc = parseMarkdown(text);
  assert.equal(doc.bom, true);
  assert.equal(doc.trailingNewline, false);
  assert.deepEqual(
    doc.lines.map((l) => [l.text, l.eol, l.start, l.end, l.next]),
    [
      ['a', '\r\n', 1, 2, 4],
      ['b', '\n', 4, 5, 6],
      ['', '\n', 6, 6, 7],
      ['c', '', 7, 8, 8],
    ],
  );
  assert.equal(parseMarkdown('').lines.length, 0);
  assert.equal(parseMarkdown('\uFEFF').lines.length, 0);
  assert.equal(parseMarkdown('x\n').trailingNewline, true);
});

test('detectEol picks the dominant ending, LF by default', () => {
  const cases: [string, string][] = [
    ['', '\n'],
    ['a', '\n'],
    ['a\r\nb\r\nc\n', '\r\n'],
    ['a\nb\nc\r\n', '\n'],
    ['a\r\n', '\r\n'],
  ];
  for (const [t, want] of cases) assert.equal(detectEol(t), want, JSON.stringify(t));
});

test('normalizeTitle: case, spaces, &/and, emphasis and trailing colon', () => {
  const same = ['Infrastructure & Performance', 'infrastructure  &  performance', 'INFRASTRUCTURE and Performance', 'Infrastructure &amp; Performance', '**Infrastructure & Performance**:', ' Infrastructure&Performance '];
  for (const s of same) assert.equal(normalizeTitle(s), 'infrastructure & performance', s);
  assert.notEqual(normalizeTitle('Infrastructure Performance'), 'infrastructure & performance');
});

interface SectionCase {
  name: string;
  text: string;
  title: string;
  level?: number;
  /** [heading line, body start line, end line] or undefined when not found. */
  want?: [number, number, number];
}

const SECTION_CASES: SectionCase[] = [
  { name: 'simple', text: '# T\n## A\nx\n## B\n', title: 'a', want: [1, 2, 3] },
  { name: 'runs to EOF', text: '# T\n## A\nx\ny', title: 'A', want: [1, 2, 4] },
  { name: 'deeper headings stay inside', text: '## A\n### S\nx\n#### d\n## B', title: 'A', want: [0, 1, 4] },
  { name: 'higher level ends it', text: '## A\nx\n# Top\n## B', title: 'A', want: [0, 1, 2] },
  { name: 'closing #s and trailing spaces', text: '##   A   ##   \nx\n', title: 'A', want: [0, 1, 2] },
  { name: 'up to 3 spaces of indentation', text: '   ## A\nx', title: 'A', want: [0, 1, 2] },
  { name: '4 spaces is not a heading', text: '    ## A\nx', title: 'A' },
  { name: 'no space after # is not a heading', text: '##A\n', title: 'A' },
  { name: 'heading in ``` fence ignored', text: '```md\n## A\n```\n## A\nreal', title: 'A', want: [3, 4, 5] },
  { name: 'heading in ~~~ fence ignored', text: '~~~\n## A\n~~~\n## A\n', title: 'A', want: [3, 4, 4] },
  { name: 'longer fence needs a longer close', text: '````\n```\n## A\n````\n## A\n', title: 'A', want: [4, 5, 5] },
  { name: 'tilde fence not closed by backticks', text: '~~~\n```\n## A\n~~~\n## A\n', title: 'A', want: [4, 5, 5] },
  { name: 'unclosed fence is plain text', text: '```\n## A\nx', title: 'A', want: [1, 2, 3] },
  { name: 'fence inside section does not end it', text: '## A\n```\n## B\n```\nx\n## C', title: 'A', want: [0, 1, 5] },
  { name: 'prefers the requested level', text: '### A\n## A\n', title: 'A', level: 2, want: [1, 2, 2] },
  { name: 'falls back to another level', text: '# X\n### A\ny\n', title: 'A', level: 2, want: [1, 2, 3] },
  { name: 'level 6 not accepted as a section', text: '###### A\n', title: 'A' },
  { name: 'CRLF', text: '## A\r\nx\r\n## B\r\n', title: 'a', want: [0, 1, 2] },
  { name: 'BOM before the heading', text: '\uFEFF## A\nx', title: 'A', want: [0, 1, 2] },
];

for (const c of SECTION_CASES) {
  test(`findSection: ${c.name}`, () => {
    const doc = parseMarkdown(c.text);
    const s = findSection(doc, c.title, c.level !== undefined ? { level: c.level } : {});
    if (!c.want) return assert.equal(s, undefined);
    assert.ok(s, 'section found');
    assert.deepEqual([s.headingLine, s.bodyStartLine, s.endLine], c.want);
    // Offsets agree with the lines.
    assert.equal(s.start, doc.lines[s.headingLine].start);
    assert.equal(s.bodyStart, doc.lines[s.headingLine].next);
    assert.equal(s.end, s.endLine < doc.lines.length ? doc.lines[s.endLine].start : c.text.length);
  });
}

test('sub-sections, nested search and own body', () => {
  const text = ['# T', '## Infra', 'intro', '### One', 'a', '#### Deep', 'b', '### Two', 'c', '## Next', '### One'].join('\n');
  const doc = parseMarkdown(text);
  const sec = findSection(doc, 'infra');
  assert.ok(sec);
  assert.deepEqual(subSections(doc, sec).map((s) => [s.title, s.headingLine, s.endLine]), [
    ['One', 3, 7],
    ['Two', 7, 9],
  ]);
  const one = findSection(doc, 'one', { within: sec });
  assert.ok(one);
  assert.equal(one.headingLine, 3);
  assert.equal(ownBodyEndLine(doc, one), 5);
  const deep = findSection(doc, 'deep', { within: sec });
  assert.equal(deep?.endLine, 7);
  // Not found outside the section it is asked within.
  assert.equal(findSection(doc, 'Next', { within: sec }), undefined);
});

test('insertLinesAfter: uses the file line ending and keeps the trailing-newline state', () => {
  const cases: [string, number, string[], string][] = [
    ['a\r\nb\r\n', 0, ['x'], 'a\r\nx\r\nb\r\n'],
    ['a\nb', 1, ['x', 'y'], 'a\nb\nx\ny'],
    ['a\nb\n', 1, ['x'], 'a\nb\nx\n'],
    ['\uFEFFa\n', -1, ['x'], '\uFEFFx\na\n'],
    ['\uFEFF', -1, ['x'], '\uFEFFx'],
  ];
  for (const [t, after, lines, want] of cases) assert.equal(insertLinesAfter(parseMarkdown(t), after, lines), want, JSON.stringify(t));
});

test('replaceLines: replaces content only; removal keeps the trailing-newline state', () => {
  const cases: [string, number, number, string[], string][] = [
    ['a\r\nb\r\nc\r\n', 1, 1, ['x', 'y'], 'a\r\nx\r\ny\r\nc\r\n'],
    ['a\nb\nc', 1, 2, ['x'], 'a\nx'],
    ['a\nb\nc\n', 1, 1, [], 'a\nc\n'],
    ['a\nb\nc', 1, 2, [], 'a'],
    ['a', 0, 0, [], ''],
  ];
  for (const [t, from, to, lines, want] of cases) assert.equal(replaceLines(parseMarkdown(t), from, to, lines), want, JSON.stringify(t));
});

test('appendLines: one blank line before, none added after an existing blank line', () => {
  const cases: [string, string][] = [
    ['a\n', 'a\n\nX\n'],
    ['a', 'a\n\nX'],
    ['a\n\n', 'a\n\nX\n'],
    ['a\r\n', 'a\r\n\r\nX\r\n'],
    ['', 'X\n'],
  ];
  for (const [t, want] of cases) assert.equal(appendLines(parseMarkdown(t), ['X']), want, JSON.stringify(t));
});
