/**
 * What a commit must have gone through before it deploys to an environment:
 * - `approved`: merged from a pull request approved on its final head;
 * - `approved-by-codeowners`: the same, with an approval from an owner of each changed path;
 * - `none`: any push deploys.
 */
export const reviewRequirements = ["approved", "approved-by-codeowners", "none"] as const;

export type ReviewRequirement = (typeof reviewRequirements)[number];

/** The requirement an environment sets, or its default: `approved` when protected, else `none`. */
export function reviewRequirementOf(environment: { protected?: boolean; requireReview?: ReviewRequirement }): ReviewRequirement {
  return environment.requireReview ?? (environment.protected ? "approved" : "none");
}
