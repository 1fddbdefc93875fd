import type { GitHubClient } from "../github/github-client.js";
import type { Logger } from "pino";
import { UnauthorizedError, UnavailableError } from "../cluster/cluster-error.js";
import type { ClusterConnection } from "../cluster/create-cluster-connections.js";
import type { ClusterAlias } from "../config/parse-clusters-file.js";
import type { EnvironmentConfig, RepoConfig } from "../core/config/repo-config-schema.js";
import { renderDeployFailureComment } from "../core/deploy/render-deploy-failure-comment.js";
import { summarizeDeploy } from "../core/deploy/summarize-deploy.js";
import { deployStatusContext } from "../core/report/check-names.js";
import { createDeployment, setCommitStatus, setDeploymentStatus, type DeploymentState } from "../github/deployments.js";
import { createIssueComment } from "../github/issue-comments.js";
import { findMergedPullRequest } from "../github/pull-requests.js";
import { readRepository } from "../github/repositories.js";
import type { SchemaRegistryLookup } from "../schemas/create-schema-registry-cache.js";
import type { WorkPool } from "../work/create-work-pool.js";
import {
  clearEnvironmentPin,
  getEnvironmentLock,
  getEnvironmentPin,
  insertDeployment,
  listDeployments,
  listLatestSuccessfulDeployments,
  setEnvironmentPin,
  updateDeployment,
  type JobLease,
  type JobOutcome,
  type SqlSession,
} from "../store/index.js";
import { deployCommit, type DeployCommitOutcome } from "./deploy-commit.js";
import { checkDeployReview } from "./check-deploy-review.js";
import { reviewRequirementOf } from "../core/review/review-requirement.js";
import { environmentKey } from "./environment-key.js";
import type { DeployEnvironmentPayload } from "./job-request.js";
import { repoConfigPath } from "./read-repo-config.js";
import { readTrustedConfig } from "./read-trusted-config.js";
import type { RepoLimits } from "../config/clamp-repo-limits.js";

export interface DeployEnvironmentDeps {
  octokit: GitHubClient;
  log: Logger;
  db: SqlSession;
  clusters: readonly ClusterAlias[] | undefined;
  connect: ((alias: string) => ClusterConnection) | undefined;
  schemas: (version: string | undefined) => Promise<SchemaRegistryLookup>;
  /** Loads and validates off the main thread, within budgets. */
  work: WorkPool;
  /** The server's caps on what `validation.limits` may raise. */
  limitMaximums: RepoLimits;
  /** This run is the job's n-th attempt (waits and outages count). */
  attempt: number;
  /** The job's lease: once it is lost the deploy stops before its next write (cluster, store or GitHub). */
  lease: JobLease;
}

/** Slipway pins an environment itself after an automatic rollback, holding back the commit that failed. */
const automaticPinner = "slipway";
const lockWaitMs = 10_000;
const needsWaitMs = 2_000;
const maxOutageAttempts = 5;

/**
 * Deploys one environment at one commit, and records it on GitHub and in the store:
 * 1. read the trusted config (the default branch's, never the commit's own): the environment must
 *    be in it, and it alone says where and how the commit deploys; a rollback's commit must be one
 *    this environment ran successfully before;
 * 1b. a deploy (not a rollback) must meet the environment's review requirement, unless a
 *    maintainer's /deploy overrides it: a commit that does not is recorded as not deployed, saying why;
 * 2. a pin holds the environment: a /rollback pin holds every new commit until the merge of the
 *    revert pull request Slipway opened for it (which lifts it) or a maintainer's /unlock; an automatic-rollback pin
 *    holds only the commit that failed, and the next commit lifts it;
 * 3. wait while another pull request holds the lock, and until the environments it needs are
 *    healthy at the same commit (or give up if one of them failed there);
 * 4. deploy (apply, prune, health), with the Deployment in progress meanwhile;
 * 5. record the outcome: deployment status, commit status, history;
 * 6. on failure with rollbackOnFailure, re-deploy the last good commit, pin the environment to it,
 *    and tell the merged pull request.
 * A replica that loses the job's lease meanwhile (another took the job over) stops before its next
 * write: history and pins carry the lease's fence, GitHub writes follow a check of it.
 */
export async function runDeployEnvironment(payload: DeployEnvironmentPayload, deps: DeployEnvironmentDeps): Promise<JobOutcome> {
  const { octokit, db, log, lease } = deps;
  const { owner, repo, sha, deploymentId } = payload;
  const key = environmentKey(owner, repo, payload.environment);
  const short = sha.slice(0, 7);
  // The commit on GitHub is where its statuses and checks are: the deployment's "details" link.
  const repository = await readRepository(octokit, { owner, repo });
  const logUrl = `${repository.htmlUrl}/commit/${sha}`;
  const record = (state: DeploymentState, description: string, environmentUrl?: string) =>
    recordStatus(octokit, lease, { ...payload, logUrl }, state, description, environmentUrl);

  // 1.
  const trusted = await readTrustedConfig(octokit, { owner, repo, defaultBranch: repository.defaultBranch });
  const environment = trusted.status === "trusted" ? trusted.config.environments.find((e) => e.name === payload.environment) : undefined;
  if (trusted.status !== "trusted" || !environment) {
    await record("error", `${payload.environment} is not an environment of ${repoConfigPath} on ${repository.defaultBranch}`);
    return { status: "done" };
  }
  const config = trusted.config;
  const branch = environment.branch ?? repository.defaultBranch;
  if (payload.kind === "rollback" && !(await listLatestSuccessfulDeployments(db, key, { limit: 100 })).some((d) => d.sha === sha)) {
    await record("error", `Refused: ${short} never deployed successfully to ${payload.environment}`);
    return { status: "done" };
  }

  // 1b.
  const override = payload.reviewOverride;
  const review =
    payload.kind === "deploy" && !override
      ? await checkDeployReview(octokit, {
          owner,
          repo,
          sha,
          branch,
          requirement: reviewRequirementOf(environment),
          pushedBy: payload.requestedBy,
          trustedSha: trusted.sha,
        })
      : undefined;
  if (review?.status === "unmet") {
    const blocked = await insertDeployment(
      db,
      {
        environmentKey: key,
        sha,
        kind: "deploy",
        status: "failed",
        requestedBy: payload.requestedBy,
        githubDeploymentId: deploymentId,
        details: { blocked: review.reason },
      },
      lease,
    );
    await updateDeployment(db, blocked.id, { finished: true }, lease);
    await record("error", `Not deployed: ${review.reason}. A maintainer's /deploy ${payload.environment} overrides`);
    return { status: "done" };
  }
  const overridden = override ? ` (review overridden by @${override.by} on #${override.pullNumber})` : "";

  // 2.
  const pin = await getEnvironmentPin(db, key);
  if (pin && payload.kind === "deploy") {
    const liftedByRevert = pin.revertPullNumber !== null && (await mergesPullRequest(deps, payload, pin.revertPullNumber, branch));
    if (!liftedByRevert && (pin.pinnedBy !== automaticPinner || pin.failedSha === sha)) {
      await record(
        "inactive",
        `Held: ${payload.environment} is pinned to ${pin.sha.slice(0, 7)}${pin.pinnedBy && pin.pinnedBy !== automaticPinner ? ` by ${pin.pinnedBy}` : ""}`,
      );
      return { status: "done" };
    }
    await clearEnvironmentPin(db, key, lease);
    log.info(
      { environment: payload.environment, sha, pinned: pin.sha },
      liftedByRevert ? "The merged revert pull request lifts the pin" : "A new commit lifts the automatic-rollback pin",
    );
  }

  // 3.
  const lock = await getEnvironmentLock(db, key);
  if (lock && payload.kind === "deploy") {
    if (deps.attempt === 1) await record("queued", `Waiting: ${payload.environment} is locked by ${lock.holder}`);
    return { status: "retry", reason: `locked by ${lock.holder}`, afterMs: lockWaitMs };
  }
  for (const need of payload.waitFor) {
    const [latest] = (await listDeployments(db, environmentKey(owner, repo, need), { limit: 20 })).filter((d) => d.sha === sha);
    if (latest?.status === "succeeded") continue;
    if (latest?.status === "failed" || latest?.status === "superseded") {
      await record("failure", `Not deployed: ${need} failed at ${short}`);
      return { status: "done" };
    }
    if (deps.attempt === 1) await record("queued", `Waiting for ${need} to be healthy at ${short}`);
    return { status: "retry", reason: `waiting for ${need}`, afterMs: needsWaitMs };
  }

  // 4. A run of this deploy that a crash interrupted left its history row in progress.
  for (const interrupted of (await listDeployments(db, key, { limit: 20 })).filter(
    (d) => d.githubDeploymentId === deploymentId && d.status === "in_progress",
  )) {
    await updateDeployment(db, interrupted.id, { status: "failed", finished: true, details: { message: "interrupted; the deploy ran again" } }, lease);
  }
  const history = await insertDeployment(
    db,
    {
      environmentKey: key,
      sha,
      kind: payload.kind,
      status: "in_progress",
      requestedBy: payload.requestedBy,
      githubDeploymentId: deploymentId,
      details: {
        ...(payload.fromSha ? { fromSha: payload.fromSha } : {}),
        ...(override ? { reviewOverride: override } : {}),
        ...(review?.status === "met" ? { review: review.summary } : {}),
      },
    },
    lease,
  );
  await record("in_progress", payload.kind === "rollback" ? `Rolling back to ${short}` : `Deploying ${short}${overridden}`, environment.url);
  let outcome: DeployCommitOutcome;
  try {
    outcome = await deployCommit({
      octokit,
      owner,
      repo,
      sha,
      config,
      environment,
      clusters: deps.clusters,
      connect: deps.connect,
      schemas: deps.schemas,
      work: deps.work,
      limitMaximums: deps.limitMaximums,
      signal: lease.signal,
    });
  } catch (error) {
    if (!(error instanceof UnavailableError) && !(error instanceof UnauthorizedError)) throw error;
    const final = deps.attempt >= maxOutageAttempts;
    await updateDeployment(
      db,
      history.id,
      { status: final ? "failed" : "pending", finished: final ? true : undefined, details: { outage: error.status } },
      lease,
    );
    if (!final) return { status: "retry", reason: `cluster ${environment.cluster} did not answer`, afterMs: 5_000 * deps.attempt };
    await record("error", `Cluster ${environment.cluster} did not answer after ${deps.attempt} attempts`);
    return { status: "done" };
  }

  // 5.
  const { succeeded, message } = readOutcome(outcome);
  await updateDeployment(db, history.id, { status: succeeded ? "succeeded" : "failed", finished: true, details: { message } }, lease);
  await record(succeeded ? "success" : "failure", `${message}${overridden}`, environment.url);
  if (succeeded || payload.kind !== "deploy") return { status: "done" };

  // 6.
  if (environment.rollbackOnFailure) await rollBackAutomatically({ payload, deps, config, environment, branch, htmlUrl: repository.htmlUrl, failure: message });
  else await tellMergedPullRequest(deps, payload, branch, renderDeployFailureComment({ sha, environment: environment.name, failure: message }));
  return { status: "done" };
}

/** Whether a deploy (or an automatic rollback) succeeded, and the sentence its history and status carry. */
function readOutcome(outcome: DeployCommitOutcome): { succeeded: boolean; message: string } {
  if (outcome.status === "refused") return { succeeded: false, message: `Refused: ${outcome.reason}` };
  const { result } = outcome;
  return { succeeded: result.status === "succeeded", message: result.status === "failed" ? result.reason : summarizeDeploy(result).headline };
}

// GitHub knows nothing of leases: check the lease right before writing, so a replica that lost
// the job does not post a status after the one that took it over.
async function recordStatus(
  octokit: GitHubClient,
  lease: JobLease,
  payload: { owner: string; repo: string; sha: string; environment: string; deploymentId: number; logUrl: string },
  state: DeploymentState,
  description: string,
  environmentUrl?: string,
): Promise<void> {
  const { owner, repo, sha } = payload;
  await lease.assertHeld();
  await setDeploymentStatus(octokit, { owner, repo, deploymentId: payload.deploymentId, state, description, logUrl: payload.logUrl, environmentUrl });
  const commitState = state === "success" ? "success" : state === "failure" ? "failure" : state === "error" || state === "inactive" ? "error" : "pending";
  await setCommitStatus(octokit, { owner, repo, sha, context: deployStatusContext(payload.environment), state: commitState, description });
}

async function rollBackAutomatically(params: {
  payload: DeployEnvironmentPayload;
  deps: DeployEnvironmentDeps;
  config: RepoConfig;
  environment: EnvironmentConfig;
  branch: string;
  htmlUrl: string;
  failure: string;
}): Promise<void> {
  const { payload, deps, config, environment, branch } = params;
  const { owner, repo, sha } = payload;
  const key = environmentKey(owner, repo, environment.name);
  const [lastGood] = (await listLatestSuccessfulDeployments(deps.db, key, { limit: 5 })).filter((d) => d.sha !== sha);
  if (!lastGood) {
    await tellMergedPullRequest(
      deps,
      payload,
      branch,
      renderDeployFailureComment({ sha, environment: environment.name, failure: params.failure, rollback: { status: "nothing-to-roll-back" } }),
    );
    return;
  }
  const good = lastGood.sha;
  const { lease } = deps;
  await lease.assertHeld();
  const deploymentId = await createDeployment(deps.octokit, {
    owner,
    repo,
    sha: good,
    environment: environment.name,
    description: `Automatic rollback of ${sha.slice(0, 7)} to ${good.slice(0, 7)}`,
    payload: { slipway: { environment: environment.name, rollbackOf: sha, automatic: true } },
    productionEnvironment: environment.protected,
  });
  const logUrl = `${params.htmlUrl}/commit/${good}`;
  const rollback = { ...payload, sha: good, deploymentId, logUrl };
  await setEnvironmentPin(
    deps.db,
    { environmentKey: key, sha: good, reason: `automatic rollback of ${sha}`, pinnedBy: automaticPinner, failedSha: sha },
    lease,
  );
  const history = await insertDeployment(
    deps.db,
    {
      environmentKey: key,
      sha: good,
      kind: "rollback",
      status: "in_progress",
      requestedBy: automaticPinner,
      githubDeploymentId: deploymentId,
      details: { rollbackOf: sha },
    },
    lease,
  );
  await recordStatus(deps.octokit, lease, rollback, "in_progress", `Automatic rollback of ${sha.slice(0, 7)}`, environment.url);
  const outcome = await deployCommit({
    octokit: deps.octokit,
    owner,
    repo,
    sha: good,
    config,
    environment,
    clusters: deps.clusters,
    connect: deps.connect,
    schemas: deps.schemas,
    work: deps.work,
    limitMaximums: deps.limitMaximums,
    signal: lease.signal,
  });
  const { succeeded, message } = readOutcome(outcome);
  await updateDeployment(deps.db, history.id, { status: succeeded ? "succeeded" : "failed", finished: true, details: { message } }, lease);
  await recordStatus(deps.octokit, lease, rollback, succeeded ? "success" : "failure", `Automatic rollback of ${sha.slice(0, 7)}: ${message}`, environment.url);
  await tellMergedPullRequest(
    deps,
    payload,
    branch,
    renderDeployFailureComment({
      sha,
      environment: environment.name,
      failure: params.failure,
      rollback: { status: succeeded ? "rolled-back" : "failed", sha: good, message },
    }),
  );
}

async function tellMergedPullRequest(deps: DeployEnvironmentDeps, payload: DeployEnvironmentPayload, branch: string, body: string): Promise<void> {
  const { owner, repo, sha } = payload;
  const merged = await findMergedPullRequest(deps.octokit, { owner, repo, sha, base: branch });
  if (merged === undefined) return;
  await deps.lease.assertHeld();
  await createIssueComment(deps.octokit, { owner, repo, issueNumber: merged.number }, body);
}

/**
 * Whether the commit being deployed is the merge of the revert pull request Slipway opened for the
 * pin (recorded with it); a branch that merely looks like a rollback branch lifts nothing.
 */
async function mergesPullRequest(deps: DeployEnvironmentDeps, payload: DeployEnvironmentPayload, revertPullNumber: number, branch: string): Promise<boolean> {
  const { owner, repo, sha } = payload;
  const merged = await findMergedPullRequest(deps.octokit, { owner, repo, sha, base: branch });
  return merged?.number === revertPullNumber;
}
