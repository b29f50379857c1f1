/**
 * Which installed package instances can reach a browser bundle, per project: from a project's runtime
 * dependencies along the lockfile's dependency edges, never entering a package that is not shipped to
 * browsers (type declarations, build tools, test runners, server frameworks and Node-only libraries).
 * A package installed at two versions matters for bundle size only when both versions are reached
 * from one project's browser roots; one app's dependencies never decide another app's findings.
 */
import { peerSuffix, resolveNpm, type LockPackage, type Lockfile } from './lockfiles.js';
import { cutTail } from '../../kernel/linear.js';

/**
 * Packages that build, test or lint code (they run in Node at build time; their own dependencies are
 * never bundled), and packages of type declarations only (csstype, type-fest: TypeScript erases them).
 */
const BUILD_OR_TEST = /^(?:@types\/.+|csstype|type-fest|ts-essentials|ts-toolbelt|@tsconfig\/.+|typescript|ts-node|tsx|webpack(?:-.+)?|@webpack-cli\/.+|vite|@vitejs\/.+|rollup|@rollup\/.+|rollup-plugin-.+|esbuild(?:-.+)?|@esbuild\/.+|parcel|@parcel\/.+|postcss(?:-.+)?|autoprefixer|tailwindcss|@tailwindcss\/.+|sass(?:-embedded)?|less|stylus|@babel\/(?:core|cli|register|node|preset-.+|plugin-.+|helper-.+|generator|parser|traverse|template|types|compat-data)|babel-(?:loader|plugin-.+|preset-.+|jest)|.+-loader|eslint(?:-.+)?|@eslint\/.+|@typescript-eslint\/.+|prettier(?:-.+)?|@swc\/(?:core|cli|jest)|terser(?:-webpack-plugin)?|concurrently|nodemon|patch-package|cross-env|npm-run-all2?|rimraf|del|del-cli|husky|lint-staged|markdownlint(?:-cli2?)?|@relative-ci\/.+|@xhmikosr\/.+|bin-wrapper|imagemin(?:-.+)?|fumadocs-mdx|@next\/bundle-analyzer|webpack-bundle-analyzer|source-map-explorer|sequelize-cli|prisma|@prisma\/(?:cli|internals|engines|migrate)|prisma-kysely|zod-prisma-types|i18next-parser|jest(?:-.+)?|@jest\/.+|vitest|@vitest\/.+|mocha|chai|sinon|nyc|c8|@istanbuljs\/.+|istanbul-.+|cypress|@cypress\/.+|playwright|@playwright\/.+|puppeteer(?:-core)?|jsdom|happy-dom|@testing-library\/.+|fast-check|msw|storybook|@storybook\/.+|react-email|@react-email\/render|@svgr\/(?:cli|core|webpack)|dotenv-cli|@changesets\/.+|turbo|lerna|nx|@nx\/.+)$/;

/** Server frameworks and Node-only libraries: a browser bundle cannot include them (nor what only they use). */
const SERVER_ONLY = /^(?:express|express-.+|body-parser|cookie-parser|koa|koa-.+|@koa\/.+|@outlinewiki\/koa-.+|fastify|fastify-.+|@fastify\/.+|@nestjs\/.+|@hapi\/.+|hapi|restify|passport|passport-.+|sequelize|sequelize-typescript|typeorm|knex|kysely|pg|pg-.+|mysql2?|sqlite3|better-sqlite3|mongodb|mongoose|redis|ioredis|bull|bullmq|node-cron|cron|nodemailer|sharp|canvas|aws-sdk|@aws-sdk\/.+|@aws-crypto\/.+|@smithy\/.+|@google-cloud\/.+|@azure\/.+|jsonwebtoken|bcrypt(?:js)?|argon2|ws|socket\.io|@hocuspocus\/(?:server|extension-.+)|inngest|umzug|redlock|rate-limiter-flexible|proxy-addr|fs-extra|graceful-fs|node-fetch|agent-base|https?-proxy-agent|socks-proxy-agent|pac-proxy-agent|proxy-agent|jimp|@jimp\/.+|chokidar|chalk|commander|yargs|winston|pino(?:-.+)?|dotenv|dotenv-expand|@libpdf\/core|@gitbeaker\/.+|arctic|@oslojs\/jwt|@team-plain\/.+|satori|@shuding\/.+|@resvg\/.+|@opentelemetry\/(?:sdk-node|auto-instrumentations-node|instrumentation-.+)|@sentry\/node|next-auth|@auth\/core|stripe|@remix-run\/(?:node|serve|express)|@react-router\/(?:node|serve|express)|@hono\/node-server|pdf-lib|@napi-rs\/.+|playwright-core|glob|http-errors|mime-types|resend|@sendgrid\/.+|postmark|mailgun\.js|tsyringe|@prisma\/.+|prisma-.+)$/;

/**
 * Dependencies a package still declares but whose code no longer loads them: package → from which
 * version → dependency. @babel/runtime inlines regeneratorRuntime as a helper since 7.18.0
 * (`@babel/runtime/regenerator` requires `../helpers/regeneratorRuntime`); it kept declaring
 * regenerator-runtime until 7.27, so lockfiles still show the edge.
 */
const STALE_DEPENDENCIES: { from: string; since: [number, number]; dependency: string }[] = [{ from: '@babel/runtime', since: [7, 18], dependency: 'regenerator-runtime' }];

/** Whether `pkg@version` declares `dependency` without its code loading it (STALE_DEPENDENCIES). */
export function staleDependency(pkg: string, version: string, dependency: string): boolean {
  const [major, minor] = version.split('.').map((x) => Number.parseInt(x, 10));
  return STALE_DEPENDENCIES.some((s) => s.from === pkg && s.dependency === dependency && (major > s.since[0] || (major === s.since[0] && minor >= s.since[1])));
}

/** Not shipped to browsers: a bundle reach stops here. */
export function notBundled(name: string): boolean {
  return BUILD_OR_TEST.test(name) || SERVER_ONLY.test(name);
}

/** One project whose runtime dependencies may be bundled: the lockfile's root or a workspace member. */
export interface BundleProject {
  /** Folder relative to the lockfile's ('' for the root). */
  dir: string;
  /** package.json path, for messages. */
  pkgPath: string;
  /**
   * Runtime dependencies: name → range (npm, yarn) or installed version (pnpm), each with the folder
   * it resolves from (a dependency on another workspace member brings that member's dependencies).
   */
  roots: { dir: string; name: string; range: string; pkgPath: string }[];
}

/** The instance a dependency edge `name@range` from `from` (an instance, or a project folder) resolves to. */
export function resolveEdge(lock: Lockfile, index: LockIndex, from: { key: string } | { dir: string }, name: string, range: string): LockPackage | undefined {
  if (lock.kind === 'npm') return resolveNpm(lock, 'key' in from ? from.key : from.dir, name);
  if (lock.kind === 'pnpm') {
    const version = cutTail(range.replace(/^link:.*$/, ''), '(');
    return index.byNameVersion.get(`${name}@${version}`) ?? (index.byName.get(name)?.length === 1 ? index.byName.get(name)![0] : undefined);
  }
  return index.byDescriptor.get(`${name}@${range}`) ?? index.byDescriptor.get(`${name}@npm:${range}`) ?? index.byDescriptor.get(`${name}@${range.replace(/^npm:/, '')}`);
}

export interface LockIndex {
  byDescriptor: Map<string, LockPackage>;
  byNameVersion: Map<string, LockPackage>;
  byName: Map<string, LockPackage[]>;
}

export function indexLock(lock: Lockfile): LockIndex {
  const byDescriptor = new Map<string, LockPackage>();
  const byNameVersion = new Map<string, LockPackage>();
  const byName = new Map<string, LockPackage[]>();
  for (const p of lock.packages) {
    for (const d of p.descriptors ?? []) byDescriptor.set(d, p);
    byNameVersion.set(`${p.name}@${p.version}`, p);
    byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  }
  return { byDescriptor, byNameVersion, byName };
}

/**
 * Every instance reachable from the project's runtime dependencies without entering a package that is
 * not bundled, with the instance (or the package.json path) that first required it. A pnpm instance
 * reached as one peer variant ("ai@6.0.188(zod@4.1.13)") leads to that variant's dependencies only,
 * when the lockfile records them.
 */
export function browserReach(lock: Lockfile, index: LockIndex, project: BundleProject): Map<LockPackage, LockPackage | string> {
  const seen = new Map<LockPackage, LockPackage | string>();
  const expanded = new Set<string>();
  const queue: { p: LockPackage; deps: Record<string, string> }[] = [];
  const visit = (p: LockPackage | undefined, range: string, via: LockPackage | string): void => {
    if (!p || p.dev === true || notBundled(p.name)) return;
    const suffix = lock.kind === 'pnpm' ? peerSuffix(range) : '';
    const variant = p.variants?.[suffix];
    const id = variant ? `${p.key}\n${suffix}` : p.key;
    if (!seen.has(p)) seen.set(p, via);
    if (expanded.has(id)) return;
    expanded.add(id);
    queue.push({ p, deps: variant ?? p.dependencies });
  };
  for (const r of project.roots) if (!notBundled(r.name)) visit(resolveEdge(lock, index, { dir: r.dir }, r.name, r.range), r.range, r.pkgPath);
  for (let i = 0; i < queue.length; i++) {
    const { p, deps } = queue[i];
    for (const [name, range] of Object.entries(deps)) if (!staleDependency(p.name, p.version, name)) visit(resolveEdge(lock, index, p, name, range), range, p);
  }
  return seen;
}
