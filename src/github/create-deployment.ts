import type { ProbotOctokit } from "probot";
import { truncate } from "../core/text.js";

/**
 * A GitHub Deployment for one environment at one commit. Checks were the merge's gate already,
 * so `required_contexts` is empty; `auto_merge` is off because Slipway deploys exactly the SHA.
 */
export async function createDeployment(
  octokit: ProbotOctokit,
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
