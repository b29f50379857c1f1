import { configRuleTests } from '../apache/config-rule-tester.js';

configRuleTests('hosting-config-invalid', {
  valid: [
    { name: 'valid configs', files: { 'vercel.json': '{ "headers": [] }', 'netlify.toml': '[build]\npublish = "dist"\n', '_headers': '# comment\n/*\n  X-Frame-Options: DENY\n  ! Cache-Control\n', 'firebase.json': '{\n  // comments are fine: the Firebase CLI reads firebase.json with cjson\n  "hosting": { "public": "dist" }\n}\n' } },
    { name: 'an absolute URL path in _headers', files: { '_headers': 'https://:project.pages.dev/*\n  X-Robots-Tag: noindex\n' } },
  ],
  invalid: [
    {
      name: 'vercel.json with a trailing comma: at the error position',
      files: { 'vercel.json': '{\n  "headers": [\n    { "source": "/a", "headers": [] },\n  ]\n}\n' },
      errors: [{ line: 4, column: 3, endColumn: 4, severity: 'warning', message: /^vercel\.json is not valid JSON: a value is expected here \(a trailing comma or a missing value\?\)\. Vercel rejects the deployment\.$/ }],
    },
    {
      name: 'vercel.json with a comment',
      files: { 'vercel.json': '{\n  // cache\n  "cleanUrls": true\n}\n' },
      errors: [{ line: 2, column: 3, endColumn: 11, message: /comments are not allowed in JSON/ }],
    },
    {
      name: 'unbalanced braces',
      files: { 'vercel.json': '{\n  "headers": [\n    { "source": "/a", "headers": []\n  ]\n}\n' },
      errors: [{ line: 4, column: 3, message: /"}" is expected|"," is expected/ }],
    },
    {
      name: 'nesting deep enough to overflow a recursive parser is reported, not parsed',
      files: { 'vercel.json': '{"a":'.repeat(100000), 'package.json': '['.repeat(100000) },
      errors: [{ line: 1, column: 1001, endColumn: 1002, message: /vercel\.json is nested more than 200 levels deep; it is not analysed/ }],
    },
    { name: 'an empty vercel.json', files: { 'vercel.json': '' }, errors: [{ line: 1, column: 1, message: /vercel\.json is not valid JSON: the file is empty/ }] },
    { name: 'vercel.json holding an array', files: { 'vercel.json': '[]' }, errors: [{ line: 1, column: 1, endColumn: 3, message: /vercel\.json must contain a JSON object/ }] },
    {
      name: 'vercel.json mixing "routes" and "headers"',
      files: { 'vercel.json': '{ "routes": [], "headers": [] }' },
      errors: [{ line: 1, column: 3, endColumn: 11, message: /cannot use "routes" together with "headers"/ }],
    },
    {
      name: 'vercel.json header entries without source or value',
      files: { 'vercel.json': '{ "headers": [{ "headers": [] }, { "source": "/a", "headers": [{ "key": "Cache-Control" }] }, { "source": "/b", "headers": {} }] }' },
      errors: [
        { line: 1, column: 15, endColumn: 32, message: /each "headers" entry needs a string "source"/ },
        { line: 1, column: 64, endColumn: 90, message: /each header needs a string "key" and a string "value"/ },
        { line: 1, column: 124, endColumn: 126, message: /"headers" must be an array/ },
      ],
    },
    {
      name: 'netlify.toml with an unterminated string: at the error position',
      files: { 'netlify.toml': '[build]\n  publish = "dist\n' },
      errors: [{ line: 2, column: 17, endColumn: 18, message: /^netlify\.toml is not valid TOML: a string is not closed before the end of the line\. Netlify fails the deploy\.$/ }],
    },
    {
      name: 'netlify.toml with a broken table header',
      files: { 'netlify.toml': '[[headers]\n  for = "/*"\n' },
      errors: [{ line: 1, column: 10, endColumn: 11, message: /netlify\.toml is not valid TOML: expected end of table array declaration/ }],
    },
    {
      name: 'netlify.toml [[headers]] without "for"',
      files: { 'netlify.toml': '[[headers]]\n  [headers.values]\n    X-Frame-Options = "DENY"\n' },
      errors: [{ line: 1, column: 1, endColumn: 12, message: /has no "for" path, so Netlify ignores it/ }],
    },
    {
      name: '_headers problems: a header before any path, a line without ":", a header not indented',
      files: { 'public/_headers': '  X-Frame-Options: DENY\n/*\n  Strict-Transport-Security max-age=1\nCache-Control: no-cache\n' },
      errors: [
        { file: 'public/_headers', line: 1, column: 3, endColumn: 24, message: /header line with no URL path above it/ },
        { line: 3, column: 3, endColumn: 38, message: /is not a header: write "Name: value"/ },
        { line: 4, column: 1, endColumn: 24, message: /looks like a header but is not indented/ },
      ],
    },
    {
      name: 'firebase.json syntax error and a header entry without a pattern',
      files: { 'firebase.json': '{ "hosting": { "public": "dist" ', 'site/firebase.json': '{ "hosting": [{ "headers": [{ "headers": [] }] }, 3] }' },
      errors: [
        { file: 'firebase.json', line: 1, column: 33, message: /firebase\.json is not valid JSON: "}" is expected: the braces are unbalanced\. The Firebase CLI refuses to deploy\./ },
        { file: 'site/firebase.json', line: 1, column: 29, endColumn: 46, message: /hosting\[0\]: each "headers" entry needs a "source" \(glob\) or "regex" pattern/ },
        { file: 'site/firebase.json', line: 1, column: 51, endColumn: 52, message: /hosting\[1\] must be an object/ },
      ],
    },
  ],
});
