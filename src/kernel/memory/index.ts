/**
 * The workspace memory layer, pure part: markdown section model and the updates of our own regions.
 * File I/O lives apart in ./store.js (node:fs/promises); import it explicitly where I/O is wanted.
 */
export * from './markdown.js';
export * from './memory.js';
export * from './dates.js';
export * from './outline.js';
