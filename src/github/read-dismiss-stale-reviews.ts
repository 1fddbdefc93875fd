import type { ProbotOctokit } from "probot";

/**
 * Whether a branch's rulesets dismiss stale approvals when new commits are pushed (a rule an App
 * may read with metadata access). Classic branch protection is not readable without the
 * administration permission, so there it counts as not set; GitHub still marks the approvals it
 * dismisses as DISMISSED, which counts against them either way.
 */
export async function readDismissStaleReviews(octokit: ProbotOctokit, params: { owner: string; repo: string; branch: string }): Promise<boolean> {
  try {
    const rules = await octokit.paginate(octokit.rest.repos.getBranchRules, { owner: params.owner, repo: params.repo, branch: params.branch, per_page: 100 });
    return rules.some((rule) => rule.type === "pull_request" && rule.parameters?.dismiss_stale_reviews_on_push === true);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}
