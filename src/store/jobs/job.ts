export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "superseded";

export type JobPayload = Record<string, unknown>;

/**
 * Each job kind with the type of its payload, e.g. `{ "deploy-environment": DeployPayload }`. The
 * queue stores any kind; a caller that names its kinds gets jobs whose payload follows from the kind.
 */
export type JobKinds = Record<string, object>;

/** Any kind, any JSON object: the queue as the store alone knows it. */
export type AnyJobKinds = Record<string, JobPayload>;

/** What every job has, whatever its kind. */
export interface JobState {
  id: number;
  /** e.g. `pr:owner/repo#12` or `env:owner/repo/production`. */
  key: string;
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

/** A job of one kind, with that kind's payload. */
export type JobOf<Kinds extends JobKinds, Kind extends keyof Kinds & string> = JobState & { kind: Kind; payload: Kinds[Kind] };

/** A unit of queued work, of any of `Kinds`. `key` serializes jobs: one runs at a time per key, in order. */
export type Job<Kinds extends JobKinds = AnyJobKinds, Kind extends keyof Kinds & string = keyof Kinds & string> = { [K in Kind]: JobOf<Kinds, K> }[Kind];
