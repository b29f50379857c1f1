/**
 * vercel.json and firebase.json read with jsonc-parser's tree, so every header rule and problem
 * has an exact span. vercel.json is strict JSON (comments are an error); firebase.json is read by
 * the Firebase CLI with comments allowed (cjson) but no trailing commas.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { HeaderRule, HostingArtifact, HostingProblem, HostingSite, PatternKind } from './model.js';
import { deepNestingAt, MAX_JSON_DEPTH } from '../../kernel/json.js';

const FRIENDLY: Partial<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name in double quotes is expected here (a trailing comma?)',
  ValueExpected: 'a value is expected here (a trailing comma or a missing value?)',
  ColonExpected: '":" is expected after the property name',
  CommaExpected: '"," is expected between entries',
  CloseBraceExpected: '"}" is expected: the braces are unbalanced',
  CloseBracketExpected: '"]" is expected: the brackets are unbalanced',
  EndOfFileExpected: 'unexpected content after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string (a raw line break or control character?)',
};

export function jsonSyntaxProblem(file: string, text: string, errors: ParseError[], consequence: string): HostingProblem | undefined {
  const e = errors[0];
  if (!e) return undefined;
  const code = printParseErrorCode(e.error);
  const start = Math.min(e.offset, text.length);
  const end = Math.min(text.length, start + Math.max(1, e.length));
  const what = text.trim() ? FRIENDLY[code] ?? code : 'the file is empty';
  return { message: `${file} is not valid JSON: ${what}. ${consequence}`, span: { start, end } };
}

export { MAX_JSON_DEPTH, deepNestingAt };

function tooDeep(file: string, text: string): HostingProblem | undefined {
  const at = deepNestingAt(text);
  return at < 0 ? undefined : { message: `${file} is nested more than ${MAX_JSON_DEPTH} levels deep; it is not analysed.`, span: { start: at, end: at + 1 } };
}

function span(n: Node): { start: number; end: number } {
  return { start: n.offset, end: n.offset + n.length };
}

function prop(obj: Node | undefined, name: string): Node | undefined {
  if (obj?.type !== 'object') return undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === name) return p.children[1];
  return undefined;
}

function keyNode(obj: Node | undefined, name: string): Node | undefined {
  if (obj?.type !== 'object') return undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === name) return p.children[0];
  return undefined;
}

function str(n: Node | undefined): string | undefined {
  return n?.type === 'string' ? (n.value as string) : undefined;
}

/** Where "missing" findings go in a JSON object: a key, else the first key, else the opening brace. */
function anchorIn(obj: Node, prefer: string[]): { start: number; end: number } {
  for (const k of prefer) {
    const key = keyNode(obj, k);
    if (key) return span(key);
  }
  const first = obj.children?.[0]?.children?.[0];
  return first ? span(first) : { start: obj.offset, end: obj.offset + 1 };
}

/** `[{ key, value }]` header lists (vercel.json headers[].headers, firebase.json headers[].headers). */
function readKeyValueHeaders(list: Node | undefined, where: string, problems: HostingProblem[]): Pick<HeaderRule, 'cacheControl'> {
  const out: Pick<HeaderRule, 'cacheControl'> = {};
  if (!list) return out;
  if (list.type !== 'array') {
    problems.push({ message: `${where}: "headers" must be an array of { "key": …, "value": … } objects.`, span: span(list) });
    return out;
  }
  for (const h of list.children ?? []) {
    const key = str(prop(h, 'key'));
    const valueNode = prop(h, 'value');
    const value = str(valueNode);
    if (h.type !== 'object' || key === undefined || value === undefined) {
      problems.push({ message: `${where}: each header needs a string "key" and a string "value".`, span: span(h) });
      continue;
    }
    if (key.toLowerCase() === 'cache-control' && valueNode) out.cacheControl = { value, span: span(valueNode), quote: 'json' };
  }
  return out;
}

export function readVercelJson(text: string): HostingArtifact {
  const deep = tooDeep('vercel.json', text);
  if (deep) return { platform: 'vercel', problems: [deep], invalid: true, sites: [] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const problems: HostingProblem[] = [];
  const syntax = jsonSyntaxProblem('vercel.json', text, errors, 'Vercel rejects the deployment.');
  if (syntax) problems.push(syntax);
  if (syntax || !root || root.type !== 'object') {
    if (!syntax) problems.push({ message: 'vercel.json must contain a JSON object.', span: root ? span(root) : { start: 0, end: 0 } });
    return { platform: 'vercel', problems, invalid: true, sites: [] };
  }
  const rules: HeaderRule[] = [];
  const headers = prop(root, 'headers');
  const routes = prop(root, 'routes');
  if (headers && routes) {
    problems.push({ message: 'vercel.json cannot use "routes" together with "headers" (or rewrites, redirects, cleanUrls, trailingSlash): Vercel rejects the deployment. Move the "routes" entries to "headers" / "rewrites".', span: span(keyNode(root, 'routes')!) });
  }
  if (headers) {
    if (headers.type !== 'array') problems.push({ message: 'vercel.json: "headers" must be an array of { "source": …, "headers": [ … ] } objects.', span: span(headers) });
    else {
      for (const entry of headers.children ?? []) {
        const source = prop(entry, 'source');
        if (entry.type !== 'object' || str(source) === undefined) {
          problems.push({ message: 'vercel.json: each "headers" entry needs a string "source" path pattern.', span: span(entry) });
          continue;
        }
        rules.push({ pattern: str(source)!, kind: 'path-to-regexp', patternSpan: span(source!), ...readKeyValueHeaders(prop(entry, 'headers'), 'vercel.json', problems) });
      }
    }
  }
  if (routes?.type === 'array') {
    for (const r of routes.children ?? []) {
      const src = prop(r, 'src');
      const hs = prop(r, 'headers');
      if (str(src) === undefined || hs?.type !== 'object') continue;
      let cacheControl: HeaderRule['cacheControl'];
      for (const p of hs.children ?? []) {
        const v = p.children?.[1];
        if (String(p.children?.[0]?.value).toLowerCase() === 'cache-control' && str(v) !== undefined) cacheControl = { value: str(v)!, span: span(v!), quote: 'json' };
      }
      rules.push({ pattern: str(src)!, kind: 'regex', patternSpan: span(src!), ...(cacheControl ? { cacheControl } : {}) });
    }
  }
  const site: HostingSite = { rules, anchor: anchorIn(root, ['headers', 'routes', 'outputDirectory', 'framework', 'buildCommand']) };
  const outputDir = str(prop(root, 'outputDirectory'));
  if (outputDir) site.outputDir = outputDir;
  const framework = str(prop(root, 'framework'));
  return {
    platform: 'vercel', problems, invalid: false, sites: [site],
    ...(framework ? { framework } : {}),
    ...(routes && !headers ? { legacyRoutes: true } : {}),
  };
}

function readFirebaseSite(site: Node, index: number | undefined, problems: HostingProblem[]): HostingSite {
  const rules: HeaderRule[] = [];
  const where = index === undefined ? 'firebase.json hosting' : `firebase.json hosting[${index}]`;
  const headers = prop(site, 'headers');
  if (headers && headers.type !== 'array') problems.push({ message: `${where}: "headers" must be an array of { "source": …, "headers": [ … ] } objects.`, span: span(headers) });
  for (const entry of headers?.type === 'array' ? headers.children ?? [] : []) {
    const source = prop(entry, 'source') ?? prop(entry, 'glob');
    const regex = prop(entry, 'regex');
    const pat = source ?? regex;
    if (entry.type !== 'object' || str(pat) === undefined) {
      problems.push({ message: `${where}: each "headers" entry needs a "source" (glob) or "regex" pattern.`, span: span(entry) });
      continue;
    }
    const kind: PatternKind = source ? 'glob' : 'regex';
    rules.push({ pattern: str(pat)!, kind, patternSpan: span(pat!), ...readKeyValueHeaders(prop(entry, 'headers'), where, problems) });
  }
  const out: HostingSite = { rules, anchor: anchorIn(site, ['headers', 'public', 'source']) };
  if (index !== undefined) out.index = index;
  const pub = str(prop(site, 'public'));
  if (pub) out.outputDir = pub;
  const name = str(prop(site, 'site')) ?? str(prop(site, 'target'));
  if (name) out.name = name;
  if (prop(site, 'source')) out.frameworkBuild = true;
  return out;
}

export function readFirebaseJson(text: string): HostingArtifact {
  const deep = tooDeep('firebase.json', text);
  if (deep) return { platform: 'firebase', problems: [deep], invalid: true, sites: [] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: false, allowTrailingComma: false });
  const problems: HostingProblem[] = [];
  const syntax = jsonSyntaxProblem('firebase.json', text, errors, 'The Firebase CLI refuses to deploy.');
  if (syntax) problems.push(syntax);
  if (syntax || !root || root.type !== 'object') {
    if (!syntax) problems.push({ message: 'firebase.json must contain a JSON object.', span: root ? span(root) : { start: 0, end: 0 } });
    return { platform: 'firebase', problems, invalid: true, sites: [] };
  }
  const hosting = findNodeAtLocation(root, ['hosting']);
  const sites: HostingSite[] = [];
  if (hosting?.type === 'object') sites.push(readFirebaseSite(hosting, undefined, problems));
  else if (hosting?.type === 'array') hosting.children?.forEach((s, i) => {
    if (s.type === 'object') sites.push(readFirebaseSite(s, i, problems));
    else problems.push({ message: `firebase.json hosting[${i}] must be an object.`, span: span(s) });
  });
  else if (hosting) problems.push({ message: 'firebase.json: "hosting" must be an object or an array of objects.', span: span(hosting) });
  return { platform: 'firebase', problems, invalid: false, sites };
}
