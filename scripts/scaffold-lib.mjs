// Shared by scripts/new-analyzer.mjs and scripts/new-rule.mjs: argument parsing, names, refusals
// (exit 2, one line) and the small source edits both scaffolds make (an import, an array entry).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/** The repository: the folder above scripts/. */
export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Lower-case kebab-case: `kubernetes`, `node-server`, `k8s-probe`. */
export const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** A refusal: one line on stderr, exit code 2, nothing written. */
export class Refusal extends Error {}

export function refuse(message) {
  throw new Refusal(message);
}

/** Runs a scaffold's main; a Refusal becomes `<name>: <message>` on stderr and exit code 2. */
export function runScaffold(name, main) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    console.error(`${name}: ${e.message}`);
    process.exit(2);
  }
}

/**
 * Splits `argv` into positional arguments and `--name value` options (`--root` is always allowed).
 * An unknown option or a missing value is refused.
 */
export function parseArgs(argv, optionNames, usage) {
  const positional = [];
  const options = {};
  const allowed = new Set(['root', ...optionNames]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') refuse(`usage: ${usage}`);
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      if (!allowed.has(name)) refuse(`unknown option --${name} (usage: ${usage})`);
      const value = eq < 0 ? argv[++i] : a.slice(eq + 1);
      if (value === undefined || value === '') refuse(`--${name} needs a value (usage: ${usage})`);
      options[name] = value;
    } else positional.push(a);
  }
  const root = path.resolve(options.root ?? REPO_ROOT);
  if (!existsSync(path.join(root, 'src/analyzers'))) refuse(`${root} has no src/analyzers folder (wrong --root?)`);
  return { positional, options, root };
}

const words = (kebab) => kebab.split('-');
const cap = (w) => w.charAt(0).toUpperCase() + w.slice(1);

/** `node-server` → `nodeServer`. */
export const camel = (kebab) => words(kebab).map((w, i) => (i ? cap(w) : w)).join('');
/** `node-server` → `NodeServer`. */
export const pascal = (kebab) => words(kebab).map(cap).join('');
/** `node-server` → `NODE_SERVER`. */
export const upperSnake = (kebab) => words(kebab).join('_').toUpperCase();

/** A project-relative file: read, write (creating folders), test. */
export class Tree {
  constructor(root) {
    this.root = root;
  }
  abs(rel) {
    return path.join(this.root, rel);
  }
  exists(rel) {
    return existsSync(this.abs(rel));
  }
  read(rel) {
    return readFileSync(this.abs(rel), 'utf8');
  }
  write(rel, text) {
    mkdirSync(path.dirname(this.abs(rel)), { recursive: true });
    writeFileSync(this.abs(rel), text);
  }
}

/** Inserts `line` after the last `import … from '…';` statement at the top of a module (or at the top). */
export function insertImport(text, line) {
  let end = -1;
  for (const m of text.matchAll(/^import\s[^;]*?from\s+'[^']+';[ \t]*$/gm)) end = m.index + m[0].length;
  if (end < 0) return `${line}\n${text}`;
  return `${text.slice(0, end)}\n${line}${text.slice(end)}`;
}

/**
 * Appends `entry` to the array literal whose `[` is at `open`: `[]` → `[x]`, `[a, b]` → `[a, b, x]`,
 * and in an array written one element a line, a line of its own at the elements' indentation.
 */
export function appendToArray(text, open, entry) {
  let depth = 0;
  let close = -1;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) return undefined;
  const body = text.slice(open + 1, close);
  if (!body.trim()) return `${text.slice(0, open + 1)}${entry}${text.slice(close)}`;
  if (body.includes('\n')) {
    const lineStart = text.lastIndexOf('\n', close - 1) + 1;
    const closeIndent = text.slice(lineStart, close);
    if (/\S/.test(closeIndent)) return undefined;
    const elemIndent = /\n([ \t]+)\S/.exec(body)?.[1] ?? `${closeIndent}  `;
    const before = text.slice(0, lineStart).replace(/([^\s,])(\s*)$/, '$1,$2');
    return `${before}${elemIndent}${entry},\n${text.slice(lineStart)}`;
  }
  const items = body.trim().replace(/,$/, '');
  return `${text.slice(0, open + 1)}${items ? `${items}, ` : ''}${entry}${text.slice(close)}`;
}

/** Checklist items as src/kernel/checklist.ts lists them: id → { group, title }. */
export function checklistItems(tree) {
  const src = tree.read('src/kernel/checklist.ts');
  const items = new Map();
  for (const m of src.matchAll(/\{\s*id:\s*'([^']+)',\s*group:\s*'([^']+)',\s*title:\s*'((?:[^'\\]|\\.)*)'\s*\}/g)) items.set(m[1], { group: m[2], title: m[3].replace(/\\(.)/g, '$1') });
  return items;
}

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/**
 * Regenerates what derives from the registry (scripts/generate.ts: the settings schema's rule ids,
 * the README's rule tables). Only for the repository itself: a --root copy (tests) has no registry
 * to load.
 */
export function regenerate(root) {
  if (path.resolve(root) !== REPO) return;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate.ts'], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) console.log('warning: npm run generate failed; run it after fixing what it says');
}
