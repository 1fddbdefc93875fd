import type { SqlSession } from "../database.js";
import type { JobFence } from "./job-lease.js";

/**
 * Extends a running job's lease; false when this claim no longer holds it: the job was taken over
 * (its fencing token moved on), finished, or its lease expired before this renewal came (a replica
 * stalled or cut off that long must assume another may have started the job).
 */
export async function renewLease(db: SqlSession, fence: JobFence, leaseMs: number): Promise<boolean> {
  const rows = await db.query(
    `UPDATE jobs
        SET lease_expires_at = now() + $3::double precision * interval '1 millisecond', updated_at = now()
      WHERE id = $1 AND fencing_token = $2 AND status = 'running' AND lease_expires_at > now()
      RETURNING id`,
    [fence.jobId, fence.fencingToken, leaseMs],
  );
  return rows.length === 1;
}
