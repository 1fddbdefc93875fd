/**
 * The work Slipway does, as data. Handlers turn webhook events into job requests; workers run them.
 * `key` serializes work: never two running jobs for one key (a pull request, an environment).
 */

export interface RepositoryRef {
  installationId: number;
  owner: string;
  repo: string;
}

/** Validate (and later plan) a pull request head, or a merge group head. */
export interface CheckHeadPayload extends RepositoryRef {
  headSha: string;
  /** Absent for a merge group, which has no pull request of its own. */
  pullNumber?: number;
  /** Why the job exists, for logs: "pull_request.opened", "check_run.rerequested", ... */
  reason: string;
  /** A maintainer asked (`/plan`): compare with the cluster even for a fork or a read-only author. */
  forceLive?: boolean;
  /** `/plan <environment>`: plan only this one. */
  onlyEnvironment?: string;
}

/** A comment on a pull request that may hold a slash command. */
export interface CommentCommandPayload extends RepositoryRef {
  pullNumber: number;
  commentId: number;
  author: string;
  authorType: "User" | "Bot" | "Organization";
  /** The comment, cut at GitHub's own limit; the parser reads no further. */
  body: string;
}

/** A pull request closed or merged: what it held (environment locks) is released. */
export interface PullRequestClosedPayload extends RepositoryRef {
  pullNumber: number;
}

interface JobRequestOf<Kind extends string, Payload> {
  kind: Kind;
  key: string;
  payload: Payload;
  /** Identical waiting work collapses into one job. */
  dedupeKey?: string;
  /** Newer work makes waiting work of the same kind and key pointless. */
  supersedeQueued: boolean;
}

export type JobRequest =
  | JobRequestOf<"check-head", CheckHeadPayload>
  | JobRequestOf<"comment-command", CommentCommandPayload>
  | JobRequestOf<"pull-request-closed", PullRequestClosedPayload>;

export type JobKind = JobRequest["kind"];

/** Work about one pull request runs one job at a time, in order. */
export function pullRequestKey(owner: string, repo: string, pullNumber: number): string {
  return `check:${owner}/${repo}#${pullNumber}`;
}

export function commentCommandJob(payload: CommentCommandPayload): JobRequest {
  return {
    kind: "comment-command",
    key: pullRequestKey(payload.owner, payload.repo, payload.pullNumber),
    payload,
    dedupeKey: `comment:${payload.owner}/${payload.repo}:${payload.commentId}`,
    supersedeQueued: false,
  };
}

export function pullRequestClosedJob(payload: PullRequestClosedPayload): JobRequest {
  return {
    kind: "pull-request-closed",
    key: pullRequestKey(payload.owner, payload.repo, payload.pullNumber),
    payload,
    supersedeQueued: false,
  };
}

export function checkHeadJob(payload: CheckHeadPayload): JobRequest {
  const key =
    payload.pullNumber !== undefined
      ? pullRequestKey(payload.owner, payload.repo, payload.pullNumber)
      : `check:${payload.owner}/${payload.repo}@${payload.headSha}`;
  return {
    kind: "check-head",
    key,
    payload,
    // A maintainer's /plan must not collapse into an ordinary check of the same head.
    dedupeKey: `${key}:${payload.headSha}${payload.forceLive ? `:live:${payload.onlyEnvironment ?? "*"}` : ""}`,
    supersedeQueued: true,
  };
}
