export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'superseded';

export type JobPayload = Record<string, unknown>;

/** A unit of queued work. `key` serializes jobs: one runs at a time per key, in order. */
export interface Job<Payload extends JobPayload = JobPayload> {
  id: number;
  kind: string;
  /** e.g. `pr:owner/repo#12` or `env:owner/repo/production`. */
  key: string;
  payload: Payload;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAfter: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  /** Grows by one on every claim; the writes of a claim carry it (JobFence). */
  fencingToken: number;
  lastError: string | null;
  dedupe: string | null;
  createdAt: Date;
  updatedAt: Date;
}
