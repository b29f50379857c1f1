/**
 * The quick fixes of the server-* rules: add compression middleware (and its dependency), call or
 * move it, set a cache lifetime on static serving, and turn ETags back on.
 */
import type { PendingFix } from '../../kernel/contracts.js';
import type { Span } from '../../kernel/model.js';
import type { ServerArtifact } from './gather.js';
import type { ServerApp, StaticServe } from './server-model.js';
import { addDependenciesEdit, importStatement, majorOf, readPackageJson, removeStatementEdit, setPropsEdits, type TextEditSpan } from '../../lang/javascript/edits.js';

/** Published versions the fix declares (checked with `npm view`). */
export const COMPRESSION_VERSIONS = {
  compression: '^1.8.2',
  '@types/compression': '^1.8.1',
  'koa-compress': '^5.2.2',
  '@types/koa-compress': '^4.0.7',
  /** @fastify/compress 9.x needs fastify 5; 7.x is the line for fastify 4. */
  fastifyCompress: { 5: '^9.2.0', 4: '^7.0.3' } as Record<number, string>,
};

interface Plan {
  module: string;
  local: string;
  use: (app: string, local: string) => string;
  deps: { name: string; version: string; dev?: boolean }[];
  namespace: boolean;
}

function planFor(app: ServerApp, a: ServerArtifact): Plan | undefined {
  const ts = a.fix.typescript;
  // TypeScript without esModuleInterop (the NestJS default) needs `import * as` for CommonJS packages.
  const cjsNamespace = ts && a.fix.moduleStyle === 'esm' && (a.fix.namespaceImports || (app.framework === 'nest' ? a.esModuleInterop !== true : a.esModuleInterop === false));
  if (app.framework === 'express' || (app.framework === 'nest' && app.adapter !== 'fastify')) {
    return {
      module: 'compression', local: 'compression', namespace: cjsNamespace,
      use: (n, l) => `${n}.use(${l}())`,
      deps: [{ name: 'compression', version: COMPRESSION_VERSIONS.compression }, ...(ts ? [{ name: '@types/compression', version: COMPRESSION_VERSIONS['@types/compression'], dev: true }] : [])],
    };
  }
  if (app.framework === 'koa') {
    return {
      module: 'koa-compress', local: 'compress', namespace: cjsNamespace,
      use: (n, l) => `${n}.use(${l}())`,
      deps: [{ name: 'koa-compress', version: COMPRESSION_VERSIONS['koa-compress'] }, ...(ts ? [{ name: '@types/koa-compress', version: COMPRESSION_VERSIONS['@types/koa-compress'], dev: true }] : [])],
    };
  }
  if (app.framework === 'fastify' || app.framework === 'nest') {
    const nestMajor = majorOf(a.deps['@nestjs/platform-fastify']);
    const fastifyMajor = majorOf(a.deps.fastify) ?? (nestMajor !== undefined ? (nestMajor >= 11 ? 5 : 4) : 5);
    const version = COMPRESSION_VERSIONS.fastifyCompress[fastifyMajor];
    if (!version) return undefined;
    return {
      module: '@fastify/compress', local: app.framework === 'nest' ? 'compression' : 'fastifyCompress', namespace: false,
      use: app.framework === 'nest' ? (n, l) => `await ${n}.register(${l})` : (n, l) => `${n}.register(${l})`,
      deps: [{ name: '@fastify/compress', version }],
    };
  }
  return undefined;
}

/**
 * Registers the framework's compression middleware right after the app is created (importing it
 * when needed) and adds its dependency to package.json; undefined when no safe edit is known.
 */
export function compressionFix(app: ServerApp, a: ServerArtifact, text: string, path: string, pkgText: string | undefined): PendingFix | undefined {
  if (!app.name || app.insertAfter === undefined) return undefined;
  const plan = planFor(app, a);
  if (!plan) return undefined;
  const f = a.fix;
  let local = Object.entries(f.imports).find(([, b]) => b.source === plan.module && (b.imported === 'default' || b.imported === '*'))?.[0];
  const edits: TextEditSpan[] = [];
  let importText = '';
  if (!local) {
    local = [plan.local, `${plan.local}Middleware`].find((n) => !f.topLevel.includes(n) && n !== app.name);
    if (!local) return undefined;
    importText = importStatement({ local, source: plan.module, style: f.moduleStyle, namespace: plan.namespace, quote: f.quote, semi: f.semi }) + f.eol;
  }
  const semi = f.semi ? ';' : '';
  const lead = app.insertAfter === text.length && !/[\r\n]$/.test(text) ? f.eol : '';
  const useText = `${lead}${app.indent}${plan.use(app.name, local)}${semi}${f.eol}`;
  if (importText && f.importAt === app.insertAfter) edits.push({ span: { start: f.importAt, end: f.importAt }, newText: importText + useText });
  else {
    if (importText) edits.push({ span: { start: f.importAt, end: f.importAt }, newText: importText });
    edits.push({ span: { start: app.insertAfter, end: app.insertAfter }, newText: useText });
  }
  const changes: PendingFix['changes'] = [{ file: path, edits }];
  let addsDep = false;
  if (a.packageJson && pkgText !== undefined && !a.packageJson.error) {
    const pkgEdit = addDependenciesEdit(readPackageJson(a.packageJson.path, pkgText), plan.deps);
    if (pkgEdit) {
      changes.push({ file: a.packageJson.path, edits: [pkgEdit] });
      addsDep = true;
    }
  }
  return {
    title: `Add ${plan.use(app.name, local)}${addsDep ? ` and the ${plan.module} dependency` : ''}`,
    preferred: true,
    changes,
  };
}

/** `app.use(compression)` → `app.use(compression())`: `()` inserted at `insertAt`. */
export function callCompressionFactoryFix(path: string, insertAt: number): PendingFix {
  return { title: 'Call the compression factory', preferred: true, changes: [{ file: path, edits: [{ span: { start: insertAt, end: insertAt }, newText: '()' }] }] };
}

/** Moves the compression statement before the first route or static middleware (`move`: the model's edits). */
export function moveCompressionFix(path: string, move: TextEditSpan[]): PendingFix {
  return { title: 'Move the compression middleware before the first route', preferred: true, changes: [{ file: path, edits: move }] };
}

/**
 * Sets a cache lifetime on a static-serving call: a year as immutable for content-hashed build output
 * (`hashed`, with HTML kept revalidated), an hour otherwise; undefined when the options cannot be edited.
 */
export function staticCacheFix(s: StaticServe, hashed: boolean, text: string, path: string, quote: string): PendingFix | undefined {
  const koa = s.lib === 'koa-static';
  const q = (v: string): string => `${quote}${v}${quote}`;
  const set: { key: string; value: string }[] = hashed
    ? [{ key: s.maxAgeKey, value: koa ? '31536000000' : q('1y') }, { key: 'immutable', value: 'true' }]
    : [{ key: s.maxAgeKey, value: koa ? '3600000' : q('1h') }];
  // Keep HTML (index.html, not content-hashed) revalidated when the whole build folder is served.
  if (hashed && !s.options?.props.setHeaders) set.push({ key: 'setHeaders', value: `(res, filePath) => { if (filePath.endsWith(${q('.html')})) res.setHeader(${q('Cache-Control')}, ${q('no-cache')}) }` });
  // A maxAge under the other spelling is replaced, not duplicated.
  if (s.options) {
    const other = s.maxAgeKey === 'maxAge' ? 'maxage' : 'maxAge';
    if (s.options.props[other] && !s.options.props[s.maxAgeKey]) set[0].key = other;
  }
  let edits: TextEditSpan[];
  if (s.options && s.optionsIsModuleConfig) {
    edits = setPropsEdits(text, s.options, [{ key: 'serveStaticOptions', value: `{ ${set.map((x) => `${x.key}: ${x.value}`).join(', ')} }` }]);
  } else if (s.options) {
    if (s.cacheControl === false) set.push({ key: 'cacheControl', value: 'true' });
    edits = setPropsEdits(text, s.options, set);
  } else if (s.appendArgAt !== undefined && !s.optionsUnknown) {
    edits = [{ span: { start: s.appendArgAt, end: s.appendArgAt }, newText: `, { ${set.map((x) => `${x.key}: ${x.value}`).join(', ')} }` }];
  } else return undefined;
  return {
    title: hashed ? 'Cache for a year as immutable (content-hashed files; HTML revalidated)' : 'Cache for an hour (maxAge 1h)',
    preferred: true,
    changes: [{ file: path, edits }],
  };
}

/** Removes the `app.set('etag', false)` / `app.disable('etag')` statement (`how`: its text). */
export function removeEtagDisableFix(text: string, path: string, how: string, statement: Span): PendingFix {
  return { title: `Remove ${how} (restore Express's default weak ETags)`, preferred: true, changes: [{ file: path, edits: [removeStatementEdit(text, { type: 'ExpressionStatement', start: statement.start, end: statement.end })] }] };
}

/** `etag: false` → `etag: true` on static serving (`valueSpan`: the `false`). */
export function staticEtagOnFix(path: string, valueSpan: Span): PendingFix {
  return { title: 'Turn ETags back on (etag: true)', preferred: true, changes: [{ file: path, edits: [{ span: valueSpan, newText: 'true' }] }] };
}
