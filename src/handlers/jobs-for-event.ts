import { checkHeadJob, commentCommandJob, mergeGroupDestroyedJob, pullRequestClosedJob, routePushJob, type JobRequest } from "../jobs/job-request.js";

/** GitHub's own limit on a comment; the command parser reads no further. */
const maxCommentChars = 65_536;

/**
 * Translates one webhook event into the jobs it asks for. Pure, and holds no policy: whether a
 * repository has a config, which environments a change touches, who may do what: all of that is
 * decided when the job runs, against the state of that moment.
 */
export function jobsForEvent(name: string, payload: unknown): JobRequest[] {
  const event = payload as EventPayload;
  const installationId = event.installation?.id;
  const fullName = event.repository?.full_name;
  if (installationId === undefined || !fullName) return [];
  const [owner, repo] = fullName.split("/") as [string, string];
  const base = { installationId, owner, repo };
  const reason = event.action ? `${name}.${event.action}` : name;

  switch (name) {
    case "pull_request": {
      if (!event.pull_request) return [];
      if (event.action === "closed") {
        const { number, merged, head } = event.pull_request;
        return [pullRequestClosedJob({ ...base, pullNumber: number, merged: merged === true, headRef: head.ref })];
      }
      if (!pullRequestActions.has(event.action ?? "")) return [];
      const { number, head, updated_at: updatedAt } = event.pull_request;
      return [checkHeadJob({ ...base, headSha: head.sha, pullNumber: number, reason, ...(updatedAt ? { headPushedAt: updatedAt } : {}) })];
    }
    case "check_run": {
      const run = event.check_run;
      if (event.action !== "rerequested" || !run) return [];
      return headsOf(run.head_sha, run.pull_requests).map((head) => checkHeadJob({ ...base, ...head, reason }));
    }
    case "check_suite": {
      const suite = event.check_suite;
      if (event.action !== "rerequested" || !suite) return [];
      return headsOf(suite.head_sha, suite.pull_requests).map((head) => checkHeadJob({ ...base, ...head, reason }));
    }
    case "push": {
      // Branch pushes only (not tags), and not a branch deletion.
      const ref = event.ref ?? "";
      if (!ref.startsWith("refs/heads/") || event.deleted || !event.after || /^0+$/.test(event.after)) return [];
      return [
        routePushJob({
          ...base,
          branch: ref.slice("refs/heads/".length),
          before: event.before ?? "",
          after: event.after,
          defaultBranch: event.repository?.default_branch ?? "main",
          pusher: event.pusher?.name ?? event.sender?.login ?? "",
        }),
      ];
    }
    case "issue_comment": {
      // Only new comments on pull requests; an edit never re-runs a command, a bot's comment never runs one.
      const { issue, comment } = event;
      if (event.action !== "created" || !issue?.pull_request || !comment || comment.user?.type === "Bot") return [];
      return [
        commentCommandJob({
          ...base,
          pullNumber: issue.number,
          commentId: comment.id,
          author: comment.user?.login ?? "",
          authorType: comment.user?.type === "Organization" ? "Organization" : "User",
          body: (comment.body ?? "").slice(0, maxCommentChars),
          commentedAt: comment.created_at ?? "",
        }),
      ];
    }
    case "merge_group": {
      const group = event.merge_group;
      if (!group) return [];
      if (event.action === "destroyed") return [mergeGroupDestroyedJob({ ...base, headSha: group.head_sha, reason: event.reason ?? "destroyed" })];
      if (event.action !== "checks_requested") return [];
      const mergeGroup = { baseSha: group.base_sha, baseRef: group.base_ref, headRef: group.head_ref };
      return [checkHeadJob({ ...base, headSha: group.head_sha, reason, mergeGroup })];
    }
    default:
      return [];
  }
}

const pullRequestActions = new Set(["opened", "synchronize", "reopened", "ready_for_review"]);

/** A re-run names its pull requests; without any (a merge group's run) the head itself is the subject. */
function headsOf(headSha: string, pullRequests: Array<{ number: number }> | undefined): Array<{ headSha: string; pullNumber?: number }> {
  if (!pullRequests || pullRequests.length === 0) return [{ headSha }];
  return pullRequests.map((pr) => ({ headSha, pullNumber: pr.number }));
}

/** The few fields Slipway reads, common to the events it subscribes to. */
interface EventPayload {
  action?: string;
  installation?: { id: number };
  repository?: { full_name: string; default_branch?: string };
  pull_request?: { number: number; merged?: boolean | null; updated_at?: string; head: { sha: string; ref: string } };
  ref?: string;
  before?: string;
  after?: string;
  deleted?: boolean;
  pusher?: { name?: string };
  sender?: { login: string };
  check_run?: { head_sha: string; pull_requests?: Array<{ number: number }> };
  check_suite?: { head_sha: string; pull_requests?: Array<{ number: number }> };
  merge_group?: { head_sha: string; head_ref: string; base_sha: string; base_ref: string };
  /** merge_group.destroyed: merged, invalidated or dequeued. */
  reason?: string;
  issue?: { number: number; pull_request?: unknown };
  comment?: { id: number; body?: string | null; created_at?: string; user?: { login: string; type: string } | null };
}
