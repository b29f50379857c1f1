/**
 * n-plus-one-query's Django template half: a view passes a queryset to a template by name
 * (`render(request, "front/checks.html", {"checks": checks})`), and the template's `{% for check in
 * checks %}` reads a relation of each row (`{{ check.project.name }}`, `{% for p in check.ping_set.all %}`)
 * that the queryset does not load with `select_related` / `prefetch_related`: one query per row.
 *
 * Only what is read whole: the queryset is the one the Django extractor followed for the name passed
 * (every assignment of the name in the view is a part of that chain), the template is one file, the
 * relation is a ForeignKey / OneToOneField, a ManyToManyField or a reverse accessor (`<model>_set`, a
 * `related_name` of the same models file) of the model. A model whose manager is custom and defined
 * elsewhere (it may load relations in get_queryset) gives info, not a warning.
 */
import type { PendingFix, RuleReport } from '../../../kernel/contracts.js';
import type { SqlRuleContext } from '../gather.js';
import type { Span } from '../types.js';
import type { OrmModelNames } from '../orm/model.js';
import type { DjangoQuery } from '../orm/django-queries.js';
import type { DjangoModelNames } from '../orm/django-models.js';
import type { DjangoRender, DjangoRenderValue } from '../orm/django-views.js';
import type { TemplateAccess, TemplateLoop } from '../orm/django-templates.js';
import { ormStatementsOf } from '../orm/statements.js';
import { tokenize } from '../../../lang/python/tokenize.js';
import { LineIndex } from '../../../kernel/text.js';

/** Methods a chain may end with and still be the rows of its model (not a single object, not dicts). */
const LIST_METHODS = new Set(['all', 'filter', 'exclude']);
/** What a template calls on a related manager that runs one query (and that prefetch_related serves). */
const MANAGER_READS = new Set(['all', 'count', 'exists']);
const MAX_REPORTS = 50;

interface Relation {
  /** `project`, `project__owner`: the lookup select_related / prefetch_related names. */
  key: string;
  kind: 'forward' | 'reverse' | 'm2m';
  /** The attributes of the access that reach it (`check.project`). */
  reach: string;
  sql: string;
}

/** The N+1 queries the templates the file's views render cause (see the module comment). Never throws: odd input gives no finding. */
export function templateN1Reports(ctx: SqlRuleContext, severity: { info?: string }): RuleReport[] {
  try {
    return reports(ctx, severity);
  } catch {
    return [];
  }
}

function reports(ctx: SqlRuleContext, severity: { info?: string }): RuleReport[] {
  const renders = ctx.file.djangoRenders;
  if (!renders?.length || !ctx.djangoTemplate || !ctx.file.orm?.length) return [];
  const out: RuleReport[] = [];
  const seen = new Set<string>();
  for (const render of renders) {
    const tpl = ctx.djangoTemplate(ctx.file.path, render.template);
    if (!tpl) continue;
    for (const value of render.context) {
      const loops = tpl.read.loops.filter((l) => l.list === value.key || (value.page !== undefined && l.list === `${value.key}.object_list`));
      if (!loops.length) continue;
      const found = querysetOf(ctx, render, value);
      if (!found) continue;
      const { q, names } = found;
      const manager = managerNote(ctx, names);
      if (manager === 'loads') continue;
      const loaded = loadedRelations(ctx, q);
      if (!loaded) continue;
      for (const loop of loops) {
        for (const access of loop.accesses) {
          if (loaded.all) continue;
          const rel = relationRead(ctx, names, access, loop, (key) => [...loaded.keys].some((k) => k === key || k.startsWith(`${key}__`)));
          if (!rel) continue;
          const id = `${q.span.start}\u0000${rel.key}`;
          if (seen.has(id) || out.length >= MAX_REPORTS) continue;
          seen.add(id);
          const line = new LineIndex(ctx.textOf(tpl.path) ?? '').positionAt(access.span.start).line + 1;
          const model = q.model ?? names.names[0];
          const advice = rel.kind === 'forward' ? `select_related('${rel.key}')` : `prefetch_related('${rel.key}')`;
          const why = severity.info ?? (manager ? `${model}.objects is the custom manager ${manager}, defined elsewhere: if its get_queryset() loads ${rel.key} already, this is no N+1` : undefined);
          const fix = insertFix(ctx, q, rel.kind === 'forward' ? 'select_related' : 'prefetch_related', rel.key, render);
          out.push({
            span: q.span,
            ...(why ? { severity: 'info' as const } : {}),
            message: `\`${access.text}\` in ${render.template}:${line} ${rel.kind === 'forward' ? 'reads' : 'loads'} ${rel.reach} once per row of this ${model} queryset (an N+1 query: one ${rel.sql} per ${loop.item}). Add ${advice} to the queryset.${why ? ` Info: ${why}.` : ''}`,
            related: [
              { file: tpl.path, span: access.span, message: `reads ${rel.reach} for each ${loop.item}` },
              { file: tpl.path, span: loop.span, message: `the loop over ${loop.list}` },
              { file: ctx.file.path, span: render.span, message: `renders ${render.template} with this queryset as ${value.key}` },
            ],
            ...(fix ? { fixes: [fix] } : {}),
            data: { orm: 'django', template: tpl.path, relation: rel.key, kind: rel.kind, via: 'template' },
          });
        }
      }
    }
  }
  return out;
}

/** The queryset the view binds to the name it passes, followed whole by the Django extractor. */
function querysetOf(ctx: SqlRuleContext, render: DjangoRender, value: DjangoRenderValue): { q: DjangoQuery; names: DjangoModelNames } | undefined {
  const at = value.assigned;
  if (!at?.length) return undefined;
  const last = Math.max(...at);
  const q: DjangoQuery | undefined = ctx.file.orm?.find((x) => x.orm === 'django' && x.span.start === last);
  if (!q || q.operation !== 'select' || !LIST_METHODS.has(q.method) || q.inLoop || q.span.end > render.span.start) return undefined;
  const starts = new Set([...(q.parts ?? []).map((p) => p.start), q.span.start]);
  if (!at.every((s) => starts.has(s))) return undefined;
  const resolved = ormStatementsOf(ctx.file, ctx.schema).find((r) => r.statement.span.start === q.span.start && r.statement.span.end === q.span.end);
  if (!resolved || resolved.names.orm !== 'django') return undefined;
  return { q, names: resolved.names };
}

/** What the chain loads with its rows; undefined when its rows are not model instances (`values()`, `values_list()`). */
function loadedRelations(ctx: SqlRuleContext, q: DjangoQuery): { keys: Set<string>; all: boolean } | undefined {
  const text = ctx.textOf(ctx.file.path);
  if (text === undefined) return undefined;
  let all = false;
  for (const part of q.parts ?? [q.span]) {
    const t = tokenize(text.slice(part.start, part.end));
    for (let k = 1; k < t.length; k++) {
      if (t[k - 1].value !== '.' || t[k].type !== 'name') continue;
      if (t[k].value === 'values' || t[k].value === 'values_list') return undefined;
      // select_related() with no arguments follows every non-null foreign key
      if (t[k].value === 'select_related' && t[k + 1]?.value === '(' && t[k + 2]?.value === ')') all = true;
    }
  }
  return { keys: new Set([...q.joins, ...(q.prefetch ?? [])].map((j) => j.relation)), all };
}

function modelNamed(ctx: SqlRuleContext, name: string): OrmModelNames | undefined {
  const m = ctx.schema.ambiguousOrmNames.has(name) ? undefined : ctx.schema.ormModels.get(name);
  return m?.orm === 'django' ? m : undefined;
}

function placeholder(ctx: SqlRuleContext): string {
  return ctx.schema.dialect === 'postgresql' || ctx.schema.dialect === undefined ? '$1' : '?';
}

/** The first relation the access reads that the queryset does not load (walking the forward relations it loads), if any. */
function relationRead(ctx: SqlRuleContext, names: OrmModelNames, access: TemplateAccess, loop: TemplateLoop, covered: (key: string) => boolean): Relation | undefined {
  let cur = names;
  const prefix: string[] = [];
  for (let i = 0; i < access.path.length && i < 10; i++) {
    const seg = access.path[i];
    const reach = `${loop.item}.${[...prefix, seg].join('.')}`;
    const key = [...prefix, seg].join('__');
    const target = cur.relations.get(seg);
    if (target && !seg.endsWith('_ptr')) {
      const targetNames = modelNamed(ctx, target.slice(target.lastIndexOf('.') + 1));
      if (cur.columns.has(seg)) {
        // a ForeignKey / OneToOneField: the related row is loaded when first read
        if (!targetNames) return undefined;
        if (covered(key)) {
          cur = targetNames;
          prefix.push(seg);
          continue;
        }
        return { key, kind: 'forward', reach, sql: `SELECT … FROM ${targetNames.table} WHERE ${(targetNames as DjangoModelNames).pk ?? 'id'} = ${placeholder(ctx)}` };
      }
      if (!MANAGER_READS.has(access.path[i + 1] ?? '') || covered(key)) return undefined;
      return { key, kind: 'm2m', reach: `${reach}.${access.path[i + 1]}`, sql: `${access.path[i + 1] === 'all' ? 'SELECT …' : 'SELECT count(*)'} FROM ${targetNames?.table ?? target} INNER JOIN ${cur.table}_${seg.toLowerCase()} …` };
    }
    const reverse = reverseOf(ctx, cur, seg);
    if (reverse) {
      if (!MANAGER_READS.has(access.path[i + 1] ?? '') || covered(key)) return undefined;
      return { key, kind: 'reverse', reach: `${reach}.${access.path[i + 1]}`, sql: `${access.path[i + 1] === 'all' ? 'SELECT …' : access.path[i + 1] === 'count' ? 'SELECT count(*)' : 'SELECT 1'} FROM ${reverse.table} WHERE ${reverse.column} = ${placeholder(ctx)}` };
    }
    return undefined;
  }
  return undefined;
}

/** A reverse accessor of `names`: `<model>_set` (the one model of that name with one ForeignKey to it) or a related_name of its models file. */
function reverseOf(ctx: SqlRuleContext, names: OrmModelNames, seg: string): { table: string; column: string } | undefined {
  const cls = names.names[0];
  const fkTo = (m: OrmModelNames): string[] => [...m.relations].filter(([f, t]) => m.columns.has(f) && t.slice(t.lastIndexOf('.') + 1) === cls).map(([f]) => m.columns.get(f)!);
  if (seg.endsWith('_set') && seg.length > 4) {
    const lower = seg.slice(0, -4);
    const candidates = [...new Set(ctx.schema.ormModels.values())].filter((m) => m.orm === 'django' && m.names.some((n) => n.toLowerCase() === lower));
    if (candidates.length !== 1) return undefined;
    // a ForeignKey with a related_name (known when both models share a file) has no `<model>_set`
    const cls2 = candidates[0].names[0];
    if ([...((names as DjangoModelNames).reverseRelations ?? [])].some(([q, c]) => c === cls2 && q !== lower)) return undefined;
    const fks = fkTo(candidates[0]);
    return fks.length === 1 ? { table: candidates[0].table, column: fks[0] } : undefined;
  }
  const other = (names as DjangoModelNames).reverseRelations?.get(seg);
  if (!other || other.toLowerCase() === seg) return undefined;
  const m = modelNamed(ctx, other);
  if (!m) return undefined;
  const fks = fkTo(m);
  return { table: m.table, column: fks.length === 1 ? fks[0] : '…' };
}

/**
 * The model's manager: undefined for Django's own, 'loads' when a custom manager of its models file
 * loads relations itself, else the custom manager's name (defined elsewhere, or inherited from a base
 * of another file).
 */
function managerNote(ctx: SqlRuleContext, names: DjangoModelNames): string | undefined {
  const text = ctx.textOf(names.file);
  if (text === undefined) return undefined;
  const t = tokenize(text.slice(names.span.start, names.span.end));
  let manager: string | undefined;
  for (let k = 0; k < t.length; k++) {
    if (t[k].lineStart && t[k].value === 'objects' && t[k + 1]?.value === '=') {
      let j = k + 2;
      const parts: string[] = [];
      while (t[j]?.type === 'name' && parts.length < 10) {
        parts.push(t[j].value);
        if (t[j + 1]?.value !== '.') break;
        j += 2;
      }
      const dotted = parts.join('.');
      manager = /^(?:models\.)?Manager$/.test(dotted) ? undefined : dotted || 'unknown';
      break;
    }
  }
  if (manager === undefined && names.unknownBases?.length && !t.some((x) => x.value === 'objects')) manager = `of ${names.unknownBases.join(', ')}`;
  if (manager === undefined) return undefined;
  const cls = manager.split('.')[0];
  const definedHere = manager.startsWith('of ') ? false : text.includes(`class ${cls}`);
  if (definedHere) return text.includes('select_related') || text.includes('prefetch_related') ? 'loads' : undefined;
  return manager;
}

/** Inserts `.select_related('project')` after the model's manager (or reverse accessor) in the first part of the chain. */
function insertFix(ctx: SqlRuleContext, q: DjangoQuery, method: string, key: string, render: DjangoRender): PendingFix | undefined {
  const text = ctx.textOf(ctx.file.path);
  if (text === undefined) return undefined;
  const first: Span = q.parts?.[0] ?? q.span;
  const t = tokenize(text.slice(first.start, first.end));
  const at = t.findIndex((x, k) => x.type === 'name' && t[k - 1]?.value === '.' && (x.value === 'objects' || x.value.endsWith('_set')));
  if (at < 0) return undefined;
  const quote = text[render.templateSpan.start] === "'" ? "'" : '"';
  const offset = first.start + t[at].end;
  return { title: `Add .${method}(${quote}${key}${quote}) to the queryset`, preferred: true, changes: [{ file: ctx.file.path, edits: [{ span: { start: offset, end: offset }, newText: `.${method}(${quote}${key}${quote})` }] }] };
}
