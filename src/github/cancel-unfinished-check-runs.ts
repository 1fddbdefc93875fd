import type { ProbotOctokit } from "probot";

/**
 * Completes this App's check runs on a commit that are still queued or in progress as
 * `cancelled`, with a sentence saying why. Returns the names of the runs it ended.
 */
export async function cancelUnfinishedCheckRuns(
  octokit: ProbotOctokit,
  params: { owner: string; repo: string; headSha: string; appId: number; summary: string },
): Promise<string[]> {
  const { owner, repo } = params;
  const { data } = await octokit.rest.checks.listForRef({ owner, repo, ref: params.headSha, filter: "latest", app_id: params.appId, per_page: 100 });
  const unfinished = data.check_runs.filter((run) => run.status !== "completed" && run.app?.id === params.appId);
  for (const run of unfinished) {
    await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: run.id,
      status: "completed",
      conclusion: "cancelled",
      completed_at: new Date().toISOString(),
      output: { title: "Cancelled", summary: params.summary },
    });
  }
  return unfinished.map((run) => run.name);
}
