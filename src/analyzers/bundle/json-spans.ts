/** Offsets of properties in JSON(C) text, for findings that point at a key (a dependency, a budget). */
import { findNodeAtLocation, parseTree, type JSONPath } from 'jsonc-parser';
import type { Span } from '../../kernel/model.js';
import { tooDeeplyNested } from '../../kernel/json.js';

/** Span of the property `path` (key through value), or undefined. */
export function propertySpan(text: string, path: JSONPath): Span | undefined {
  const root = tooDeeplyNested(text) ? undefined : parseTree(text, [], { allowTrailingComma: true });
  if (!root) return undefined;
  const value = findNodeAtLocation(root, path);
  const prop = value?.parent;
  if (!value || prop?.type !== 'property') return undefined;
  return { start: prop.offset, end: value.offset + value.length };
}

/** Span of the key of property `path` (quotes included), or undefined. */
export function keySpan(text: string, path: JSONPath): Span | undefined {
  const root = tooDeeplyNested(text) ? undefined : parseTree(text, [], { allowTrailingComma: true });
  if (!root) return undefined;
  const key = findNodeAtLocation(root, path)?.parent?.children?.[0];
  return key ? { start: key.offset, end: key.offset + key.length } : undefined;
}

/** The first non-blank line of a text (an anchor for whole-file findings). */
export function firstLineSpan(text: string): Span {
  const start = text.search(/\S/);
  if (start < 0) return { start: 0, end: 0 };
  const nl = text.indexOf('\n', start);
  return { start, end: nl < 0 ? text.length : nl };
}
