import { commandUsage } from "./command-usage.js";
import { describeRefusal, formatCommand, formatHolder, formatLogin, formatSha, quoteUserText, type Refusal } from "./reply-formatters.js";
import { codeSpan } from "../markdown/code-span.js";
import { commandNames, type CommandName, type SlipwayCommand } from "./slipway-command.js";

/**
 * Every reply Slipway posts to a command, as data. Fields named `given` hold what the commenter
 * typed and are only ever shown as a short quoted slice; the rest comes from the config or from
 * Slipway itself.
 */
export type CommandReply =
  /** `/slipway foo`: addressed to Slipway, so always answered. */
  | { kind: "unknown-command"; given: string; suggestion?: CommandName }
  /** `/rollbak`: a near miss of a short form (or of `/slipway`). */
  | { kind: "did-you-mean"; given: string; suggestion: CommandName | "slipway" }
  | {
      kind: "usage";
      command: CommandName;
      problem: "extra-arguments" | "missing-sha" | "sha-without-to";
      given?: string;
      suggestion?: SlipwayCommand;
      environments: readonly string[];
    }
  | { kind: "unknown-environment"; command: CommandName; given: string; environments: readonly string[] }
  | { kind: "invalid-sha"; given: string }
  | ({ kind: "refused" } & Refusal)
  | { kind: "environment-required"; command: CommandName; environments: readonly string[] }
  | { kind: "plan-queued"; environments: readonly string[]; headSha: string; fromFork?: boolean; requestedBy?: string }
  | { kind: "nothing-to-plan"; headSha: string }
  /** `revertPullRequest`: the pull request that makes Git match what runs; merging it lifts the pin. */
  | { kind: "rollback-started"; environment: string; toSha: string; fromSha?: string; revertPullRequest?: number }
  | { kind: "nothing-to-roll-back"; environment: string }
  /** `/deploy`: the branch head queued, its review requirement overridden by the commenter. */
  | { kind: "deploy-queued"; environment: string; sha: string; branch: string; requestedBy: string }
  /** `/rollback to <sha>` names a commit the environment never ran successfully: refused, with the ones it did. */
  | { kind: "not-a-deployed-commit"; environment: string; sha: string; deployable: readonly DeployedCommit[] }
  /** `/plan`: the head is not the one that existed when the comment was written, so it is not approved. */
  | { kind: "plan-head-moved"; headSha: string; reason: "pushed-after-comment" | "not-seen" }
  | { kind: "locked"; environment: string; holder: string }
  | { kind: "lock-held"; command: CommandName; environment: string; holder: string }
  | { kind: "unlocked"; environment: string; previousHolder?: string }
  | { kind: "not-locked"; environment: string }
  /** `/unlock` by a maintainer on a pinned environment: new commits deploy again. */
  | { kind: "unpinned"; environment: string; sha: string }
  | { kind: "error"; command: CommandName; reference?: string };

/** A commit an environment ran successfully, newest first: what `/rollback` may go back to. */
export interface DeployedCommit {
  sha: string;
  deployedAt: Date;
  /** What the environment runs now. */
  current: boolean;
}

/** A command reply as the Markdown of one issue comment. */
export function renderCommandReply(reply: CommandReply): string {
  switch (reply.kind) {
    case "unknown-command": {
      const guess = reply.suggestion === undefined ? "" : ` Did you mean \`/slipway ${reply.suggestion}\`?`;
      return [`Slipway has no command ${quoteUserText(reply.given)}.${guess}`, "", commandList()].join("\n");
    }
    case "did-you-mean":
      if (reply.suggestion === "slipway") {
        return `${quoteUserText(reply.given)} is not a Slipway command. Did you mean \`/slipway <command>\`? Comment \`/help\` for the list.`;
      }
      return `${quoteUserText(reply.given)} is not a Slipway command. Did you mean \`/${reply.suggestion}\`? Usage: \`${commandUsage[reply.suggestion].usage}\`.`;
    case "usage": {
      const first =
        reply.problem === "missing-sha"
          ? `\`/${reply.command}\` needs a commit SHA after \`to\`.`
          : reply.problem === "sha-without-to"
            ? `\`/${reply.command}\` takes a commit after the word \`to\`.`
            : `\`/${reply.command}\` did not expect ${reply.given === undefined ? "more arguments" : quoteUserText(reply.given)}.`;
      const guess = reply.suggestion === undefined ? "" : ` Did you mean ${codeSpan(formatCommand(reply.suggestion))}?`;
      return [`${first}${guess}`, "", `Usage: \`${commandUsage[reply.command].usage}\`. ${environmentsSentence(reply.environments)}`].join("\n");
    }
    case "unknown-environment":
      return `\`/${reply.command}\`: this repository has no environment ${quoteUserText(reply.given)}. ${environmentsSentence(reply.environments)}`;
    case "invalid-sha":
      return `\`/rollback\`: ${quoteUserText(reply.given)} is not a commit SHA. Write 7 to 40 hexadecimal characters, e.g. \`/rollback production to 3f9a2c1\`.`;
    case "refused":
      return describeRefusal(reply);
    case "environment-required":
      return `\`/${reply.command}\` needs an environment here: write \`/${reply.command} <environment>\`. ${environmentsSentence(reply.environments)}`;
    case "plan-queued": {
      const who = reply.requestedBy === undefined ? "" : ` (asked by ${formatLogin(reply.requestedBy)})`;
      const fork = reply.fromFork ? `This pull request comes from a fork; Slipway now plans it live${who}. ` : "";
      const what = reply.environments.length === 0 ? "every environment it touches" : list(reply.environments.map(codeSpan));
      return `${fork}Planning ${what} at ${formatSha(reply.headSha)} against the live cluster. The plan comment and the check runs update when it is done.`;
    }
    case "nothing-to-plan":
      return `This pull request touches no environment at ${formatSha(reply.headSha)}, so there is nothing to plan.`;
    case "rollback-started": {
      const from = reply.fromSha === undefined ? "" : ` from ${formatSha(reply.fromSha)}`;
      const started = `Rolling back ${codeSpan(reply.environment)}${from} to ${formatSha(reply.toSha)}. The environment is pinned to ${formatSha(reply.toSha)}, so pushes do not deploy over it until the pin is cleared; the deployment shows on the commit.`;
      if (reply.revertPullRequest === undefined) return started;
      return `${started}\n\nRevert pull request: #${reply.revertPullRequest}. Merging it makes the branch match what runs and lifts the pin.`;
    }
    case "nothing-to-roll-back":
      return `${codeSpan(reply.environment)} has no earlier successful deployment to roll back to. Name a commit: ${codeSpan(`/rollback ${reply.environment} to <sha>`)}.`;
    case "deploy-queued":
      return `Deploying ${formatSha(reply.sha)} (the head of ${codeSpan(reply.branch)}) to ${codeSpan(reply.environment)}, asked by ${formatLogin(reply.requestedBy)}: the environment's review requirement is overridden for this deploy, and the override is recorded on the deployment.`;
    case "not-a-deployed-commit": {
      const first = `\`/rollback\`: ${formatSha(reply.sha)} is not a commit ${codeSpan(reply.environment)} ran successfully, so Slipway does not roll back to it. A rollback goes back to a deploy that already passed review, merge and health checks there.`;
      if (reply.deployable.length === 0) return `${first}\n\n${codeSpan(reply.environment)} has no successful deployment yet.`;
      const rows = reply.deployable.map(
        (commit) => `- ${formatSha(commit.sha)} · deployed ${formatTime(commit.deployedAt)}${commit.current ? " · running now" : ""}`,
      );
      return [
        first,
        "",
        `The last commits ${codeSpan(reply.environment)} ran successfully:`,
        "",
        ...rows,
        "",
        `Roll back to one of them with ${codeSpan(`/rollback ${reply.environment} to <sha>`)}.`,
      ].join("\n");
    }
    case "plan-head-moved":
      return reply.reason === "pushed-after-comment"
        ? `This pull request's head is now ${formatSha(reply.headSha)}, pushed after the \`/plan\` comment was written, so Slipway did not plan it live: a live plan is for the head its approver saw. Comment \`/plan\` again to plan ${formatSha(reply.headSha)}.`
        : `Slipway has not yet seen ${formatSha(reply.headSha)} arrive on this pull request, so it cannot tell whether the \`/plan\` comment saw it, and did not plan it live. Comment \`/plan\` again to plan ${formatSha(reply.headSha)}.`;
    case "locked":
      return `${codeSpan(reply.environment)} is locked for ${formatHolder(reply.holder)}: nothing else deploys to it until ${codeSpan(`/unlock ${reply.environment}`)}.`;
    case "lock-held": {
      const where = /^#[0-9]+$/.test(reply.holder) ? ` on ${reply.holder}` : "";
      return `\`/${reply.command}\` on ${codeSpan(reply.environment)} cannot run now: the environment is locked by ${formatHolder(reply.holder)}. It is free again after ${codeSpan(`/unlock ${reply.environment}`)}${where}.`;
    }
    case "unlocked": {
      const was = reply.previousHolder === undefined ? "" : ` It was held by ${formatHolder(reply.previousHolder)}.`;
      return `${codeSpan(reply.environment)} is unlocked.${was}`;
    }
    case "unpinned":
      return `${codeSpan(reply.environment)} is no longer pinned to ${formatSha(reply.sha)}: the next commit to its branch deploys as usual.`;
    case "not-locked":
      return `${codeSpan(reply.environment)} was not locked; nothing changed.`;
    case "error": {
      const ref = reply.reference === undefined ? "" : ` If it fails again, give the operators this reference: ${quoteUserText(reply.reference, 64)}.`;
      return `Slipway could not finish \`/${reply.command}\` because of a problem on its side, which it logged. Try the command again.${ref}`;
    }
  }
}

function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function commandList(): string {
  const lines = commandNames.map((name) => `- \`${commandUsage[name].usage}\``);
  return ["Slipway's commands (`/slipway <command>` works too):", ...lines].join("\n");
}

function environmentsSentence(environments: readonly string[]): string {
  if (environments.length === 0) return "This repository's Slipway config names no environments.";
  return `Environments: ${environments.map(codeSpan).join(", ")}.`;
}

function list(items: readonly string[]): string {
  if (items.length <= 2) return items.join(" and ");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
