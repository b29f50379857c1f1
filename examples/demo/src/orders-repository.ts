import { Pool } from "pg";

const pool = new Pool({ max: 10, idleTimeoutMillis: 30_000 });

export async function recentOrdersForUser(userId: number) {
  const { rows } = await pool.query(
    `SELECT id, status, total_cents FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20`,
    [userId],
  );
  return rows;
}

export async function auditTrail(actorId: number) {
  // actor_id has no index: every call scans audit_log
  const { rows } = await pool.query("SELECT action, created_at FROM audit_log WHERE actor_id = $1", [actorId]);
  return rows;
}

export async function allProducts() {
  const { rows } = await pool.query("SELECT * FROM products");
  return rows;
}
