import type { GitHubClient } from "../github/github-client.js";
import { checkReviewRequirement, type ReviewVerdict } from "../core/review/check-review-requirement.js";
import { parseCodeowners } from "../core/review/parse-codeowners.js";
import type { ReviewRequirement } from "../core/review/review-requirement.js";
import { findMergedPullRequest, listPullRequestFiles, listPullRequestReviews } from "../github/pull-requests.js";
import { readCodeowners, readDismissStaleReviews } from "../github/repositories.js";
import { isTeamMember } from "../github/teams.js";

/**
 * Whether a commit about to deploy meets its environment's review requirement:
 * 1. find the pull request it was merged from (none: a direct push);
 * 2. read that pull request's reviews and whether the branch dismisses stale approvals;
 * 3. for `approved-by-codeowners`, read CODEOWNERS from the trusted commit (the default branch's
 *    head), the pull request's files, and the membership of the teams it names among the approvers;
 * 4. decide (pure: `checkReviewRequirement`).
 */
export async function checkDeployReview(
  octokit: GitHubClient,
  params: { owner: string; repo: string; sha: string; branch: string; requirement: ReviewRequirement; pushedBy: string; trustedSha: string },
): Promise<ReviewVerdict> {
  const { owner, repo, requirement } = params;
  if (requirement === "none") return { status: "not-required" };

  // 1.
  const pull = await findMergedPullRequest(octokit, { owner, repo, sha: params.sha, base: params.branch });
  if (pull === undefined) return checkReviewRequirement({ requirement, pushedBy: params.pushedBy, pull, reviews: [], dismissStaleReviews: false });

  // 2.
  const [reviews, dismissStaleReviews] = await Promise.all([
    listPullRequestReviews(octokit, { owner, repo, pullNumber: pull.number }),
    readDismissStaleReviews(octokit, { owner, repo, branch: params.branch }),
  ]);

  // 3.
  let codeowners: Parameters<typeof checkReviewRequirement>[0]["codeowners"];
  if (requirement === "approved-by-codeowners") {
    const text = await readCodeowners(octokit, { owner, repo, ref: params.trustedSha });
    const rules = text === undefined ? undefined : parseCodeowners(text);
    const files = await listPullRequestFiles(octokit, { owner, repo, pullNumber: pull.number });
    const approvers = [...new Set(reviews.filter((r) => r.state === "APPROVED").map((r) => r.user.toLowerCase()))];
    const teams = [
      ...new Set(
        (rules ?? [])
          .flatMap((rule) => rule.owners)
          .filter((owner) => /^@[^/]+\/.+$/.test(owner))
          .map((owner) => owner.slice(1).toLowerCase()),
      ),
    ];
    const teamMembers = new Map<string, Set<string>>();
    for (const team of teams) {
      const members = new Set<string>();
      for (const login of approvers) if (await isTeamMember(octokit, { team, username: login })) members.add(login);
      teamMembers.set(team, members);
    }
    codeowners = { rules, changedFiles: files.complete ? files.files : undefined, teamMembers };
  }

  // 4.
  return checkReviewRequirement({ requirement, pushedBy: params.pushedBy, pull, reviews, dismissStaleReviews, ...(codeowners ? { codeowners } : {}) });
}
