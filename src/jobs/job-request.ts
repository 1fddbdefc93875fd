import type { Job, JobHandlers } from "../store/index.js";

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
  /** Who approved this head for a live plan with `/plan` (the head is `headSha`, and only it). */
  approvedBy?: string;
  /** When GitHub says the head arrived (the pull request's `updated_at` in its webhook). */
  headPushedAt?: string;
  /** `/plan <environment>`: plan only this one. */
  onlyEnvironment?: string;
  /** Set for a merge queue's group: its head is planned against its base, with check runs only. */
  mergeGroup?: MergeGroupHead;
}

/** What a `merge_group` webhook says about the group (its head is the payload's `headSha`). */
export interface MergeGroupHead {
  /** The commit the group goes on top of (the branch's tip or the group ahead in the queue). */
  baseSha: string;
  /** The branch it merges into, as a full ref (`refs/heads/main`). */
  baseRef: string;
  /** The queue's temporary branch (`refs/heads/gh-readonly-queue/main/pr-12-...`). */
  headRef: string;
}

/** A merge group left the queue (merged, dequeued, invalidated): its waiting checks are pointless. */
export interface MergeGroupDestroyedPayload extends RepositoryRef {
  headSha: string;
  /** GitHub's reason: merged, invalidated or dequeued. */
  reason: string;
}

/** A comment on a pull request that may hold a slash command. */
export interface CommentCommandPayload extends RepositoryRef {
  pullNumber: number;
  commentId: number;
  author: string;
  authorType: "User" | "Bot" | "Organization";
  /** The comment, cut at GitHub's own limit; the parser reads no further. */
  body: string;
  /** When the comment was written (GitHub's `created_at`): a `/plan` approves the head of that moment. */
  commentedAt: string;
}

/** A pull request closed or merged: what it held (environment locks) is released. */
export interface PullRequestClosedPayload extends RepositoryRef {
  pullNumber: number;
  merged: boolean;
  /** The head branch: a merged Slipway rollback branch lifts its environment's pin. */
  headRef: string;
}

/** A push to a branch: which environments it deploys is decided when the job runs. */
export interface RoutePushPayload extends RepositoryRef {
  branch: string;
  before: string;
  after: string;
  defaultBranch: string;
  pusher: string;
  /** Resync: deploy only these environments (those whose deployed commit is behind). */
  onlyEnvironments?: string[];
}

/** The periodic sweep for work webhooks missed; one at a time across replicas. */
export interface ResyncPayload {
  reason: string;
}

/** One environment at one commit: apply, prune, wait for health, record. */
export interface DeployEnvironmentPayload extends RepositoryRef {
  environment: string;
  sha: string;
  /** The GitHub Deployment created when the deploy was queued. */
  deploymentId: number;
  /** Environments (`needs`) deployed by the same push: they must be healthy at `sha` first. */
  waitFor: string[];
  /** `rollback`: asked with /rollback; `deploy`: a push. */
  kind: "deploy" | "rollback";
  requestedBy: string;
  /** The commit deployed before, for rollback messages. */
  fromSha?: string;
  /** The pull request a /rollback was asked on, for the reply. */
  pullNumber?: number;
  /** A maintainer's `/deploy`: the environment's review requirement is not checked, and who and when is recorded. */
  reviewOverride?: ReviewOverride;
}

export interface ReviewOverride {
  by: string;
  /** ISO time of the comment that asked for it. */
  at: string;
  pullNumber: number;
}

/** Every job kind with its payload: the queue's contract, from which requests, jobs and handlers derive. */
export type JobPayloads = {
  "check-head": CheckHeadPayload;
  "comment-command": CommentCommandPayload;
  "pull-request-closed": PullRequestClosedPayload;
  "route-push": RoutePushPayload;
  "deploy-environment": DeployEnvironmentPayload;
  resync: ResyncPayload;
  "merge-group-destroyed": MergeGroupDestroyedPayload;
};

export type JobKind = keyof JobPayloads;

/** Work of one kind, ready to enqueue. */
export interface JobRequestOf<Kind extends JobKind> {
  kind: Kind;
  key: string;
  payload: JobPayloads[Kind];
  /** Identical waiting work collapses into one job. */
  dedupeKey?: string;
  /** Newer work makes waiting work of the same kind and key pointless. */
  supersedeQueued: boolean;
  /** Attempts before the job fails for good; the queue's default when absent. */
  maxAttempts?: number;
}

export type JobRequest = { [Kind in JobKind]: JobRequestOf<Kind> }[JobKind];

/** A queued job of Slipway's, its payload typed by its kind. */
export type SlipwayJob<Kind extends JobKind = JobKind> = Job<JobPayloads, Kind>;

/** One runner per job kind. */
export type SlipwayJobHandlers = JobHandlers<JobPayloads>;

/** Work about one pull request runs one job at a time, in order. */
export function pullRequestKey(owner: string, repo: string, pullNumber: number): string {
  return `check:${owner}/${repo}#${pullNumber}`;
}

export function commentCommandJob(payload: CommentCommandPayload): JobRequestOf<"comment-command"> {
  return {
    kind: "comment-command",
    key: pullRequestKey(payload.owner, payload.repo, payload.pullNumber),
    payload,
    dedupeKey: `comment:${payload.owner}/${payload.repo}:${payload.commentId}`,
    supersedeQueued: false,
  };
}

export function routePushJob(payload: RoutePushPayload): JobRequestOf<"route-push"> {
  // Pushes to one branch are routed in the order they came; a resync's catch-up collapses while waiting.
  const key = `push:${payload.owner}/${payload.repo}/${payload.branch}`;
  return {
    kind: "route-push",
    key,
    payload,
    ...(payload.onlyEnvironments ? { dedupeKey: `${key}:resync:${payload.after}:${payload.onlyEnvironments.join(",")}` } : {}),
    supersedeQueued: false,
  };
}

export function resyncJob(reason: string): JobRequestOf<"resync"> {
  return { kind: "resync", key: "resync", payload: { reason }, dedupeKey: "resync", supersedeQueued: false };
}

/**
 * One deploy per environment at a time; a newer commit supersedes older ones still waiting. A
 * push's deploy waits out locks and `needs` by retrying, each wait an attempt, so it has many.
 */
export function deployEnvironmentJob(payload: DeployEnvironmentPayload): JobRequestOf<"deploy-environment"> {
  return {
    kind: "deploy-environment",
    key: `env:${payload.owner}/${payload.repo}/${payload.environment}`.toLowerCase(),
    payload,
    dedupeKey: `deploy:${payload.deploymentId}`,
    supersedeQueued: payload.kind === "deploy",
    ...(payload.kind === "deploy" ? { maxAttempts: 1000 } : {}),
  };
}

export function pullRequestClosedJob(payload: PullRequestClosedPayload): JobRequestOf<"pull-request-closed"> {
  return {
    kind: "pull-request-closed",
    key: pullRequestKey(payload.owner, payload.repo, payload.pullNumber),
    payload,
    supersedeQueued: false,
  };
}

/** Checks of a head without a pull request (a merge group's) run one at a time per head. */
export function headKey(owner: string, repo: string, headSha: string): string {
  return `check:${owner}/${repo}@${headSha}`;
}

export function checkHeadJob(payload: CheckHeadPayload): JobRequestOf<"check-head"> {
  const key =
    payload.pullNumber !== undefined ? pullRequestKey(payload.owner, payload.repo, payload.pullNumber) : headKey(payload.owner, payload.repo, payload.headSha);
  return {
    kind: "check-head",
    key,
    payload,
    // A maintainer's /plan must not collapse into an ordinary check of the same head.
    dedupeKey: `${key}:${payload.headSha}${payload.forceLive ? `:live:${payload.onlyEnvironment ?? "*"}` : ""}`,
    supersedeQueued: true,
  };
}

/**
 * Its own key, so it runs beside a check of the group that is still running, and ends what that
 * check left waiting or unfinished.
 */
export function mergeGroupDestroyedJob(payload: MergeGroupDestroyedPayload): JobRequestOf<"merge-group-destroyed"> {
  const key = `merge-group:${payload.owner}/${payload.repo}@${payload.headSha}`;
  return { kind: "merge-group-destroyed", key, payload, dedupeKey: key, supersedeQueued: false };
}
