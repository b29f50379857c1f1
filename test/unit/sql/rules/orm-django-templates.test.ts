/** n-plus-one-query on Django templates: a view's queryset walked by a template loop that reads a relation it does not load. */
import { ruleTests } from '../../../helpers/rule-tester.js';

const MODELS = `from django.db import models


class Project(models.Model):
    name = models.CharField(max_length=100)


class Tag(models.Model):
    name = models.CharField(max_length=20)


class Check(models.Model):
    project = models.ForeignKey(Project, models.CASCADE)
    name = models.CharField(max_length=100)
    tags = models.ManyToManyField(Tag)


class Ping(models.Model):
    owner = models.ForeignKey(Check, models.CASCADE)
    n = models.IntegerField(null=True)


class Flip(models.Model):
    owner = models.ForeignKey(Check, models.CASCADE, related_name="flips")
`;
const VIEW = (chain: string, ctx = '{"checks": checks}'): string => `from django.shortcuts import render


def checks(request, project):
    checks = ${chain}
    return render(request, "front/checks.html", ${ctx})
`;
const LOOP = (body: string): string => `{% extends "base.html" %}\n{% block content %}\n{% for check in checks %}\n  <td>${body}</td>\n{% endfor %}\n{% endblock %}\n`;
const ws = (view: string, tpl: string, extra: Record<string, string> = {}): Record<string, string> => ({ 'hc/api/models.py': MODELS, 'hc/front/views.py': view, 'templates/front/checks.html': tpl, ...extra });
const PLAIN = 'Check.objects.filter(project=project)';

ruleTests('n-plus-one-query', {
  valid: [
    { name: 'a plain field', files: ws(VIEW(PLAIN), LOOP('{{ check.name }}')) },
    { name: 'the foreign key column (no query)', files: ws(VIEW(PLAIN), LOOP('{{ check.project_id }}')) },
    { name: 'select_related loads it', files: ws(VIEW('Check.objects.filter(project=project).select_related("project")'), LOOP('{{ check.project.name }}')) },
    { name: 'select_related() with no arguments', files: ws(VIEW('Check.objects.select_related().filter(project=project)'), LOOP('{{ check.project.name }}')) },
    { name: 'a deeper select_related covers the first step', files: ws(VIEW('Check.objects.select_related("project__owner")'), LOOP('{{ check.project.name }}')) },
    { name: 'prefetch_related loads the reverse relation', files: ws(VIEW('Check.objects.prefetch_related("ping_set")'), LOOP('{% for p in check.ping_set.all %}{{ p.n }}{% endfor %}')) },
    { name: 'values() rows are dicts', files: ws(VIEW('Check.objects.values("name", "project")'), LOOP('{{ check.project }}')) },
    { name: 'a filter on the loop item itself: unknown', files: ws(VIEW(PLAIN), LOOP('{{ check|project_name }}')) },
    { name: 'a context built elsewhere', files: ws(VIEW(PLAIN, 'build_ctx(checks)'), LOOP('{{ check.project.name }}')) },
    { name: 'the name is rebound to something else before the render', files: ws('def checks(request, project):\n    checks = Check.objects.filter(project=project)\n    for checks in groups:\n        pass\n    return render(request, "front/checks.html", {"checks": checks})\n', LOOP('{{ check.project.name }}')) },
    { name: 'the template is not in the workspace', files: { 'hc/api/models.py': MODELS, 'hc/front/views.py': VIEW(PLAIN) } },
    { name: 'the read is in {% empty %}', files: ws(VIEW(PLAIN), '{% for check in checks %}{{ check.name }}{% empty %}{{ check.project.name }}{% endfor %}') },
    { name: 'a comment block', files: ws(VIEW(PLAIN), LOOP('{% comment %}{{ check.project.name }}{% endcomment %}')) },
    { name: 'a custom manager of the models file that loads relations', files: ws(VIEW(PLAIN), LOOP('{{ check.project.name }}'), { 'hc/api/models.py': MODELS.replace('    name = models.CharField(max_length=100)\n    tags', '    name = models.CharField(max_length=100)\n    objects = CheckManager()\n    tags').replace('class Check(', 'class CheckManager(models.Manager):\n    def get_queryset(self):\n        return super().get_queryset().select_related("project")\n\n\nclass Check(') }) },
    { name: 'test code is not judged', files: { 'hc/api/models.py': MODELS, 'hc/front/tests/test_views.py': VIEW(PLAIN), 'templates/front/checks.html': LOOP('{{ check.project.name }}') } },
    { name: 'a page of something else', files: ws('def checks(request, project):\n    qs = Check.objects.filter(project=project)\n    page = Paginator(other, 50).get_page(1)\n    return render(request, "front/checks.html", {"page": page, "qs": qs})\n', '{% for check in page %}{{ check.project.name }}{% endfor %}') },
    { name: 'a <model>_set accessor the related_name replaced (no query: the template reads nothing)', files: ws(VIEW(PLAIN), LOOP('{{ check.flip_set.count }}')) },
    { name: 'a single object (get) is not a list', files: ws(VIEW('Check.objects.get(pk=1)'), LOOP('{{ check.project.name }}')) },
  ],
  invalid: [
    {
      name: 'a foreign key printed per row, with the select_related fix',
      files: ws(VIEW(PLAIN), LOOP('{{ check.project.name }}')),
      errors: [{
        file: 'hc/front/views.py', line: 5, column: 14, endLine: 5, endColumn: 51, severity: 'warning',
        message: /^`\{\{ check\.project\.name \}\}` in front\/checks\.html:4 reads check\.project once per row of this Check queryset \(an N\+1 query: one SELECT … FROM api_project WHERE id = \$1 per check\)\. Add select_related\('project'\) to the queryset\.$/,
        data: { via: 'template', relation: 'project', kind: 'forward' },
        fixOutput: { 'hc/front/views.py': VIEW('Check.objects.select_related("project").filter(project=project)') },
      }],
    },
    {
      name: 'over several statements and a ctx dict; the reverse accessor iterated: prefetch_related',
      files: ws('def checks(request, project):\n    q = Check.objects.filter(project=project)\n    q = q.order_by("name")\n    ctx = {"page": "checks"}\n    ctx["checks"] = q\n    return render(request, "front/checks.html", ctx)\n', LOOP('{% for p in check.ping_set.all %}{{ p.n }}{% endfor %}')),
      errors: [{ file: 'hc/front/views.py', line: 3, column: 9, severity: 'warning', message: /^`\{% for p in check\.ping_set\.all %\}` in front\/checks\.html:4 loads check\.ping_set\.all once per row .*one SELECT … FROM api_ping WHERE owner_id = \$1 per check\)\. Add prefetch_related\('ping_set'\)/ }],
    },
    {
      name: 'a related_name count and a many-to-many in an if: one finding per relation',
      files: ws(VIEW(PLAIN), LOOP('{{ check.flips.count }} {% if check.tags.all %}t{% endif %} {{ check.flips.count }}')),
      errors: [
        { file: 'hc/front/views.py', line: 5, column: 14, message: /check\.flips\.count .*SELECT count\(\*\) FROM api_flip WHERE owner_id = \$1 per check.*prefetch_related\('flips'\)/ },
        { file: 'hc/front/views.py', line: 5, column: 14, message: /check\.tags\.all .*FROM api_tag INNER JOIN api_check_tags/ },
      ],
    },
    {
      name: 'a loaded relation walked one step further: the next relation it reads',
      files: ws(VIEW('Check.objects.select_related("project")'), LOOP('{{ check.project.owner.email }}'), { 'hc/api/models.py': MODELS.replace('class Project(models.Model):\n    name = models.CharField(max_length=100)\n', 'class Owner(models.Model):\n    email = models.CharField(max_length=100)\n\n\nclass Project(models.Model):\n    name = models.CharField(max_length=100)\n    owner = models.ForeignKey(Owner, models.CASCADE)\n') }),
      errors: [{ file: 'hc/front/views.py', line: 5, column: 14, message: /reads check\.project\.owner once per row .*FROM api_owner WHERE id = \$1 .*select_related\('project__owner'\)/ }],
    },
    {
      name: 'a page of a Paginator over the queryset, walked as page.object_list',
      files: ws('def checks(request, project):\n    qs = Check.objects.filter(project=project)\n    paginator = Paginator(qs, 50)\n    try:\n        page = paginator.page(request.GET.get("page"))\n    except EmptyPage:\n        page = paginator.page(1)\n    return render(request, "front/checks.html", {"page": page})\n', '{% for check in page.object_list %}{{ check.project }}{% endfor %}'),
      errors: [{ file: 'hc/front/views.py', line: 2, column: 10, message: /^`\{\{ check\.project \}\}` in front\/checks\.html:1 reads check\.project once per row/ }],
    },
    {
      name: 'a page made in place, walked as page',
      files: ws('def checks(request, project):\n    qs = Check.objects.filter(project=project)\n    page = Paginator(qs, 50).get_page(1)\n    return render(request, "front/checks.html", {"page": page})\n', '{% for check in page %}{{ check.project.name }}{% endfor %}'),
      errors: [{ file: 'hc/front/views.py', line: 2, column: 10, message: /reads check\.project once per row/ }],
    },
    {
      name: 'a list of the queryset, made from a name',
      files: ws('def checks(request, project):\n    q = Check.objects.filter(project=project)\n    checks = list(q)\n    return render(request, "front/checks.html", {"checks": checks})\n', LOOP('{{ check.project }}')),
      errors: [{ file: 'hc/front/views.py', line: 2, column: 9, message: /reads check\.project once per row/, fixOutput: { 'hc/front/views.py': 'def checks(request, project):\n    q = Check.objects.select_related("project").filter(project=project)\n    checks = list(q)\n    return render(request, "front/checks.html", {"checks": checks})\n' } }],
    },
    {
      name: 'a list made in place of a chain on a bound queryset (the healthchecks shape)',
      files: ws('def checks(request, project):\n    q = Check.objects.filter(project=project)\n    q = q.select_related("project")\n    checks = list(q.prefetch_related("channel_set"))\n    return render(request, "front/checks.html", {"checks": checks})\n', LOOP('{{ check.project.name }} {{ check.flips.count }}')),
      errors: [{ file: 'hc/front/views.py', line: 4, column: 19, message: /check\.flips\.count .*prefetch_related\('flips'\)/ }],
    },
    {
      name: 'admin code: info',
      files: { 'hc/api/models.py': MODELS, 'hc/front/admin.py': VIEW(PLAIN), 'templates/front/checks.html': LOOP('{{ check.project }}') },
      errors: [{ file: 'hc/front/admin.py', line: 5, column: 14, severity: 'info', message: /Info: the view is admin code/ }],
    },
    {
      name: 'a model manager defined elsewhere: info',
      files: ws(VIEW(PLAIN), LOOP('{{ check.project }}'), { 'hc/api/models.py': MODELS.replace('    name = models.CharField(max_length=100)\n    tags', '    name = models.CharField(max_length=100)\n    objects = CheckQuerySet.as_manager()\n    tags') }),
      errors: [{ file: 'hc/front/views.py', line: 5, column: 14, severity: 'info', message: /custom manager CheckQuerySet\.as_manager, defined elsewhere/ }],
    },
  ],
});
