/**
 * The `bundle` section of `.perfauditrc.json` (budgets stay in `budgets.jsGzipKb` / `cssGzipKb`):
 *
 *   "bundle": {
 *     "outputDirs": ["dist", "build", "out", ".next/static"],
 *     "assetDirs": ["public", "static", "src/assets", "assets"],
 *     "entryBudgets": [{ "path": "dist/admin*.js", "jsGzipKb": 300 }],
 *     "imageMaxKb": 250,
 *     "modernImageMinKb": 20,
 *     "ignoreImages": ["public/press-kit/**"],
 *     "brotli": true,
 *     "timeoutMs": 60000
 *   }
 */
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { globMatcher } from '../../kernel/glob.js';
import { tooDeeplyNested } from '../../kernel/json.js';
import { trimEndChar } from '../../kernel/linear.js';

export interface EntryBudget {
  /** Glob matched against the entry name and its JS/CSS file paths. */
  path: string;
  jsGzipKb?: number;
  cssGzipKb?: number;
}

export interface BundleOptions {
  outputDirs: string[];
  assetDirs: string[];
  entryBudgets: EntryBudget[];
  imageMaxKb: number;
  modernImageMinKb: number;
  /** Globs of images the image rules skip (binary files cannot carry suppression comments). */
  ignoreImages: string[];
  brotli: boolean;
  /** Overall time budget of one analysis; what is left undone is reported, never waited for. */
  timeoutMs: number;
  /** Files larger than this get a raw size only (no compression, no parsing). */
  maxFileMb: number;
  /** At most this many files are listed per output folder (deep trees are cut with a problem). */
  maxFiles: number;
}

export const DEFAULT_OUTPUT_DIRS = ['dist', 'build', 'out', '.next/static', '.output/public', '.svelte-kit/output/client'];
export const DEFAULT_ASSET_DIRS = ['public', 'static', 'src/assets', 'assets', 'images', 'img'];

export function defaultBundleOptions(): BundleOptions {
  return {
    outputDirs: [...DEFAULT_OUTPUT_DIRS],
    assetDirs: [...DEFAULT_ASSET_DIRS],
    entryBudgets: [],
    imageMaxKb: 250,
    modernImageMinKb: 20,
    ignoreImages: [],
    brotli: true,
    timeoutMs: 60_000,
    maxFileMb: 50,
    maxFiles: 20_000,
  };
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => trimEndChar(x.replace(/\\/g, '/').replace(/^\.\//, ''), '/')) : undefined);
const positive = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/** Maxima for what the (untrusted) settings file may raise; larger values are clamped with a problem. */
export const BUNDLE_OPTION_LIMITS = { folders: 50, wildcards: 4, pathLength: 300, imageMaxKb: 1_048_576, modernImageMinKb: 1_048_576, timeoutMs: 300_000, maxFileMb: 256, maxFiles: 50_000 } as const;

/**
 * Folder paths inside the workspace only: no `..`, no absolute path, a few wildcards at most (each `*`
 * multiplies the folders listed). Refused entries are reported.
 */
function workspaceFolders(list: string[], key: string, problems: string[]): string[] {
  const ok: string[] = [];
  for (const d of list) {
    const why = d.length > BUNDLE_OPTION_LIMITS.pathLength ? 'is too long'
      : /^(?:\/|[A-Za-z]:)/.test(d) ? 'is an absolute path (folders are relative to the workspace)'
        : d.split('/').includes('..') ? 'leaves the workspace ("..")'
          : (d.match(/\*/g)?.length ?? 0) > BUNDLE_OPTION_LIMITS.wildcards ? `has more than ${BUNDLE_OPTION_LIMITS.wildcards} wildcards`
            : undefined;
    if (why) problems.push(`.perfauditrc.json: bundle.${key} entry ${JSON.stringify(d.slice(0, 60))} ${why}; ignored`);
    else ok.push(d);
  }
  if (ok.length > BUNDLE_OPTION_LIMITS.folders) problems.push(`.perfauditrc.json: bundle.${key} lists ${ok.length} folders; only the first ${BUNDLE_OPTION_LIMITS.folders} are used`);
  return ok.slice(0, BUNDLE_OPTION_LIMITS.folders);
}

/** Reads the `bundle` section from the config text; never throws (problems are returned, defaults kept). */
export function parseBundleOptions(configText: string | undefined): { options: BundleOptions; problems: string[] } {
  const options = defaultBundleOptions();
  const problems: string[] = [];
  if (!configText?.trim()) return { options, problems };
  if (tooDeeplyNested(configText)) return { options, problems: ['.perfauditrc.json is nested too deeply; its bundle settings are not read'] };
  const errors: ParseError[] = [];
  const raw = parseJsonc(configText, errors, { allowTrailingComma: true }) as unknown;
  if (!raw || typeof raw !== 'object') return { options, problems };
  const b = (raw as Record<string, unknown>).bundle;
  if (b === undefined) return { options, problems };
  if (!b || typeof b !== 'object' || Array.isArray(b)) return { options, problems: ['.perfauditrc.json: "bundle" must be an object'] };
  const o = b as Record<string, unknown>;
  const dirs = strings(o.outputDirs);
  if (dirs) options.outputDirs = workspaceFolders(dirs, 'outputDirs', problems);
  else if (o.outputDirs !== undefined) problems.push('.perfauditrc.json: bundle.outputDirs must be an array of folder paths');
  const assets = strings(o.assetDirs);
  if (assets) options.assetDirs = workspaceFolders(assets, 'assetDirs', problems);
  else if (o.assetDirs !== undefined) problems.push('.perfauditrc.json: bundle.assetDirs must be an array of folder paths');
  const ignoreImages = strings(o.ignoreImages);
  if (ignoreImages) options.ignoreImages = ignoreImages;
  else if (o.ignoreImages !== undefined) problems.push('.perfauditrc.json: bundle.ignoreImages must be an array of globs');
  if (Array.isArray(o.entryBudgets)) {
    for (const e of o.entryBudgets as unknown[]) {
      const r = e as Record<string, unknown> | null;
      const js = positive(r?.jsGzipKb);
      const css = positive(r?.cssGzipKb);
      if (r && typeof r.path === 'string' && (js || css)) options.entryBudgets.push({ path: r.path, ...(js ? { jsGzipKb: js } : {}), ...(css ? { cssGzipKb: css } : {}) });
      else problems.push('.perfauditrc.json: each bundle.entryBudgets item needs "path" and "jsGzipKb" and/or "cssGzipKb"');
    }
  }
  for (const k of ['imageMaxKb', 'modernImageMinKb', 'timeoutMs', 'maxFileMb', 'maxFiles'] as const) {
    if (o[k] === undefined) continue;
    const v = positive(o[k]);
    if (v) {
      options[k] = Math.min(v, BUNDLE_OPTION_LIMITS[k]);
      if (v > BUNDLE_OPTION_LIMITS[k]) problems.push(`.perfauditrc.json: bundle.${k} ${v} is over the maximum; using ${BUNDLE_OPTION_LIMITS[k]}`);
    }
    else problems.push(`.perfauditrc.json: bundle.${k} must be a positive number`);
  }
  if (typeof o.brotli === 'boolean') options.brotli = o.brotli;
  return { options, problems };
}

/** The JS / CSS gzip budget (KB) of an entry: the first matching `entryBudgets` item, else the global budgets. */
export function budgetFor(entry: { name: string; js: string[]; css: string[] }, options: BundleOptions, global: { jsGzipKb: number; cssGzipKb: number }): { jsGzipKb: number; cssGzipKb: number; matched?: string } {
  for (const b of options.entryBudgets) {
    const m = globMatcher(b.path);
    if (m(entry.name) || entry.js.some((p) => m(p)) || entry.css.some((p) => m(p))) {
      return { jsGzipKb: b.jsGzipKb ?? global.jsGzipKb, cssGzipKb: b.cssGzipKb ?? global.cssGzipKb, matched: b.path };
    }
  }
  return { jsGzipKb: global.jsGzipKb, cssGzipKb: global.cssGzipKb };
}
