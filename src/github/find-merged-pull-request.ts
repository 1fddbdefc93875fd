import type { ProbotOctokit } from "probot";

/**
 * The pull request whose merge produced `sha`, among the most recently updated closed ones
 * (a merge is recent when its deploy runs), or undefined for a direct push.
 */
export async function findMergedPullRequest(
  octokit: ProbotOctokit,
  params: { owner: string; repo: string; sha: string; base: string },
): Promise<number | undefined> {
  const { data } = await octokit.rest.pulls.list({
    owner: params.owner,
    repo: params.repo,
    state: "closed",
    base: params.base,
    sort: "updated",
    direction: "desc",
    per_page: 50,
  });
  return data.find((pull) => pull.merged_at && pull.merge_commit_sha === params.sha)?.number;
}
