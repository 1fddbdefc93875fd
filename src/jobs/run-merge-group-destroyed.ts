import type { GitHubClient } from "../github/github-client.js";
import type { Logger } from "pino";
import { cancelUnfinishedCheckRuns } from "../github/check-runs.js";
import { cancelQueuedJobs, type SqlSession } from "../store/index.js";
import { headKey, type MergeGroupDestroyedPayload } from "./job-request.js";

export interface MergeGroupDestroyedDeps {
  octokit: GitHubClient;
  log: Logger;
  db: SqlSession;
  /** This App's id: only its own check runs are ended. */
  appId: number;
}

export interface MergeGroupDestroyedOutcome {
  cancelledJobs: number;
  cancelledCheckRuns: string[];
}

/**
 * A merge group left the queue (merged, dequeued, or invalidated by a group ahead of it): checking
 * its head is pointless now.
 * 1. drop the group's checks still waiting in the queue;
 * 2. end Slipway's check runs on its head that are still open as cancelled, saying why; a check
 *    running right now finishes its own runs.
 */
export async function runMergeGroupDestroyed(payload: MergeGroupDestroyedPayload, deps: MergeGroupDestroyedDeps): Promise<MergeGroupDestroyedOutcome> {
  const { owner, repo, headSha } = payload;
  const why = `the merge group left the queue (${payload.reason})`;
  // 1.
  const cancelledJobs = await cancelQueuedJobs(deps.db, { key: headKey(owner, repo, headSha), reason: why });
  // 2.
  const cancelledCheckRuns = await cancelUnfinishedCheckRuns(deps.octokit, {
    owner,
    repo,
    headSha,
    appId: deps.appId,
    summary: `Slipway stopped checking ${headSha.slice(0, 7)}: ${why}.`,
  });
  deps.log.info({ owner, repo, headSha, reason: payload.reason, cancelledJobs, cancelledCheckRuns }, "Merge group destroyed");
  return { cancelledJobs, cancelledCheckRuns };
}
