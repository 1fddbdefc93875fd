import { codeSpan } from "../markdown/code-span.js";
import type { RepositoryPermission } from "./repository-permission.js";
import type { CommandName, SlipwayCommand } from "./slipway-command.js";

/**
 * The pieces every command reply is written with: logins, commits, lock holders, commands,
 * refusals, and the commenter's own text. Each is safe to put in Markdown as it is.
 */

/** The most characters of a commenter's own text a reply repeats. */
export const maxQuotedLength = 40;

/** Text someone typed, as a short code span that is safe to repeat in a reply (see `codeSpan`). */
export function quoteUserText(text: string, maxLength = maxQuotedLength): string {
  // Slice before splitting into code points, so a megabyte of input costs no more than a line.
  const chars = Array.from(text.slice(0, maxLength * 2 + 2));
  if (chars.length <= maxLength) return codeSpan(chars.join(""));
  return `${codeSpan(chars.slice(0, maxLength).join(""))}…`;
}

const loginPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/** A GitHub login named without `@`, so a reply about someone does not notify them; anything unlike a login is quoted. */
export function formatLogin(login: string): string {
  return loginPattern.test(login) ? login : quoteUserText(login);
}

/** A commit as replies show it: the first 12 hex digits in code, as the plan comment does. */
export function formatSha(sha: string): string {
  return /^[0-9a-f]{7,64}$/i.test(sha) ? codeSpan(sha.slice(0, 12).toLowerCase()) : quoteUserText(sha);
}

/** A lock holder as a reply shows it: `#12` stays a link to the pull request, a login is named without `@`. */
export function formatHolder(holder: string): string {
  return /^#[0-9]{1,10}$/.test(holder) ? holder : formatLogin(holder);
}

/** A parsed command written back as a comment would say it, e.g. `/rollback production to 3f9a2c1`. */
export function formatCommand(command: SlipwayCommand): string {
  const parts: string[] = [`/${command.type}`];
  if (command.type !== "help" && command.environment !== undefined) parts.push(command.environment);
  if (command.type === "rollback" && command.toSha !== undefined) parts.push("to", command.toSha);
  return parts.join(" ");
}

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
