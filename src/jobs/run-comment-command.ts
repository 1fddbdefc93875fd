import type { GitHubClient } from "../github/github-client.js";
import type { Logger } from "pino";
import type { RepoConfig } from "../core/config/repo-config-schema.js";
import { authorizeCommand } from "../core/commands/authorize-command.js";
import { parseCommentCommand } from "../core/commands/parse-comment-command.js";
import { renderCommandReply, type CommandReply } from "../core/commands/render-command-reply.js";
import { renderHelp, type EnvironmentStatus } from "../core/commands/render-help.js";
import type { SlipwayCommand } from "../core/commands/slipway-command.js";
import { createIssueComment, reactToComment } from "../github/issue-comments.js";
import { readPermission } from "../github/read-permission.js";
import { readPullRequest } from "../github/pull-requests.js";
import { hasPermission, type RepositoryPermission } from "../core/commands/repository-permission.js";
import {
  clearEnvironmentPin,
  clearEnvironmentLock,
  getEnvironmentLock,
  getEnvironmentPin,
  getPullRequestHeadPushedAt,
  recordPullRequestHead,
  setEnvironmentLock,
  takeReplySlot,
  type SqlSession,
} from "../store/index.js";
import { environmentKey } from "./environment-key.js";
import { checkHeadJob, type CommentCommandPayload, type JobRequest } from "./job-request.js";
import { readTrustedConfig } from "./read-trusted-config.js";

export interface CommentCommandDeps {
  octokit: GitHubClient;
  log: Logger;
  db: SqlSession;
  /** Queues follow-up work (a live plan, a rollback deploy) and wakes the worker. */
  enqueue: (job: JobRequest) => Promise<void>;
  now: () => Date;
  /** Starts a rollback; undefined when this server cannot deploy. */
  rollback?: (request: RollbackRequest) => Promise<CommandReply>;
  /** Least seconds between two `/help` or usage replies on one pull request, per command. */
  replyIntervalSeconds: number;
  /** Queues a `/deploy` of the environment's branch head; undefined when this server cannot deploy. */
  deploy?: (request: DeployRequest) => Promise<CommandReply>;
}

export interface DeployRequest {
  payload: CommentCommandPayload;
  config: RepoConfig;
  environment: string;
}

export interface RollbackRequest {
  payload: CommentCommandPayload;
  config: RepoConfig;
  environment: string;
  toSha: string | undefined;
}

export type CommentCommandOutcome =
  | { status: "ignored" }
  | { status: "replied"; reply: CommandReply["kind"] | "help" }
  /** Anyone may ask for these replies: past one per interval, Slipway only reacts. */
  | { status: "rate-limited"; reply: CommandReply["kind"] | "help" };

/**
 * Runs a slash command from a pull request comment:
 * 1. read the trusted configuration (the default branch's; a pull request must not lower its own
 *    bar, neither by its own config nor by the base branch it picks);
 * 2. parse the comment: a command, a reply (unknown command, bad arguments), or nothing at all;
 * 3. acknowledge with a reaction, look up the commenter's permission now, and authorize;
 * 4. run the command and reply with its outcome.
 */
export async function runCommentCommand(payload: CommentCommandPayload, deps: CommentCommandDeps): Promise<CommentCommandOutcome> {
  const { octokit } = deps;
  const { owner, repo, pullNumber } = payload;

  // 1. The rules come from the default branch.
  const pull = await readPullRequest(octokit, { owner, repo, pullNumber });
  const trusted = await readTrustedConfig(octokit, { owner, repo, defaultBranch: pull.defaultBranch });
  if (trusted.status !== "trusted") return { status: "ignored" };
  const config = trusted.config;

  // 2. What the comment asks.
  const parsed = parseCommentCommand(payload.body, { authorType: payload.authorType, environments: config.environments.map((e) => e.name) });
  if (parsed.type === "ignore") return { status: "ignored" };

  // 3. Seen; allowed?
  await reactToComment(octokit, { owner, repo, commentId: payload.commentId, content: "eyes" });
  if (parsed.type === "reply") {
    if (!(await mayReply(deps, payload, "command" in parsed.reply ? `${parsed.reply.kind}:${parsed.reply.command}` : parsed.reply.kind))) {
      return { status: "rate-limited", reply: parsed.reply.kind };
    }
    return reply(deps, payload, parsed.reply);
  }
  if (parsed.command.type === "help" && !(await mayReply(deps, payload, "help"))) return { status: "rate-limited", reply: "help" };
  const command = parsed.command;
  const environment = "environment" in command ? command.environment : undefined;
  const permission = command.type === "help" ? "none" : await readPermission(octokit, { owner, repo, username: payload.author });
  if (command.type !== "help") {
    const authorization = authorizeCommand({ command, permission, config, environment, login: payload.author });
    if (!authorization.ok) {
      return reply(deps, payload, {
        kind: "refused",
        command: command.type,
        required: authorization.required,
        permission,
        login: payload.author,
        ...(authorization.protectedEnvironment ? { protectedEnvironment: authorization.protectedEnvironment } : {}),
        ...(environment ? { environment } : {}),
      });
    }
  }

  // 4. Do it.
  return reply(deps, payload, await execute(command, { payload, config, pull, permission }, deps));
}

async function execute(
  command: SlipwayCommand,
  context: { payload: CommentCommandPayload; config: RepoConfig; pull: { headSha: string; fromFork: boolean }; permission: RepositoryPermission },
  deps: CommentCommandDeps,
): Promise<CommandReply | { kind: "help"; body: string }> {
  const { payload, config } = context;
  const { owner, repo } = payload;
  const names = config.environments.map((e) => e.name);
  const single = names.length === 1 ? names[0] : undefined;

  switch (command.type) {
    case "help": {
      const statuses: EnvironmentStatus[] = [];
      for (const name of names) {
        const key = environmentKey(owner, repo, name);
        const [pin, lock] = await Promise.all([getEnvironmentPin(deps.db, key), getEnvironmentLock(deps.db, key)]);
        statuses.push({
          environment: name,
          ...(pin ? { pinnedSha: pin.sha, ...(pin.pinnedBy ? { pinnedBy: pin.pinnedBy } : {}) } : {}),
          ...(lock ? { lockedBy: lock.holder } : {}),
        });
      }
      return { kind: "help", body: renderHelp({ config, statuses }) };
    }
    case "plan": {
      const moved = await headMovedSinceComment(deps, payload, context.pull.headSha);
      if (moved) return { kind: "plan-head-moved", headSha: context.pull.headSha, reason: moved };
      await deps.enqueue(
        checkHeadJob({
          installationId: payload.installationId,
          owner,
          repo,
          headSha: context.pull.headSha,
          pullNumber: payload.pullNumber,
          reason: "issue_comment./plan",
          forceLive: true,
          approvedBy: payload.author,
          ...(command.environment ? { onlyEnvironment: command.environment } : {}),
        }),
      );
      return {
        kind: "plan-queued",
        environments: command.environment ? [command.environment] : [],
        headSha: context.pull.headSha,
        ...(context.pull.fromFork ? { fromFork: true, requestedBy: payload.author } : {}),
      };
    }
    case "lock":
    case "unlock": {
      const environment = command.environment ?? single;
      if (environment === undefined) return { kind: "environment-required", command: command.type, environments: names };
      const key = environmentKey(owner, repo, environment);
      const holder = `#${payload.pullNumber}`;
      if (command.type === "lock") {
        const result = await setEnvironmentLock(deps.db, { environmentKey: key, holder });
        return result.status === "locked"
          ? { kind: "locked", environment, holder }
          : { kind: "lock-held", command: "lock", environment, holder: result.lock.holder };
      }
      const lock = await getEnvironmentLock(deps.db, key);
      if (!lock) {
        // No lock: on a pinned environment, a maintainer's /unlock lifts the pin.
        const pin = await getEnvironmentPin(deps.db, key);
        if (!pin) return { kind: "not-locked", environment };
        if (!hasPermission(context.permission, "maintain")) {
          return { kind: "refused", command: "unlock", environment, required: "maintain", permission: context.permission, login: payload.author };
        }
        await clearEnvironmentPin(deps.db, key);
        return { kind: "unpinned", environment, sha: pin.sha };
      }
      if (lock.holder !== holder) return { kind: "lock-held", command: "unlock", environment, holder: lock.holder };
      await clearEnvironmentLock(deps.db, key, { holder });
      return { kind: "unlocked", environment, previousHolder: holder };
    }
    case "rollback": {
      const environment = command.environment ?? single;
      if (environment === undefined) return { kind: "environment-required", command: "rollback", environments: names };
      if (!deps.rollback) return { kind: "error", command: "rollback" };
      return deps.rollback({ payload, config, environment, toSha: command.toSha });
    }
    case "deploy": {
      const environment = command.environment ?? single;
      if (environment === undefined) return { kind: "environment-required", command: "deploy", environments: names };
      if (!deps.deploy) return { kind: "error", command: "deploy" };
      return deps.deploy({ payload, config, environment });
    }
  }
}

/** `/help` and usage replies need no permission, so each pull request gets one per command per interval. */
function mayReply(deps: CommentCommandDeps, payload: CommentCommandPayload, command: string): Promise<boolean> {
  const key = `${payload.owner}/${payload.repo}#${payload.pullNumber}:${command}`.toLowerCase();
  return takeReplySlot(deps.db, { key, intervalSeconds: deps.replyIntervalSeconds });
}

/**
 * A `/plan` approves the head its author saw: the head now must have arrived before the comment
 * was written (by GitHub's clock, as the pull request webhooks reported it), or a fork could push
 * between the comment and this job and have its new head planned live unseen. A head Slipway never
 * heard of is noted now, so the next `/plan` can approve it.
 */
async function headMovedSinceComment(
  deps: CommentCommandDeps,
  payload: CommentCommandPayload,
  headSha: string,
): Promise<"pushed-after-comment" | "not-seen" | undefined> {
  const head = { repository: `${payload.owner}/${payload.repo}`, pullNumber: payload.pullNumber, headSha };
  const pushedAt = await getPullRequestHeadPushedAt(deps.db, head);
  if (pushedAt === null) {
    await recordPullRequestHead(deps.db, { ...head, pushedAt: deps.now() });
    return "not-seen";
  }
  const commentedAt = new Date(payload.commentedAt);
  // Within the same second (GitHub's resolution) the order is unknown: not approved.
  return pushedAt.getTime() < commentedAt.getTime() && !Number.isNaN(commentedAt.getTime()) ? undefined : "pushed-after-comment";
}

async function reply(
  deps: CommentCommandDeps,
  payload: CommentCommandPayload,
  outcome: CommandReply | { kind: "help"; body: string },
): Promise<CommentCommandOutcome> {
  const body = outcome.kind === "help" ? outcome.body : renderCommandReply(outcome);
  await createIssueComment(deps.octokit, { owner: payload.owner, repo: payload.repo, issueNumber: payload.pullNumber }, body);
  return { status: "replied", reply: outcome.kind };
}
