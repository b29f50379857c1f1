import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_DEPTH, parseNginx, scanLuaBlock } from '../../../src/analyzers/nginx/parser.js';
import type { NginxDirective } from '../../../src/analyzers/nginx/model.js';

type Shape = [string, string[], Shape[]?];
const shape = (ds: NginxDirective[]): Shape[] => ds.map((d) => (d.block && !d.opaque ? [d.name, d.args.map((a) => a.value), shape(d.block)] : [d.name, d.args.map((a) => a.value)]));

test('blocks, directives, comments and spans', () => {
  const text = 'http {\n  # a comment\n  gzip on; # trailing\n  server { listen 80; }\n}\n';
  const p = parseNginx(text, 'n.conf');
  assert.deepEqual(p.errors, []);
  assert.deepEqual(shape(p.directives), [['http', [], [['gzip', ['on']], ['server', [], [['listen', ['80']]]]]]]);
  const http = p.directives[0];
  assert.equal(text.slice(http.span.start, http.span.end), text.trimEnd());
  const gzip = http.block![0];
  assert.equal(text.slice(gzip.span.start, gzip.span.end), 'gzip on;');
  assert.equal(text.slice(gzip.nameSpan.start, gzip.nameSpan.end), 'gzip');
  assert.equal(gzip.semi, text.indexOf('on;') + 2);
  assert.equal(gzip.file, 'n.conf');
  const server = http.block![1];
  assert.equal(text[server.open!], '{');
  assert.equal(text[server.close!], '}');
});

test('quoted strings: escapes, both quotes, raw text and spans', () => {
  const text = 'add_header X "a \\"b\\" \\\\ \\t;{}" always;\nreturn 200 \'it\\\'s\';\n';
  const p = parseNginx(text, 'n.conf');
  assert.deepEqual(p.errors, []);
  const [h, r] = p.directives;
  assert.deepEqual(h.args.map((a) => a.value), ['X', 'a "b" \\ \t;{}', 'always']);
  assert.equal(h.args[1].quote, '"');
  assert.equal(text.slice(h.args[1].span.start, h.args[1].span.end), h.args[1].raw);
  assert.deepEqual(r.args.map((a) => a.value), ['200', "it's"]);
});

test('words: ${var} keeps its braces, # inside a word is not a comment, backslash escapes', () => {
  const p = parseNginx('set $a ${host}x;\nlocation ~ ^/a\\{2\\}#b$ { }\nroot /x#y; # real comment\n', 'n.conf');
  assert.deepEqual(p.errors, []);
  assert.deepEqual(shape(p.directives), [['set', ['$a', '${host}x']], ['location', ['~', '^/a\\{2\\}#b$'], []], ['root', ['/x#y']]]);
});

test('an unquoted regex with { is cut like nginx cuts it', () => {
  // nginx itself reads `location ~ ^/\d{4}/ {` as a block opened after "^/\d": the regex must be quoted.
  const p = parseNginx('location ~ ^/\\d{4}/ { }\n', 'n.conf');
  assert.equal(p.directives[0].args[1].value, '^/\\d');
  assert.ok(p.errors.length > 0);
});

test('Lua blocks are opaque: braces in strings, comments and long strings', () => {
  const body = ' local s = "}" -- } here\n  local t = { [[ } ]], \'{\' } --[==[ } ]==]\n  ngx.say(s) ';
  const text = `content_by_lua_block {${body}}\nnext_directive 1;\n`;
  const p = parseNginx(text, 'n.conf');
  assert.deepEqual(p.errors, []);
  const lua = p.directives[0];
  assert.equal(text.slice(lua.opaque!.start, lua.opaque!.end), body);
  assert.deepEqual(lua.block, []);
  assert.equal(p.directives[1].name, 'next_directive');
  assert.equal(scanLuaBlock('{ a = { b } ', 0), -1);
});

test('recovery: the rest of the file is still read after each kind of error', () => {
  const cases: [string, RegExp, Shape[]][] = [
    ['}\nserver { listen 80; }\n', /Unexpected "}"/, [['server', [], [['listen', ['80']]]]]],
    ['; gzip on;\n', /Unexpected ";"/, [['gzip', ['on']]]],
    ['{ a b; }\ngzip on;\n', /Unexpected "{"/, [['gzip', ['on']]]],
    ['server { listen 80 }\ngzip on;\n', /not terminated by ";"/, [['server', [], [['listen', ['80']]]], ['gzip', ['on']]]],
    ['gzip on\ngzip_types text/css;\n', /Missing ";" at the end of the "gzip"/, [['gzip', ['on']], ['gzip_types', ['text/css']]]],
    ['server {\n  listen 80\n  location / { root x; }\n}\n', /Missing ";" at the end of the "listen"/, [['server', [], [['listen', ['80']], ['location', ['/'], [['root', ['x']]]]]]]],
    ['add_header X "open;\ngzip on;\n', /Unterminated double-quoted string/, [['add_header', ['X', 'open;']], ['gzip', ['on']]]],
    ['add_header X "a"b;\n', /Unexpected "b" right after a quoted string/, [['add_header', ['X', 'a', 'b']]]],
    ['http {\n  gzip on;\n', /"http" block opened here is never closed/, [['http', [], [['gzip', ['on']]]]]],
  ];
  for (const [text, message, expected] of cases) {
    const p = parseNginx(text, 'n.conf');
    assert.ok(p.errors.some((e) => message.test(e.message)), `${JSON.stringify(text)}: ${p.errors.map((e) => e.message).join(' | ')}`);
    assert.deepEqual(shape(p.directives), expected, JSON.stringify(text));
    for (const e of p.errors) assert.ok(e.span.start >= 0 && e.span.end <= text.length && e.span.start <= e.span.end);
  }
});

test('errors are capped per file', () => {
  const p = parseNginx('}\n'.repeat(500), 'n.conf');
  assert.equal(p.errors.length, 50);
  assert.equal(p.omittedErrors, 450);
});

test('deep nesting: kept to MAX_DEPTH, braces still balanced, no stack overflow', () => {
  const n = 100_000;
  const text = `${'a {'.repeat(n)}${'}'.repeat(n)}\ngzip on;\n`;
  const t0 = performance.now();
  const p = parseNginx(text, 'n.conf');
  assert.ok(performance.now() - t0 < 2000);
  assert.deepEqual(p.errors.map((e) => e.kind), ['depth-limit']);
  let depth = 0;
  for (let d: NginxDirective | undefined = p.directives[0]; d; d = d.block?.[0]) depth++;
  assert.equal(depth, MAX_DEPTH + 1);
  assert.equal(p.directives[1].name, 'gzip');
});

test('a 5 MB config parses in bounded time', () => {
  const unit = 'server {\n    listen 80;\n    server_name example.com www.example.com;\n    location ~* \\.(css|js)$ { expires 7d; add_header Cache-Control "public"; }\n}\n';
  const text = unit.repeat(Math.ceil((5 * 1024 * 1024) / unit.length));
  const t0 = performance.now();
  const p = parseNginx(text, 'big.conf');
  const ms = performance.now() - t0;
  assert.equal(p.errors.length, 0);
  assert.ok(p.directives.length > 30_000);
  assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
});

test('never throws, spans stay inside the text (property)', () => {
  const alphabet = fc.constantFrom('{', '}', ';', '"', "'", '\\', '#', '$', ' ', '\n', 'a', 'gzip', 'on', 'location', '_by_lua_block', '[[', ']]', '--', '\u0000', 'é');
  fc.assert(fc.property(fc.array(alphabet, { maxLength: 200 }), (parts) => {
    const text = parts.join('');
    const p = parseNginx(text, 'f.conf');
    const check = (ds: NginxDirective[]): void => {
      for (const d of ds) {
        assert.ok(d.span.start >= 0 && d.span.end <= text.length && d.span.start <= d.span.end);
        assert.ok(d.nameSpan.start >= d.span.start);
        if (d.block) check(d.block);
      }
    };
    check(p.directives);
    for (const e of p.errors) assert.ok(e.span.start >= 0 && e.span.end <= text.length);
  }), { numRuns: 500 });
});
