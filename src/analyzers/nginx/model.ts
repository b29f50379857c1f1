/**
 * The nginx configuration model: directives as parsed from one file (spans are UTF-16 offsets into
 * that file), the tree with `include`s expanded, and the contexts (main → http → server → location)
 * used to compute effective values.
 */
import type { Span } from '../../kernel/model.js';

export type { Span };

export interface NginxArg {
  /** The value as nginx sees it: quotes removed, `\"` `\'` `\\` `\t` `\r` `\n` unescaped. */
  value: string;
  /** The source text of the argument, quotes included. */
  raw: string;
  span: Span;
  quote?: '"' | "'";
}

export interface NginxDirective {
  name: string;
  nameSpan: Span;
  args: NginxArg[];
  /** From the name to the `;` or the block's `}` (or the last token read when either is missing). */
  span: Span;
  /** Offset of the terminating `;`, for a simple directive that has one. */
  semi?: number;
  /** The children of a block directive (`http { … }`); undefined for a simple directive. */
  block?: NginxDirective[];
  /** Offset of the block's `{`. */
  open?: number;
  /** Offset of the block's `}`; undefined when the block is never closed. */
  close?: number;
  /** The body of a block read as opaque text (`content_by_lua_block { … }`). */
  opaque?: Span;
  /** Workspace-relative path of the file the directive is written in. */
  file: string;
}

export type DiagnosticKind = 'syntax' | 'binary' | 'include-missing' | 'include-loop' | 'include-binary' | 'include-limit' | 'depth-limit';

export interface NginxDiagnostic {
  kind: DiagnosticKind;
  message: string;
  file: string;
  span: Span;
  severity: 'error' | 'warning' | 'info';
}

export interface ParsedNginx {
  file: string;
  directives: NginxDirective[];
  /** Syntax errors (at most MAX_ERRORS; `omittedErrors` counts the rest). */
  errors: NginxDiagnostic[];
  omittedErrors: number;
}

/** A directive placed in the expanded tree (an included file's directives appear where the `include` is). */
export interface ENode {
  d: NginxDirective;
  children?: ENode[];
  /** For an `include`: the workspace files it resolved to. */
  included?: string[];
}

export type CtxKind = 'main' | 'events' | 'http' | 'server' | 'location' | 'if' | 'limit_except' | 'upstream' | 'types' | 'other';

/** A configuration level: the block directive and what is written directly in it (includes flattened). */
export interface Ctx {
  kind: CtxKind;
  /** The block directive; undefined for the root of a file. */
  node?: ENode;
  parent?: Ctx;
  /** The directives of this level (simple and block), includes expanded in place. */
  items: ENode[];
  children: Ctx[];
  /** True for levels that belong to another config (the http block of the main config a snippet is assumed to be included in). */
  external?: boolean;
}
