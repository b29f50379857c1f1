/** Messages between the import cost service (parent) and its esbuild worker (child process). */

export interface BuildJob {
  /** Cache key: package@version + entry code + externals. */
  key: string;
  /** The virtual entry, e.g. `import { debounce } from "lodash"; console.log(debounce);`. */
  code: string;
  /** Folder the entry resolves from (the importing file's folder: Node resolution, pnpm, workspaces). */
  resolveDir: string;
  /** Bare specifiers kept out of the bundle (peer dependencies, react, react-dom); matched exactly. */
  externals: string[];
}

export type ParentMessage =
  | { type: 'build'; jobs: BuildJob[] }
  | { type: 'cancel'; keys: string[] };

export interface BuildResult {
  key: string;
  /** Minified bytes (JS + CSS). */
  size?: number;
  /** gzip level 6 (as the Import Cost extension). */
  gzip?: number;
  error?: string;
  ms: number;
}

export type WorkerMessage =
  | { type: 'ready'; esbuild: string }
  | { type: 'fatal'; error: string }
  | ({ type: 'result' } & BuildResult);
