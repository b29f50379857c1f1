import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readDjangoTemplate, resolveTemplate, templateTokens } from '../../../../src/analyzers/sql/orm/django-templates.js';
import { readDjangoRenders } from '../../../../src/analyzers/sql/orm/django-views.js';

const reads = (tpl: string): string[] => readDjangoTemplate(tpl).loops.flatMap((l) => l.accesses.map((a) => `${l.list}/${l.item}: ${a.path.join('.')} ${a.text}`));

describe('Django template reader', () => {
  it('tokenizes tags, variables and comments; a tag never spans a line; comment and verbatim blocks are skipped', () => {
    const toks = templateTokens('a {{ x }} {# c #} {% if y %}\n{{ broken\n}} {% comment %}{{ no }}{% endcomment %}{% verbatim %}{{ no }}{% endverbatim %}{{ z }}');
    assert.deepEqual(toks.map((t) => `${t.kind}:${t.body}`), ['var:x', 'tag:if y', 'var:z']);
  });

  it('stays linear on pathological input', () => {
    const text = '{{'.repeat(200_000) + '{%'.repeat(100_000);
    const t0 = performance.now();
    assert.deepEqual(templateTokens(text), []);
    assert.ok(performance.now() - t0 < 2000);
  });

  it('reads the relations a loop body reads of its item', () => {
    const tpl = [
      '{% for check in checks %}',
      '  {{ check.name }} {{ check.project.name|upper }} {{ check|fmt }} {{ check.project_id }}',
      '  {% if check.owner %}x{% endif %}',
      '  {% for p in check.ping_set.all %}{{ p.owner.name }}{% endfor %}',
      '  {% url "details" check.code %}',
      '{% empty %}{{ check.project.name }}',
      '{% endfor %}',
      '{{ check.project.name }}',
    ].join('\n');
    assert.deepEqual(reads(tpl), [
      'checks/check: name {{ check.name }}',
      'checks/check: project.name {{ check.project.name|upper }}',
      'checks/check: project_id {{ check.project_id }}',
      'checks/check: owner {% if check.owner %}',
      'checks/check: ping_set.all {% for p in check.ping_set.all %}',
      'checks/check: code {% url "details" check.code %}',
    ]);
  });

  it('leaves out shadowed items, loops rebound by with, tuple targets and loops over non-context names', () => {
    assert.deepEqual(reads('{% for c in checks %}{% for c in x.others %}{{ c.project.name }}{% endfor %}{% endfor %}'), []);
    assert.deepEqual(reads('{% for c in checks %}{% with c=other %}{{ c.project }}{% endwith %}{{ c.project }}{% endfor %}'), []);
    assert.deepEqual(reads('{% for k, c in pairs %}{{ c.project }}{% endfor %}'), []);
    assert.deepEqual(reads('{% for c in page.items %}{{ c.project }}{% endfor %}'), []);
    assert.deepEqual(reads('{% for c in page.object_list %}{{ c.project }}{% endfor %}'), ['page.object_list/c: project {{ c.project }}']);
    assert.deepEqual(reads('{% for c in checks reversed %}{{ c.project }}{% endfor %}'), ['checks/c: project {{ c.project }}']);
  });

  it('never throws on random template text', () => {
    const bits = ['{%', '%}', '{{', '}}', '{#', '#}', ' for ', ' in ', 'x', '.', 'y', '|', ' endfor ', ' with ', '=', ' empty ', ' comment ', ' endcomment ', '\n', ',', ' if ', ' endif '];
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 300; n++) {
      let t = '';
      for (let k = 0; k < 60; k++) t += bits[Math.floor(rnd() * bits.length)];
      assert.doesNotThrow(() => readDjangoTemplate(t));
    }
  });

  it('resolves a template name to one file under a templates/ folder above the view', () => {
    const paths = ['templates/front/checks.html', 'hc/api/templates/api/x.html', 'elsewhere/sub/templates/api/x.html', 'app/templates/dup.html', 'templates/dup.html'];
    assert.equal(resolveTemplate(paths, 'hc/front/views.py', 'front/checks.html'), 'templates/front/checks.html');
    assert.equal(resolveTemplate(paths, 'hc/front/views.py', 'api/x.html'), 'hc/api/templates/api/x.html');
    assert.equal(resolveTemplate(paths, 'app/views.py', 'dup.html'), undefined);
    assert.equal(resolveTemplate(paths, 'hc/front/views.py', 'missing.html'), undefined);
    assert.equal(resolveTemplate(paths, 'hc/front/views.py', '../x.html'), undefined);
  });
});

describe('Django view renders', () => {
  it('reads the template name and the plain names of a literal context, and where each name is assigned', () => {
    const py = 'def v(request):\n    q = Check.objects.filter(a=1)\n    q = q.order_by("x")\n    checks = list(q)\n    ctx = {"q": q, "n": 1}\n    ctx["checks"] = checks\n    return render(request, "front/x.html", ctx)\n';
    const [r] = readDjangoRenders(py);
    assert.equal(r.template, 'front/x.html');
    assert.equal(r.functionName, 'v');
    assert.deepEqual(r.context.map((c) => [c.key, c.name, c.assigned?.map((o) => py.slice(o, o + 8))]), [['q', 'q', ['Check.ob', 'q.order_']], ['checks', 'checks', ['Check.ob', 'q.order_']]]);
  });

  it('gives up on contexts it cannot read whole', () => {
    assert.equal(readDjangoRenders('def v(request):\n    ctx = {"a": a}\n    ctx.update(extra)\n    return render(request, "x.html", ctx)\n').length, 0);
    assert.equal(readDjangoRenders('def v(request):\n    return render(request, name, {"a": a})\n').length, 0);
    const [r] = readDjangoRenders('def v(request):\n    for a in b:\n        pass\n    return render(request, "x.html", {"a": a})\n');
    assert.equal(r.context[0].assigned, undefined);
  });
});
