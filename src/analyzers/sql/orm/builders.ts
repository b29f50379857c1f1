/** Query builders that name tables and columns directly (Kysely, knex): see builder-chain.ts, kysely.ts, knex.ts. */
export { extractKyselyQueries } from './kysely.js';
export { extractKnexQueries } from './knex.js';
export { readStringConstants, type BuilderOptions, type BuilderQuery, type BuilderSkip, type StringConstants } from './builder-chain.js';
