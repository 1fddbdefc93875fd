import type { SqlSession } from "../database.js";
import type { JobFence } from "./job-lease.js";

export interface FailJobOptions {
  /** Requeue after this delay while attempts remain; null fails the job now. */
  retryAfterMs: number | null;
}

/** 'requeued' or 'failed'; false when this claim no longer holds the job (like `completeJob`). */
export type FailJobResult = "requeued" | "failed" | false;

/** Records a failed attempt: requeues with a delay until `max_attempts`, then fails the job with `error`. */
export async function failJob(db: SqlSession, fence: JobFence, error: string, options: FailJobOptions): Promise<FailJobResult> {
  const rows = await db.query<{ status: "queued" | "failed" }>(
    `UPDATE jobs
        SET status = CASE WHEN $4::double precision IS NOT NULL AND attempts < max_attempts THEN 'queued' ELSE 'failed' END,
            run_after = CASE WHEN $4::double precision IS NOT NULL AND attempts < max_attempts
                             THEN now() + $4::double precision * interval '1 millisecond' ELSE run_after END,
            lease_owner = NULL,
            lease_expires_at = NULL,
            last_error = $3,
            updated_at = now()
      WHERE id = $1 AND status = 'running' AND fencing_token = $2
      RETURNING status`,
    [fence.jobId, fence.fencingToken, error, options.retryAfterMs],
  );
  const row = rows[0];
  if (!row) return false;
  return row.status === "queued" ? "requeued" : "failed";
}
