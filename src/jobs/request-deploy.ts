import type { CommandReply } from "../core/commands/render-command-reply.js";
import { deployStatusContext } from "../core/report/check-names.js";
import { createDeployment, setCommitStatus, setDeploymentStatus } from "../github/deployments.js";
import type { GitHubClient } from "../github/github-client.js";
import { readBranchHead, readRepository } from "../github/repositories.js";
import { deployEnvironmentJob, type JobRequest } from "./job-request.js";
import type { DeployRequest } from "./run-comment-command.js";

export interface RequestDeployDeps {
  octokit: GitHubClient;
  enqueue: (job: JobRequest) => Promise<void>;
}

/**
 * `/deploy [environment]` (authorized before: maintain by default; the request carries the trusted config):
 * 1. take the head of the environment's branch (as the trusted config names it) now;
 * 2. record a GitHub Deployment and a pending commit status that name who overrode the review
 *    requirement, and queue the deploy through the same pipeline, with the override (who, when,
 *    where) in its payload: the deploy skips the review check and records the override.
 */
export async function requestDeploy(request: DeployRequest, deps: RequestDeployDeps): Promise<CommandReply> {
  const { payload, config } = request;
  const { owner, repo, author } = payload;
  const environment = config.environments.find((e) => e.name === request.environment);
  if (!environment) return { kind: "unknown-environment", command: "deploy", given: request.environment, environments: config.environments.map((e) => e.name) };

  // 1.
  const branch = environment.branch ?? (await readRepository(deps.octokit, { owner, repo })).defaultBranch;
  const sha = await readBranchHead(deps.octokit, { owner, repo, branch });

  // 2.
  const override = { by: author, at: payload.commentedAt, pullNumber: payload.pullNumber };
  const description = `Deploy ${sha.slice(0, 7)} to ${environment.name}, review overridden by @${author} on #${payload.pullNumber}`;
  const deploymentId = await createDeployment(deps.octokit, {
    owner,
    repo,
    sha,
    environment: environment.name,
    description,
    payload: { slipway: { environment: environment.name, branch, reviewOverride: override } },
    productionEnvironment: environment.protected,
  });
  await setDeploymentStatus(deps.octokit, { owner, repo, deploymentId, state: "queued", description, environmentUrl: environment.url });
  await setCommitStatus(deps.octokit, { owner, repo, sha, context: deployStatusContext(environment.name), state: "pending", description });
  await deps.enqueue(
    deployEnvironmentJob({
      installationId: payload.installationId,
      owner,
      repo,
      environment: environment.name,
      sha,
      deploymentId,
      waitFor: [],
      kind: "deploy",
      requestedBy: author,
      reviewOverride: override,
    }),
  );
  return { kind: "deploy-queued", environment: environment.name, sha, branch, requestedBy: author };
}
