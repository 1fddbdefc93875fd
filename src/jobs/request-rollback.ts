import type { ProbotOctokit } from "probot";
import type { CommandReply } from "../core/commands/render-command-reply.js";
import { createDeployment } from "../github/create-deployment.js";
import { openRevertPullRequest } from "../github/open-revert-pull-request.js";
import { setDeploymentStatus } from "../github/set-deployment-status.js";
import { listDeployments, listLatestSuccessfulDeployments, setEnvironmentPin, type SqlSession } from "../store/index.js";
import { environmentKey } from "./environment-key.js";
import { deployEnvironmentJob, type JobRequest } from "./job-request.js";
import type { RollbackRequest } from "./run-comment-command.js";

export interface RequestRollbackDeps {
  octokit: ProbotOctokit;
  db: SqlSession;
  enqueue: (job: JobRequest) => Promise<void>;
}

export type RollbackReply = CommandReply & { revertPullRequest?: number };

/**
 * `/rollback [environment] [to <sha>]`:
 * 1. find what runs now and the target: the named commit, or the last successful deploy before the current one;
 * 2. pin the environment to the target, so new merges do not silently deploy over it;
 * 3. queue the deploy of the target through the same pipeline, recorded as a rollback;
 * 4. open the revert pull request that makes Git match what runs (merging it lifts the pin); when
 *    Git already matches, or the tree is too large to rewrite, the rollback stands without one.
 */
export async function requestRollback(request: RollbackRequest, deps: RequestRollbackDeps): Promise<RollbackReply> {
  const { payload, config } = request;
  const { owner, repo, author } = payload;
  const environment = config.environments.find((e) => e.name === request.environment);
  if (!environment) return { kind: "unknown-environment", command: "rollback", given: request.environment, environments: config.environments.map((e) => e.name) };
  const key = environmentKey(owner, repo, environment.name);

  // 1.
  const [current] = await listLatestSuccessfulDeployments(deps.db, key, { limit: 1 });
  let target: string | undefined;
  if (request.toSha) {
    try {
      target = (await deps.octokit.rest.repos.getCommit({ owner, repo, ref: request.toSha })).data.sha;
    } catch (error) {
      if ((error as { status?: number }).status !== 404 && (error as { status?: number }).status !== 422) throw error;
      return { kind: "unknown-sha", environment: environment.name, sha: request.toSha };
    }
  } else {
    const history = await listDeployments(deps.db, key, { limit: 50 });
    target = history.find((d) => d.status === "succeeded" && current !== undefined && d.sha !== current.sha)?.sha;
  }
  if (!target || (current && target === current.sha)) return { kind: "nothing-to-roll-back", environment: environment.name };
  const fromSha = current?.sha;

  // 2.
  await setEnvironmentPin(deps.db, { environmentId: key, sha: target, reason: `rollback${fromSha ? ` from ${fromSha}` : ""} asked on #${payload.pullNumber}`, pinnedBy: author });

  // 3.
  const deploymentId = await createDeployment(deps.octokit, {
    owner,
    repo,
    sha: target,
    environment: environment.name,
    description: `Rollback to ${target.slice(0, 7)}, asked by ${author} on #${payload.pullNumber}`,
    payload: { slipway: { environment: environment.name, rollback: true, fromSha, requestedBy: author, pullRequest: payload.pullNumber } },
    productionEnvironment: environment.protected,
  });
  await setDeploymentStatus(deps.octokit, { owner, repo, deploymentId, state: "queued", description: "Rollback queued", environmentUrl: environment.url });
  await deps.enqueue(
    deployEnvironmentJob({
      installationId: payload.installationId,
      owner,
      repo,
      environment: environment.name,
      sha: target,
      deploymentId,
      waitFor: [],
      kind: "rollback",
      requestedBy: author,
      ...(fromSha ? { fromSha } : {}),
      pullNumber: payload.pullNumber,
    }),
  );

  // 4.
  const branch = environment.branch ?? (await deps.octokit.rest.repos.get({ owner, repo })).data.default_branch;
  const revert = await openRevertPullRequest(deps.octokit, {
    owner,
    repo,
    branch,
    environment: environment.name,
    path: environment.path,
    targetSha: target,
    fromSha: fromSha ?? target,
    requestedBy: author,
    body: `Asked in #${payload.pullNumber}.`,
  });
  const revertPullRequest = revert.status === "opened" || revert.status === "existing" ? revert.number : undefined;
  return { kind: "rollback-started", environment: environment.name, toSha: target, ...(fromSha ? { fromSha } : {}), ...(revertPullRequest ? { revertPullRequest } : {}) };
}
