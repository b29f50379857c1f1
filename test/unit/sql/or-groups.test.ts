/**
 * OR structure of the query model, in both adapters: every use under an OR carries its path of
 * (group, branch) steps, and `orGroups` gives each OR's branch count and enclosing branch. A use reads
 * `<kind> <column> <op>[ @g<group>.b<branch>/…][ OR]` (OR: `inOr` set); a group reads `<branches>[ in g.b]`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNodeSqlParser } from '../../../src/analyzers/sql/dialects/nodesqlparser.js';
import { createPostgresParser, loadPostgresParser } from '../../../src/analyzers/sql/dialects/postgres.js';
import type { Dialect, DialectParser, QueryModel } from '../../../src/analyzers/sql/types.js';

const parsers = new Map<Dialect, DialectParser>();
function parser(d: Dialect): DialectParser {
  let p = parsers.get(d);
  if (!p) parsers.set(d, (p = d === 'postgresql' ? createPostgresParser() : createNodeSqlParser(d)));
  return p;
}

function summarize(q: QueryModel): { uses: string[]; groups: string[] } {
  return {
    uses: q.uses
      .filter((u) => u.kind === 'where' || u.kind === 'join')
      .map((u) => `${u.kind} ${u.column} ${u.op}${u.or ? ` @${u.or.map((s) => `g${s.group}.b${s.branch}`).join('/')}` : ''}${u.inOr ? ' OR' : ''}`)
      .sort(),
    groups: (q.orGroups ?? []).map((g) => `${g.branches}${g.parent ? ` in ${g.parent.group}.${g.parent.branch}` : ''}`),
  };
}

interface Case {
  name: string;
  sql: string;
  uses: string[];
  groups: string[];
  dialects?: Dialect[];
}

const ALL: Dialect[] = ['postgresql', 'mysql', 'sqlite'];

const cases: Case[] = [
  {
    name: 'AND only: no groups',
    sql: "SELECT id FROM t WHERE a = 1 AND b IN (1, 2) AND c > 3",
    uses: ['where a eq', 'where b eq', 'where c range'],
    groups: [],
  },
  {
    name: 'same-column OR',
    sql: "SELECT id FROM t WHERE a = 'x' OR a = 'y'",
    uses: ['where a eq @g0.b0 OR', 'where a eq @g0.b1 OR'],
    groups: ['2'],
  },
  {
    name: 'a OR (b OR c) is one OR of three branches; IN is an equality',
    sql: 'SELECT id FROM t WHERE a = 1 OR (b IN (1, 2) OR c = 3)',
    uses: ['where a eq @g0.b0 OR', 'where b eq @g0.b1 OR', 'where c eq @g0.b2 OR'],
    groups: ['3'],
  },
  {
    name: 'AND-ed predicate outside the OR, AND inside a branch',
    sql: 'SELECT id FROM t WHERE u = 1 AND (a = 1 OR (b = 2 AND c < 3))',
    uses: ['where a eq @g0.b0 OR', 'where b eq @g0.b1 OR', 'where c range @g0.b1 OR', 'where u eq'],
    groups: ['2'],
  },
  {
    name: 'nested OR inside an AND inside a branch',
    sql: 'SELECT id FROM t WHERE a = 1 OR (b = 2 AND (c = 3 OR d = 4))',
    uses: ['where a eq @g0.b0 OR', 'where b eq @g0.b1 OR', 'where c eq @g0.b1/g1.b0 OR', 'where d eq @g0.b1/g1.b1 OR'],
    groups: ['2', '2 in 0.1'],
  },
  {
    name: 'two ORs AND-ed',
    sql: 'SELECT id FROM t WHERE (a = 1 OR b = 2) AND (c = 3 OR d = 4)',
    uses: ['where a eq @g0.b0 OR', 'where b eq @g0.b1 OR', 'where c eq @g1.b0 OR', 'where d eq @g1.b1 OR'],
    groups: ['2', '2'],
  },
  {
    name: 'a branch with no column (optional filter) is still a branch',
    sql: 'SELECT id FROM t WHERE a = $1 OR $1 IS NULL',
    uses: ['where a eq @g0.b0 OR'],
    groups: ['2'],
    dialects: ['postgresql'],
  },
  {
    name: 'a branch with no column, MySQL / SQLite placeholder',
    sql: 'SELECT id FROM t WHERE a = ? OR ? IS NULL',
    uses: ['where a eq @g0.b0 OR'],
    groups: ['2'],
    dialects: ['mysql', 'sqlite'],
  },
  {
    name: 'negation inside a branch is a non-indexable conjunct of it',
    sql: 'SELECT id FROM t WHERE a = 1 OR NOT (b = 2)',
    uses: ['where a eq @g0.b0 OR', 'where b other @g0.b1 OR'],
    groups: ['2'],
  },
  {
    name: 'OR in a join condition',
    sql: 'SELECT t.id FROM t JOIN u ON u.a = t.a OR u.b = t.b WHERE t.c = 1',
    uses: ['join a eq @g0.b0 OR', 'join a eq @g0.b0 OR', 'join b eq @g0.b1 OR', 'join b eq @g0.b1 OR', 'where c eq'],
    groups: ['2'],
  },
  {
    name: 'MySQL XOR: branches not modelled',
    sql: 'SELECT id FROM t WHERE (a = 1) XOR (b = 2 OR c = 3)',
    uses: ['where a eq OR', 'where b eq OR', 'where c eq OR'],
    groups: [],
    dialects: ['mysql'],
  },
];

test('OR groups: load the PostgreSQL parser', async () => {
  await loadPostgresParser();
});

for (const c of cases) {
  for (const d of c.dialects ?? ALL) {
    test(`OR groups (${d}): ${c.name}`, () => {
      const r = parser(d).parseStatement(c.sql);
      assert.equal(r.error, undefined, r.error?.message);
      assert.deepEqual(summarize(r.query!), { uses: [...c.uses].sort(), groups: c.groups });
    });
  }
}
