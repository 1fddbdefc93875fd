import type { SlipwayCommand } from "./slipway-command.js";

/** A parsed command written back as a comment would say it, e.g. `/rollback production to 3f9a2c1`. */
export function formatCommand(command: SlipwayCommand): string {
  const parts: string[] = [`/${command.type}`];
  if (command.type !== "help" && command.environment !== undefined) parts.push(command.environment);
  if (command.type === "rollback" && command.toSha !== undefined) parts.push("to", command.toSha);
  return parts.join(" ");
}
