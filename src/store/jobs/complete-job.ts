import type { SqlSession } from '../database.js';

/**
 * Marks a running job succeeded. Only the lease owner may: false when the job was taken
 * over after its lease expired, or is no longer running.
 */
export async function completeJob(db: SqlSession, id: number, owner: string): Promise<boolean> {
  const rows = await db.query(
    `UPDATE jobs
        SET status = 'succeeded', lease_expires_at = NULL, last_error = NULL, updated_at = now()
      WHERE id = $1 AND status = 'running' AND lease_owner = $2
      RETURNING id`,
    [id, owner],
  );
  return rows.length === 1;
}
