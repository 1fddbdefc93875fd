import type { ProbotOctokit } from "probot";

/** The commit a branch points at now. */
export async function readBranchHead(octokit: ProbotOctokit, params: { owner: string; repo: string; branch: string }): Promise<string> {
  const { data } = await octokit.rest.repos.getBranch(params);
  return data.commit.sha;
}
