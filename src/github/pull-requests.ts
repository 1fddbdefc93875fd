import type { PullRequestReview } from "../core/review/check-review-requirement.js";
import type { GitHubClient } from "./github-client.js";

/** A pull request as Slipway's jobs see it, read when the job runs. */
export interface PullRequestState {
  number: number;
  open: boolean;
  headSha: string;
  baseSha: string;
  baseRef: string;
  /** The repository's default branch, where the trusted configuration is read. */
  defaultBranch: string;
  author: string;
  /** The head lives in another repository than the base. */
  fromFork: boolean;
}

export async function readPullRequest(octokit: GitHubClient, params: { owner: string; repo: string; pullNumber: number }): Promise<PullRequestState> {
  const { data } = await octokit.rest.pulls.get({ owner: params.owner, repo: params.repo, pull_number: params.pullNumber });
  return {
    number: data.number,
    open: data.state === "open",
    headSha: data.head.sha,
    baseSha: data.base.sha,
    baseRef: data.base.ref,
    defaultBranch: data.base.repo.default_branch,
    author: data.user?.login ?? "",
    fromFork: data.head.repo?.full_name !== data.base.repo.full_name,
  };
}

/** Every open pull request's number and head. */
export async function listOpenPullRequests(
  octokit: GitHubClient,
  params: { owner: string; repo: string },
): Promise<Array<{ number: number; headSha: string }>> {
  const pulls = await octokit.paginate(octokit.rest.pulls.list, { owner: params.owner, repo: params.repo, state: "open", per_page: 100 });
  return pulls.map((pull) => ({ number: pull.number, headSha: pull.head.sha }));
}

/**
 * The pull request whose merge produced `sha`, among the most recently updated closed ones
 * (a merge is recent when its deploy runs), or undefined for a direct push.
 */
export async function findMergedPullRequest(
  octokit: GitHubClient,
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

/**
 * Paths a pull request changes (a rename counts for both names). GitHub lists at most 3,000
 * files; past that the caller must treat every environment as touched.
 */
export async function listPullRequestFiles(
  octokit: GitHubClient,
  params: { owner: string; repo: string; pullNumber: number },
): Promise<{ files: string[]; complete: boolean }> {
  const entries = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: params.owner,
    repo: params.repo,
    pull_number: params.pullNumber,
    per_page: 100,
  });
  const files = entries.flatMap((entry) => (entry.previous_filename ? [entry.filename, entry.previous_filename] : [entry.filename]));
  return { files, complete: entries.length < 3000 };
}

/** A pull request's submitted reviews, oldest first, with the head each was given on. */
export async function listPullRequestReviews(octokit: GitHubClient, params: { owner: string; repo: string; pullNumber: number }): Promise<PullRequestReview[]> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
    owner: params.owner,
    repo: params.repo,
    pull_number: params.pullNumber,
    per_page: 100,
  });
  return reviews.map((review) => ({ user: review.user?.login ?? "", state: review.state, commitId: review.commit_id ?? null }));
}
