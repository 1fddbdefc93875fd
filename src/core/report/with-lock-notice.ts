import type { CheckOutput } from "./render-validation-check.js";

/**
 * A plan check for an environment another pull request holds: the plan is still shown, but the
 * check fails and says who holds the lock and how it ends.
 */
export function withLockNotice(check: CheckOutput, environment: string, holder: string): CheckOutput {
  return {
    ...check,
    conclusion: "failure",
    title: `Locked by ${holder}: ${check.title}`.slice(0, 1000),
    summary: `**\`${environment}\` is locked by ${holder}.** Nothing else deploys to it until \`/unlock ${environment}\` on ${holder}, or until ${holder} merges or closes.\n\n${check.summary}`.slice(0, 65_535),
  };
}
