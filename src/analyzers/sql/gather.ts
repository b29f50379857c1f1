/**
 * The SQL project analysis: every SQL, Prisma and JS/TS file is parsed (statements, and the schema
 * fragment each adds), and the fragments add up to one schema per schema scope (a project root and,
 * when its path names one, a dialect folder: see scopes.ts), replayed in file-name order
 * (migrations). Rules judge each file's statements against the schema of its scope.
 */
import type { ChecklistItemId } from '../../kernel/model.js';
import type { ProjectAnalysis, ProjectInput, ProjectRule, ProjectRuleContext, ProjectSession } from '../../kernel/contracts.js';
import type { PerfAuditSettings } from '../../kernel/settings.js';
import { ORM_PACKAGES, parseSqlFile, sqlFileKind, StatementParser, type ParsedSqlFile } from './analyze.js';
import { hasSchema, type Schema } from './schema.js';
import { isManifest, readManifest, SchemaScopes, type Manifest } from './scopes.js';
import { keepForward } from './rollback.js';
import { isOneOff, isTestLike, codeRoleOf } from '../../kernel/code-role.js';
import { linkSequelizeModels } from './orm/sequelize-models.js';
import { linkDrizzleTables } from './orm/drizzle-schema.js';
import { linkTypeormEntities } from './orm/typeorm-entities.js';
import type { Dialect, SchemaFragment, Span } from './types.js';
import { ormAnnotations } from './orm/annotate.js';
import { DialectEvidence, isDialectEvidenceFile } from './dialect-evidence.js';
import { isDjangoTemplatePath, readDjangoTemplate, resolveTemplate, type DjangoTemplateRead } from './orm/django-templates.js';
import { isPythonManifest, pythonOrmPackagesOf } from './orm/python-deps.js';

export const SQL_ANALYSIS_ID = 'sql';

/** What an SQL rule sees of one file. */
export interface SqlFileContext {
  file: ParsedSqlFile;
  /** The schema this file is judged against: its schema scope's (see scopes.ts). */
  schema: Schema;
  /** The schema any workspace file is judged against (e.g. for a fix placed in another file). */
  schemaFor: (path: string) => Schema;
  /** Every parsed SQL file of the workspace (for fixes placed beside existing migrations). */
  allFiles: readonly ParsedSqlFile[];
  /** The Django template a view in `fromPath` renders by `name` (see resolveTemplate), read for its loops; undefined when not one file. */
  djangoTemplate?: (fromPath: string, name: string) => { path: string; read: DjangoTemplateRead } | undefined;
}

export type SqlRuleContext = ProjectRuleContext<SqlFileContext>;
export type SqlRule = ProjectRule<SqlFileContext>;

class SqlSession implements ProjectSession<ParsedSqlFile, SqlFileContext> {
  private readonly parser = new StatementParser();
  /**
   * Parsed files by path, with what their parse depended on: the content hash, the project's dialect
   * evidence, the fallback dialect it was given, whether its own text names no dialect (`neutral`:
   * a portable query file, which takes its project's schema dialect as fallback), and whether ORM
   * calls and models were read (the `sql.orm` setting).
   */
  private readonly parsed = new Map<string, { hash: string; file: ParsedSqlFile; evidence: string; fallback?: Dialect; neutral: boolean; orm: boolean; ormKey: string }>();
  private scopes = SchemaScopes.build([], [], new Map(), undefined);
  /** package.json files by folder: names and dependencies, to find the workspace packages a project uses. */
  private manifests = new Map<string, { hash: string; manifest: Manifest }>();
  /** What the schema was built from; fragments are never mutated once parsed, so an unchanged file keeps the same object. */
  private inputs?: { dialect: Dialect | undefined; fragments: SchemaFragment[]; sqlPaths: string[]; manifests: string; templates: string };
  /** Django template files (inputs, read only when a view renders them), with their reading once asked for. */
  private templates = new Map<string, { hash: string; text: string; read?: DjangoTemplateRead }>();

  async prepare(): Promise<void> {
    await this.parser.ready(['postgresql']);
  }

  reset(): void {
    this.parsed.clear();
    this.inputs = undefined;
  }

  async parse(all: readonly ProjectInput[], settings: PerfAuditSettings, pause: (path?: string) => Promise<void>): Promise<ParsedSqlFile[]> {
    // Manifests and ORM configuration are read for the dialect (dialect-evidence.ts); package.json files
    // also say which workspace packages a project depends on (schema scopes).
    const evidence = new DialectEvidence(all);
    const inputs = all.filter((f) => sqlFileKind(f.path) !== undefined);
    const manifests = new Map<string, { hash: string; manifest: Manifest }>();
    for (const f of all) if (isManifest(f.path) && f.path.endsWith('package.json')) manifests.set(f.path, this.manifests.get(f.path)?.hash === f.hash ? this.manifests.get(f.path)! : { hash: f.hash, manifest: readManifest(f.text) });
    this.manifests = manifests;
    const templates = new Map<string, { hash: string; text: string; read?: DjangoTemplateRead }>();
    for (const f of all) if (isDjangoTemplatePath(f.path)) templates.set(f.path, this.templates.get(f.path)?.hash === f.hash ? this.templates.get(f.path)! : { hash: f.hash, text: f.text });
    this.templates = templates;
    const orm = settings.sql.orm !== false;
    // The ORM packages the workspace's package.json files name: only their extractors run (part of each file's parse key).
    const ormPackages = new Set([...this.manifests.values()].flatMap((m) => m.manifest.deps.filter((d) => ORM_PACKAGES.includes(d))));
    // The Python ORM packages its Python manifests name (requirements*.txt, pyproject.toml…): the SQLAlchemy reader runs only for them.
    const pythonOrmPackages = new Set(all.filter((f) => isPythonManifest(f.path)).flatMap((f) => pythonOrmPackagesOf(f.text)));
    const ormKey = orm ? [...ormPackages, ...[...pythonOrmPackages].map((p) => `py:${p}`)].sort().join(',') : '';
    const present = new Set(inputs.map((f) => f.path));
    for (const p of this.parsed.keys()) if (!present.has(p)) this.parsed.delete(p);
    const parseOne = async (f: ProjectInput, fallback: Dialect | undefined): Promise<void> => {
      await pause(f.path);
      const cur = this.parsed.get(f.path);
      const ev = evidence.forFile(f.path);
      const evKey = ev ? `${ev.scope}:${ev.engines.join(',')}` : '';
      if (cur && cur.hash === f.hash && cur.evidence === evKey && cur.fallback === fallback && cur.orm === orm && cur.ormKey === ormKey) return;
      // Rollback scripts and down sections never run forward: no schema, no queries (rollback.ts).
      const file = keepForward(parseSqlFile(f.path, f.text, this.parser, settings.sql.dialect, fallback, ev, { orm, ...(this.manifests.size ? { ormPackages } : {}), pythonOrmPackages }), f.text, codeRoleOf(settings, f.path));
      // Only SQL files whose own reading found no dialect are ever given a fallback (below).
      const neutral = file.kind === 'sql' && (fallback === undefined ? !!file.dialectUnknown : true);
      this.parsed.set(f.path, { hash: f.hash, evidence: evKey, ...(fallback ? { fallback } : {}), neutral, orm, ormKey, file });
    };
    /** A neutral file already read with its project's dialect: the second pass below decides whether that still holds. */
    const keptWithFallback = (f: ProjectInput): boolean => {
      const cur = this.parsed.get(f.path);
      const ev = evidence.forFile(f.path);
      return !!cur?.neutral && !!cur.fallback && cur.hash === f.hash && cur.orm === orm && cur.ormKey === ormKey && cur.evidence === (ev ? `${ev.scope}:${ev.engines.join(',')}` : '');
    };
    // Schema-bearing files first: their dialect is the default for SQL embedded in code.
    for (const f of inputs) if (sqlFileKind(f.path) !== 'code' && !keptWithFallback(f)) await parseOne(f, undefined);
    const sqlFiles = inputs.filter((f) => sqlFileKind(f.path) !== 'code').map((f) => this.parsed.get(f.path)!.file);
    // Portable SQL files (a sqlc query file) whose text names no dialect take that of their project's schema files.
    const nearest = dialectsByFolder(sqlFiles);
    for (const f of inputs) {
      const rec = this.parsed.get(f.path);
      // Runtime query files only: a migration or rollback without tell-tale syntax keeps its own reading.
      if (!rec?.neutral || rec.file.fragment.tables.length || isOneOff(codeRoleOf(settings, f.path))) continue;
      const near = nearest(f.path);
      if (rec.fallback === undefined && (!near || near === rec.file.dialect)) continue;
      await parseOne(f, near);
    }
    const fallback = majorityDialect(sqlFiles);
    for (const f of inputs) if (sqlFileKind(f.path) === 'code') await parseOne(f, fallback);
    return inputs.map((f) => this.parsed.get(f.path)!.file);
  }

  build(parsed: readonly ParsedSqlFile[], settings: PerfAuditSettings, allPaths: readonly string[]): boolean {
    // Statement by statement, in order (a file may create, rename and drop the same table); rollback
    // scripts (down.sql, U__ undo, rollback/ folders) never run forward and are no part of the schema.
    const fragments: SchemaFragment[] = [];
    for (const p of parsed) {
      if (codeRoleOf(settings, p.path) === 'rollback' || (!hasSchema(p.fragment) && p.kind !== 'code')) continue;
      // (SQL files keep only their forward statements: see keepForward in parse.)
      if (p.kind === 'prisma') fragments.push(p.fragment);
      else for (const st of p.statements) if (st.schema && hasSchema(st.schema)) fragments.push({ ...st.schema, file: p.path });
    }
    // Tables the SQL (and TypeORM's `queryRunner.query`) migrations create: their constraints are the migrations' to say.
    const migrated = new Set(fragments.flatMap((f) => f.tables.map((t) => t.name)));
    // The dialects whose migrations create each table: migrations for several databases (a mysql/ and a
    // sqlite/ folder) leave the entities' own scope without knowing which indexes the deployed one has.
    const migratedIn = new Map<string, Set<string>>();
    for (const p of parsed) {
      if (p.kind === 'prisma') continue;
      for (const st of p.statements) for (const t of st.schema?.tables ?? []) migratedIn.set(t.name, (migratedIn.get(t.name) ?? new Set()).add(p.dialect));
    }
    fragments.push(...sequelizeFragments(parsed, settings));
    // Drizzle tables are the schema drizzle-kit generates migrations from: merged like Prisma models, linked across files.
    const drizzle = parsed.filter((p) => p.drizzle && !isTestLike(codeRoleOf(settings, p.path))).map((p) => p.drizzle!);
    for (const r of drizzle.length ? linkDrizzleTables(drizzle) : []) if (r.models.length) fragments.push({ ...r.fragment, ormModels: r.models, modelDefinitions: true });
    // TypeORM entities are the schema its migrations are generated from: merged like Prisma models, linked across files.
    const typeorm = parsed.filter((p) => p.typeorm && codeRoleOf(settings, p.path) !== 'rollback' && !isTestLike(codeRoleOf(settings, p.path))).map((p) => p.typeorm!);
    // An entity's relation is a foreign key only where no migration defines the table (`synchronize`); else the migrations say (as for Sequelize models).
    for (const r of typeorm.length ? linkTypeormEntities(typeorm) : []) if (r.models.length && !r.fragment.tables.some((t) => (migratedIn.get(t.name)?.size ?? 0) > 1)) fragments.push({ ...r.fragment, foreignKeys: r.fragment.foreignKeys.filter((fk) => !migrated.has(fk.table)), ormModels: r.models, modelDefinitions: true });
    // Django models are the schema (migrations are generated from them): merged like Prisma models.
    for (const p of parsed) if (p.django && !isTestLike(codeRoleOf(settings, p.path))) fragments.push({ ...p.django.fragment, ormModels: p.django.models, modelDefinitions: true });
    // Indexes Alembic revisions create (applied before the models, like other migrations).
    for (const p of parsed) if (p.alembic && !isTestLike(codeRoleOf(settings, p.path))) fragments.push(p.alembic);
    // SQLAlchemy models too (Alembic autogenerates migrations from them).
    for (const p of parsed) if (p.sqlalchemy && !isTestLike(codeRoleOf(settings, p.path))) fragments.push({ ...p.sqlalchemy.fragment, ormModels: p.sqlalchemy.models, modelDefinitions: true });
    const dialect = settings.sql.dialect ?? majorityDialect(parsed);
    // Fixes depend on more than the schema: a new index goes into a new migration numbered after the
    // SQL files present, so adding or removing any SQL file (even one without DDL) invalidates them.
    const sqlPaths = allPaths.filter((p) => sqlFileKind(p) === 'sql').sort();
    const manifests = JSON.stringify([...this.manifests].map(([p, m]) => [p, m.hash]));
    // The templates views render: a change to one changes the N+1 findings of its views.
    const templates = JSON.stringify(this.renderedTemplates(parsed).map((p) => [p, this.templates.get(p)?.hash]));
    // Compared with the inputs of the last build, not hashed: a re-parsed file's fragment is compared
    // as JSON with its predecessor, an unchanged file's (the same object) costs nothing.
    const prev = this.inputs;
    const unchanged = !!prev && prev.dialect === dialect && prev.manifests === manifests && prev.templates === templates
      && sameItems(prev.sqlPaths, sqlPaths, (a, b) => a === b)
      && sameItems(prev.fragments, fragments, (a, b) => a === b || JSON.stringify(a, withMaps) === JSON.stringify(b, withMaps));
    this.inputs = { dialect, fragments, sqlPaths, manifests, templates };
    if (unchanged) return false;
    const dialects = new Map(parsed.map((p) => [p.path, p.kind === 'prisma' ? p.fragment.dialect : p.dialect] as const));
    this.scopes = SchemaScopes.build(fragments, allPaths, new Map([...this.manifests].map(([p, m]) => [p, m.manifest])), settings.sql.dialect, (path) => dialects.get(path));
    return true;
  }

  /** The template files the parsed views render (sorted). */
  private renderedTemplates(parsed: readonly ParsedSqlFile[]): string[] {
    if (!this.templates.size) return [];
    const out = new Set<string>();
    for (const p of parsed) {
      for (const r of p.djangoRenders ?? []) {
        const t = resolveTemplate(this.templates.keys(), p.path, r.template);
        if (t) out.add(t);
      }
    }
    return [...out].sort();
  }

  private djangoTemplate(fromPath: string, name: string): { path: string; read: DjangoTemplateRead } | undefined {
    const path = resolveTemplate(this.templates.keys(), fromPath, name);
    const t = path !== undefined ? this.templates.get(path) : undefined;
    if (!t || path === undefined) return undefined;
    t.read ??= readDjangoTemplate(t.text);
    return { path, read: t.read };
  }

  annotations(files: readonly ParsedSqlFile[]): { file: string; span: Span; title: string; detail: string[] }[] {
    return files.filter((f) => f.orm?.length).flatMap((f) => ormAnnotations(f, this.scopes.schemaFor(f.path, f.dialect)));
  }

  contextFor(file: ParsedSqlFile, files: readonly ParsedSqlFile[]): SqlFileContext {
    const scopes = this.scopes;
    return { file, schema: scopes.schemaFor(file.path, file.dialect), schemaFor: (path) => scopes.schemaFor(path), allFiles: files, ...(file.djangoRenders ? { djangoTemplate: (from: string, name: string) => this.djangoTemplate(from, name) } : {}) };
  }

  counts(files: readonly ParsedSqlFile[]): Record<string, number> {
    let statements = 0;
    let parseErrors = 0;
    for (const f of files) {
      statements += f.statements.length;
      for (const s of f.statements) if (s.error) parseErrors++;
    }
    return { sqlFiles: files.length, statements, parseErrors, tables: this.scopes.tableCount() };
  }

  coverage(files: readonly ParsedSqlFile[]): [ChecklistItemId, string][] {
    const out: [ChecklistItemId, string][] = [];
    const tables = this.scopes.tableCount();
    if (files.length > 0 && tables > 0) {
      out.push(['indexes', `${tables} tables and their indexes checked`]);
      out.push(['schema', `${tables} table definitions checked`]);
    }
    const { statements } = this.counts(files);
    if (statements > 0) out.push(['query-optimization', `${statements} SQL statements checked`]);
    return out;
  }
}

/** JSON.stringify replacer that writes Maps (an ORM model's field → column names) as their entries. */
function withMaps(_key: string, value: unknown): unknown {
  return value instanceof Map ? [...value] : value;
}

/**
 * The schema Sequelize code gives: migration steps (replayed in file order with the SQL), and model
 * definitions (merged after them, like Prisma models: the migrations say what the database has).
 * Models are linked across files (base classes, `@ForeignKey(() => Team)`) on copies, since the parse
 * results are cached. A model's own foreign keys are left out: only migrations create constraints.
 */
function sequelizeFragments(parsed: readonly ParsedSqlFile[], settings: PerfAuditSettings): SchemaFragment[] {
  const reads = parsed.filter((p) => p.sequelize && codeRoleOf(settings, p.path) !== 'rollback' && !isTestLike(codeRoleOf(settings, p.path))).map((p) => structuredClone(p.sequelize!));
  if (!reads.length) return [];
  const out: SchemaFragment[] = [];
  for (const r of linkSequelizeModels(reads)) {
    if (r.models.length) out.push({ ...r.fragment, foreignKeys: [], ormModels: r.models, modelDefinitions: true });
    else if (hasSchema(r.fragment)) out.push(r.fragment);
  }
  return out;
}

function sameItems<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, k) => same(x, b[k]));
}

/**
 * For each folder, the dialects of the schema-bearing SQL files below it (tables per dialect); a file
 * takes the majority of its deepest folder that has any (the files with most leading folders in common).
 */
function dialectsByFolder(files: readonly ParsedSqlFile[]): (path: string) => Dialect | undefined {
  const below = new Map<string, Map<Dialect, number>>();
  for (const f of files) {
    if (f.kind !== 'sql' || !f.fragment.tables.length || f.dialectUnknown) continue;
    const parts = f.path.split('/');
    for (let k = 0; k < parts.length; k++) {
      const dir = parts.slice(0, k).join('/');
      const counts = below.get(dir) ?? new Map<Dialect, number>();
      counts.set(f.dialect, (counts.get(f.dialect) ?? 0) + f.fragment.tables.length);
      below.set(dir, counts);
    }
  }
  return (path) => {
    const parts = path.split('/');
    for (let k = parts.length - 1; k >= 0; k--) {
      const counts = below.get(parts.slice(0, k).join('/'));
      if (!counts) continue;
      let best: Dialect | undefined;
      for (const [d, n] of counts) if (!best || n > (counts.get(best) ?? 0)) best = d;
      return best;
    }
    return undefined;
  };
}

function majorityDialect(files: readonly ParsedSqlFile[]): Dialect | undefined {
  const counts = new Map<Dialect, number>();
  for (const f of files) if (f.kind === 'sql' && f.fragment.tables.length) counts.set(f.dialect, (counts.get(f.dialect) ?? 0) + f.fragment.tables.length);
  let best: Dialect | undefined;
  for (const [d, n] of counts) if (!best || n > (counts.get(best) ?? 0)) best = d;
  return best;
}

export const sqlAnalysis: ProjectAnalysis<ParsedSqlFile, SqlFileContext> = {
  id: SQL_ANALYSIS_ID,
  description: 'SQL files',
  matches: (path) => sqlFileKind(path) !== undefined || isManifest(path) || isDialectEvidenceFile(path) || isDjangoTemplatePath(path),
  createSession: () => new SqlSession(),
};
