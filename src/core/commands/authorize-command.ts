import { describeRefusal } from "./reply-formatters.js";
import { hasPermission, type RepositoryPermission } from "./repository-permission.js";
import { requiredPermission, type CommandConfig } from "./required-permission.js";
import type { SlipwayCommand } from "./slipway-command.js";

export interface AuthorizeCommandParams {
  command: SlipwayCommand;
  /** The commenter's permission, looked up when the command runs (not when it was queued). */
  permission: RepositoryPermission;
  config: CommandConfig;
  /** The environment the command will act on; defaults to the one the command names. */
  environment?: string;
  /** The commenter's login, for the refusal message (named without `@`). */
  login?: string;
}

export type Authorization =
  { ok: true } | { ok: false; required: RepositoryPermission; permission: RepositoryPermission; protectedEnvironment?: string; message: string };

/**
 * Whether the commenter may run the command: their permission against the least the repository
 * config sets for it, raised to maintain for `/rollback` on a protected environment.
 */
export function authorizeCommand(params: AuthorizeCommandParams): Authorization {
  const { command, permission } = params;
  const environment = params.environment ?? (command.type === "help" ? undefined : command.environment);
  const required = requiredPermission({ command: command.type, config: params.config, environment });
  if (hasPermission(permission, required.permission)) return { ok: true };
  const refusal = {
    command: command.type,
    environment,
    required: required.permission,
    permission,
    login: params.login,
    protectedEnvironment: required.protectedEnvironment,
  };
  return {
    ok: false,
    required: required.permission,
    permission,
    ...(required.protectedEnvironment === undefined ? {} : { protectedEnvironment: required.protectedEnvironment }),
    message: describeRefusal(refusal),
  };
}
