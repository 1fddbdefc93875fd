import type { SqlSession } from "../database.js";
import type { AnyJobKinds, Job, JobKinds } from "./job.js";
import { toJob, type JobRow } from "./to-job.js";

/**
 * Fails the running jobs whose lease expired on their last attempt (their replica died, again and
 * again), and returns them so the caller can say so where people look. Each row comes back to
 * exactly one caller, however many replicas sweep at once.
 */
export async function failAbandonedJobs<Kinds extends JobKinds = AnyJobKinds>(db: SqlSession): Promise<Array<Job<Kinds>>> {
  const rows = await db.query<JobRow<Kinds>>(
    `UPDATE jobs
        SET status = 'failed', lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
            last_error = 'lease expired after the last attempt (owner ' || coalesce(lease_owner, '?') || ')'
      WHERE status = 'running' AND lease_expires_at <= now() AND attempts >= max_attempts
      RETURNING *`,
  );
  return rows.map((row) => toJob(row));
}
