/**
 * PostgreSQL adapter over libpg-query (the real PostgreSQL parser compiled to WASM).
 * Turns one statement into the dialect-neutral QueryModel / SchemaFragment.
 *
 * Modules (imports run one way: this entry → pg-queries / pg-ddl → pg-expressions → pg-ast):
 *   pg-ast.ts          the AST node type, lower-cased names, type names, depth-first walk
 *   pg-expressions.ts  ExpressionReader: spans in the statement text, column refs, expression text, facts
 *   pg-ddl.ts          CREATE / ALTER / DROP TABLE and INDEX → schema fragment (DdlConverter)
 *   pg-queries.ts      SELECT / INSERT / UPDATE / DELETE → query model (QueryConverter)
 */
import type { DialectParser, StatementParse } from '../types.js';
import { Utf8Offsets } from '../../../kernel/text.js';
import type { Node } from './pg-ast.js';
import { DdlConverter, emptySchema } from './pg-ddl.js';
import { QueryConverter } from './pg-queries.js';

export { emptySchema };

type PgModule = typeof import('libpg-query');

let pgModule: PgModule | undefined;
let loading: Promise<PgModule> | undefined;

/** Loads the WASM parser once. Must be awaited before `createPostgresParser().parseStatement`. */
export function loadPostgresParser(): Promise<PgModule> {
  if (pgModule) return Promise.resolve(pgModule);
  loading ??= (async () => {
    const mod = (await import('libpg-query')) as PgModule;
    await mod.loadModule();
    pgModule = mod;
    return mod;
  })();
  return loading;
}

/** Does `sql` parse as PostgreSQL? Undefined while the parser is not loaded. */
export function postgresParses(sql: string): boolean | undefined {
  if (!pgModule) return undefined;
  try {
    pgModule.parseSync(sql);
    return true;
  } catch {
    return false;
  }
}

export function isPostgresParserLoaded(): boolean {
  return pgModule !== undefined;
}

export function createPostgresParser(): DialectParser {
  return {
    dialect: 'postgresql',
    parseStatement(text: string): StatementParse {
      if (!pgModule) return { error: { message: 'PostgreSQL parser not loaded', offset: 0 } };
      let ast: Node;
      try {
        ast = pgModule.parseSync(text);
      } catch (e) {
        const err = e as { message?: string; sqlDetails?: { cursorPosition?: number } };
        const bytes = err.sqlDetails?.cursorPosition ?? 0;
        return { error: { message: String(err.message ?? e), offset: new Utf8Offsets(text).toUtf16(Math.max(0, bytes)) } };
      }
      const stmt = (ast.stmts as Node[] | undefined)?.[0]?.stmt as Node | undefined;
      if (!stmt) return {};
      return statement(text, stmt);
    },
  };
}

/** One statement's AST → its query model or schema fragment (EXPLAIN: the statement it explains). */
function statement(text: string, stmt: Node): StatementParse {
  const [kind, node] = Object.entries(stmt)[0] as [string, Node];
  switch (kind) {
    case 'SelectStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'InsertStmt':
      return { query: new QueryConverter(text).query(kind, node, new Set()) };
    case 'ExplainStmt':
      return node.query ? statement(text, node.query as Node) : {};
    case 'CreateStmt':
      return { schema: new DdlConverter(text).createTable(node) };
    case 'IndexStmt':
      return { schema: { ...emptySchema(), indexes: [new DdlConverter(text).createIndex(node)] } };
    case 'AlterTableStmt':
      return { schema: new DdlConverter(text).alterTable(node) };
    case 'DropStmt':
      return { schema: new DdlConverter(text).drop(node) };
    case 'RenameStmt':
      return { schema: new DdlConverter(text).rename(node) };
    default:
      return {};
  }
}
