import { enqueueJob, type SqlSession } from "../store/index.js";
import type { JobRequest } from "./job-request.js";

/** Queues a job from inside another, and wakes the worker for it. */
export function enqueueFollowUp(db: SqlSession, wake: () => void): (job: JobRequest) => Promise<void> {
  return async (job) => {
    await enqueueJob(db, { kind: job.kind, key: job.key, payload: { ...job.payload }, supersedeQueued: job.supersedeQueued, ...(job.dedupeKey ? { dedupeKey: job.dedupeKey } : {}) });
    wake();
  };
}
