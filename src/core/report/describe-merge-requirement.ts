import { codeSpan } from "../markdown/code-span.js";
import type { ReviewRequirement } from "../review/review-requirement.js";

/** One line for the plan comment: what a merge must have gone through for the environment to deploy it. */
export function describeMergeRequirement(requirement: ReviewRequirement): string {
  const setting = codeSpan(`requireReview: ${requirement}`);
  switch (requirement) {
    case "none":
      return `**After merge:** deploys with no review check (${setting}).`;
    case "approved":
      return `**After merge:** deploys only if this pull request was approved on its final head, with no approval dismissed and no changes requested (${setting}).`;
    case "approved-by-codeowners":
      return `**After merge:** deploys only if a code owner of each changed path approved this pull request on its final head, with no approval dismissed and no changes requested (${setting}).`;
  }
}
