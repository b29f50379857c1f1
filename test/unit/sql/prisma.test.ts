import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePrismaSchema, type PrismaParseResult } from '../../../src/analyzers/sql/prisma.js';
import type { Span } from '../../../src/analyzers/sql/types.js';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'sql', 'prisma');
const FILE = 'schema.prisma';

const slice = (text: string, s: Span | undefined): string => (s ? text.slice(s.start, s.end) : '<no span>');

/** A compact, span-checked view of a parse result: spans are shown as the host text they cover. */
function summarize(text: string, r: PrismaParseResult) {
  return {
    tables: r.fragment.tables.map((t) => ({
      name: t.name,
      ...(t.schema ? { schema: t.schema } : {}),
      nameSpan: slice(text, t.nameSpan),
      pk: t.hasPrimaryKey,
      columns: t.columns.map((c) => `${c.name} ${c.type}${c.notNull ? '' : '?'}`),
    })),
    indexes: r.fragment.indexes.map((i) => ({
      table: i.table,
      name: i.name,
      origin: i.origin,
      unique: i.unique,
      keys: i.keys.map((k) => (k.kind === 'column' ? k.column : k.text)),
      ...(i.method ? { method: i.method } : {}),
      span: slice(text, i.span),
    })),
    foreignKeys: r.fragment.foreignKeys.map((f) => ({
      name: f.name,
      table: f.table,
      columns: f.columns,
      refTable: f.refTable,
      refColumns: f.refColumns,
      span: slice(text, f.span),
    })),
  };
}

type Summary = ReturnType<typeof summarize>;

interface Case {
  name: string;
  text: string;
  expect: Partial<Summary>;
  provider?: string;
  errors?: string[];
}

const cases: Case[] = [
  {
    name: '@@map / @map are honoured and lower-cased; optional fields are nullable',
    text: `model BlogPost {
  id        Int      @id @default(autoincrement())
  Title     String   @db.VarChar(200)
  subTitle  String?  @map("Sub_Title")
  createdAt DateTime @default(now()) @map("created_at")
  tags      String[]
  @@map("Blog_Posts")
}`,
    expect: {
      tables: [
        {
          name: 'blog_posts',
          nameSpan: 'BlogPost',
          pk: true,
          columns: ['id Int', 'title String', 'sub_title String?', 'created_at DateTime', 'tags String[]'],
        },
      ],
      indexes: [{ table: 'blog_posts', name: 'blog_posts_pkey', origin: 'primary-key', unique: true, keys: ['id'], span: '@id' }],
    },
  },
  {
    name: 'composite @@id, @@unique and @@index (with sort args, map, type)',
    text: `model Membership {
  orgId     Int      @map("org_id")
  userId    Int      @map("user_id")
  role      String
  joinedAt  DateTime @map("joined_at")
  email     String   @unique(map: "membership_email_uq")

  @@id([orgId, userId])
  @@unique(fields: [userId, role], name: "userRole")
  @@index([orgId, joinedAt(sort: Desc)], map: "Membership_recent")
  @@index([role], type: Hash)
  @@fulltext([email])
}`,
    expect: {
      indexes: [
        { table: 'membership', name: 'membership_email_uq', origin: 'unique-constraint', unique: true, keys: ['email'], span: '@unique(map: "membership_email_uq")' },
        { table: 'membership', name: 'membership_pkey', origin: 'primary-key', unique: true, keys: ['org_id', 'user_id'], span: '@@id([orgId, userId])' },
        { table: 'membership', name: 'membership_user_id_role_key', origin: 'unique-constraint', unique: true, keys: ['user_id', 'role'], span: '@@unique(fields: [userId, role], name: "userRole")' },
        { table: 'membership', name: 'membership_recent', origin: 'prisma', unique: false, keys: ['org_id', 'joined_at'], span: '@@index([orgId, joinedAt(sort: Desc)], map: "Membership_recent")' },
        { table: 'membership', name: 'membership_role_idx', origin: 'prisma', unique: false, keys: ['role'], method: 'hash', span: '@@index([role], type: Hash)' },
        { table: 'membership', name: 'membership_email_idx', origin: 'prisma', unique: false, keys: ['email'], method: 'fulltext', span: '@@fulltext([email])' },
      ],
    },
  },
  {
    name: 'relations: FK to the target table (its @@map and @map), no invented index',
    text: `model Post {
  id       Int    @id
  authorId Int    @map("author_id")
  author   Person @relation("Authored", fields: [authorId], references: [personId], onDelete: Cascade)
  editorId Int?
  editor   Person? @relation(fields: [editorId], references: [personId], map: "post_editor_fk")
}

model Person {
  personId Int    @id @map("person_id")
  posts    Post[] @relation("Authored")
  edited   Post[]
  @@map("people")
}`,
    expect: {
      tables: [
        { name: 'post', nameSpan: 'Post', pk: true, columns: ['id Int', 'author_id Int', 'editorid Int?'] },
        { name: 'people', nameSpan: 'Person', pk: true, columns: ['person_id Int'] },
      ],
      indexes: [
        { table: 'post', name: 'post_pkey', origin: 'primary-key', unique: true, keys: ['id'], span: '@id' },
        { table: 'people', name: 'people_pkey', origin: 'primary-key', unique: true, keys: ['person_id'], span: '@id' },
      ],
      foreignKeys: [
        {
          name: 'post_author_id_fkey',
          table: 'post',
          columns: ['author_id'],
          refTable: 'people',
          refColumns: ['person_id'],
          span: '@relation("Authored", fields: [authorId], references: [personId], onDelete: Cascade)',
        },
        { name: 'post_editor_fk', table: 'post', columns: ['editorid'], refTable: 'people', refColumns: ['person_id'], span: '@relation(fields: [editorId], references: [personId], map: "post_editor_fk")' },
      ],
    },
  },
  {
    name: 'composite foreign key, self relation, multi-line attribute arguments',
    text: `model Node {
  treeId   Int
  id       Int
  parentId Int?
  parent   Node?  @relation("tree", fields: [treeId, parentId],
                            references: [treeId, id])
  children Node[] @relation("tree")
  @@id([treeId, id])
  @@index([
    treeId,
    parentId
  ])
}`,
    expect: {
      indexes: [
        { table: 'node', name: 'node_pkey', origin: 'primary-key', unique: true, keys: ['treeid', 'id'], span: '@@id([treeId, id])' },
        { table: 'node', name: 'node_treeid_parentid_idx', origin: 'prisma', unique: false, keys: ['treeid', 'parentid'], span: '@@index([\n    treeId,\n    parentId\n  ])' },
      ],
      foreignKeys: [
        {
          name: 'node_treeid_parentid_fkey',
          table: 'node',
          columns: ['treeid', 'parentid'],
          refTable: 'node',
          refColumns: ['treeid', 'id'],
          span: '@relation("tree", fields: [treeId, parentId],\n                            references: [treeId, id])',
        },
      ],
    },
  },
  {
    name: 'comments (// and ///), enums, composite types, views and @@schema',
    text: `// leading comment with model Fake { id Int @id }
/// Doc comment for the model
model Invoice { // trailing comment
  /// the id
  id     String        @id // @unique in a comment is ignored
  state  InvoiceState  // enum column
  // amount Int
  addr   Address?
  @@schema("billing")
}
enum InvoiceState {
  OPEN
  PAID
}
type Address {
  street String
}
view InvoiceTotals {
  id    String @unique
  total Int
}`,
    expect: {
      tables: [{ name: 'invoice', schema: 'billing', nameSpan: 'Invoice', pk: true, columns: ['id String', 'state InvoiceState', 'addr Address?'] }],
      indexes: [{ table: 'invoice', name: 'invoice_pkey', origin: 'primary-key', unique: true, keys: ['id'], span: '@id' }],
      foreignKeys: [],
    },
  },
  {
    name: 'models without @id or @@id have no primary key',
    text: 'model Log {\n  at   DateTime\n  text String @unique\n}\n',
    expect: {
      tables: [{ name: 'log', nameSpan: 'Log', pk: false, columns: ['at DateTime', 'text String'] }],
      indexes: [{ table: 'log', name: 'log_text_key', origin: 'unique-constraint', unique: true, keys: ['text'], span: '@unique' }],
    },
  },
  {
    name: 'datasource provider (postgres alias normalised)',
    text: 'datasource db {\n  provider = "postgres"\n  url = env("DATABASE_URL")\n}\n',
    provider: 'postgresql',
    expect: { tables: [], indexes: [], foreignKeys: [] },
  },
  {
    name: 'malformed: missing type, unclosed argument list and list, stray text, unclosed block',
    text: `model A {
  id    Int @id
  title
  bId   Int
  b     B @relation(fields: [bId], references: [id]
  code  String @unique
  @@index([bId
}
what is this
model B {
  id Int @id
  note String "oops
`,
    errors: [
      'Unterminated string literal',
      'Field `title` has no type',
      'Unterminated argument list: missing `)`',
      'Unterminated list: missing `]`',
      'Unterminated argument list: missing `)`',
      'Unexpected `what` at top level; expected a model, enum, datasource or generator block',
      'Unterminated `model B` block: missing `}`',
    ],
    expect: {
      tables: [
        { name: 'a', nameSpan: 'A', pk: true, columns: ['id Int', 'bid Int', 'code String'] },
        { name: 'b', nameSpan: 'B', pk: true, columns: ['id Int', 'note String'] },
      ],
      indexes: [
        { table: 'a', name: 'a_pkey', origin: 'primary-key', unique: true, keys: ['id'], span: '@id' },
        { table: 'a', name: 'a_code_key', origin: 'unique-constraint', unique: true, keys: ['code'], span: '@unique' },
        { table: 'a', name: 'a_bid_idx', origin: 'prisma', unique: false, keys: ['bid'], span: '@@index([bId' },
        { table: 'b', name: 'b_pkey', origin: 'primary-key', unique: true, keys: ['id'], span: '@id' },
      ],
      foreignKeys: [{ name: 'a_bid_fkey', table: 'a', columns: ['bid'], refTable: 'b', refColumns: ['id'], span: '@relation(fields: [bId], references: [id]' }],
    },
  },
];

describe('parsePrismaSchema', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = parsePrismaSchema(c.text, FILE);
      const s = summarize(c.text, r);
      for (const key of Object.keys(c.expect) as (keyof Summary)[]) assert.deepEqual(s[key], c.expect[key], key);
      assert.deepEqual(r.errors.map((e) => e.message), c.errors ?? []);
      if (c.provider) assert.equal(r.provider, c.provider);
      for (const t of r.fragment.tables) {
        assert.equal(t.dialect, 'prisma');
        assert.equal(t.file, FILE);
        assert.ok(/^(model|view)\s/.test(slice(c.text, t.span)), 'table span starts at `model`');
        assert.equal(t.endOffset, t.span!.end);
      }
      for (const i of r.fragment.indexes) assert.equal(i.file, FILE);
      for (const f of r.fragment.foreignKeys) assert.equal(f.file, FILE);
    });
  }

  it('error spans point at the offending text', () => {
    const text = 'model A {\n  id Int @id\n  title\n}\nwhat is this\n';
    const r = parsePrismaSchema(text, FILE);
    assert.deepEqual(
      r.errors.map((e) => slice(text, e.span)),
      ['title', 'what is this'],
    );
  });

  it('never throws', () => {
    const inputs = ['', '}', '{', 'model', 'model {', 'model A', 'model A {', '@@', 'model A { id Int @id( }', 'model A {\n id Int @relation(fields: [', '"', '\u0000\ud800', 'model A {\n a B\n}\nmodel A {\n}\n'];
    for (const text of inputs) assert.doesNotThrow(() => parsePrismaSchema(text, FILE), JSON.stringify(text));
    const r = parsePrismaSchema(undefined as unknown as string, FILE);
    assert.deepEqual(r.fragment.tables, []);
  });

  it('single-line block and whole-block spans', () => {
    const text = 'model T { id Int @id }\n';
    const r = parsePrismaSchema(text, FILE);
    assert.deepEqual(r.errors, []);
    const t = r.fragment.tables[0];
    assert.equal(slice(text, t.span), 'model T { id Int @id }');
    assert.equal(t.endOffset, text.indexOf('}') + 1);
    assert.deepEqual(t.columns.map((c) => slice(text, c.span)), ['id Int @id']);
  });

  it('relationMode and multi-file schemas (unknown relation targets)', () => {
    const text = `datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}
model Comment {
  id     Int  @id
  postId Int
  post   Post @relation(fields: [postId], references: [id])
  likes  Like[]
}`;
    const r = parsePrismaSchema(text, FILE);
    assert.equal(r.provider, 'mysql');
    assert.equal(r.relationMode, 'prisma');
    const s = summarize(text, r);
    assert.deepEqual(s.tables[0].columns, ['id Int', 'postid Int']);
    // no index is invented for the relation scalar field
    assert.deepEqual(s.indexes.map((i) => i.name), ['comment_pkey']);
    assert.deepEqual(s.foreignKeys.map((f) => [f.table, f.columns, f.refTable, f.refColumns]), [['comment', ['postid'], 'post', ['id']]]);
  });
});

describe('fixture: storefront schema.prisma', () => {
  const path = join(FIXTURES, 'schema.prisma');
  const text = readFileSync(path, 'utf8');
  const r = parsePrismaSchema(text, path);
  const s = summarize(text, r);

  it('reads without errors, with the datasource provider', () => {
    assert.deepEqual(r.errors, []);
    assert.equal(r.provider, 'postgresql');
    assert.equal(r.relationMode, undefined);
  });

  it('tables', () => {
    assert.deepEqual(
      s.tables.map((t) => [t.name, t.nameSpan, t.pk]),
      [
        ['users', 'User', true],
        ['profiles', 'Profile', true],
        ['sessions', 'Session', true],
        ['categories', 'Category', true],
        ['products', 'Product', true],
        ['orders', 'Order', true],
        ['order_items', 'OrderItem', true],
        ['review', 'Review', true],
        ['auditevent', 'AuditEvent', false],
      ],
    );
    assert.deepEqual(s.tables[0].columns, ['id Int', 'email String', 'display_name String?', 'role Role', 'created_at DateTime', 'deleted_at DateTime?']);
    assert.deepEqual(s.tables[4].columns, [
      'id Int',
      'sku String',
      'vendor_id Int',
      'title String',
      'price_cents Int',
      'tags String[]',
      'category_id Int',
      'search_text Unsupported("tsvector")?',
    ]);
    const users = r.fragment.tables[0];
    assert.ok(slice(text, users.span).startsWith('model User {'));
    assert.ok(slice(text, users.span).endsWith('@@map("users")\n}'));
  });

  it('indexes', () => {
    assert.deepEqual(
      s.indexes.map((i) => [i.table, i.name, i.origin, i.keys.join(','), i.method ?? '']),
      [
        ['users', 'users_pkey', 'primary-key', 'id', ''],
        ['users', 'users_email_key', 'unique-constraint', 'email', ''],
        ['profiles', 'profiles_pkey', 'primary-key', 'id', ''],
        ['profiles', 'profiles_user_id_key', 'unique-constraint', 'user_id', ''],
        ['sessions', 'sessions_pkey', 'primary-key', 'id', ''],
        ['sessions', 'sessions_token_key', 'unique-constraint', 'token', ''],
        ['sessions', 'sessions_token_idx', 'prisma', 'token', 'hash'],
        ['categories', 'categories_pkey', 'primary-key', 'id', ''],
        ['categories', 'categories_slug_key', 'unique-constraint', 'slug', ''],
        ['products', 'products_pkey', 'primary-key', 'id', ''],
        ['products', 'products_sku_vendor_id_key', 'unique-constraint', 'sku,vendor_id', ''],
        ['products', 'products_search_text_idx', 'prisma', 'search_text', 'gin'],
        ['orders', 'orders_pkey', 'primary-key', 'id', ''],
        ['orders', 'orders_customer_recent_idx', 'prisma', 'customer_id,placed_at', ''],
        ['order_items', 'order_items_pkey', 'primary-key', 'order_id,product_id', ''],
        ['review', 'reviews_pk', 'primary-key', 'product_id,author_id', ''],
        ['review', 'review_product_id_created_at_idx', 'prisma', 'product_id,created_at', ''],
        ['auditevent', 'auditevent_actorid_createdat_key', 'unique-constraint', 'actorid,createdat', ''],
      ],
    );
    assert.equal(s.indexes[13].span, '@@index([customerId, placedAt(sort: Desc)], map: "orders_customer_recent_idx")');
  });

  it('foreign keys (no indexes invented for relation scalars)', () => {
    assert.deepEqual(
      s.foreignKeys.map((f) => [f.table, f.columns.join(','), f.refTable, f.refColumns.join(','), f.name]),
      [
        ['profiles', 'user_id', 'users', 'id', 'profiles_user_id_fkey'],
        ['sessions', 'user_id', 'users', 'id', 'sessions_user_id_fkey'],
        ['categories', 'parent_id', 'categories', 'id', 'categories_parent_id_fkey'],
        ['products', 'category_id', 'categories', 'id', 'products_category_id_fkey'],
        ['orders', 'customer_id', 'users', 'id', 'orders_customer_id_fkey'],
        ['order_items', 'order_id', 'orders', 'id', 'order_items_order_id_fkey'],
        ['order_items', 'product_id', 'products', 'id', 'order_items_product_id_fkey'],
        ['review', 'product_id', 'products', 'id', 'review_product_id_fkey'],
        ['review', 'author_id', 'users', 'id', 'review_author_fk'],
      ],
    );
    assert.equal(s.foreignKeys[0].span, '@relation(fields: [userId], references: [id], onDelete: Cascade)');
  });

  it('malformed.prisma still yields what could be read', () => {
    const p = join(FIXTURES, 'malformed.prisma');
    const t = readFileSync(p, 'utf8');
    const m = parsePrismaSchema(t, p);
    assert.equal(m.provider, 'mysql');
    assert.equal(m.relationMode, 'prisma');
    assert.deepEqual(m.fragment.tables.map((x) => x.name), ['author', 'book', 'broken']);
    assert.ok(m.errors.length >= 5);
    for (const e of m.errors) assert.ok(e.span.start >= 0 && e.span.end <= t.length && e.span.start <= e.span.end);
  });
});
