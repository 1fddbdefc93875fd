import type { Probot, ProbotOctokit } from "probot";
import { ClusterError } from "../cluster/cluster-error.js";
import { readRepositoryFile } from "../github/read-repository-file.js";
import { setCommitStatus } from "../github/set-commit-status.js";
import { setDeploymentStatus } from "../github/set-deployment-status.js";
import { markdownText } from "../core/markdown/markdown-text.js";
import type { Job, JobFailure } from "../store/index.js";
import type { CheckHeadPayload, DeployEnvironmentPayload } from "./job-request.js";
import { repoConfigPath } from "./read-repo-config.js";
import { validateCheckName } from "./run-check-head.js";
import { deployStatusContext } from "./run-route-push.js";

type InstallationOctokit = ProbotOctokit;

/**
 * A job that failed for good ends visibly where people look: a check's unfinished check runs
 * complete as failures, a deploy's Deployment and commit status turn to error, each with one
 * sentence that says why.
 */
export async function reportFailedJob(job: Job, failure: JobFailure, deps: { probot: Probot; appId: number }): Promise<void> {
  if (job.kind === "check-head") {
    const payload = job.payload as unknown as CheckHeadPayload;
    const octokit = await deps.probot.auth(payload.installationId);
    // The check summary is Markdown; the sentence is shown as text.
    await failUnfinishedChecks(octokit, payload, deps.appId, markdownText(describeJobFailure(job, failure)));
  } else if (job.kind === "deploy-environment") {
    const payload = job.payload as unknown as DeployEnvironmentPayload;
    const octokit = await deps.probot.auth(payload.installationId);
    const { owner, repo, sha, deploymentId, environment } = payload;
    const description = describeJobFailure(job, failure).replace("on this commit", `on deploying ${sha.slice(0, 7)}`);
    await setDeploymentStatus(octokit, { owner, repo, deploymentId, state: "error", description });
    await setCommitStatus(octokit, { owner, repo, sha, context: deployStatusContext(environment), state: "error", description });
  }
}

/**
 * Completes the App's unfinished check runs on the head as failures that say why; without any,
 * opens a failed `Slipway / validate` run, but only where the repository has a config (no noise).
 */
async function failUnfinishedChecks(octokit: InstallationOctokit, payload: CheckHeadPayload, appId: number, summary: string): Promise<void> {
  const { owner, repo, headSha } = payload;
  const output = { title: "Slipway could not finish this check", summary };
  const done = { status: "completed" as const, conclusion: "failure" as const, completed_at: new Date().toISOString(), output };
  const { data } = await octokit.rest.checks.listForRef({ owner, repo, ref: headSha, app_id: appId, filter: "all", per_page: 100 });
  const unfinished = data.check_runs.filter((run) => run.status !== "completed" && run.name.startsWith("Slipway /"));
  for (const run of unfinished) await octokit.rest.checks.update({ owner, repo, check_run_id: run.id, ...done });
  if (unfinished.length > 0) return;
  if ((await readRepositoryFile(octokit, { owner, repo, path: repoConfigPath, ref: headSha })) === undefined) return;
  await octokit.rest.checks.create({ owner, repo, head_sha: headSha, name: validateCheckName, started_at: new Date().toISOString(), ...done });
}

/** One sentence for people; never the raw error, which could echo a token or a Secret. */
function describeJobFailure(job: Job, failure: JobFailure): string {
  const status = (failure.error as { status?: unknown } | undefined)?.status;
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
  return `Slipway gave up on this commit after ${attempts}: ${cause}. Re-run this check once that is resolved; the server log has the details under job ${job.id}.`;
}
