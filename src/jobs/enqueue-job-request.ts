import { enqueueJob, type EnqueueJobResult, type SqlSession } from "../store/index.js";
import type { JobKind, JobPayloads, JobRequest, JobRequestOf } from "./job-request.js";

/**
 * The one way Slipway queues work: a request made by a constructor of `job-request.ts`, whose
 * kind decides the payload's type, so the jobs it supersedes come back with that type too.
 */
export async function enqueueJobRequest<Kind extends JobKind>(db: SqlSession, request: JobRequestOf<Kind>): Promise<EnqueueJobResult<JobPayloads[Kind]>> {
  return enqueueJob(db, {
    kind: request.kind,
    key: request.key,
    payload: request.payload,
    supersedeQueued: request.supersedeQueued,
    ...(request.dedupeKey ? { dedupeKey: request.dedupeKey } : {}),
    ...(request.maxAttempts ? { maxAttempts: request.maxAttempts } : {}),
  });
}

/** Queues a job from inside another, and wakes the worker for it. */
export function enqueueFollowUp(db: SqlSession, wake: () => void): (job: JobRequest) => Promise<void> {
  return async (job) => {
    await enqueueJobRequest(db, job);
    wake();
  };
}
