import type { AnyJobKinds, Job, JobKinds, JobStatus } from "./job.js";

interface JobRowState {
  id: number | string;
  key: string;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_after: Date;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  fencing_token: number | string;
  last_error: string | null;
  dedupe: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * A row of `jobs`. Rows are trusted to hold the payload of their kind, as every row the store
 * reads is trusted to match its query's type: only `enqueueJob` writes them.
 */
export type JobRow<Kinds extends JobKinds = AnyJobKinds> = { [K in keyof Kinds & string]: JobRowState & { kind: K; payload: Kinds[K] } }[keyof Kinds & string];

export function toJob<Kinds extends JobKinds = AnyJobKinds>(row: JobRow<Kinds>): Job<Kinds> {
  // What is left is the kind with its payload, kept together so the payload's type follows the
  // kind; a column added to `jobs` must be named here, or it would land in the job as it is.
  const {
    id,
    key,
    status,
    attempts,
    max_attempts,
    run_after,
    lease_owner,
    lease_expires_at,
    fencing_token,
    last_error,
    dedupe,
    created_at,
    updated_at,
    ...kindAndPayload
  } = row;
  return {
    ...kindAndPayload,
    id: Number(id),
    key,
    status,
    attempts,
    maxAttempts: max_attempts,
    runAfter: run_after,
    leaseOwner: lease_owner,
    leaseExpiresAt: lease_expires_at,
    fencingToken: Number(fencing_token),
    lastError: last_error,
    dedupe,
    createdAt: created_at,
    updatedAt: updated_at,
  };
}
