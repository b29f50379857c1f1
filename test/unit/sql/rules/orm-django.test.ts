/** missing-index and n-plus-one-query on Django QuerySets, judged against the app's models.py; fixes in Meta.indexes. */
import { ruleTests } from '../../../helpers/rule-tester.js';

const MODELS = `from django.db import models


class Project(models.Model):
    name = models.CharField(max_length=100)
    api_key = models.CharField(max_length=128, unique=True)


class Check(models.Model):
    project = models.ForeignKey(Project, models.CASCADE)
    slug = models.CharField(max_length=100)
    status = models.CharField(max_length=6, choices=STATUSES)
    last_ping = models.DateTimeField(null=True)


class Ping(models.Model):
    owner = models.ForeignKey(Check, models.CASCADE)
    created = models.DateTimeField(default=now)
    n = models.IntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "n"], name="api_ping_owner_n"),
        ]
`;
const ws = (views: string, models = MODELS): Record<string, string> => ({ 'hc/api/models.py': models, 'hc/api/views.py': views });

ruleTests('missing-index', {
  valid: [
    { name: 'a ForeignKey filter: Django indexes foreign keys itself', files: ws('def pings(request, check):\n    return Check.objects.filter(project=check.project)\n') },
    { name: 'the foreign key leads a Meta index (owner, n)', files: ws('def recent(check):\n    return Ping.objects.filter(owner=check, n__gt=10)\n') },
    { name: 'a unique field', files: ws('def by_key(key):\n    return Project.objects.get(api_key=key)\n') },
    { name: 'a relation filter beside the foreign key path: reached through the indexed key', files: ws('def ping(key, slug):\n    return Check.objects.get(project__api_key=key, slug=slug)\n') },
    { name: 'a management command is a script, not a request', files: { 'hc/api/models.py': MODELS, 'hc/api/management/commands/prune.py': 'def handle():\n    Check.objects.filter(slug="x").delete()\n' } },
  ],
  invalid: [
    {
      name: 'a choices= field alone is an enum: info, not a warning',
      files: ws("def downs():\n    return Check.objects.filter(status='down')\n"),
      errors: [{ file: 'hc/api/views.py', line: 2, column: 33, severity: 'info', message: /status is an enum/ }],
    },
    {
      name: 'an unindexed field: models.Index in a new Meta (the model has none)',
      files: ws('def by_slug(slug):\n    return Check.objects.filter(slug=slug).first()\n'),
      errors: [{
        file: 'hc/api/views.py', line: 2, column: 33, severity: 'warning',
        message: /^No index on api_check\(slug\): .* \(Check\.first runs SELECT … FROM api_check WHERE slug = \$1 LIMIT 1\.\)$/,
        fixTitle: /^Add models\.Index\(fields=\['slug'\]\) to Check\.Meta\.indexes \(then run `python manage\.py makemigrations`\)$/,
        fixOutput: { 'hc/api/models.py': MODELS.replace("    last_ping = models.DateTimeField(null=True)\n", "    last_ping = models.DateTimeField(null=True)\n\n    class Meta:\n        indexes = [models.Index(fields=['slug'], name='check_slug_idx')]\n") },
      }],
    },
    {
      name: 'an existing Meta.indexes list gets the new index as an item',
      files: ws('def old_pings(check, since):\n    return Ping.objects.filter(created__lt=since)\n'),
      errors: [{
        file: 'hc/api/views.py', line: 2, column: 32,
        message: /\(Ping\.filter runs SELECT … FROM api_ping WHERE created < \$1\.\)$/,
        fixOutput: { 'hc/api/models.py': MODELS.replace('            models.Index(fields=["owner", "n"], name="api_ping_owner_n"),\n', '            models.Index(fields=["owner", "n"], name="api_ping_owner_n"),\n            models.Index(fields=[\'created\'], name=\'ping_created_idx\'),\n') },
      }],
    },
  ],
});

ruleTests('n-plus-one-query', {
  valid: [
    { name: 'a loop over a literal tuple', files: ws("def counts():\n    for s in ('up', 'down'):\n        Check.objects.filter(status=s).count()\n") },
  ],
  invalid: [
    {
      name: 'a query per item of a for loop, with the Django advice',
      files: ws('def last_pings(project):\n    checks = Check.objects.filter(project=project)\n    for check in checks:\n        check.last = Ping.objects.filter(owner=check).last()\n'),
      errors: [{ file: 'hc/api/views.py', line: 4, column: 22, severity: 'warning', message: /^Ping\.last runs once per item of the for loop \(an N\+1 query: one round trip per item, `SELECT … FROM api_ping WHERE owner_id = \$1 LIMIT 1` each time\)\. .*select_related\(\)/, data: { orm: 'django' } }],
    },
  ],
});
