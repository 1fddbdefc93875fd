import type { SqlSession } from "./database.js";

/**
 * Forgets delivery ids older than `olderThanMs` (by the database clock) and returns how many.
 * GitHub only redelivers on request, so a few days of ids is enough to catch duplicates.
 */
export async function pruneDeliveries(db: SqlSession, olderThanMs: number): Promise<number> {
  const rows = await db.query(`DELETE FROM webhook_deliveries WHERE received_at < now() - $1::double precision * interval '1 millisecond' RETURNING id`, [
    olderThanMs,
  ]);
  return rows.length;
}
