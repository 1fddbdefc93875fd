import type { SqlSession } from "../database.js";
import type { JobFence } from "./job-lease.js";
import { LeaseLostError } from "./lease-lost-error.js";

/**
 * Throws a LeaseLostError unless the job is still running under this claim with its lease
 * unexpired. Inside a transaction the row stays share-locked until it ends, so a takeover (which
 * updates the row) waits for the writes that follow, or makes this check fail.
 */
export async function assertLeaseHeld(db: SqlSession, fence: JobFence): Promise<void> {
  const rows = await db.query<{ held: boolean; fencing_token: number | string; status: string }>(
    `SELECT fencing_token, status, lease_expires_at > now() AS held
       FROM jobs
      WHERE id = $1
      FOR SHARE`,
    [fence.jobId],
  );
  const row = rows[0];
  if (!row) throw new LeaseLostError(`job ${fence.jobId} no longer exists`);
  if (Number(row.fencing_token) !== fence.fencingToken) {
    throw new LeaseLostError(`job ${fence.jobId} was taken over (claim ${row.fencing_token}, this one ${fence.fencingToken})`);
  }
  if (row.status !== "running") throw new LeaseLostError(`job ${fence.jobId} is ${row.status}, no longer running`);
  if (!row.held) throw new LeaseLostError(`the lease on job ${fence.jobId} expired`);
}
