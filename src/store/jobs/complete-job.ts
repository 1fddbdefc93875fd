import type { SqlSession } from "../database.js";
import type { JobFence } from "./job-lease.js";

/**
 * Marks a running job succeeded. Only its current claim may: false when the job was taken over
 * after its lease expired, or is no longer running.
 */
export async function completeJob(db: SqlSession, fence: JobFence): Promise<boolean> {
  const rows = await db.query(
    `UPDATE jobs
        SET status = 'succeeded', lease_expires_at = NULL, last_error = NULL, updated_at = now()
      WHERE id = $1 AND status = 'running' AND fencing_token = $2
      RETURNING id`,
    [fence.jobId, fence.fencingToken],
  );
  return rows.length === 1;
}
