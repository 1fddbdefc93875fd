import type { ProbotOctokit } from "probot";
import { truncate } from "../core/text.js";
import { maxDescriptionLength } from "./create-deployment.js";

/** A commit status; one context per environment, so environments never overwrite each other. */
export async function setCommitStatus(
  octokit: ProbotOctokit,
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
