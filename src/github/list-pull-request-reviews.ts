import type { ProbotOctokit } from "probot";
import type { PullRequestReview } from "../core/review/check-review-requirement.js";

/** A pull request's submitted reviews, oldest first, with the head each was given on. */
export async function listPullRequestReviews(
  octokit: ProbotOctokit,
  params: { owner: string; repo: string; pullNumber: number },
): Promise<PullRequestReview[]> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
    owner: params.owner,
    repo: params.repo,
    pull_number: params.pullNumber,
    per_page: 100,
  });
  return reviews.map((review) => ({ user: review.user?.login ?? "", state: review.state, commitId: review.commit_id ?? null }));
}
