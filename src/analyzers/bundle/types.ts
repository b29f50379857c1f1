/**
 * Shared types of the bundle analyzer. Paths are workspace-relative with forward slashes; sizes
 * are bytes. The analyzer reads the disk only through a `BundleFileReader` (Node fs for the CLI,
 * `vscode.workspace.fs` for the extension, an in-memory map for tests).
 */

export interface DirEntry {
  name: string;
  kind: 'file' | 'dir';
}

/** Read access to the workspace's files, binary included. Paths are workspace-relative ('' is the root). */
export interface BundleFileReader {
  /** Entries of a directory, or undefined when it does not exist or is not a directory. */
  readDir(path: string): Promise<DirEntry[] | undefined>;
  /** Size of a file, or undefined when it does not exist. */
  stat(path: string): Promise<{ size: number } | undefined>;
  /** Contents of a file (throws when it cannot be read). */
  readFile(path: string): Promise<Uint8Array>;
  /** The first `bytes` bytes of a file (image headers); readFile is used when absent. */
  readHead?(path: string, bytes: number): Promise<Uint8Array>;
}

export type OutputKind = 'js' | 'css' | 'html' | 'map' | 'json' | 'image' | 'font' | 'other';

export interface OutputFile {
  path: string;
  kind: OutputKind;
  bytes: number;
  /** gzip -9 size; undefined when not computed (file too large or over the time budget). */
  gzip?: number;
  /** brotli size (quality 11, or 5 for large files: then `brotliApprox`). */
  brotli?: number;
  brotliApprox?: boolean;
  /** For JS/CSS: true when it looks minified, false when clearly not, undefined when unsure or small. */
  minified?: boolean;
  /** The source map found for it (`//# sourceMappingURL` or `<file>.map`). */
  map?: string;
}

/** One input module's share of an output file. */
export interface ModuleShare {
  /** The module's path as the tool reports it (node_modules/lodash/lodash.js, ./src/a.ts…). */
  module: string;
  /** Bytes in the output (esbuild bytesInOutput, source map bytes) or pre-minification size (webpack stats). */
  bytes: number;
  /** The package it belongs to (undefined for the app's own code). */
  pkg?: string;
  /** Directory of the package instance (node_modules/a/node_modules/b), to tell duplicates apart. */
  pkgRoot?: string;
  /** Module format, when the tool reports it (esbuild metafile). */
  format?: 'cjs' | 'esm';
}

export type BreakdownSource = 'esbuild-metafile' | 'webpack-stats' | 'source-map';

export interface OutputBreakdown {
  output: string;
  source: BreakdownSource;
  /** Where the breakdown came from (the metafile / stats / map path). */
  from: string;
  /** True when `bytes` are pre-minification sizes (webpack stats). */
  preMinification: boolean;
  modules: ModuleShare[];
  /** Bytes not attributed to any module (runtime, unmapped code, EOLs…). */
  unattributed: number;
}

export interface PackageSize {
  name: string;
  bytes: number;
  /** Distinct package roots this package was bundled from (> 1: duplicated). */
  roots: string[];
  modules: number;
  /** Version per root, where it could be read (the root's package.json, or a pnpm path). */
  versions?: Record<string, string>;
}

/** What the browser loads for one entry (page or entry point): its initial JS and CSS. */
export interface BundleEntry {
  name: string;
  /** How the entry was found. */
  via: 'esbuild-metafile' | 'webpack-stats' | 'vite-manifest' | 'html' | 'file';
  /** Where it was declared (the manifest / HTML file). */
  from?: string;
  js: string[];
  css: string[];
  jsGzip: number;
  cssGzip: number;
  jsBytes: number;
  cssBytes: number;
}

export interface BundleProblem {
  /** The file the problem is about (a corrupt stats file, a bundle without a source map…). */
  file: string;
  message: string;
  kind: 'corrupt' | 'missing-map' | 'too-large' | 'timeout' | 'unreadable' | 'stale';
}

export interface ImageInfo {
  path: string;
  bytes: number;
  format: 'png' | 'jpeg' | 'gif' | 'webp' | 'avif' | 'svg' | 'other';
  width?: number;
  height?: number;
  /** Sibling variants with the same base name (hero.webp beside hero.png). */
  variants: string[];
}

export interface BundleAnalysis {
  root: string;
  /** Output folders found (dist, build, .next/static…). */
  outputDirs: string[];
  files: OutputFile[];
  entries: BundleEntry[];
  breakdowns: OutputBreakdown[];
  /** Per package over all outputs (bytes of whichever breakdown source covered each output). */
  packages: PackageSize[];
  images: ImageInfo[];
  problems: BundleProblem[];
  /** Manifests used (metafiles, stats, vite manifests). */
  manifests: { path: string; kind: 'esbuild-metafile' | 'webpack-stats' | 'vite-manifest' }[];
  durationMs: number;
  /** True when the time budget ran out before everything was computed. */
  truncated: boolean;
}
