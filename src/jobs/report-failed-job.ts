import type { Probot } from "probot";
import { ClusterError } from "../cluster/cluster-error.js";
import { checkNamePrefix, deployStatusContext, validateCheckName } from "../core/report/check-names.js";
import { markdownText } from "../core/markdown/markdown-text.js";
import { createFailedCheckRun, failUnfinishedCheckRuns } from "../github/check-runs.js";
import { setCommitStatus, setDeploymentStatus } from "../github/deployments.js";
import type { GitHubClient } from "../github/github-client.js";
import { readRepositoryFile } from "../github/repositories.js";
import type { JobFailure } from "../store/index.js";
import type { CheckHeadPayload, SlipwayJob } from "./job-request.js";
import { repoConfigPath } from "./read-repo-config.js";
import { httpStatus } from "../github/http-status.js";

/**
 * A job that failed for good ends visibly where people look: a check's unfinished check runs
 * complete as failures, a deploy's Deployment and commit status turn to error, each with one
 * sentence that says why.
 */
export async function reportFailedJob(job: SlipwayJob, failure: JobFailure, deps: { probot: Probot; appId: number }): Promise<void> {
  if (job.kind === "check-head") {
    const octokit = await deps.probot.auth(job.payload.installationId);
    // The check summary is Markdown; the sentence is shown as text.
    await failUnfinishedChecks(octokit, job.payload, deps.appId, markdownText(describeJobFailure(job, failure, "this commit")));
  } else if (job.kind === "deploy-environment") {
    const { installationId, owner, repo, sha, deploymentId, environment } = job.payload;
    const octokit = await deps.probot.auth(installationId);
    const description = describeJobFailure(job, failure, `deploying ${sha.slice(0, 7)}`);
    await setDeploymentStatus(octokit, { owner, repo, deploymentId, state: "error", description });
    await setCommitStatus(octokit, { owner, repo, sha, context: deployStatusContext(environment), state: "error", description });
  }
}

/**
 * Completes the App's unfinished check runs on the head as failures that say why; without any,
 * opens a failed `Slipway / validate` run, but only where the repository has a config (no noise).
 */
async function failUnfinishedChecks(octokit: GitHubClient, payload: CheckHeadPayload, appId: number, summary: string): Promise<void> {
  const { owner, repo, headSha } = payload;
  const output = { title: "Slipway could not finish this check", summary };
  if ((await failUnfinishedCheckRuns(octokit, { owner, repo, headSha, appId, namePrefix: checkNamePrefix }, output)) > 0) return;
  if ((await readRepositoryFile(octokit, { owner, repo, path: repoConfigPath, ref: headSha })) === undefined) return;
  await createFailedCheckRun(octokit, { owner, repo, headSha, name: validateCheckName }, output);
}

/** One sentence for people; never the raw error, which could echo a token or a Secret. */
function describeJobFailure(job: SlipwayJob, failure: JobFailure, subject: string): string {
  const status = httpStatus(failure.error);
  let cause: string;
  if (failure.error instanceof ClusterError) {
    cause = typeof status === "number" ? `the cluster kept answering HTTP ${status}` : "the cluster did not answer";
  } else if (status === 403 || status === 429) {
    cause = `GitHub kept refusing requests with HTTP ${status} (rate limited)`;
  } else if (typeof status === "number" && status >= 500) {
    cause = `GitHub kept answering HTTP ${status} (a GitHub outage)`;
  } else if (typeof status === "number") {
    cause = `GitHub answered HTTP ${status} to a request Slipway needed`;
  } else if (failure.error === undefined) {
    // Slipway's own words (a dead replica, a handler's reason), never user data.
    cause = failure.reason;
  } else {
    cause = "an unexpected error";
  }
  const attempts = `${job.attempts} attempt${job.attempts === 1 ? "" : "s"}`;
  return `Slipway gave up on ${subject} after ${attempts}: ${cause}. Re-run this check once that is resolved; the server log has the details under job ${job.id}.`;
}
