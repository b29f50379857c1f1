import knexFactory from "knex";

const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });

// A query builder call: Perf Auditor reads it as the SQL it runs (hover over it in the editor).
export async function findUserByName(name: string) {
  return knex("users").where({ name }).select("id", "email").first();
}
