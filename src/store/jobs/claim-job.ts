import type { SqlSession } from "../database.js";
import type { AnyJobKinds, Job, JobKinds } from "./job.js";
import { toJob, type JobRow } from "./to-job.js";

export interface ClaimJobInput<Kinds extends JobKinds = AnyJobKinds> {
  /** Who runs the job; unique per worker (e.g. host, process id and a random part). */
  owner: string;
  leaseMs: number;
  /** Only claim jobs of these kinds; all kinds when omitted. */
  kinds?: ReadonlyArray<keyof Kinds & string>;
}

/**
 * Takes the next job to run, or null when none is runnable, and leases it to `owner`.
 *
 * Per key, jobs run one at a time and in order: a queued job is runnable only when it is
 * due, no job of its key is running, and no older job of its key is still queued (e.g. one
 * waiting out a retry backoff). A running job whose lease expired (its replica died) is
 * taken over and its attempt counted, or failed when it has used all its attempts. Every claim
 * moves the job's fencing token on, so the writes of an earlier claim are refused.
 * `FOR UPDATE SKIP LOCKED` lets claimers race without waiting on each other, and the
 * unique index on running keys backs the rule up.
 */
export async function claimJob<Kinds extends JobKinds = AnyJobKinds>(db: SqlSession, input: ClaimJobInput<Kinds>): Promise<Job<Kinds> | null> {
  const kinds = input.kinds ? [...input.kinds] : null;
  try {
    return await db.transaction(async (tx) => {
      await tx.query(
        `UPDATE jobs
            SET status = 'failed', lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
                last_error = 'lease expired after the last attempt (owner ' || coalesce(lease_owner, '?') || ')'
          WHERE status = 'running' AND lease_expires_at <= now() AND attempts >= max_attempts`,
      );
      const rows = await tx.query<JobRow<Kinds>>(
        `WITH candidate AS (
           SELECT j.id
             FROM jobs j
            WHERE ($1::text[] IS NULL OR j.kind = ANY($1::text[]))
              AND (
                (j.status = 'running' AND j.lease_expires_at <= now())
                OR (j.status = 'queued' AND j.run_after <= now()
                    AND NOT EXISTS (
                      SELECT 1 FROM jobs o
                       WHERE o.key = j.key
                         AND (o.status = 'running' OR (o.status = 'queued' AND o.id < j.id))))
              )
            ORDER BY j.id
            LIMIT 1
            FOR UPDATE SKIP LOCKED
         )
         UPDATE jobs
            SET status = 'running',
                lease_owner = $2,
                lease_expires_at = now() + $3::double precision * interval '1 millisecond',
                attempts = jobs.attempts + 1,
                fencing_token = jobs.fencing_token + 1,
                updated_at = now()
           FROM candidate
          WHERE jobs.id = candidate.id
         RETURNING jobs.*`,
        [kinds, input.owner, input.leaseMs],
      );
      return rows[0] ? toJob(rows[0]) : null;
    });
  } catch (error) {
    // Another claimer started the same key a moment earlier: nothing to claim this time.
    if (isUniqueViolation(error, "jobs_one_running_per_key")) return null;
    throw error;
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const { code, constraint: name } = error as { code?: string; constraint?: string };
  return code === "23505" && name === constraint;
}
