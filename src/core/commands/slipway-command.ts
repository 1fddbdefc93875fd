/** Slipway's slash commands, an allow-list: nothing outside it ever runs. */
export const commandNames = ["plan", "rollback", "deploy", "lock", "unlock", "help"] as const;

export type CommandName = (typeof commandNames)[number];

/** A command parsed from a comment. Environments are spelled as in the config; a SHA is lowercase hex. */
export type SlipwayCommand =
  | { type: "plan"; environment?: string }
  | { type: "rollback"; environment?: string; toSha?: string }
  | { type: "deploy"; environment?: string }
  | { type: "lock"; environment?: string }
  | { type: "unlock"; environment?: string }
  | { type: "help" };

export function isCommandName(name: string): name is CommandName {
  return (commandNames as readonly string[]).includes(name);
}
