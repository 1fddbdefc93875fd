import type { Job, JobPayload, JobStatus } from './job.js';

export interface JobRow {
  id: number | string;
  kind: string;
  key: string;
  payload: JobPayload;
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

export function toJob(row: JobRow): Job {
  return {
    id: Number(row.id),
    kind: row.kind,
    key: row.key,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAfter: row.run_after,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    fencingToken: Number(row.fencing_token),
    lastError: row.last_error,
    dedupe: row.dedupe,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
