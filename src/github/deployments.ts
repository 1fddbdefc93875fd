import { truncate } from "../core/text.js";
import type { GitHubClient } from "./github-client.js";

/**
 * A GitHub Deployment for one environment at one commit. Checks were the merge's gate already,
 * so `required_contexts` is empty; `auto_merge` is off because Slipway deploys exactly the SHA.
 */
export async function createDeployment(
  octokit: GitHubClient,
  params: {
    owner: string;
    repo: string;
    sha: string;
    environment: string;
    description: string;
    payload: Record<string, unknown>;
    productionEnvironment?: boolean;
  },
): Promise<number> {
  const { data } = await octokit.rest.repos.createDeployment({
    owner: params.owner,
    repo: params.repo,
    ref: params.sha,
    environment: params.environment,
    description: truncate(params.description, maxDescriptionLength),
    payload: params.payload,
    required_contexts: [],
    auto_merge: false,
    ...(params.productionEnvironment !== undefined ? { production_environment: params.productionEnvironment } : {}),
  });
  if (!("id" in data)) throw new Error(`GitHub did not create a deployment for ${params.environment} at ${params.sha}: ${data.message ?? "no reason given"}`);
  return data.id;
}

/** GitHub keeps 140 characters of a description. */
export const maxDescriptionLength = 140;

export type DeploymentState = "queued" | "in_progress" | "success" | "failure" | "error" | "inactive";

/** Moves a GitHub Deployment to its next state, with where to read more. */
export async function setDeploymentStatus(
  octokit: GitHubClient,
  params: {
    owner: string;
    repo: string;
    deploymentId: number;
    state: DeploymentState;
    description: string;
    logUrl?: string | undefined;
    environmentUrl?: string | undefined;
  },
): Promise<void> {
  await octokit.rest.repos.createDeploymentStatus({
    owner: params.owner,
    repo: params.repo,
    deployment_id: params.deploymentId,
    state: params.state,
    description: truncate(params.description, maxDescriptionLength),
    ...(params.logUrl ? { log_url: params.logUrl } : {}),
    ...(params.environmentUrl ? { environment_url: params.environmentUrl } : {}),
    // Slipway marks superseded deployments itself, with the reason.
    auto_inactive: params.state === "success",
  });
}

/** A commit status; one context per environment, so environments never overwrite each other. */
export async function setCommitStatus(
  octokit: GitHubClient,
  params: {
    owner: string;
    repo: string;
    sha: string;
    context: string;
    state: "pending" | "success" | "failure" | "error";
    description: string;
    targetUrl?: string | undefined;
  },
): Promise<void> {
  await octokit.rest.repos.createCommitStatus({
    owner: params.owner,
    repo: params.repo,
    sha: params.sha,
    context: params.context,
    state: params.state,
    description: truncate(params.description, maxDescriptionLength),
    ...(params.targetUrl ? { target_url: params.targetUrl } : {}),
  });
}
