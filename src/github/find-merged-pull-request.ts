import type { ProbotOctokit } from "probot";

/**
 * The pull request whose merge produced `sha`, among the most recently updated closed ones
 * (a merge is recent when its deploy runs), or undefined for a direct push.
 */
export async function findMergedPullRequest(
  octokit: ProbotOctokit,
  params: { owner: string; repo: string; sha: string; base: string },
): Promise<{ number: number; headRef: string; headSha: string; author: string } | undefined> {
  const { data } = await octokit.rest.pulls.list({
    owner: params.owner,
    repo: params.repo,
    state: "closed",
    base: params.base,
    sort: "updated",
    direction: "desc",
    per_page: 50,
  });
  const pull = data.find((candidate) => candidate.merged_at && candidate.merge_commit_sha === params.sha);
  return pull ? { number: pull.number, headRef: pull.head.ref, headSha: pull.head.sha, author: pull.user?.login ?? "" } : undefined;
}
