import type { SqlSession } from "../database.js";
import { assertLeaseHeld } from "./assert-lease-held.js";
import type { JobFence, JobLease } from "./job-lease.js";
import { LeaseLostError } from "./lease-lost-error.js";

export interface CreateJobLeaseOptions {
  db: SqlSession;
  fence: JobFence;
  leaseMs: number;
  /** When the claim was sent (by `now`): the store's lease ends no earlier than a lease after it. */
  claimedAt: number;
  /** Extends the lease in the store; false when this claim no longer holds it. */
  renew: (fence: JobFence, leaseMs: number) => Promise<boolean>;
  /** Called once, when the lease is lost. */
  onLost: (error: LeaseLostError) => void;
  /** Called when a renewal failed but the lease still has time to be renewed. */
  onRenewalError: (error: unknown) => void;
  now?: () => number;
}

/** A lease the worker renews while the job runs; `release()` stops renewing when the job ends. */
export interface HeldJobLease extends JobLease {
  release(): void;
}

/**
 * Holds a just-claimed job: renews its lease every third of its length and aborts the signal as
 * soon as this replica can no longer be sure it holds the job:
 * - a renewal finds the job taken over, finished, or its lease already expired;
 * - renewals fail (the store is unreachable) until the next try would come after the lease ends;
 * - the replica stalled (a long synchronous task, a paused process) past the lease's end.
 * Times are measured from when each renewal was sent, so the local view never outlives the store's.
 */
export function createJobLease(options: CreateJobLeaseOptions): HeldJobLease {
  const { db, fence, leaseMs } = options;
  const now = options.now ?? Date.now;
  const controller = new AbortController();
  const intervalMs = Math.max(10, Math.floor(leaseMs / 3));
  let heldUntil = options.claimedAt + leaseMs;
  let renewing = false;
  // A renewal still on its way when the job ends says nothing about the job any more.
  let released = false;

  const lose = (reason: string): LeaseLostError => {
    if (controller.signal.aborted) return controller.signal.reason as LeaseLostError;
    const error = new LeaseLostError(reason);
    controller.abort(error);
    clearInterval(timer);
    options.onLost(error);
    return error;
  };
  const expired = () => now() >= heldUntil;

  const timer = setInterval(() => {
    if (controller.signal.aborted) return;
    // Checked even while a renewal hangs (a store that does not answer): the lease ends regardless.
    if (expired()) {
      lose(`the lease on job ${fence.jobId} ran out before it could be renewed (this replica stalled or the store did not answer)`);
      return;
    }
    if (renewing) return;
    const sentAt = now();
    renewing = true;
    options.renew(fence, leaseMs).then(
      (held) => {
        renewing = false;
        if (released) return;
        if (held) heldUntil = sentAt + leaseMs;
        else lose(`job ${fence.jobId} was taken over, finished, or its lease expired before it was renewed`);
      },
      (error: unknown) => {
        renewing = false;
        if (released) return;
        // The next try comes one interval later: after the lease's end, it would be too late.
        if (now() + intervalMs >= heldUntil) lose(`could not renew the lease on job ${fence.jobId}: ${error instanceof Error ? error.message : String(error)}`);
        else options.onRenewalError(error);
      },
    );
  }, intervalMs);

  return {
    ...fence,
    signal: controller.signal,
    async assertHeld() {
      controller.signal.throwIfAborted();
      if (expired()) throw lose(`the lease on job ${fence.jobId} ran out (this replica stalled or could not renew it)`);
      try {
        await assertLeaseHeld(db, fence);
      } catch (error) {
        if (error instanceof LeaseLostError) throw lose(error.message);
        throw error;
      }
    },
    release() {
      released = true;
      clearInterval(timer);
    },
  };
}
