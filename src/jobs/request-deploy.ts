import type { ProbotOctokit } from "probot";
import type { CommandReply } from "../core/commands/render-command-reply.js";
import { createDeployment } from "../github/create-deployment.js";
import { readBranchHead } from "../github/read-branch-head.js";
import { setCommitStatus } from "../github/set-commit-status.js";
import { setDeploymentStatus } from "../github/set-deployment-status.js";
import { deployEnvironmentJob, type JobRequest } from "./job-request.js";
import type { DeployRequest } from "./run-comment-command.js";
import { deployStatusContext } from "./run-route-push.js";

export interface RequestDeployDeps {
  octokit: ProbotOctokit;
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
  const branch = environment.branch ?? (await deps.octokit.rest.repos.get({ owner, repo })).data.default_branch;
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
