import { editDistance } from "../text.js";
import { findCommandLine } from "./find-command-line.js";
import { renderCommandReply, type CommandReply } from "./render-command-reply.js";
import { commandNames, isCommandName, type CommandName, type SlipwayCommand } from "./slipway-command.js";

export interface CommentContext {
  /** The comment author's account type; a bot's comment never runs a command. */
  authorType: "User" | "Bot" | "Organization";
  /** The environment names of the repository config, as spelled there. */
  environments: readonly string[];
}

export type ParsedComment = { type: "command"; command: SlipwayCommand } | { type: "reply"; reply: CommandReply; message: string } | { type: "ignore" };

/** The most characters of a typed argument a reply's data keeps (replies show fewer). */
const maxGivenLength = 100;

const shaPattern = /^[0-9a-f]{7,40}$/i;

/**
 * What a pull request comment asks of Slipway: a command to run, a reply to post, or nothing.
 *
 * - Only the comment's first line of prose counts (see `findCommandLine`): quotes, code, HTML
 *   comments and everything after that line never fire.
 * - `/slipway <command> ...` and `/<command> ...`; names are case-insensitive; `/slipway` alone
 *   is help. Anything after `/help` is ignored.
 * - `/slipway <unknown>` is addressed to Slipway and always gets an answer. A short form that is
 *   not a command gets one only for a near miss of a Slipway name (same first letter, one edit,
 *   two for names longer than five letters: `/rollbak`, `/unlcok`), so other bots' `/shrug` or
 *   `/cc` are left alone.
 * - Environments must be in the config (matched case-insensitively, returned as configured);
 *   `to <sha>` takes 7 to 40 hex digits (returned lowercase); more arguments than the usage
 *   allows get the usage.
 * - Never throws; a reply repeats at most a short, quoted slice of what was typed.
 * Editing a comment must not run it again; that is the caller's part (only `created` events).
 */
export function parseCommentCommand(body: string, context: CommentContext): ParsedComment {
  if (context.authorType === "Bot" || typeof body !== "string") return ignore;
  const line = findCommandLine(body);
  if (line === undefined || !line.startsWith("/")) return ignore;
  const [head, ...args] = line.split(/\s+/);
  const name = head.slice(1).toLowerCase();

  if (name === "slipway") {
    const [sub, ...rest] = args;
    if (sub === undefined) return command({ type: "help" });
    const subName = sub.toLowerCase();
    if (isCommandName(subName)) return parseArguments(subName, rest, context.environments);
    return reply({ kind: "unknown-command", given: given(sub), ...optional("suggestion", closestCommand(subName)) });
  }
  if (isCommandName(name)) return parseArguments(name, args, context.environments);
  const nearMiss = nearMissOf(name);
  return nearMiss === undefined ? ignore : reply({ kind: "did-you-mean", given: given(head), suggestion: nearMiss });
}

// Frozen: one shared value handed to every caller.
const ignore: ParsedComment = Object.freeze({ type: "ignore" });

function command(value: SlipwayCommand): ParsedComment {
  return { type: "command", command: value };
}

function reply(value: CommandReply): ParsedComment {
  return { type: "reply", reply: value, message: renderCommandReply(value) };
}

function parseArguments(name: CommandName, args: string[], environments: readonly string[]): ParsedComment {
  if (name === "help") return command({ type: "help" });
  if (name === "rollback") return parseRollback(args, environments);
  if (args.length > 1) {
    return reply({ kind: "usage", command: name, problem: "extra-arguments", given: given(args.slice(1).join(" ")), environments });
  }
  if (args.length === 0) return command({ type: name });
  const environment = findEnvironment(args[0], environments);
  if (environment === undefined) return reply({ kind: "unknown-environment", command: name, given: given(args[0]), environments });
  return command({ type: name, environment });
}

/** `/rollback [environment] [to <sha>]`. */
function parseRollback(args: string[], environments: readonly string[]): ParsedComment {
  const isTo = (word: string | undefined) => word !== undefined && word.toLowerCase() === "to";
  let next = 0;
  let environmentWord: string | undefined;
  let shaWord: string | undefined;
  // A first word "to" is the keyword, unless an environment is named "to" and the words do not read `to <sha>`.
  const toIsKeyword = isTo(args[0]) && (args.length === 2 || findEnvironment("to", environments) === undefined);
  if (args.length > 0 && !toIsKeyword) {
    environmentWord = args[next++];
  }
  if (isTo(args[next])) {
    shaWord = args[next + 1];
    if (shaWord === undefined) return reply({ kind: "usage", command: "rollback", problem: "missing-sha", environments });
    next += 2;
  } else if (next === 1 && args.length === 2 && shaPattern.test(args[1])) {
    // `/rollback production 3f9a2c1`: the commit without its `to`.
    const environment = findEnvironment(args[0], environments);
    const suggestion = environment === undefined ? undefined : { type: "rollback" as const, environment, toSha: args[1].toLowerCase() };
    return reply({ kind: "usage", command: "rollback", problem: "sha-without-to", environments, ...optional("suggestion", suggestion) });
  }
  if (next < args.length) {
    return reply({ kind: "usage", command: "rollback", problem: "extra-arguments", given: given(args.slice(next).join(" ")), environments });
  }

  let environment: string | undefined;
  if (environmentWord !== undefined) {
    environment = findEnvironment(environmentWord, environments);
    if (environment === undefined) {
      if (shaWord === undefined && shaPattern.test(environmentWord)) {
        // `/rollback 3f9a2c1`: a commit where an environment goes.
        const suggestion = { type: "rollback" as const, toSha: environmentWord.toLowerCase() };
        return reply({ kind: "usage", command: "rollback", problem: "sha-without-to", environments, suggestion });
      }
      return reply({ kind: "unknown-environment", command: "rollback", given: given(environmentWord), environments });
    }
  }
  if (shaWord !== undefined && !shaPattern.test(shaWord)) return reply({ kind: "invalid-sha", given: given(shaWord) });
  return command({
    type: "rollback",
    ...optional("environment", environment),
    ...optional("toSha", shaWord?.toLowerCase()),
  });
}

function findEnvironment(word: string, environments: readonly string[]): string | undefined {
  const wanted = word.toLowerCase();
  return environments.find((name) => name.toLowerCase() === wanted);
}

/** For `/slipway <typo>`: the closest command within two edits, whatever its first letter. */
function closestCommand(name: string): CommandName | undefined {
  let best: { name: CommandName; distance: number } | undefined;
  for (const candidate of commandNames) {
    const distance = editDistance(name, candidate, 2);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** For a short form: a Slipway name it is a near miss of, strictly enough to leave other bots' commands alone. */
function nearMissOf(name: string): CommandName | "slipway" | undefined {
  let best: { name: CommandName | "slipway"; distance: number } | undefined;
  for (const candidate of [...commandNames, "slipway" as const]) {
    if (name[0] !== candidate[0]) continue;
    const limit = candidate.length <= 5 ? 1 : 2;
    const distance = editDistance(name, candidate, limit);
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function given(text: string): string {
  return text.length > maxGivenLength ? text.slice(0, maxGivenLength) : text;
}

/** `{ key: value }`, or nothing when value is undefined (exactOptionalPropertyTypes-friendly, and equal in tests). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
