import { formatHolder } from "../commands/reply-formatters.js";
import { codeSpan } from "../markdown/code-span.js";
import type { CheckOutput } from "./render-validation-check.js";

/**
 * A plan check for an environment another pull request holds: the plan is still shown, but the
 * check fails and says who holds the lock and how it ends.
 */
export function withLockNotice(check: CheckOutput, environment: string, holder: string): CheckOutput {
  const shown = formatHolder(holder);
  return {
    ...check,
    conclusion: "failure",
    title: `Locked by ${holder}: ${check.title}`.slice(0, 1000),
    summary:
      `**${codeSpan(environment)} is locked by ${shown}.** Nothing else deploys to it until ${codeSpan(`/unlock ${environment}`)} on ${shown}, or until ${shown} merges or closes.\n\n${check.summary}`.slice(
        0,
        65_535,
      ),
  };
}
