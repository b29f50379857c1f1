/** PostgreSQL DDL → schema fragment (DdlConverter): CREATE TABLE, CREATE INDEX (with partial-index facts), ALTER TABLE ADD CONSTRAINT / ADD COLUMN and DROP TABLE / INDEX. */
import type { ColumnDef, ForeignKeyDef, IndexDef, IndexKey, SchemaFragment, Span, TableDef } from '../types.js';
import { type Node, lower, typeName } from './pg-ast.js';
import { ExpressionReader } from './pg-expressions.js';

export class DdlConverter extends ExpressionReader {
  // ---------------------------------------------------------------- DDL

  createTable(node: Node): Omit<SchemaFragment, 'file'> {
    const frag = emptySchema();
    const rel = node.relation as Node;
    const table = lower(rel.relname);
    const columns: ColumnDef[] = [];
    let hasPk = false;
    const stmtSpan: Span = { start: 0, end: this.text.length };
    const addIndex = (keys: string[], origin: IndexDef['origin'], loc: number | undefined, name?: string): void => {
      frag.indexes.push({
        ...(name ? { name } : {}),
        table, keys: keys.map((c) => ({ kind: 'column', column: c })), unique: true, origin, file: '', span: this.constraintSpan(loc, stmtSpan),
      });
    };
    for (const elt of (node.tableElts ?? []) as Node[]) {
      if (elt.ColumnDef) {
        const cd = elt.ColumnDef as Node;
        const colName = lower(cd.colname);
        let notNull = false;
        for (const c of (cd.constraints ?? []) as Node[]) {
          const con = c.Constraint as Node;
          switch (con.contype) {
            case 'CONSTR_NOTNULL': notNull = true; break;
            case 'CONSTR_PRIMARY': hasPk = true; notNull = true; addIndex([colName], 'primary-key', con.location, con.conname); break;
            case 'CONSTR_UNIQUE': addIndex([colName], 'unique-constraint', con.location, con.conname); break;
            case 'CONSTR_FOREIGN':
              frag.foreignKeys.push(this.fk(table, [colName], con, this.lastIdentSpan(cd.location)));
              break;
          }
        }
        columns.push({ name: colName, ...spelling(cd.colname), type: typeName(cd.typeName as Node), notNull, span: this.lastIdentSpan(cd.location) });
      } else if (elt.Constraint) {
        const con = elt.Constraint as Node;
        const keys = ((con.keys ?? []) as Node[]).map((k) => lower(k.String?.sval));
        if (con.contype === 'CONSTR_PRIMARY') {
          hasPk = true;
          addIndex(keys, 'primary-key', con.location, con.conname);
        } else if (con.contype === 'CONSTR_UNIQUE') addIndex(keys, 'unique-constraint', con.location, con.conname);
        else if (con.contype === 'CONSTR_EXCLUSION') {
          // EXCLUDE USING gist (col WITH =, ...) builds an index on those columns
          const cols = ((con.exclusions ?? []) as Node[]).map((ex) => lower((ex.List?.items?.[0] as Node | undefined)?.IndexElem?.name)).filter(Boolean);
          if (cols.length) frag.indexes.push({ table, keys: cols.map((c) => ({ kind: 'column', column: c })), unique: false, method: con.access_method, origin: 'unique-constraint', file: '', span: this.constraintSpan(con.location, stmtSpan) });
        } else if (con.contype === 'CONSTR_FOREIGN') {
          frag.foreignKeys.push(this.fk(table, ((con.fk_attrs ?? []) as Node[]).map((k) => lower(k.String?.sval)), con, this.constraintSpan(con.location, stmtSpan)));
        }
      }
    }
    const t: TableDef = {
      name: table, ...spelling(rel.relname), columns, hasPrimaryKey: hasPk, file: '', span: stmtSpan, nameSpan: this.lastIdentSpan(rel.location), endOffset: this.text.length, dialect: 'postgresql',
      ...(rel.schemaname ? { schema: lower(rel.schemaname) } : {}),
    };
    frag.tables.push(t);
    // PARTITION OF / INHERITS tables are still tables; LIKE copies are ignored.
    return frag;
  }

  /** The span of one constraint clause: from its location to the next top-level comma or closing paren. */
  private constraintSpan(loc: number | undefined, fallback: Span): Span {
    if (loc === undefined || loc < 0) return fallback;
    const start = this.off(loc);
    let depth = 0;
    for (let i = start; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) return trimSpan(this.text, start, i);
        depth--;
      } else if (c === ',' && depth === 0) return trimSpan(this.text, start, i);
      else if (c === "'") {
        const close = this.text.indexOf("'", i + 1);
        i = close < 0 ? this.text.length : close;
      }
    }
    return trimSpan(this.text, start, this.text.length);
  }

  private fk(table: string, columns: string[], con: Node, span: Span): ForeignKeyDef {
    const pk = con.pktable as Node;
    return {
      ...(con.conname ? { name: con.conname as string } : {}),
      table, columns, refTable: lower(pk.relname), refColumns: ((con.pk_attrs ?? []) as Node[]).map((k) => lower(k.String?.sval)), file: '', span,
    };
  }

  createIndex(node: Node): IndexDef {
    const table = lower((node.relation as Node).relname);
    const keys: IndexKey[] = ((node.indexParams ?? []) as Node[]).map((p) => {
      const el = p.IndexElem as Node;
      const opclass = lower(((el.opclass ?? []) as Node[]).at(-1)?.String?.sval);
      const collation = ((el.collation ?? []) as Node[]).at(-1)?.String?.sval as string | undefined;
      const extra = { ...(opclass ? { opclass } : {}), ...(collation ? { collation } : {}) };
      if (el.name) return { kind: 'column', column: lower(el.name), ...extra };
      const cols: string[] = [];
      return { kind: 'expression', text: this.exprText(el.expr as Node, cols), columns: cols, ...extra };
    });
    const idx: IndexDef = {
      table, keys, unique: !!node.unique, origin: 'create-index', file: '', span: { start: 0, end: this.text.length },
      ...(node.idxname ? { name: node.idxname as string } : {}),
      ...(node.accessMethod && node.accessMethod !== 'btree' ? { method: node.accessMethod as string } : {}),
    };
    if (node.whereClause) {
      const where = node.whereClause as Node;
      const cols: string[] = [];
      idx.where = { text: this.exprText(where, cols), columns: cols, facts: [], rest: [] };
      const conjuncts = where.BoolExpr?.boolop === 'AND_EXPR' ? (where.BoolExpr.args as Node[]) : [where];
      for (const c of conjuncts) {
        const f = this.fact(c);
        if (f) idx.where.facts!.push(f);
        else this.exprText(c, idx.where.rest!);
      }
    }
    return idx;
  }

  alterTable(node: Node): Omit<SchemaFragment, 'file'> {
    const frag = emptySchema();
    const table = lower((node.relation as Node).relname);
    for (const c of (node.cmds ?? []) as Node[]) {
      const cmd = c.AlterTableCmd as Node | undefined;
      if (!cmd) continue;
      if (cmd.subtype === 'AT_AddConstraint') {
        const con = cmd.def?.Constraint as Node | undefined;
        if (!con) continue;
        const keys = ((con.keys ?? []) as Node[]).map((k) => lower(k.String?.sval));
        const span = { start: 0, end: this.text.length };
        if (con.contype === 'CONSTR_PRIMARY') {
          frag.primaryKeys.push({ table, columns: keys });
          frag.indexes.push({ table, keys: keys.map((k) => ({ kind: 'column', column: k })), unique: true, origin: 'primary-key', file: '', span, ...(con.conname ? { name: con.conname as string } : {}) });
        } else if (con.contype === 'CONSTR_UNIQUE') {
          frag.indexes.push({ table, keys: keys.map((k) => ({ kind: 'column', column: k })), unique: true, origin: 'unique-constraint', file: '', span, ...(con.conname ? { name: con.conname as string } : {}) });
        } else if (con.contype === 'CONSTR_FOREIGN') {
          frag.foreignKeys.push(this.fk(table, ((con.fk_attrs ?? []) as Node[]).map((k) => lower(k.String?.sval)), con, span));
        }
      } else if (cmd.subtype === 'AT_DropConstraint' && typeof cmd.name === 'string') {
        (frag.droppedConstraints ??= []).push({ table, name: lower(cmd.name) });
      } else if (cmd.subtype === 'AT_DropColumn' && typeof cmd.name === 'string') {
        (frag.droppedColumns ??= []).push({ table, column: lower(cmd.name) });
      } else if ((cmd.subtype === 'AT_SetNotNull' || cmd.subtype === 'AT_DropNotNull') && typeof cmd.name === 'string') {
        (frag.nullability ??= []).push({ table, column: lower(cmd.name), notNull: cmd.subtype === 'AT_SetNotNull' });
      } else if (cmd.subtype === 'AT_AddIndex' || cmd.subtype === 'AT_AddIndexConstraint') {
        // ADD PRIMARY KEY / UNIQUE USING INDEX name: the index becomes the constraint (its keys are the index's).
        const con = cmd.def?.Constraint as Node | undefined;
        if (con?.contype === 'CONSTR_PRIMARY') frag.primaryKeys.push({ table, columns: [] });
      } else if (cmd.subtype === 'AT_AddColumn') {
        // Inline constraints on an added column.
        const cd = cmd.def?.ColumnDef as Node | undefined;
        if (!cd) continue;
        const col = lower(cd.colname);
        frag.addedColumns ??= [];
        const notNull = ((cd.constraints ?? []) as Node[]).some((cc) => ['CONSTR_NOTNULL', 'CONSTR_PRIMARY'].includes((cc.Constraint as Node | undefined)?.contype as string));
        frag.addedColumns.push({ table, column: { name: col, ...spelling(cd.colname), type: typeName(cd.typeName as Node), notNull, span: this.lastIdentSpan(cd.location) } });
        for (const cc of (cd.constraints ?? []) as Node[]) {
          const con = cc.Constraint as Node;
          if (con.contype === 'CONSTR_FOREIGN') frag.foreignKeys.push(this.fk(table, [col], con, { start: 0, end: this.text.length }));
          if (con.contype === 'CONSTR_UNIQUE' || con.contype === 'CONSTR_PRIMARY') {
            frag.indexes.push({ table, keys: [{ kind: 'column', column: col }], unique: true, origin: con.contype === 'CONSTR_PRIMARY' ? 'primary-key' : 'unique-constraint', file: '', span: { start: 0, end: this.text.length } });
            if (con.contype === 'CONSTR_PRIMARY') frag.primaryKeys.push({ table, columns: [col] });
          }
        }
      }
    }
    return frag;
  }

  /** ALTER TABLE … RENAME TO / RENAME COLUMN / RENAME CONSTRAINT, ALTER INDEX … RENAME TO. */
  rename(node: Node): Omit<SchemaFragment, 'file'> {
    const frag = emptySchema();
    const rel = node.relation as Node | undefined;
    const to = lower(node.newname);
    if (!rel || !to) return frag;
    const table = lower(rel.relname);
    const toSpelling = spelling(node.newname).spelling;
    const sp = toSpelling ? { toSpelling } : {};
    switch (node.renameType) {
      case 'OBJECT_TABLE':
        frag.renamed = [{ kind: 'table', table, from: table, to, ...sp }];
        break;
      case 'OBJECT_INDEX':
        frag.renamed = [{ kind: 'index', from: table, to }];
        break;
      case 'OBJECT_COLUMN':
        if (node.subname) frag.renamed = [{ kind: 'column', table, from: lower(node.subname), to, ...sp }];
        break;
      case 'OBJECT_TABCONSTRAINT':
        if (node.subname) frag.renamed = [{ kind: 'constraint', table, from: lower(node.subname), to }];
        break;
    }
    return frag;
  }

  drop(node: Node): Omit<SchemaFragment, 'file'> {
    const frag = emptySchema();
    const names = ((node.objects ?? []) as Node[]).map((o) => {
      const items = (o.List?.items ?? []) as Node[];
      return lower(items[items.length - 1]?.String?.sval);
    }).filter(Boolean);
    if (node.removeType === 'OBJECT_TABLE') frag.dropped.tables.push(...names);
    else if (node.removeType === 'OBJECT_INDEX') frag.dropped.indexes.push(...names);
    return frag;
  }
}

/** The parser keeps a quoted name's case (and folds unquoted ones): keep it when it differs from the lower-case key. */
function spelling(raw: unknown): { spelling?: string } {
  return typeof raw === 'string' && raw !== raw.toLowerCase() ? { spelling: raw } : {};
}

export function emptySchema(): Omit<SchemaFragment, 'file'> {
  return { tables: [], indexes: [], foreignKeys: [], primaryKeys: [], dropped: { tables: [], indexes: [] } };
}

function trimSpan(text: string, start: number, end: number): Span {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}
