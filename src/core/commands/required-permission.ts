import { repoConfigSchema } from "../config/repo-config-schema.js";
import { hasPermission, type PermissionLevel, type RepositoryPermission } from "./repository-permission.js";
import type { CommandName } from "./slipway-command.js";

/** The commands whose minimum permission the repository config sets. */
export type PermissionedCommand = Exclude<CommandName, "help">;

/** The part of `.github/slipway.yml` that decides who may run what; a full `RepoConfig` fits. */
export interface CommandConfig {
  commands?: Partial<Record<PermissionedCommand, PermissionLevel>>;
  environments: readonly { name: string; protected?: boolean }[];
}

export interface RequiredPermission {
  permission: RepositoryPermission;
  /** Set when a protected environment raised the requirement (only `/rollback`). */
  protectedEnvironment?: string;
}

/** Protected environments need at least this for `/rollback`, whatever the config says. */
export const protectedRollbackPermission: PermissionLevel = "maintain";

/** `/deploy` needs at least this, whatever the config says. */
export const deployPermission: PermissionLevel = "maintain";

const schemaDefaults = repoConfigSchema.properties.commands.properties;

/**
 * The least permission a command needs. `/help` needs none; `/deploy` maintain at least. `/rollback` on a protected environment
 * needs maintain at least; with no environment named (or one the config does not know), the
 * strictest environment counts, since the caller has not yet said which one it will touch.
 */
export function requiredPermission(params: { command: CommandName; config: CommandConfig; environment?: string }): RequiredPermission {
  const { command, config } = params;
  if (command === "help") return { permission: "none" };
  const configured: PermissionLevel = config.commands?.[command] ?? schemaDefaults[command].default;
  // `/deploy` overrides the review requirement: a config may raise its bar, never lower it below maintain.
  if (command === "deploy") return { permission: hasPermission(configured, deployPermission) ? configured : deployPermission };
  if (command !== "rollback" || hasPermission(configured, protectedRollbackPermission)) return { permission: configured };

  const named = params.environment === undefined ? undefined : config.environments.find((env) => env.name === params.environment);
  const considered = named ? [named] : config.environments;
  const protectedOne = considered.find((env) => env.protected === true);
  return protectedOne ? { permission: protectedRollbackPermission, protectedEnvironment: protectedOne.name } : { permission: configured };
}
