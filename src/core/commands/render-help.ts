import { codeSpan } from "../markdown/code-span.js";
import { tableCell } from "../markdown/table-cell.js";
import { commandUsage } from "./command-usage.js";
import { formatHolder, formatLogin, formatSha } from "./reply-formatters.js";
import type { RepositoryPermission } from "./repository-permission.js";
import { requiredPermission, type CommandConfig } from "./required-permission.js";
import { commandNames } from "./slipway-command.js";

/** What the store knows about one environment, passed in by the caller (the core reads no store). */
export interface EnvironmentStatus {
  environment: string;
  pinnedSha?: string;
  pinnedBy?: string;
  /** The lock holder, e.g. `#12`. */
  lockedBy?: string;
}

export interface RenderHelpParams {
  config: CommandConfig;
  statuses?: readonly EnvironmentStatus[];
}

/** The `/help` reply: the commands, who may run them under this repository's config, and each environment's pin and lock. */
export function renderHelp(params: RenderHelpParams): string {
  const { config } = params;
  const commandRows = commandNames.map(
    (name) => `| ${[codeSpan(commandUsage[name].usage), commandUsage[name].summary, whoMayRun(name, config)].map(tableCell).join(" | ")} |`,
  );
  const lines = [
    "### Slipway commands",
    "",
    "Write a command on the first line of a comment on this pull request (`/slipway <command>` works too). Slipway reacts to the comment when it reads the command and replies with the outcome. Commands in quotes or code blocks, and edited comments, do not run.",
    "",
    "| Command | What it does | Who may run it |",
    "| --- | --- | --- |",
    ...commandRows,
  ];
  if (config.environments.length > 0) {
    const statuses = new Map((params.statuses ?? []).map((status) => [status.environment, status]));
    lines.push("", "#### Environments", "", "| Environment | Protected | Pinned to | Locked by |", "| --- | --- | --- | --- |");
    for (const environment of config.environments) {
      const status = statuses.get(environment.name);
      const pinned =
        status?.pinnedSha === undefined ? "—" : `${formatSha(status.pinnedSha)}${status.pinnedBy === undefined ? "" : ` by ${formatLogin(status.pinnedBy)}`}`;
      const locked = status?.lockedBy === undefined ? "—" : formatHolder(status.lockedBy);
      const cells = [codeSpan(environment.name), environment.protected === true ? "yes" : "—", pinned, locked].map(tableCell);
      lines.push(`| ${cells.join(" | ")} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function whoMayRun(name: (typeof commandNames)[number], config: CommandConfig): string {
  if (name === "help") return "anyone";
  // With no environments to consider, the requirement is the configured one, not raised by any.
  const base = requiredPermission({ command: name, config: { ...config, environments: [] } });
  const raised = config.environments.filter(
    (environment) => requiredPermission({ command: name, config, environment: environment.name }).permission !== base.permission,
  );
  const text = describeLevel(base.permission);
  if (raised.length === 0) return text;
  const stricter = requiredPermission({ command: name, config, environment: raised[0].name }).permission;
  return `${text}; ${describeLevel(stricter)} on protected environments (${raised.map((environment) => codeSpan(environment.name)).join(", ")})`;
}

function describeLevel(permission: RepositoryPermission): string {
  return permission === "admin" ? "admin" : `${permission} or higher`;
}
