/**
 * Django ORM: the model reader (django-models.ts: models.py → schema fragment + model names) and the
 * QuerySet extractor (django-queries.ts: application code → OrmQuery), split in two files for size.
 */
export { readDjangoModels, djangoAppLabel, type DjangoModelNames, type DjangoModelRead, type DjangoModelOptions } from './django-models.js';
export { extractDjangoQueries, scanDjangoQueries, type DjangoQuery, type DjangoQueryScan } from './django-queries.js';
