import { formatLogin } from "./format-login.js";
import { codeSpan } from "../markdown/code-span.js";
import type { RepositoryPermission } from "./repository-permission.js";
import type { CommandName } from "./slipway-command.js";

export interface Refusal {
  command: CommandName;
  environment?: string;
  required: RepositoryPermission;
  permission: RepositoryPermission;
  /** The commenter, named without `@`. */
  login?: string;
  protectedEnvironment?: string;
}

/** One sentence: what the command needed, why, and what the commenter has. */
export function describeRefusal(refusal: Refusal): string {
  const where = refusal.environment === undefined ? "" : ` on ${codeSpan(refusal.environment)}`;
  const level = refusal.required === "admin" ? "the admin permission" : `the ${refusal.required} permission or higher`;
  const why = refusal.protectedEnvironment === undefined ? "" : `, because ${codeSpan(refusal.protectedEnvironment)} is a protected environment`;
  const who = refusal.login === undefined ? "you have" : `${formatLogin(refusal.login)} has`;
  const has = refusal.permission === "none" ? `${who} no access to this repository` : `${who} ${refusal.permission}`;
  return `\`/${refusal.command}\`${where} needs ${level}${why}; ${has}.`;
}
