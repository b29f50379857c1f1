/**
 * Which build tool produced the site (from package.json, or vercel.json "framework"), where it puts
 * fingerprinted files, and whether the hosting platform (or the framework's adapter for it) already
 * serves them with a long-lived Cache-Control.
 *
 * Platform defaults this relies on (documented in docs/rules/hosting-static-cache-missing.md):
 * - Vercel: static files get `public, max-age=0, must-revalidate`; framework presets add long-lived
 *   headers for Next.js (`/_next/static`), Nuxt (`/_nuxt`), Gatsby, Remix (`/build`), Vue CLI,
 *   Docusaurus; adapters do for SvelteKit (adapter-vercel / adapter-auto) and Astro (@astrojs/vercel).
 *   The Create React App preset only sets `s-maxage` (CDN), not a browser lifetime.
 * - Netlify: `public, max-age=0, must-revalidate` for every static file; Next.js (Netlify runtime),
 *   Nuxt, Gatsby, Remix (Netlify adapter), SvelteKit (adapter-netlify / adapter-auto) and Astro
 *   (@astrojs/netlify) add immutable headers for their build folders themselves.
 * - Cloudflare Pages: `public, max-age=0, must-revalidate`; SvelteKit's adapter-cloudflare writes a
 *   `_headers` rule for `/_app/immutable/*`.
 * - Firebase Hosting: a short default browser lifetime (one hour); the web frameworks integration
 *   ("hosting.source") configures the framework's own caching.
 */
import { parse as parseJsonc } from 'jsonc-parser';
import type { WorkspaceView } from '../../kernel/contracts.js';
import type { HostingPlatform } from './model.js';
import { deepNestingAt } from './json.js';

export interface AssetLayout {
  /** For messages: "Vite", "Create React App"… */
  tool: string;
  /** URL folders holding only fingerprinted files (`/assets/`): safe to cache for a year. */
  hashedDirs: string[];
  /** Example URLs of fingerprinted files, to test which header rules apply. */
  samples: string[];
  /** Platforms (or `cloudflare`) that already cache these files long, with the reason. */
  handled: Partial<Record<HostingPlatform | 'cloudflare', string>>;
}

/** Folders that only ever hold fingerprinted files, whatever the project. */
export const ALWAYS_HASHED_DIRS = ['/_next/static/', '/_app/immutable/', '/_astro/', '/_nuxt/'];

export type Deps = Record<string, string>;

function has(deps: Deps, ...names: string[]): boolean {
  return names.some((n) => n in deps);
}

/** Samples under a folder: a JS and a CSS file with a Vite/webpack-style hash. */
function samplesIn(dir: string): string[] {
  return [`${dir}index-B4x9Qk2a.js`, `${dir}main.3f9a2c1b.css`];
}

function layout(tool: string, hashedDirs: string[], handled: AssetLayout['handled'] = {}, samples?: string[]): AssetLayout {
  return { tool, hashedDirs, samples: samples ?? hashedDirs.flatMap(samplesIn), handled };
}

/** The layout for package.json dependencies (and vercel.json "framework"), or undefined when unknown. */
export function detectLayout(deps: Deps, vercelFramework?: string): AssetLayout | undefined {
  const fw = vercelFramework?.toLowerCase();
  const kit = has(deps, '@sveltejs/kit') || fw === 'sveltekit' || fw === 'sveltekit-1';
  if (has(deps, 'next', 'blitz') || fw === 'nextjs' || fw === 'blitzjs') {
    return layout('Next.js', ['/_next/static/'], { vercel: 'Vercel serves /_next/static/ with a one-year immutable Cache-Control', netlify: "Netlify's Next.js runtime serves /_next/static/ with a one-year immutable Cache-Control" });
  }
  if (kit) {
    const auto = has(deps, '@sveltejs/adapter-auto');
    const handled: AssetLayout['handled'] = {};
    if (auto || has(deps, '@sveltejs/adapter-vercel')) handled.vercel = "SvelteKit's Vercel adapter serves /_app/immutable/ with a one-year immutable Cache-Control";
    if (auto || has(deps, '@sveltejs/adapter-netlify')) handled.netlify = "SvelteKit's Netlify adapter writes a one-year immutable rule for /_app/immutable/";
    if (auto || has(deps, '@sveltejs/adapter-cloudflare')) handled.cloudflare = "SvelteKit's Cloudflare adapter writes a one-year immutable rule for /_app/immutable/";
    return layout('SvelteKit', ['/_app/immutable/'], handled);
  }
  if (has(deps, 'nuxt', 'nuxt3', 'nuxt-edge') || fw === 'nuxtjs') {
    return layout('Nuxt', ['/_nuxt/'], { vercel: 'Nuxt on Vercel serves /_nuxt/ with a one-year immutable Cache-Control', netlify: 'Nuxt on Netlify writes a one-year immutable rule for /_nuxt/' });
  }
  if (has(deps, 'astro') || fw === 'astro') {
    const handled: AssetLayout['handled'] = {};
    if (has(deps, '@astrojs/vercel')) handled.vercel = "Astro's Vercel adapter serves /_astro/ with a one-year immutable Cache-Control";
    if (has(deps, '@astrojs/netlify')) handled.netlify = "Astro's Netlify adapter serves /_astro/ with a one-year immutable Cache-Control";
    return layout('Astro', ['/_astro/'], handled);
  }
  if (has(deps, 'gatsby') || fw === 'gatsby') {
    return layout('Gatsby', [], { vercel: "Vercel's Gatsby preset caches /static/ and the fingerprinted JS and CSS for a year", netlify: "Netlify's Gatsby adapter caches /static/ and the fingerprinted JS and CSS for a year" }, ['/app-3f9a2c1b4d5e6f7a8b9c.js', '/static/3f9a2c1b4d5e6f7a8b9c/photo.png']);
  }
  if (has(deps, '@remix-run/dev', 'remix') || fw === 'remix') {
    const dir = has(deps, 'vite') ? '/assets/' : '/build/';
    const handled: AssetLayout['handled'] = { vercel: `Vercel's Remix preset serves ${dir} with a one-year immutable Cache-Control` };
    if (has(deps, '@netlify/remix-adapter', '@netlify/remix-edge-adapter', '@netlify/vite-plugin-react-router')) handled.netlify = `Netlify's Remix adapter serves ${dir} with a one-year immutable Cache-Control`;
    return layout('Remix', [dir], handled);
  }
  if (has(deps, '@docusaurus/core') || fw === 'docusaurus-2') {
    return layout('Docusaurus', ['/assets/js/', '/assets/css/'], { vercel: "Vercel's Docusaurus preset caches the fingerprinted JS and CSS for a year" });
  }
  if (has(deps, '@vue/cli-service') || fw === 'vue') {
    return layout('Vue CLI', ['/js/', '/css/'], { vercel: "Vercel's Vue CLI preset caches /js/ and /css/ for a year" }, ['/js/app.3f9a2c1b.js', '/css/app.3f9a2c1b.css']);
  }
  if (has(deps, 'react-scripts') || fw === 'create-react-app') {
    return layout('Create React App', ['/static/'], {}, ['/static/js/main.3f9a2c1b.js', '/static/css/main.3f9a2c1b.css']);
  }
  if (has(deps, '@angular/cli', '@angular/build', '@angular-devkit/build-angular') || fw === 'angular') {
    // Fingerprinted bundles sit at the root (main-ABCD1234.js); /assets/ is copied unhashed.
    return layout('Angular', [], {}, ['/main-4F3A2B1C.js', '/styles-4F3A2B1C.css']);
  }
  if (has(deps, 'vite', '@react-router/dev', '@tanstack/react-start', '@solidjs/start', 'vitepress', '@builder.io/qwik-city') || fw === 'vite') {
    const handled: AssetLayout['handled'] = {};
    if (has(deps, '@vercel/react-router')) handled.vercel = "Vercel's React Router preset serves /assets/ with a one-year immutable Cache-Control";
    return layout('Vite', ['/assets/'], handled);
  }
  if (has(deps, 'parcel', 'parcel-bundler')) return layout('Parcel', [], {}, ['/index.3f9a2c1b.js', '/index.3f9a2c1b.css']);
  return undefined;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function join(dir: string, rel: string): string {
  const parts = (dir ? `${dir}/${rel}` : rel).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** Dependencies of the nearest package.json at or above `dir` (optionally `base` below the config). */
export function dependenciesNear(configPath: string, ws: WorkspaceView, base?: string): { deps: Deps; packageJson?: string } {
  let dir = base ? join(dirname(configPath), base) : dirname(configPath);
  for (let guard = 0; guard < 32; guard++) {
    const path = dir ? `${dir}/package.json` : 'package.json';
    const text = ws.textOf(path);
    if (text !== undefined) {
      const pkg = (deepNestingAt(text) < 0 ? parseJsonc(text, [], { allowTrailingComma: true }) : undefined) as Record<string, unknown> | undefined;
      const deps: Deps = {};
      if (pkg && typeof pkg === 'object') {
        for (const k of ['dependencies', 'devDependencies', 'peerDependencies']) {
          const d = pkg[k];
          if (d && typeof d === 'object') for (const [n, v] of Object.entries(d as Record<string, unknown>)) deps[n] = String(v);
        }
      }
      return { deps, packageJson: path };
    }
    if (!dir) break;
    dir = dirname(dir);
  }
  return { deps: {} };
}
