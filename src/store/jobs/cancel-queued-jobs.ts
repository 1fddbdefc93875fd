import type { SqlSession } from "../database.js";

/**
 * Drops the jobs of a key still waiting in the queue (first runs and retries alike), marked
 * superseded with the reason; a running one is left to its lease. Returns how many were dropped.
 */
export async function cancelQueuedJobs(db: SqlSession, params: { key: string; reason: string }): Promise<number> {
  const rows = await db.query<{ id: number | string }>(
    `UPDATE jobs SET status = 'superseded', last_error = $2, updated_at = now()
      WHERE key = $1 AND status = 'queued'
      RETURNING id`,
    [params.key, params.reason],
  );
  return rows.length;
}
