/**
 * SQLAlchemy: the model reader (sqlalchemy-models.ts: declarative classes, tables → schema fragment +
 * model names) and the query extractor (sqlalchemy-queries.ts on sqlalchemy-conditions.ts: Query and
 * select() calls → OrmQuery), split for size.
 */
export { readSqlalchemyModels, mayHaveSqlalchemyModels, flaskTableName, type SqlalchemyModelNames, type SqlalchemyModelRead, type SqlalchemyModelOptions } from './sqlalchemy-models.js';
export { extractSqlalchemyQueries, scanSqlalchemyQueries, mayHaveSqlalchemyQueries, type SqlalchemyQuery, type SqlalchemyQueryScan } from './sqlalchemy-queries.js';
