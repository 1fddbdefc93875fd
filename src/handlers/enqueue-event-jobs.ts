import { enqueueJob, recordDelivery, type SqlSession } from "../store/index.js";
import type { JobRequest } from "../jobs/job-request.js";

export type EnqueueEventOutcome =
  | { status: "duplicate-delivery" }
  | { status: "enqueued"; jobIds: number[]; supersededJobIds: number[] };

/**
 * Records the delivery id and queues its jobs in one transaction: a redelivered event runs once,
 * and a crash between the two leaves neither, so GitHub's redelivery still works.
 */
export async function enqueueEventJobs(
  db: SqlSession,
  delivery: { id: string; event: string },
  jobs: readonly JobRequest[],
): Promise<EnqueueEventOutcome> {
  return db.transaction(async (tx) => {
    if ((await recordDelivery(tx, delivery)) === "duplicate") return { status: "duplicate-delivery" };
    const jobIds: number[] = [];
    const supersededJobIds: number[] = [];
    for (const job of jobs) {
      const result = await enqueueJob(tx, {
        kind: job.kind,
        key: job.key,
        payload: { ...job.payload },
        dedupeKey: job.dedupeKey,
        supersedeQueued: job.supersedeQueued,
      });
      jobIds.push(result.job.id);
      if (result.status === "enqueued") for (const superseded of result.superseded) supersededJobIds.push(superseded.id);
    }
    return { status: "enqueued", jobIds, supersededJobIds };
  });
}
