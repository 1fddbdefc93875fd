import { recordDelivery, recordPullRequestHead, type SqlSession } from "../store/index.js";
import { enqueueJobRequest } from "../jobs/enqueue-job-request.js";
import type { JobRequest } from "../jobs/job-request.js";

export type EnqueueEventOutcome = { status: "duplicate-delivery" } | { status: "enqueued"; jobIds: number[]; supersededJobIds: number[] };

/**
 * Records the delivery id and queues its jobs in one transaction: a redelivered event runs once,
 * and a crash between the two leaves neither, so GitHub's redelivery still works. A pull request
 * head is noted with the time GitHub gave it as it arrives, before any job runs: a `/plan` queued
 * earlier must already see that a head came after it.
 */
export async function enqueueEventJobs(db: SqlSession, delivery: { id: string; event: string }, jobs: readonly JobRequest[]): Promise<EnqueueEventOutcome> {
  return db.transaction(async (tx) => {
    if ((await recordDelivery(tx, delivery)) === "duplicate") return { status: "duplicate-delivery" };
    const jobIds: number[] = [];
    const supersededJobIds: number[] = [];
    for (const job of jobs) {
      if (job.kind === "check-head" && job.payload.pullNumber !== undefined && job.payload.headPushedAt !== undefined) {
        const pushedAt = new Date(job.payload.headPushedAt);
        if (!Number.isNaN(pushedAt.getTime())) {
          await recordPullRequestHead(tx, {
            repository: `${job.payload.owner}/${job.payload.repo}`,
            pullNumber: job.payload.pullNumber,
            headSha: job.payload.headSha,
            pushedAt,
          });
        }
      }
      const result = await enqueueJobRequest(tx, job);
      jobIds.push(result.job.id);
      if (result.status === "enqueued") for (const superseded of result.superseded) supersededJobIds.push(superseded.id);
    }
    return { status: "enqueued", jobIds, supersededJobIds };
  });
}
