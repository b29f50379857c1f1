/**
 * A small, fault-tolerant reader of Prisma schema files (`schema.prisma`).
 *
 * It turns `model` blocks into the dialect-neutral schema model of `types.ts`: tables, indexes
 * (`@id`/`@@id`, `@unique`/`@@unique`, `@@index`, `@@fulltext`) and foreign keys (`@relation(fields:
 * …, references: …)`), and records the datasource `provider` / `relationMode`. It never throws:
 * malformed input yields `errors` and whatever could still be read.
 *
 * Names follow what Prisma Migrate creates in the database (`@@map` / `@map` honoured), lower-cased.
 * Indexes without `map:` get Prisma's default constraint names (`{table}_pkey`, `{table}_{cols}_key`,
 * `{table}_{cols}_idx`, `{table}_{cols}_fkey`). Prisma creates no index for relation scalar fields
 * by itself, so none is invented here. Implicit many-to-many join tables (`_AToB`) are not modelled.
 */
import type { ColumnDef, ForeignKeyDef, IndexDef, IndexKey, SchemaFragment, Span, TableDef } from './types.js';

export type PrismaProvider = 'postgresql' | 'mysql' | 'sqlite' | 'sqlserver' | 'cockroachdb' | 'mongodb' | (string & {});

export interface PrismaParseError {
  message: string;
  span: Span;
}

export interface PrismaParseResult {
  fragment: SchemaFragment;
  errors: PrismaParseError[];
  /** `provider` of the (first) `datasource` block; `postgres` is normalised to `postgresql`. */
  provider?: PrismaProvider;
  /** `relationMode` of the datasource (`prisma` means no foreign keys exist in the database). */
  relationMode?: 'prisma' | 'foreignKeys' | (string & {});
}

const SCALAR_TYPES = new Set(['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes', 'Unsupported']);
const BLOCK_KEYWORDS = new Set(['model', 'view', 'enum', 'type', 'datasource', 'generator']);
const MAX_ERRORS = 200;

// ---------------------------------------------------------------------------------------------
// Tokens

type TokKind = 'ident' | 'string' | 'number' | 'punct' | 'at' | 'atat' | 'newline' | 'invalid' | 'eof';

interface Tok {
  kind: TokKind;
  /** Raw text; for strings the decoded value. */
  value: string;
  start: number;
  end: number;
}

function tokenize(text: string, errors: PrismaParseError[]): Tok[] {
  const toks: Tok[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    // newline
    if (c === 10 || c === 13) {
      const start = i;
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      toks.push({ kind: 'newline', value: '\n', start, end: i });
      continue;
    }
    // white space
    if (c === 32 || c === 9 || c === 11 || c === 12 || c === 0xfeff || c === 0xa0) {
      i++;
      continue;
    }
    // comments: `//` and `///` run to the end of the line
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      continue;
    }
    // block comments are not Prisma syntax, but skip them leniently
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      errors.push({ message: 'Block comments are not supported in Prisma schemas', span: { start: i, end } });
      i = end;
      continue;
    }
    if (c === 64 /* @ */) {
      if (text.charCodeAt(i + 1) === 64) {
        toks.push({ kind: 'atat', value: '@@', start: i, end: i + 2 });
        i += 2;
      } else {
        toks.push({ kind: 'at', value: '@', start: i, end: i + 1 });
        i++;
      }
      continue;
    }
    if (c === 34 /* " */) {
      const start = i;
      i++;
      let value = '';
      let closed = false;
      while (i < n) {
        const d = text[i];
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\n' || d === '\r') break;
        if (d === '\\' && i + 1 < n) {
          const e = text[i + 1];
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      if (!closed) errors.push({ message: 'Unterminated string literal', span: { start, end: i } });
      toks.push({ kind: 'string', value, start, end: i });
      continue;
    }
    if (isIdentStart(c)) {
      const start = i;
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      toks.push({ kind: 'ident', value: text.slice(start, i), start, end: i });
      continue;
    }
    if ((c >= 48 && c <= 57) || (c === 45 /* - */ && isDigit(text.charCodeAt(i + 1)))) {
      const start = i;
      i++;
      while (i < n && (isDigit(text.charCodeAt(i)) || text[i] === '.')) i++;
      toks.push({ kind: 'number', value: text.slice(start, i), start, end: i });
      continue;
    }
    if ('{}()[],:=?.!'.includes(text[i])) {
      toks.push({ kind: 'punct', value: text[i], start: i, end: i + 1 });
      i++;
      continue;
    }
    // anything else: one invalid code point
    const cp = text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    toks.push({ kind: 'invalid', value: text.slice(i, i + len), start: i, end: i + len });
    i += len;
  }
  toks.push({ kind: 'eof', value: '', start: n, end: n });
  return toks;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 0x7f;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === 45 /* - (generator/datasource names) */;
}

// ---------------------------------------------------------------------------------------------
// Syntax tree

type Value =
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'number'; value: string; span: Span }
  | { kind: 'array'; items: Value[]; span: Span }
  /** An identifier path (`Cascade`, `db.VarChar`), optionally called: `name(args)`. */
  | { kind: 'ref'; name: string; args?: Arg[]; span: Span };

interface Arg {
  name?: string;
  value: Value;
  span: Span;
}

interface Attribute {
  /** Without `@`/`@@`, e.g. `id`, `db.VarChar`. */
  name: string;
  args: Arg[];
  span: Span;
}

interface FieldNode {
  name: string;
  nameSpan: Span;
  /** Base type name, e.g. `String`, `User`, `Unsupported`. */
  typeName: string;
  /** Type text as written, without `?`. */
  typeText: string;
  optional: boolean;
  list: boolean;
  attributes: Attribute[];
  span: Span;
}

interface BlockNode {
  keyword: string;
  name: string;
  nameSpan: Span;
  span: Span;
  fields: FieldNode[];
  blockAttributes: Attribute[];
  /** `key = value` entries of datasource / generator blocks. */
  assignments: { key: string; value: Value }[];
}

class Parser {
  private pos = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly text: string,
    readonly errors: PrismaParseError[],
  ) {}

  private peek(k = 0): Tok {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)];
  }
  private next(): Tok {
    const t = this.peek();
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }
  private isPunct(v: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'punct' && t.value === v;
  }
  private error(message: string, span: Span): void {
    if (this.errors.length >= MAX_ERRORS) return;
    // one message per place (an unterminated string is already reported by the tokenizer)
    if (this.errors.some((e) => e.span.start === span.start)) return;
    this.errors.push({ message, span });
  }
  /**
   * Newlines are allowed inside argument lists, but a following line that starts like a field
   * (`name Type`), a block attribute or the end of the block means the list was not closed.
   */
  private atUnclosedListEnd(): boolean {
    if (this.peek().kind !== 'newline') return false;
    let k = 0;
    while (this.peek(k).kind === 'newline') k++;
    const t = this.peek(k);
    if (t.kind === 'eof' || t.kind === 'atat' || (t.kind === 'punct' && t.value === '}')) return true;
    return t.kind === 'ident' && this.peek(k + 1).kind === 'ident';
  }
  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.next();
  }
  /** Skips to the next newline at bracket depth 0 (or a `}` closing the enclosing block). */
  private skipLine(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return;
      if (t.kind === 'newline' && depth === 0) return;
      if (t.kind === 'punct') {
        if (t.value === '(' || t.value === '[') depth++;
        else if (t.value === ')' || t.value === ']') depth = Math.max(0, depth - 1);
        else if (t.value === '}' && depth === 0) return;
        else if (t.value === '{') depth++;
      }
      this.next();
    }
  }

  /** Whether the tokens at the cursor start a top-level block: `keyword Name {`. */
  private atBlockStart(): boolean {
    const t = this.peek();
    return t.kind === 'ident' && BLOCK_KEYWORDS.has(t.value) && this.peek(1).kind === 'ident' && this.isPunct('{', 2);
  }

  parseFile(): BlockNode[] {
    const blocks: BlockNode[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'ident' && BLOCK_KEYWORDS.has(t.value)) {
        const block = this.parseBlock();
        if (block) blocks.push(block);
        continue;
      }
      // Unknown top-level content: report it once per line and skip the line.
      const start = t.start;
      this.skipLine();
      if (this.isPunct('}')) this.next();
      this.error(`Unexpected ${describe(t)} at top level; expected a model, enum, datasource or generator block`, {
        start,
        end: Math.max(start + 1, this.prevEnd()),
      });
    }
    return blocks;
  }

  private prevEnd(): number {
    return this.toks[Math.max(0, this.pos - 1)].end;
  }

  private parseBlock(): BlockNode | undefined {
    const kw = this.next();
    const nameTok = this.peek();
    if (nameTok.kind !== 'ident') {
      this.error(`Expected a name after \`${kw.value}\``, { start: kw.start, end: kw.end });
      this.skipLine();
      return undefined;
    }
    this.next();
    if (!this.isPunct('{')) {
      this.error(`Expected \`{\` after \`${kw.value} ${nameTok.value}\``, { start: nameTok.start, end: nameTok.end });
      this.skipLine();
      // Lenient: a `{` on the next line still opens the block.
      this.skipNewlines();
      if (!this.isPunct('{')) return undefined;
    }
    this.next();
    const block: BlockNode = {
      keyword: kw.value,
      name: nameTok.value,
      nameSpan: { start: nameTok.start, end: nameTok.end },
      span: { start: kw.start, end: kw.end },
      fields: [],
      blockAttributes: [],
      assignments: [],
    };
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof') {
        this.error(`Unterminated \`${kw.value} ${nameTok.value}\` block: missing \`}\``, { start: kw.start, end: nameTok.end });
        block.span.end = this.lastNonNewlineEndBefore(t.start);
        return block;
      }
      if (t.kind === 'punct' && t.value === '}') {
        this.next();
        block.span.end = t.end;
        return block;
      }
      if (this.atBlockStart()) {
        this.error(`Unterminated \`${kw.value} ${nameTok.value}\` block: missing \`}\``, { start: kw.start, end: nameTok.end });
        block.span.end = this.lastNonNewlineEndBefore(t.start);
        return block;
      }
      if (kw.value === 'datasource' || kw.value === 'generator') this.parseAssignment(block);
      else if (kw.value === 'enum') this.skipLine();
      else if (t.kind === 'atat') {
        const a = this.parseAttribute();
        if (a) block.blockAttributes.push(a);
        this.expectLineEnd();
      } else if (t.kind === 'ident') this.parseField(block);
      else {
        this.error(`Unexpected ${describe(t)} in \`${kw.value} ${nameTok.value}\``, { start: t.start, end: t.end });
        this.next();
        this.skipLine();
      }
    }
  }

  private lastNonNewlineEndBefore(offset: number): number {
    let i = this.pos - 1;
    while (i >= 0 && (this.toks[i].kind === 'newline' || this.toks[i].start >= offset)) i--;
    return i >= 0 ? this.toks[i].end : offset;
  }

  private expectLineEnd(): void {
    const t = this.peek();
    if (t.kind === 'newline' || t.kind === 'eof' || (t.kind === 'punct' && t.value === '}')) return;
    this.error(`Unexpected ${describe(t)}`, { start: t.start, end: t.end });
    this.skipLine();
  }

  private parseAssignment(block: BlockNode): void {
    const key = this.next();
    if (key.kind !== 'ident' || !this.isPunct('=')) {
      this.error(`Expected \`key = value\` in \`${block.keyword} ${block.name}\``, { start: key.start, end: key.end });
      this.skipLine();
      return;
    }
    this.next();
    const value = this.parseValue();
    if (value) block.assignments.push({ key: key.value, value });
    this.expectLineEnd();
  }

  private parseField(block: BlockNode): void {
    const nameTok = this.next();
    const field: FieldNode = {
      name: nameTok.value,
      nameSpan: { start: nameTok.start, end: nameTok.end },
      typeName: '',
      typeText: '',
      optional: false,
      list: false,
      attributes: [],
      span: { start: nameTok.start, end: nameTok.end },
    };
    const typeTok = this.peek();
    if (typeTok.kind !== 'ident') {
      this.error(`Field \`${nameTok.value}\` has no type`, { start: nameTok.start, end: nameTok.end });
      this.skipLine();
      return;
    }
    this.next();
    field.typeName = typeTok.value;
    let typeEnd = typeTok.end;
    // Unsupported("tsvector")
    if (this.isPunct('(')) {
      this.parseArgs();
      typeEnd = this.prevEnd();
    }
    if (this.isPunct('[') && this.isPunct(']', 1)) {
      this.next();
      typeEnd = this.next().end;
      field.list = true;
    }
    field.typeText = this.text.slice(typeTok.start, typeEnd);
    if (this.isPunct('?')) {
      field.optional = true;
      this.next();
    } else if (this.isPunct('!')) this.next(); // legacy required marker
    field.span.end = this.prevEnd();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'at') {
        const a = this.parseAttribute();
        if (a) {
          field.attributes.push(a);
          field.span.end = a.span.end;
        }
        continue;
      }
      if (t.kind === 'newline' || t.kind === 'eof' || (t.kind === 'punct' && t.value === '}')) break;
      this.error(`Unexpected ${describe(t)} in field \`${field.name}\``, { start: t.start, end: t.end });
      this.skipLine();
      break;
    }
    block.fields.push(field);
  }

  /** `@name` / `@@name` / `@db.Type`, with optional `(args)`. */
  private parseAttribute(): Attribute | undefined {
    const at = this.next();
    const first = this.peek();
    if (first.kind !== 'ident') {
      this.error('Expected an attribute name', { start: at.start, end: at.end });
      return undefined;
    }
    this.next();
    let name = first.value;
    let end = first.end;
    while (this.isPunct('.') && this.peek(1).kind === 'ident') {
      this.next();
      const part = this.next();
      name += '.' + part.value;
      end = part.end;
    }
    let args: Arg[] = [];
    if (this.isPunct('(')) {
      args = this.parseArgs();
      end = this.prevEnd();
    }
    return { name, args, span: { start: at.start, end } };
  }

  /** `( [name:] value, … )` — the cursor is on `(`. Newlines are allowed inside. */
  private parseArgs(): Arg[] {
    const open = this.next();
    const args: Arg[] = [];
    for (;;) {
      if (this.atUnclosedListEnd()) {
        this.error('Unterminated argument list: missing `)`', { start: open.start, end: this.prevEnd() });
        return args;
      }
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'punct' && t.value === ')') {
        this.next();
        return args;
      }
      if (t.kind === 'eof' || (t.kind === 'punct' && t.value === '}') || (t.kind === 'at' || t.kind === 'atat')) {
        this.error('Unterminated argument list: missing `)`', { start: open.start, end: this.prevEnd() });
        return args;
      }
      if (t.kind === 'punct' && t.value === ',') {
        this.next();
        continue;
      }
      let name: string | undefined;
      const start = t.start;
      if (t.kind === 'ident' && this.isPunct(':', 1)) {
        name = t.value;
        this.next();
        this.next();
        this.skipNewlines();
      }
      const value = this.parseValue();
      if (!value) {
        const bad = this.peek();
        this.error(`Unexpected ${describe(bad)} in argument list`, { start: bad.start, end: bad.end });
        // Skip the bad token, but do not run past the end of the argument list.
        if (bad.kind === 'newline' || bad.kind === 'eof') return args;
        this.next();
        continue;
      }
      args.push(name !== undefined ? { name, value, span: { start, end: value.span.end } } : { value, span: { start, end: value.span.end } });
      if (this.atUnclosedListEnd()) continue;
      this.skipNewlines();
      if (!this.isPunct(',') && !this.isPunct(')')) {
        const bad = this.peek();
        if (bad.kind === 'eof' || (bad.kind === 'punct' && bad.value === '}') || bad.kind === 'at' || bad.kind === 'atat') continue;
        this.error(`Expected \`,\` or \`)\`, found ${describe(bad)}`, { start: bad.start, end: bad.end });
        this.next();
      }
    }
  }

  private parseValue(): Value | undefined {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return { kind: 'string', value: t.value, span: { start: t.start, end: t.end } };
    }
    if (t.kind === 'number') {
      this.next();
      return { kind: 'number', value: t.value, span: { start: t.start, end: t.end } };
    }
    if (t.kind === 'punct' && t.value === '[') {
      this.next();
      const items: Value[] = [];
      for (;;) {
        if (this.atUnclosedListEnd()) {
          this.error('Unterminated list: missing `]`', { start: t.start, end: this.prevEnd() });
          return { kind: 'array', items, span: { start: t.start, end: this.prevEnd() } };
        }
        this.skipNewlines();
        const u = this.peek();
        if (u.kind === 'punct' && u.value === ']') {
          this.next();
          return { kind: 'array', items, span: { start: t.start, end: u.end } };
        }
        if (u.kind === 'punct' && u.value === ',') {
          this.next();
          continue;
        }
        if (u.kind === 'eof' || (u.kind === 'punct' && (u.value === ')' || u.value === '}')) || u.kind === 'at' || u.kind === 'atat') {
          this.error('Unterminated list: missing `]`', { start: t.start, end: this.prevEnd() });
          return { kind: 'array', items, span: { start: t.start, end: this.prevEnd() } };
        }
        const v = this.parseValue();
        if (v) items.push(v);
        else {
          this.error(`Unexpected ${describe(u)} in list`, { start: u.start, end: u.end });
          this.next();
        }
      }
    }
    if (t.kind === 'ident') {
      this.next();
      let name = t.value;
      let end = t.end;
      while (this.isPunct('.') && this.peek(1).kind === 'ident') {
        this.next();
        const part = this.next();
        name += '.' + part.value;
        end = part.end;
      }
      if (this.isPunct('(')) {
        const args = this.parseArgs();
        return { kind: 'ref', name, args, span: { start: t.start, end: this.prevEnd() } };
      }
      return { kind: 'ref', name, span: { start: t.start, end } };
    }
    return undefined;
  }
}

function describe(t: Tok): string {
  switch (t.kind) {
    case 'eof':
      return 'end of file';
    case 'newline':
      return 'end of line';
    case 'string':
      return 'string';
    default:
      return `\`${t.value}\``;
  }
}

// ---------------------------------------------------------------------------------------------
// Semantic pass

function arg(a: Attribute, name: string, position?: number): Arg | undefined {
  const named = a.args.find((x) => x.name === name);
  if (named) return named;
  if (position === undefined) return undefined;
  const positional = a.args.filter((x) => x.name === undefined);
  return positional[position];
}

function stringArg(a: Attribute, name: string, position?: number): string | undefined {
  const v = arg(a, name, position)?.value;
  return v?.kind === 'string' ? v.value : undefined;
}

/** Field names of a `[a, b(sort: Desc)]` list argument. */
function fieldList(v: Value | undefined): string[] | undefined {
  if (!v) return undefined;
  const items = v.kind === 'array' ? v.items : [v];
  const out: string[] = [];
  for (const item of items) if (item.kind === 'ref') out.push(item.name);
  return out;
}

interface ModelInfo {
  block: BlockNode;
  table: string;
  /** field name → column name (lower-cased). */
  columnOf: Map<string, string>;
}

export function parsePrismaSchema(text: string, file: string): PrismaParseResult {
  const errors: PrismaParseError[] = [];
  const fragment: SchemaFragment = { file, tables: [], indexes: [], foreignKeys: [], primaryKeys: [], dropped: { tables: [], indexes: [] } };
  const result: PrismaParseResult = { fragment, errors };
  try {
    const toks = tokenize(typeof text === 'string' ? text : '', errors);
    const blocks = new Parser(toks, text, errors).parseFile();
    analyze(blocks, file, result);
  } catch (e) {
    errors.push({ message: `Internal error while reading the Prisma schema: ${(e as Error)?.message ?? String(e)}`, span: { start: 0, end: 0 } });
  }
  const p = result.provider;
  if (p === 'postgresql' || p === 'cockroachdb') fragment.dialect = 'postgresql';
  else if (p === 'mysql') fragment.dialect = 'mysql';
  else if (p === 'sqlite') fragment.dialect = 'sqlite';
  // relationMode = "prisma": the client emulates relations, the database has no FOREIGN KEY (nor InnoDB's index for one).
  if (result.relationMode === 'prisma') for (const fk of fragment.foreignKeys) fk.virtual = true;
  return result;
}

function analyze(blocks: BlockNode[], file: string, result: PrismaParseResult): void {
  const { fragment, errors } = result;
  const enums = new Set<string>();
  const compositeTypes = new Set<string>();
  const models = new Map<string, ModelInfo>();
  const relationTargets = new Set<string>();

  for (const b of blocks) {
    if (b.keyword === 'enum') enums.add(b.name);
    else if (b.keyword === 'type') compositeTypes.add(b.name);
    else if (b.keyword === 'view') relationTargets.add(b.name);
    else if (b.keyword === 'datasource' && result.provider === undefined) {
      for (const { key, value } of b.assignments) {
        if (key === 'provider' && value.kind === 'string') {
          const p = value.value.trim().toLowerCase();
          result.provider = p === 'postgres' ? 'postgresql' : p;
        } else if ((key === 'relationMode' || key === 'referentialIntegrity') && value.kind === 'string') result.relationMode = value.value;
      }
    } else if (b.keyword === 'model') {
      if (models.has(b.name)) errors.push({ message: `Model \`${b.name}\` is defined more than once`, span: b.nameSpan });
      const mapAttr = b.blockAttributes.find((a) => a.name === 'map');
      const mapped = mapAttr ? stringArg(mapAttr, 'name', 0) : undefined;
      const columnOf = new Map<string, string>();
      for (const f of b.fields) {
        const m = f.attributes.find((a) => a.name === 'map');
        const col = m ? stringArg(m, 'name', 0) : undefined;
        columnOf.set(f.name, (col ?? f.name).toLowerCase());
      }
      models.set(b.name, { block: b, table: (mapped ?? b.name).toLowerCase(), columnOf });
      relationTargets.add(b.name);
    }
  }

  const isKnownNonRelation = (t: string): boolean => SCALAR_TYPES.has(t) || enums.has(t) || compositeTypes.has(t);
  // A type defined nowhere in this file may live in another file of a multi-file schema: a list of
  // it, or a field with `@relation`, is a relation; a plain field is kept as a column (an enum?).
  const isRelationField = (f: FieldNode): boolean =>
    relationTargets.has(f.typeName) || f.attributes.some((a) => a.name === 'relation') || (f.list && !isKnownNonRelation(f.typeName));

  fragment.ormModels = [];
  for (const [name, info] of models) {
    const relations = new Map<string, string>();
    const columns = new Map(info.columnOf);
    for (const f of info.block.fields) {
      if (!isRelationField(f)) continue;
      relations.set(f.name, f.typeName);
      // `team Team @relation(fields: [teamId], …)`: filtering by the relation goes through teamId; a
      // relation without fields here (the other side's list) has no column of this table.
      const rel = f.attributes.find((a) => a.name === 'relation');
      const fields = rel ? fieldList(arg(rel, 'fields')?.value) : undefined;
      if (fields?.length === 1 && info.columnOf.has(fields[0])) columns.set(f.name, info.columnOf.get(fields[0])!);
      else columns.delete(f.name);
    }
    // The client's accessor is the model name with a lower-case first letter (`prisma.documentMeta`).
    const accessor = name.charAt(0).toLowerCase() + name.slice(1);
    fragment.ormModels.push({ orm: 'prisma', names: [...new Set([accessor, name])], table: info.table, columns, relations, file, span: info.block.nameSpan, indexInsertAt: info.block.span.end - 1 });
  }

  for (const info of models.values()) {
    const b = info.block;
    if (b.keyword !== 'model') continue;
    const table = info.table;
    const col = (field: string): string => info.columnOf.get(field) ?? field.toLowerCase();
    const columns: ColumnDef[] = [];
    let hasPrimaryKey = false;
    const schemaAttr = b.blockAttributes.find((a) => a.name === 'schema');
    const schema = schemaAttr ? stringArg(schemaAttr, 'name', 0) : undefined;

    const addIndex = (
      origin: IndexDef['origin'],
      fields: string[],
      a: Attribute,
      defaultSuffix: string,
      method?: string,
    ): void => {
      if (fields.length === 0) {
        errors.push({ message: `\`@@${a.name}\` needs a list of fields`, span: a.span });
        return;
      }
      for (const f of fields) {
        if (!info.columnOf.has(f)) errors.push({ message: `Unknown field \`${f}\` in model \`${b.name}\``, span: a.span });
      }
      const keys: IndexKey[] = fields.map((f) => ({ kind: 'column', column: col(f) }));
      const map = stringArg(a, 'map');
      const name = (map ?? (origin === 'primary-key' ? `${table}_pkey` : `${table}_${keys.map((k) => (k as { column: string }).column).join('_')}_${defaultSuffix}`)).toLowerCase();
      const idx: IndexDef = { name, table, keys, unique: origin !== 'prisma', origin, file, span: a.span };
      if (method) idx.method = method;
      fragment.indexes.push(idx);
    };

    for (const f of b.fields) {
      const relation = isRelationField(f);
      if (!relation) {
        const c: ColumnDef = { name: col(f.name), type: f.typeText, notNull: !f.optional, span: f.span };
        columns.push(c);
      }
      for (const a of f.attributes) {
        if (a.name === 'id') {
          hasPrimaryKey = true;
          addIndex('primary-key', [f.name], a, 'pkey');
        } else if (a.name === 'unique') {
          addIndex('unique-constraint', [f.name], a, 'key');
        } else if (a.name === 'relation') {
          const fields = fieldList(arg(a, 'fields')?.value);
          const references = fieldList(arg(a, 'references')?.value);
          if (!fields && !references) continue; // the back-relation side
          if (!fields || !references || fields.length === 0 || fields.length !== references.length) {
            errors.push({ message: `\`@relation\` of \`${f.name}\` needs \`fields\` and \`references\` of the same length`, span: a.span });
            continue;
          }
          const target = models.get(f.typeName);
          const refCol = (r: string): string => target?.columnOf.get(r) ?? r.toLowerCase();
          const columnsFk = fields.map(col);
          const fk: ForeignKeyDef = {
            name: (stringArg(a, 'map') ?? `${table}_${columnsFk.join('_')}_fkey`).toLowerCase(),
            table,
            columns: columnsFk,
            refTable: target ? target.table : f.typeName.toLowerCase(),
            refColumns: references.map(refCol),
            file,
            span: a.span,
          };
          for (const x of fields) {
            if (!info.columnOf.has(x)) errors.push({ message: `Unknown field \`${x}\` in model \`${b.name}\``, span: a.span });
          }
          fragment.foreignKeys.push(fk);
        }
      }
    }

    for (const a of b.blockAttributes) {
      switch (a.name) {
        case 'id': {
          hasPrimaryKey = true;
          addIndex('primary-key', fieldList(arg(a, 'fields', 0)?.value) ?? [], a, 'pkey');
          break;
        }
        case 'unique':
          addIndex('unique-constraint', fieldList(arg(a, 'fields', 0)?.value) ?? [], a, 'key');
          break;
        case 'index': {
          const type = arg(a, 'type')?.value;
          addIndex('prisma', fieldList(arg(a, 'fields', 0)?.value) ?? [], a, 'idx', type?.kind === 'ref' ? type.name.toLowerCase() : undefined);
          break;
        }
        case 'fulltext':
          addIndex('prisma', fieldList(arg(a, 'fields', 0)?.value) ?? [], a, 'idx', 'fulltext');
          break;
        default:
          break;
      }
    }

    const tdef: TableDef = {
      name: table,
      columns,
      hasPrimaryKey,
      file,
      span: b.span,
      nameSpan: b.nameSpan,
      endOffset: b.span.end,
      dialect: 'prisma',
    };
    if (schema !== undefined) tdef.schema = schema.toLowerCase();
    fragment.tables.push(tdef);
  }
}
