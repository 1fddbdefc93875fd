import { ownersOf, type CodeownersRule } from "./parse-codeowners.js";
import type { ReviewRequirement } from "./review-requirement.js";

/** The pull request a commit was merged from, as GitHub says it was when it merged. */
export interface MergedPullRequest {
  number: number;
  /** Its final head: the commit that was merged. */
  headSha: string;
  author: string;
}

/** A submitted review, in the order GitHub lists them (oldest first). */
export interface PullRequestReview {
  user: string;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED (GitHub's states). */
  state: string;
  /** The head the review was given on. */
  commitId: string | null;
}

export interface CheckReviewRequirementParams {
  requirement: ReviewRequirement;
  /** Who pushed the commit (the push's pusher), named when there is no pull request. */
  pushedBy: string;
  /** The pull request the commit was merged from; undefined for a direct push. */
  pull: MergedPullRequest | undefined;
  reviews: readonly PullRequestReview[];
  /** The branch dismisses stale approvals on push: an approval given on an earlier head does not count. */
  dismissStaleReviews: boolean;
  /** For `approved-by-codeowners`: the default branch's CODEOWNERS (undefined: none), the pull request's files (undefined: too many to list), and the members of each team CODEOWNERS names (`org/team` to logins, lowercase). */
  codeowners?: {
    rules: readonly CodeownersRule[] | undefined;
    changedFiles: readonly string[] | undefined;
    teamMembers: ReadonlyMap<string, ReadonlySet<string>>;
  };
}

export type ReviewVerdict = { status: "not-required" } | { status: "met"; summary: string } | { status: "unmet"; reason: string };

/**
 * Whether a commit meets its environment's review requirement: merged from a pull request whose
 * approvals stand on its final head. Each reviewer counts by their latest approving, rejecting or
 * dismissed review (comments do not count; nor does the author); a dismissed approval does not
 * count, nor, when stale approvals are dismissed on push, one given on an earlier head; changes
 * requested by anyone fail it. `approved-by-codeowners` also needs, for each changed path with
 * owners, an approval from one of them (a user, or a member of a team).
 */
export function checkReviewRequirement(params: CheckReviewRequirementParams): ReviewVerdict {
  const { requirement, pull } = params;
  if (requirement === "none") return { status: "not-required" };
  if (pull === undefined) return { status: "unmet", reason: `pushed directly by @${params.pushedBy || "unknown"}, not through an approved pull request` };

  const latest = new Map<string, PullRequestReview>();
  for (const review of params.reviews) {
    const login = review.user.toLowerCase();
    if (login === pull.author.toLowerCase() || !["APPROVED", "CHANGES_REQUESTED", "DISMISSED"].includes(review.state)) continue;
    latest.set(login, review);
  }
  const reviews = [...latest.values()];
  const rejecting = reviews.filter((r) => r.state === "CHANGES_REQUESTED").map((r) => `@${r.user}`);
  if (rejecting.length > 0) return { status: "unmet", reason: `#${pull.number} was merged with changes requested by ${rejecting.join(", ")}` };
  const approvals = reviews.filter((r) => r.state === "APPROVED");
  const standing = approvals.filter((r) => !params.dismissStaleReviews || r.commitId === pull.headSha);
  if (standing.length === 0) {
    const dismissed = reviews.filter((r) => r.state === "DISMISSED").map((r) => `@${r.user}`);
    if (dismissed.length > 0) return { status: "unmet", reason: `#${pull.number}'s approval by ${dismissed.join(", ")} was dismissed` };
    if (approvals.length > 0) return { status: "unmet", reason: `#${pull.number} has no approval on its final head ${pull.headSha.slice(0, 7)}` };
    return { status: "unmet", reason: `#${pull.number} was merged without an approval` };
  }
  const approvers = standing.map((r) => r.user);

  if (requirement === "approved-by-codeowners") {
    const unowned = missingOwnerApproval(params, approvers);
    if (unowned !== undefined) return { status: "unmet", reason: `#${pull.number} ${unowned}` };
  }
  const by = approvers.map((login) => `@${login}`).join(", ");
  return { status: "met", summary: `#${pull.number} approved by ${by}${requirement === "approved-by-codeowners" ? " (code owners)" : ""}` };
}

/** Why the approvals miss a code owner, or undefined when every owned path has one. */
function missingOwnerApproval(params: CheckReviewRequirementParams, approvers: readonly string[]): string | undefined {
  const codeowners = params.codeowners;
  if (!codeowners?.rules) return "needs code owners' approval, but the default branch has no CODEOWNERS file";
  if (!codeowners.changedFiles) return "changes too many files to tell their code owners";
  const approving = new Set(approvers.map((login) => login.toLowerCase()));
  const isApprover = (owner: string) => {
    if (!owner.startsWith("@")) return false; // an email cannot be matched to a login
    const name = owner.slice(1).toLowerCase();
    if (!name.includes("/")) return approving.has(name);
    const members = codeowners.teamMembers.get(name);
    return members !== undefined && [...approving].some((login) => members.has(login));
  };
  for (const file of codeowners.changedFiles) {
    const owned = ownersOf(codeowners.rules, file);
    if (!owned || owned.owners.length === 0) continue;
    if (!owned.owners.some(isApprover)) return `has no approval from a code owner of ${file} (${owned.owners.join(", ")})`;
  }
  return undefined;
}
