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
}

export type JobRequest = {
  kind: "check-head";
  key: string;
  payload: CheckHeadPayload;
  /** Identical waiting work collapses into one job. */
  dedupeKey: string;
  /** A newer head makes waiting work for an older one pointless. */
  supersedeQueued: boolean;
};

export type JobKind = JobRequest["kind"];

export function checkHeadJob(payload: CheckHeadPayload): JobRequest {
  const subject = payload.pullNumber !== undefined ? `#${payload.pullNumber}` : `@${payload.headSha}`;
  const key = `check:${payload.owner}/${payload.repo}${subject}`;
  return {
    kind: "check-head",
    key,
    payload,
    dedupeKey: `${key}:${payload.headSha}`,
    supersedeQueued: true,
  };
}
