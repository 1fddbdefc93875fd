import { checkHeadJob, type JobRequest } from "../jobs/job-request.js";

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
      if (!pullRequestActions.has(event.action ?? "") || !event.pull_request) return [];
      const { number, head } = event.pull_request;
      return [checkHeadJob({ ...base, headSha: head.sha, pullNumber: number, reason })];
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
    case "merge_group": {
      if (event.action !== "checks_requested" || !event.merge_group) return [];
      return [checkHeadJob({ ...base, headSha: event.merge_group.head_sha, reason })];
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
  repository?: { full_name: string };
  pull_request?: { number: number; head: { sha: string } };
  check_run?: { head_sha: string; pull_requests?: Array<{ number: number }> };
  check_suite?: { head_sha: string; pull_requests?: Array<{ number: number }> };
  merge_group?: { head_sha: string };
}
