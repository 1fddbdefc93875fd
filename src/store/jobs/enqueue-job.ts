import type { SqlSession } from "../database.js";
import type { Job, JobPayload } from "./job.js";
import { toJob, type JobRow } from "./to-job.js";

export interface EnqueueJobInput<Payload extends object = JobPayload> {
  kind: string;
  key: string;
  payload?: Payload;
  /** Older jobs of the same kind and key still waiting in the queue are dropped in favour of this one. */
  supersedeQueued?: boolean;
  /** While a queued job carries the same value, enqueueing again returns it instead of a new job. */
  dedupeKey?: string;
  maxAttempts?: number;
  /** Earliest start, relative to the database clock. */
  delayMs?: number;
}

/** A waiting job of the same kind and key that the new one replaced, so its payload is of the same type. */
export interface SupersededJob<Payload extends object = JobPayload> {
  id: number;
  payload: Payload;
}

export type EnqueueJobResult<Payload extends object = JobPayload> =
  { status: "enqueued"; job: Job; superseded: Array<SupersededJob<Payload>> } | { status: "duplicate"; job: Job };

/**
 * Adds a job to the durable queue. Superseded jobs are returned so the caller can tell
 * GitHub (e.g. mark their deployments inactive, "superseded by <sha>").
 */
export async function enqueueJob<Payload extends object = JobPayload>(db: SqlSession, input: EnqueueJobInput<Payload>): Promise<EnqueueJobResult<Payload>> {
  return db.transaction(async (tx) => {
    // Enqueues for one key take turns, so two at once cannot both survive a supersede.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('slipway:enqueue:' || $1, 0))`, [input.key]);

    // A claim may take the queued duplicate between our insert and our read; then insert again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await tx.query<JobRow>(
        `INSERT INTO jobs (kind, key, payload, max_attempts, run_after, dedupe)
         VALUES ($1, $2, $3, $4, now() + $5::double precision * interval '1 millisecond', $6)
         ON CONFLICT (dedupe) WHERE status = 'queued' AND dedupe IS NOT NULL DO NOTHING
         RETURNING *`,
        [input.kind, input.key, input.payload ?? {}, input.maxAttempts ?? 5, input.delayMs ?? 0, input.dedupeKey ?? null],
      );
      const row = inserted[0];
      if (row) {
        const job = toJob(row);
        const superseded = input.supersedeQueued ? await supersedeOlder<Payload>(tx, job) : [];
        return { status: "enqueued", job, superseded };
      }
      const existing = await tx.query<JobRow>(`SELECT * FROM jobs WHERE dedupe = $1 AND status = 'queued'`, [input.dedupeKey ?? null]);
      if (existing[0]) return { status: "duplicate", job: toJob(existing[0]) };
    }
    throw new Error(`Could not enqueue job ${input.kind} for ${input.key}: its dedupe key kept changing hands.`);
  });
}

async function supersedeOlder<Payload extends object>(tx: SqlSession, job: Job): Promise<Array<SupersededJob<Payload>>> {
  const rows = await tx.query<{ id: number | string; payload: Payload }>(
    `UPDATE jobs
        SET status = 'superseded', last_error = 'superseded by job ' || $3::bigint, updated_at = now()
      WHERE kind = $1 AND key = $2 AND status = 'queued' AND id < $3
      RETURNING id, payload`,
    [job.kind, job.key, job.id],
  );
  return rows.map((row) => ({ id: Number(row.id), payload: row.payload })).sort((a, b) => a.id - b.id);
}
