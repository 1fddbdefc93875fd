import { codeSpan } from "../markdown/code-span.js";
import { markdownText } from "../markdown/markdown-text.js";

export interface DeployFailureComment {
  /** The commit that failed to deploy. */
  sha: string;
  environment: string;
  /** Why it failed: may quote the cluster, so it is shown as text, never as Markdown. */
  failure: string;
  /**
   * What happened next: nothing (rollback on failure is off), no earlier good deploy, or the
   * automatic rollback to `sha` and how it ended.
   */
  rollback?: { status: "nothing-to-roll-back" } | { status: "rolled-back" | "failed"; sha: string; message: string };
}

/** The comment on the merged pull request whose deploy failed, and what Slipway did about it. */
export function renderDeployFailureComment(comment: DeployFailureComment): string {
  // A short hex SHA stays bare, so GitHub links it to the commit; anything else is code.
  const short = (sha: string) => (/^[0-9a-f]{7,64}$/i.test(sha) ? sha.slice(0, 7) : codeSpan(sha.slice(0, 7)));
  const environment = codeSpan(comment.environment);
  const lines = [`Deploying ${short(comment.sha)} to ${environment} failed: ${markdownText(comment.failure)}`];
  const rollback = comment.rollback;
  if (rollback?.status === "nothing-to-roll-back") lines.push("", "There is no earlier successful deploy to roll back to.");
  if (rollback?.status === "rolled-back") {
    lines.push(
      "",
      `Slipway rolled ${environment} back to ${short(rollback.sha)} (${markdownText(rollback.message)}) and pinned it there: ${short(comment.sha)} is not deployed again; the next commit to the branch deploys as usual.`,
    );
  }
  if (rollback?.status === "failed") {
    lines.push(
      "",
      `Slipway tried to roll ${environment} back to ${short(rollback.sha)}, and that failed too: ${markdownText(rollback.message)}. The environment needs a person.`,
    );
  }
  return lines.join("\n");
}
