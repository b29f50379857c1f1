import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { djangoAppLabel, extractDjangoQueries, readDjangoModels, scanDjangoQueries, type DjangoModelRead, type DjangoQuery } from '../../../../src/analyzers/sql/orm/django.js';
import type { OrmCondition } from '../../../../src/analyzers/sql/orm/model.js';
import type { Span } from '../../../../src/analyzers/sql/types.js';

const slice = (text: string, s: Span | undefined): string => (s ? text.slice(s.start, s.end) : '<no span>');

function indexes(r: DjangoModelRead): string[] {
  return r.fragment.indexes.map(
    (i) =>
      `${i.table} ${i.origin}${i.unique ? ' unique' : ''}${i.name ? ` ${i.name}` : ''} (${i.keys.map((k) => (k.kind === 'column' ? k.column + (k.opclass ? ` ${k.opclass}` : '') : k.text)).join(', ')})${i.where ? ` WHERE ${i.where.text}` : ''}${i.method ? ` USING ${i.method}` : ''}`,
  );
}

const SHOP = `from django.db import models
from django.db.models import Q
from accounts.models import Customer


class Product(models.Model):
    sku = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100, db_index=True)
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True)

    class Meta:
        db_table = "catalog_product"


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    product = models.ForeignKey("Product", models.PROTECT, db_index=False)
    parent = models.ForeignKey("self", null=True, on_delete=models.SET_NULL, db_column="parent_ref")
    status = models.CharField(max_length=10)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-created"], name="order_customer_created"),
            models.Index(fields=["status"], name="order_open", condition=Q(status="open")),
        ]
        unique_together = [("customer", "product")]
        index_together = ("status", "created")
        constraints = [
            models.UniqueConstraint(fields=["product"], condition=Q(deleted__isnull=True), name="%(app_label)s_%(class)s_one_live"),
        ]


class Invoice(models.Model):
    number = models.BigIntegerField(primary_key=True)
    order = models.OneToOneField(Order, on_delete=models.CASCADE)
    tags = models.ManyToManyField("Tag")
`;

describe('readDjangoModels', () => {
  it('reads tables, columns, implicit indexes, Meta indexes and foreign keys', () => {
    const r = readDjangoModels('src/shop/models.py', SHOP);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.fragment.tables.map((t) => `${t.name}: ${t.columns.map((c) => `${c.name} ${c.type}${c.notNull ? '' : '?'}`).join(', ')}`),
      [
        'catalog_product: id bigint, sku varchar, name varchar, price numeric?',
        'shop_order: id bigint, customer_id bigint, product_id bigint, parent_ref bigint?, status varchar, created timestamp',
        'shop_invoice: number bigint, order_id bigint',
        'shop_invoice_tags: id bigint, invoice_id bigint, tag_id bigint',
      ],
    );
    assert.deepEqual(indexes(r), [
      'catalog_product primary-key unique (id)',
      'catalog_product unique-constraint unique (sku)',
      'catalog_product create-index (name)',
      'shop_order primary-key unique (id)',
      'shop_order create-index (customer_id)',
      'shop_order create-index (parent_ref)',
      'shop_order unique-constraint unique (customer_id, product_id)',
      'shop_order create-index (status, created)',
      'shop_order create-index order_customer_created (customer_id, created)',
      "shop_order create-index order_open (status) WHERE status = 'open'",
      'shop_order unique-constraint unique shop_order_one_live (product_id) WHERE deleted IS NULL',
      'shop_invoice_tags primary-key unique (id)',
      'shop_invoice_tags unique-constraint unique (invoice_id, tag_id)',
      'shop_invoice_tags create-index (invoice_id)',
      'shop_invoice_tags create-index (tag_id)',
      'shop_invoice primary-key unique (number)',
      'shop_invoice unique-constraint unique (order_id)',
    ]);
    assert.deepEqual(
      r.fragment.foreignKeys.map((k) => `${k.table}.${k.columns.join()} -> ${k.refTable}.${k.refColumns.join()}`),
      [
        'shop_order.customer_id -> accounts_customer.id',
        'shop_order.product_id -> catalog_product.id',
        'shop_order.parent_ref -> shop_order.id',
        'shop_invoice.order_id -> shop_order.id',
        'shop_invoice_tags.invoice_id -> shop_invoice.number',
        'shop_invoice_tags.tag_id -> shop_tag.id',
      ],
    );
    const partial = r.fragment.indexes.find((i) => i.name === 'order_open')!;
    assert.deepEqual(partial.where, { text: "status = 'open'", columns: ['status'], facts: [{ column: 'status', is: 'eq', value: "'open'" }], rest: [] });
    assert.equal(slice(SHOP, partial.span), 'models.Index(fields=["status"], name="order_open", condition=Q(status="open"))');
    const fkIndex = r.fragment.indexes.find((i) => i.keys[0].kind === 'column' && i.keys[0].column === 'customer_id' && i.keys.length === 1)!;
    assert.equal(slice(SHOP, fkIndex.span), 'customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")');
  });

  it('gives the model names: columns, relations, reverse relations, pk, insertion point', () => {
    const r = readDjangoModels('src/shop/models.py', SHOP);
    const order = r.models.find((m) => m.names[0] === 'Order')!;
    assert.equal(order.table, 'shop_order');
    assert.deepEqual(Object.fromEntries(order.columns), {
      customer: 'customer_id', customer_id: 'customer_id', product: 'product_id', product_id: 'product_id', parent: 'parent_ref', parent_ref: 'parent_ref',
      status: 'status', created: 'created', id: 'id', pk: 'id',
    });
    assert.deepEqual(Object.fromEntries(order.relations), { customer: 'Customer', product: 'Product', parent: 'Order' });
    assert.deepEqual(Object.fromEntries(order.reverseRelations ?? []), { order: 'Order', invoice: 'Invoice' });
    assert.equal(slice(SHOP, order.span).split('\n')[0], 'class Order(models.Model):');
    // inside `indexes = [...]`, before its closing bracket
    assert.equal(order.indexInsert?.kind, 'indexes-list');
    assert.equal(SHOP.slice(order.indexInsertAt! - 9, order.indexInsertAt! + 1), '\n        ]');
    const product = r.models.find((m) => m.names[0] === 'Product')!;
    assert.equal(product.indexInsert?.kind, 'meta');
    assert.equal(SHOP.slice(product.indexInsertAt! - 28, product.indexInsertAt), 'db_table = "catalog_product"');
    const invoice = r.models.find((m) => m.names[0] === 'Invoice')!;
    assert.equal(invoice.pk, 'number');
    assert.equal(invoice.columns.get('pk'), 'number');
    assert.equal(invoice.relations.get('tags'), 'Tag');
    assert.equal(invoice.columns.has('tags'), false);
    assert.equal(invoice.indexInsert?.kind, 'class');
    assert.equal(invoice.indexInsertAt, SHOP.trimEnd().length);
  });

  const cases: { name: string; path: string; text: string; tables: string[]; indexes?: string[]; models?: string[] }[] = [
    {
      name: 'app label of a models/ package',
      path: 'netshop/billing/models/invoices.py',
      text: 'from django.db import models\nclass Bill(models.Model):\n    total = models.IntegerField()\n',
      tables: ['billing_bill'],
    },
    {
      name: 'abstract base in the same file: its fields are inherited, no table of its own',
      path: 'app/blog/models.py',
      text: `from django.db import models
class Stamped(models.Model):
    created = models.DateTimeField(db_index=True)
    class Meta:
        abstract = True
class Post(Stamped):
    title = models.CharField(max_length=50)
`,
      tables: ['blog_post'],
      indexes: ['blog_post primary-key unique (id)', 'blog_post create-index (created)'],
    },
    {
      name: 'an unknown base with fields is a model; a form-like Meta (model =) is not; proxy shares the table',
      path: 'x/dcim/models.py',
      text: `from django.db import models
from netbox.models import PrimaryModel
class Rack(PrimaryModel):
    name = models.CharField(max_length=50)
    class Meta:
        ordering = ('name', '-pk')
class RackForm(forms.ModelForm):
    name = forms.CharField()
    class Meta:
        model = Rack
        fields = ['name']
class SmallRack(Rack):
    class Meta:
        proxy = True
class Choice(models.TextChoices):
    A = 'a'
`,
      tables: ['dcim_rack'],
      models: ['Rack dcim_rack ordering=name,-pk unknown=PrimaryModel', 'SmallRack dcim_rack'],
    },
    {
      name: 'multi-table inheritance gets the parent link as primary key',
      path: 'p/places/models.py',
      text: 'from django.db import models\nclass Place(models.Model):\n    name = models.CharField(max_length=5)\nclass Cafe(Place):\n    seats = models.IntegerField()\n',
      tables: ['places_place', 'places_cafe'],
      indexes: ['places_place primary-key unique (id)', 'places_cafe primary-key unique (place_ptr_id)'],
    },
    {
      name: 'expression keys, Gin index and %(class)s names',
      path: 'a/inv/models.py',
      text: `from django.db import models
from django.db.models.functions import Lower
class Item(models.Model):
    name = models.CharField(max_length=5)
    site = models.ForeignKey('dcim.Site', on_delete=models.CASCADE)
    data = models.JSONField()
    class Meta:
        indexes = (GinIndex(fields=['data']),)
        constraints = (models.UniqueConstraint(Lower('name'), 'site', name='%(class)s_unique'), models.CheckConstraint(check=Q(a=1), name='c'))
`,
      tables: ['inv_item'],
      indexes: ['inv_item primary-key unique (id)', 'inv_item create-index (site_id)', 'inv_item create-index (data) USING gin', 'inv_item unique-constraint unique item_unique (lower(name), site_id)'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = readDjangoModels(c.path, c.text);
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.fragment.tables.map((t) => t.name), c.tables);
      if (c.indexes) assert.deepEqual(indexes(r), c.indexes);
      if (c.models) {
        assert.deepEqual(
          r.models.map((m) => `${m.names[0]} ${m.table}${m.ordering ? ` ordering=${m.ordering.map((o) => (o.desc ? '-' : '') + o.field).join(',')}` : ''}${m.unknownBases ? ` unknown=${m.unknownBases.join(',')}` : ''}`),
          c.models,
        );
      }
    });
  }

  it('adds the PostgreSQL _like pattern index for indexed text columns when told the dialect', () => {
    const text = 'from django.db import models\nclass Key(models.Model):\n    value = models.CharField(max_length=8, db_index=True)\n    note = models.TextField(unique=True)\n';
    assert.deepEqual(indexes(readDjangoModels('k/api/models.py', text, { dialect: 'postgresql' })).slice(1), [
      'api_key create-index (value)',
      'api_key create-index api_key_value_like (value varchar_pattern_ops)',
      'api_key unique-constraint unique (note)',
      'api_key create-index api_key_note_like (note text_pattern_ops)',
    ]);
    assert.equal(readDjangoModels('k/api/models.py', text).fragment.indexes.length, 3);
  });

  it('app label from the path', () => {
    assert.equal(djangoAppLabel('hc/api/models.py'), 'api');
    assert.equal(djangoAppLabel('netbox/dcim/models/devices.py'), 'dcim');
    assert.equal(djangoAppLabel('models.py'), undefined);
  });

  const hostile = ['class', 'class X(models.Model', 'class X(models.Model):\n    a = models.ForeignKey(\n', 'class X(models.Model):\n  class Meta:\n    indexes = [models.Index(fields=[1, 2])]\n    unique_together = 5\n', '"""', '\u0000\uffff'.repeat(50), 'class A(B):\n' + '    x = models.CharField(' + '('.repeat(5000)];
  for (const [i, text] of hostile.entries()) {
    it(`never throws on malformed input #${i}`, () => {
      const r = readDjangoModels('a/b/models.py', text);
      assert.ok(Array.isArray(r.models));
    });
  }

  it('refuses files over 512 KB', () => {
    const r = readDjangoModels('a/b/models.py', 'x'.repeat(512 * 1024 + 1));
    assert.equal(r.errors.length, 1);
    assert.equal(r.fragment.tables.length, 0);
  });
});

// ---------------------------------------------------------------------------------------------

function cond(c: OrmCondition): string {
  if ('or' in c) return `(${c.or.map((b) => b.map(cond).join(' AND ')).join(' OR ')})`;
  return `${[...c.via, c.field].join('.')} ${c.op}${c.insensitive ? '/i' : ''}${c.value ? ` ${c.value}` : ''}`;
}

function brief(q: DjangoQuery): string {
  const parts = [q.model ?? `<${q.reverseManager?.accessor}${q.reverseManager?.ownerClass ? ` of ${q.reverseManager.ownerClass}` : ''}>`, q.operation, q.method];
  if (q.where.length) parts.push(`where ${q.where.map(cond).join(' & ')}`);
  if (q.conditionalWhere) parts.push(`maybe ${q.conditionalWhere.map(cond).join(' & ')}`);
  if (q.orderBy.length) parts.push(`order ${q.orderBy.map((o) => (o.desc ? '-' : '') + [...o.via, o.field].join('.')).join(',')}`);
  if (q.limited) parts.push('limited');
  if (q.joins.length) parts.push(`join ${q.joins.map((j) => j.relation).join(',')}`);
  if (q.prefetch) parts.push(`prefetch ${q.prefetch.map((j) => j.relation).join(',')}`);
  if (q.forUpdate) parts.push('for-update');
  if (q.inLoop) parts.push(`loop ${q.inLoop.kind}`);
  return parts.join(' | ');
}

const fn = (body: string): string => `def view(request, ids):\n${body.split('\n').map((l) => `    ${l}`).join('\n')}\n`;

describe('extractDjangoQueries', () => {
  const cases: { name: string; text: string; want: string[]; skipped?: string[] }[] = [
    { name: 'get by key', text: fn('return Order.objects.get(code=code)'), want: ['Order | select | get | where code eq | limited'] },
    {
      name: 'lookups',
      text: fn("Order.objects.filter(a=1, b__in=ids, c__gte=x, d__lt=y, e__range=(1, 2), f__startswith='x', g__istartswith=v, h__icontains=v, i__endswith=v, j__regex=r, k__isnull=True, l__isnull=False, m__iexact='Ab', n=None, o='open', p=True, created__date__gte=d)"),
      want: ["Order | select | filter | where a eq 1 & b eq & c range & d range & e range & f prefix & g prefix/i & h other/i & i other & j other & k eq null & l other not-null & m eq/i 'Ab' & n eq null & o eq 'open' & p eq true & created other"],
    },
    {
      name: 'relation paths, order_by, slice, select_related, prefetch_related',
      text: fn("return list(Order.objects.filter(team__owner__email=e).order_by('-created', 'customer__name', F('x').desc()).select_related('customer', 'product__maker').prefetch_related('tags', Prefetch('lines'))[:20])"),
      want: ['Order | select | filter | where team.owner.email eq | order -created,customer.name,-x | limited | join customer,product__maker | prefetch tags,lines'],
    },
    {
      name: 'terminal calls',
      text: fn('Order.objects.filter(a=1).first()\nOrder.objects.last()\nOrder.objects.filter(a=1).exists()\nOrder.objects.count()\nOrder.objects.filter(a=1).update(b=2)\nOrder.objects.filter(a=1).delete()\nOrder.objects.latest("created")\nOrder.objects.aggregate(Sum("x"))\nOrder.objects.get_or_create(a=1, defaults={"b": 2})\nOrder.objects.all()[0]\nOrder.objects.all()[10:]'),
      want: [
        'Order | select | first | where a eq 1 | limited',
        'Order | select | last | limited',
        'Order | exists | exists | where a eq 1',
        'Order | count | count',
        'Order | update | update | where a eq 1',
        'Order | delete | delete | where a eq 1',
        'Order | select | latest | order -created | limited',
        'Order | aggregate | aggregate',
        'Order | upsert | get_or_create | where a eq 1 | limited',
        'Order | select | all | limited',
        'Order | select | all',
      ],
    },
    {
      name: 'Q objects: or, and, not',
      text: fn('Order.objects.filter(Q(a=1) | Q(b__gt=2, c=3), d=4)\nOrder.objects.filter(~Q(e=5) & models.Q(f=6))\nOrder.objects.exclude(g=7)\nOrder.objects.exclude(h__isnull=True)'),
      want: ['Order | select | filter | where (a eq 1 OR b range AND c eq 3) & d eq 4', 'Order | select | filter | where e other 5 & f eq 6', 'Order | select | exclude | where g other 7', 'Order | select | exclude | where h other not-null'],
    },
    {
      name: 'a chain over several statements is one query; conditional filters are set apart',
      text: fn('qs = Order.objects.filter(a=1)\nqs = qs.select_related("c")\nif x:\n    qs = qs.filter(b=2)\nfor t in tags:\n    qs = qs.filter(tags__contains=t)\nqs = qs.order_by("-n")\nreturn render(request, {"rows": qs[:10]})'),
      want: ['Order | select | filter | where a eq 1 | maybe b eq 2 & tags other | order -n | limited | join c'],
    },
    {
      name: 'a bound queryset used by several terminal calls, and as a whole',
      text: fn('qs = Order.objects.filter(a=1)\nn = qs.count()\nfirst = qs.get(pk=3)\nfor o in qs:\n    pass'),
      // sorted by position: the queryset iterated as a whole is reported at its assignment
      want: ['Order | select | filter | where a eq 1', 'Order | count | count | where a eq 1', 'Order | select | get | where a eq 1 & pk eq 3 | limited'],
    },
    {
      name: 'a bound queryset only used by a terminal call is not a query of its own',
      text: fn('qs = Order.objects.filter(a=1)\nreturn qs.exists()'),
      want: ['Order | exists | exists | where a eq 1'],
    },
    {
      name: 'loops and comprehensions',
      text: fn('for u in User.objects.filter(active=True):\n    Order.objects.filter(user=u).count()\n[Order.objects.get(pk=i) for i in ids]\n{i: 1 for i in Order.objects.all()}\nwhile x:\n    Order.objects.get(pk=1)\nfor i in ids: Order.objects.get(pk=i)'),
      want: [
        'User | select | filter | where active eq true',
        'Order | count | count | where user eq | loop for',
        'Order | select | get | where pk eq | limited | loop comprehension',
        'Order | select | all',
        'Order | select | get | where pk eq 1 | limited | loop while',
        'Order | select | get | where pk eq | limited | loop for',
      ],
    },
    {
      name: 'a loop outside the function does not count',
      text: 'for x in y:\n    def f():\n        return Order.objects.get(pk=1)\n',
      want: ['Order | select | get | where pk eq 1 | limited'],
    },
    {
      name: 'get_object_or_404, cls.objects, reverse managers, select_for_update, class attributes',
      text: `class Check(models.Model):
    def prune(self):
        self.ping_set.filter(n__lte=5).delete()
        other.flip_set.all()

    @classmethod
    def by_code(cls, code):
        return cls.objects.select_for_update().get(code=code)

class CheckList(ListView):
    queryset = Check.objects.select_related('project')

def view(request, code):
    return get_object_or_404(Member, project__code=code, user=request.user)
`,
      want: ['<ping_set of Check> | delete | delete | where n range', '<flip_set> | select | all', 'Check | select | get | where code eq | limited | for-update', 'Check | select | all | join project', 'Member | select | get_object_or_404 | where project.code eq & user eq | limited'],
    },
    {
      name: 'skipped: filters built elsewhere, custom methods, inserts, Prefetch querysets, none()',
      text: fn('Order.objects.filter(**kw)\nOrder.objects.filter(q)\nOrder.objects.restrict(user).filter(a=1)\nOrder.objects.create(a=1)\nprefetch = Prefetch("lines", queryset=Line.objects.filter(x=1))\nOrder.objects.none()\nrequest.GET.get("a")\nuser.orders.filter(a=1)'),
      want: [],
      skipped: ['filter arguments built elsewhere (*args / **kwargs)', 'filter argument not a Q(...) expression', 'method .restrict() not followed', 'insert .create()', 'queryset inside Prefetch(...)', '.none() runs no query'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = scanDjangoQueries('app/views.py', c.text);
      assert.deepEqual(r.queries.map(brief), c.want);
      if (c.skipped) assert.deepEqual(r.skipped.map((s) => s.reason), c.skipped);
    });
  }

  it('spans: the whole chain, the model and its first method, each condition and order key', () => {
    const text = fn("rows = Order.objects.filter(status='open', owner__in=ids).order_by('-created')[:5]");
    const [q] = extractDjangoQueries('v.py', text);
    assert.equal(slice(text, q.span), "Order.objects.filter(status='open', owner__in=ids).order_by('-created')[:5]");
    assert.equal(slice(text, q.nameSpan), 'Order.objects.filter');
    assert.deepEqual(q.where.map((w) => slice(text, w.span)), ["status='open'", 'owner__in=ids']);
    assert.deepEqual(q.orderBy.map((o) => slice(text, o.span)), ["'-created'"]);
    const qo = extractDjangoQueries('v.py', fn('Order.objects.filter(Q(a=1) | Q(b=2))'))[0];
    assert.equal(slice(fn('Order.objects.filter(Q(a=1) | Q(b=2))'), qo.where[0].span), 'Q(a=1) | Q(b=2)');
    const loopText = fn('for o in orders:\n    Line.objects.filter(order=o)');
    assert.equal(slice(loopText, extractDjangoQueries('v.py', loopText)[0].inLoop?.span), 'for o in orders:');
    const chainText = fn('qs = Order.objects.filter(a=1)\nreturn qs[:3]');
    const cq = extractDjangoQueries('v.py', chainText)[0];
    assert.deepEqual(cq.parts?.map((p) => slice(chainText, p)), ['Order.objects.filter(a=1)', 'qs[:3]']);
    assert.equal(slice(chainText, cq.nameSpan), 'Order.objects.filter');
  });

  const hostile = ['Order.objects.filter(', 'Order.objects.filter(a=', 'def f(:\n  Order.objects.get(Q(', 'x = Order.objects' + '.filter(a=1)'.repeat(3000), 'Order.objects.filter(' + 'Q('.repeat(3000), '~'.repeat(1000), 'for\n' + '    '.repeat(200) + 'Order.objects.get()'];
  for (const [i, text] of hostile.entries()) {
    it(`never throws on malformed input #${i}`, () => {
      const r = scanDjangoQueries('x.py', text);
      assert.ok(Array.isArray(r.queries));
      assert.ok(!r.skipped.some((s) => s.reason.startsWith('extractor failed')), JSON.stringify(r.skipped));
    });
  }
});

// ---------------------------------------------------------------------------------------------

/** Model, method, function, and the loop with whether the call reads its item. */
function perItem(q: DjangoQuery): string {
  const loop = q.inLoop ? `${q.inLoop.kind}${q.inLoop.usesItem ? ' item' : ' no-item'}${q.inLoopVia ? ` via ${q.inLoopVia}` : ''}` : '-';
  return `${q.model ?? q.reverseManager?.accessor} ${q.method} @${q.functionName ?? '-'} ${loop}`;
}

describe('extractDjangoQueries: functionName, inLoop.usesItem, bounded loops, querysets only built', () => {
  const cases: { name: string; text: string; want: string[] }[] = [
    {
      name: 'functionName: the innermost def, a method, none at module or class level',
      text: `class Check(models.Model):
    def prune_pings(self):
        Ping.objects.filter(n__lt=1).delete()

        def inner():
            return Flip.objects.count()

class CheckList(ListView):
    queryset = Check.objects.all()

LATEST = Ping.objects.last()
`,
      want: ['Ping delete @prune_pings -', 'Flip count @inner -', 'Check all @- -', 'Ping last @- -'],
    },
    {
      name: 'for loop reading its item in keywords, Q(...) and positional arguments',
      text: fn('for check in checks:\n    Ping.objects.filter(owner=check).count()\n    Flip.objects.filter(Q(owner=check.id) | Q(shared=True)).exists()\n    Channel.objects.in_bulk(check.channel_ids)\n    get_object_or_404(Project, pk=check.project_id)\n    Ping.objects.filter(owner=other).count()'),
      want: ['Ping count @view for item', 'Flip exists @view for item', 'Channel in_bulk @view for item', 'Project get_object_or_404 @view for item', 'Ping count @view for no-item'],
    },
    {
      name: 'while loop: no item; a page cursor is not an item',
      text: fn('while more:\n    rows = list(Ping.objects.filter(id__gt=last)[:100])'),
      want: ['Ping filter @view while no-item'],
    },
    {
      name: 'tuple targets, inline bodies, comprehensions, keyword names are not reads',
      text: fn('for i, (code, owner) in enumerate(pairs):\n    Check.objects.get(code=code)\nfor a, b in pairs: Check.objects.get(pk=b)\n[Check.objects.get(pk=i) for i in ids]\n[Check.objects.count() for i in ids]\n{c: Ping.objects.filter(owner=c).count() for c in checks}\nfor owner in owners:\n    Check.objects.filter(owner=None).count()'),
      want: ['Check get @view for item', 'Check get @view for item', 'Check get @view comprehension item', 'Check count @view comprehension no-item', 'Ping count @view comprehension item', 'Check count @view for no-item'],
    },
    {
      name: "names assigned from the loop's item in its body count as the item",
      text: fn("for key in request.POST:\n    code = key.removeprefix('check-')\n    project.check_set.get(code=code)\n    a, b = key.split('-')\n    Check.objects.filter(pk=b).exists()\n    other = settings.X\n    Check.objects.filter(pk=other).exists()\n    self.x = key\n    Check.objects.filter(pk=x).exists()"),
      want: ['check_set get @view for item', 'Check exists @view for item', 'Check exists @view for no-item', 'Check exists @view for no-item'],
    },
    {
      name: "a reverse manager on the loop's item reads it",
      text: fn('for check in checks:\n    check.ping_set.count()\n    self.flip_set.count()'),
      want: ['ping_set count @view for item', 'flip_set count @view for no-item'],
    },
    {
      name: 'a loop over a list / tuple written in the code is bounded: no inLoop; an outer loop still counts',
      text: fn("for status in ('up', 'down'):\n    Check.objects.filter(status=status).count()\nfor s in ['a', 'b']: Check.objects.filter(status=s).count()\nfor s in 'a', 'b':\n    Check.objects.filter(status=s).count()\n[Check.objects.filter(kind=k).count() for k in ('x', 'y')]\nfor c in checks:\n    for s in ('up', 'down'):\n        Flip.objects.filter(owner=c, new_status=s).count()\nfor s in ('a',) + extra:\n    Check.objects.filter(status=s).count()\nfor s in [*base, 'b']:\n    Check.objects.filter(status=s).count()\nfor s in [x for x in xs]:\n    Check.objects.filter(status=s).count()"),
      want: ['Check count @view -', 'Check count @view -', 'Check count @view -', 'Check count @view -', 'Flip count @view for item', 'Check count @view for item', 'Check count @view for item', 'Check count @view for item'],
    },
    {
      name: 'a queryset only built in a loop (passed to a call, assigned) is not run per item; evaluated ones are',
      text: fn("for name, field in form.fields.items():\n    field.queryset = Device.objects.filter(site=name)\n    forms.append(DeviceForm(queryset=Device.objects.all()))\n    pages = Paginator(Device.objects.filter(site=name), 25)\n    rows = list(Device.objects.filter(site=name))\n    log(Device.objects.filter(site=name).count())\n    unused = Device.objects.filter(rack=name)"),
      want: ['Device filter @view -', 'Device all @view -', 'Device filter @view -', 'Device filter @view for item', 'Device count @view for item', 'Device filter @view -'],
    },
    {
      name: 'a bound queryset: run per item when bound and evaluated in the loop, once when bound outside (Django caches its rows)',
      text: fn('shared = Tag.objects.filter(kind=1)\nfor c in checks:\n    pings = Ping.objects.filter(owner=c)\n    for p in pings:\n        pass\n    for t in shared:\n        pass\n    last = Flip.objects.filter(owner=c)\n    ctx[c] = last\n    kept = Note.objects.filter(owner=c)\nfor n in kept:\n    pass'),
      want: ['Tag filter @view -', 'Ping filter @view for item', 'Flip filter @view -', 'Note filter @view -'],
    },
    {
      name: 'serializer methods run per serialized object',
      text: `class CheckSerializer(serializers.ModelSerializer):
    def get_last_ping(self, obj):
        return Ping.objects.filter(owner=obj).first()

    def get_total(self, obj):
        return Ping.objects.count()

    def to_representation(self, instance):
        return [Flip.objects.filter(owner=instance, n=n).count() for n in ns]

    def get_fields(self):
        return Field.objects.all()

class CheckView(APIView):
    def get_last_ping(self, obj):
        return Ping.objects.filter(owner=obj).first()
`,
      want: ['Ping first @get_last_ping for item via serializer-method', 'Ping count @get_total for no-item via serializer-method', 'Flip count @to_representation comprehension item', 'Field all @get_fields -', 'Ping first @get_last_ping -'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(extractDjangoQueries('app/views.py', c.text).map(perItem), c.want);
    });
  }

  it('spans: the bounded inner loop is skipped for the outer one; a serializer method points at its def', () => {
    const text = fn("for c in checks:\n    for s in ('up', 'down'):\n        Flip.objects.filter(owner=c, new_status=s).count()");
    assert.equal(slice(text, extractDjangoQueries('v.py', text)[0].inLoop?.span), 'for c in checks:');
    const ser = 'class S(serializers.Serializer):\n    def get_n(self, obj):\n        return Ping.objects.filter(owner=obj).count()\n';
    assert.equal(slice(ser, extractDjangoQueries('s.py', ser)[0].inLoop?.span), 'def get_n(self, obj):');
  });
});
