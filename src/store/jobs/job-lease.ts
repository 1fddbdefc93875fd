/** Which claim of which job a write belongs to: the store refuses it once the job was claimed again. */
export interface JobFence {
  jobId: number;
  /** Grows by one on every claim of the job. */
  fencingToken: number;
}

/**
 * A worker's hold on a running job. The job stops before its next write once the lease is lost:
 * cluster writes watch `signal`; store writes that finish the job carry the fence; other writes
 * (GitHub statuses, comments) call `assertHeld()` right before them.
 */
export interface JobLease extends JobFence {
  /** Aborted, with a LeaseLostError, once this worker may no longer hold the job. */
  readonly signal: AbortSignal;
  /** Resolves when the store confirms the lease is still this claim's; else aborts `signal` and rejects with its reason. */
  assertHeld(): Promise<void>;
}
