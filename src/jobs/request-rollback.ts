import type { GitHubClient } from "../github/github-client.js";
import type { CommandReply, DeployedCommit } from "../core/commands/render-command-reply.js";
import { createDeployment, setDeploymentStatus } from "../github/deployments.js";
import { openRevertPullRequest } from "../github/open-revert-pull-request.js";
import { readRepository } from "../github/repositories.js";
import { listLatestSuccessfulDeployments, setEnvironmentPin, type SqlSession } from "../store/index.js";
import { environmentKey } from "./environment-key.js";
import { deployEnvironmentJob, type JobRequest } from "./job-request.js";
import type { RollbackRequest } from "./run-comment-command.js";

export interface RequestRollbackDeps {
  octokit: GitHubClient;
  db: SqlSession;
  enqueue: (job: JobRequest) => Promise<void>;
}

/** How far back `/rollback` looks for commits an environment ran successfully, and how many a refusal lists. */
const historyDepth = 200;
const listed = 5;

/**
 * `/rollback [environment] [to <sha>]` (the request carries the trusted config):
 * 1. find what runs now and the target: among the commits this environment ran successfully (its
 *    deployment history), the named one, or the last before the current one; any other commit (an
 *    unmerged branch, a fork's head) is refused with the list of those it may go back to;
 * 2. pin the environment to the target, so new merges do not silently deploy over it;
 * 3. queue the deploy of the target through the same pipeline, recorded as a rollback;
 * 4. open the revert pull request that makes Git match what runs, and record its number with the
 *    pin (merging that pull request, and no other, lifts the pin); when Git already matches, or the
 *    tree is too large to rewrite, the rollback stands without one.
 */
export async function requestRollback(request: RollbackRequest, deps: RequestRollbackDeps): Promise<CommandReply> {
  const { payload, config } = request;
  const { owner, repo, author } = payload;
  const environment = config.environments.find((e) => e.name === request.environment);
  if (!environment)
    return { kind: "unknown-environment", command: "rollback", given: request.environment, environments: config.environments.map((e) => e.name) };
  const key = environmentKey(owner, repo, environment.name);

  // 1.
  const succeeded = await listLatestSuccessfulDeployments(deps.db, key, { limit: historyDepth });
  const current = succeeded[0];
  let target: string | undefined;
  if (request.toSha) {
    const given = request.toSha.toLowerCase();
    const matches = new Set(succeeded.filter((d) => d.sha.startsWith(given)).map((d) => d.sha));
    if (matches.size !== 1) return { kind: "not-a-deployed-commit", environment: environment.name, sha: request.toSha, deployable: deployedCommits(succeeded) };
    target = [...matches][0];
  } else {
    target = succeeded.find((d) => current !== undefined && d.sha !== current.sha)?.sha;
  }
  if (!target || (current && target === current.sha)) return { kind: "nothing-to-roll-back", environment: environment.name };
  const fromSha = current?.sha;

  // 2.
  const pin = { environmentKey: key, sha: target, reason: `rollback${fromSha ? ` from ${fromSha}` : ""} asked on #${payload.pullNumber}`, pinnedBy: author };
  await setEnvironmentPin(deps.db, pin);

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
  const branch = environment.branch ?? (await readRepository(deps.octokit, { owner, repo })).defaultBranch;
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
  if (revertPullRequest !== undefined) await setEnvironmentPin(deps.db, { ...pin, revertPullNumber: revertPullRequest });
  return {
    kind: "rollback-started",
    environment: environment.name,
    toSha: target,
    ...(fromSha ? { fromSha } : {}),
    ...(revertPullRequest ? { revertPullRequest } : {}),
  };
}

/** The distinct commits an environment ran successfully, newest first, the first one running now. */
function deployedCommits(succeeded: ReadonlyArray<{ sha: string; startedAt: Date; finishedAt: Date | null }>): DeployedCommit[] {
  const seen = new Set<string>();
  const commits: DeployedCommit[] = [];
  for (const deployment of succeeded) {
    if (seen.has(deployment.sha)) continue;
    seen.add(deployment.sha);
    commits.push({ sha: deployment.sha, deployedAt: deployment.finishedAt ?? deployment.startedAt, current: commits.length === 0 });
    if (commits.length === listed) break;
  }
  return commits;
}
