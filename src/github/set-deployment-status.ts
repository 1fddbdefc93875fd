import type { ProbotOctokit } from "probot";
import { truncate } from "../core/text.js";
import { maxDescriptionLength } from "./create-deployment.js";

export type DeploymentState = "queued" | "in_progress" | "success" | "failure" | "error" | "inactive";

/** Moves a GitHub Deployment to its next state, with where to read more. */
export async function setDeploymentStatus(
  octokit: ProbotOctokit,
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
