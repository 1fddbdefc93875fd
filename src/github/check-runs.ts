import type { GitHubClient } from "./github-client.js";
import type { CheckOutput } from "../core/report/render-validation-check.js";

/** GitHub accepts at most 50 annotations in one create or update request. */
const annotationsPerRequest = 50;

export interface CheckRunTarget {
  owner: string;
  repo: string;
  headSha: string;
  name: string;
}

/**
 * Opens a check run in progress, so the pull request shows that Slipway is at work. A run of the
 * same name that this App left unfinished on the head (a retried job) is taken up again instead
 * of opening a second one.
 */
export async function startCheckRun(octokit: GitHubClient, target: CheckRunTarget & { appId: number }, title: string): Promise<{ id: number; url: string }> {
  const { data: existing } = await octokit.rest.checks.listForRef({
    owner: target.owner,
    repo: target.repo,
    ref: target.headSha,
    check_name: target.name,
    filter: "latest",
    per_page: 20,
  });
  const unfinished = existing.check_runs.find((run) => run.status !== "completed" && run.app?.id === target.appId);
  if (unfinished) return { id: unfinished.id, url: unfinished.html_url ?? "" };
  const { data } = await octokit.rest.checks.create({
    owner: target.owner,
    repo: target.repo,
    head_sha: target.headSha,
    name: target.name,
    status: "in_progress",
    started_at: new Date().toISOString(),
    output: { title, summary: "Slipway is working on this commit." },
  });
  return { id: data.id, url: data.html_url ?? "" };
}

/**
 * Completes a check run with a report. Annotations go 50 per request, as GitHub requires; GitHub
 * appends each batch, and the last request carries the conclusion so the run never completes early.
 */
export async function completeCheckRun(
  octokit: GitHubClient,
  target: Omit<CheckRunTarget, "headSha" | "name">,
  checkRunId: number,
  report: CheckOutput,
): Promise<void> {
  const batches: CheckOutput["annotations"][] = [];
  for (let i = 0; i < report.annotations.length; i += annotationsPerRequest) {
    batches.push(report.annotations.slice(i, i + annotationsPerRequest));
  }
  if (batches.length === 0) batches.push([]);

  const output = { title: report.title, summary: report.summary, ...(report.text ? { text: report.text } : {}) };
  for (const [index, annotations] of batches.entries()) {
    const last = index === batches.length - 1;
    await octokit.rest.checks.update({
      owner: target.owner,
      repo: target.repo,
      check_run_id: checkRunId,
      output: { ...output, ...(annotations.length > 0 ? { annotations } : {}) },
      ...(last ? { status: "completed" as const, conclusion: report.conclusion, completed_at: new Date().toISOString() } : {}),
    });
  }
}

/** Whether the head has any check run of this name, finished or not. */
export async function hasCheckRun(octokit: GitHubClient, target: CheckRunTarget): Promise<boolean> {
  const { data } = await octokit.rest.checks.listForRef({ owner: target.owner, repo: target.repo, ref: target.headSha, check_name: target.name, per_page: 1 });
  return data.total_count > 0;
}

/** A check run's title and summary, without annotations. */
export interface CheckRunSummary {
  title: string;
  summary: string;
}

/**
 * Completes every check run this App left unfinished on the head as a failure with `output`;
 * returns how many it completed.
 */
export async function failUnfinishedCheckRuns(
  octokit: GitHubClient,
  target: { owner: string; repo: string; headSha: string; appId: number; namePrefix: string },
  output: CheckRunSummary,
): Promise<number> {
  const { owner, repo } = target;
  const { data } = await octokit.rest.checks.listForRef({ owner, repo, ref: target.headSha, app_id: target.appId, filter: "all", per_page: 100 });
  const unfinished = data.check_runs.filter((run) => run.status !== "completed" && run.name.startsWith(target.namePrefix));
  for (const run of unfinished) await octokit.rest.checks.update({ owner, repo, check_run_id: run.id, ...failed(output) });
  return unfinished.length;
}

/** Opens a check run that is already a failure, for a head whose job failed before it opened one. */
export async function createFailedCheckRun(octokit: GitHubClient, target: CheckRunTarget, output: CheckRunSummary): Promise<void> {
  const { owner, repo, headSha, name } = target;
  await octokit.rest.checks.create({ owner, repo, head_sha: headSha, name, started_at: new Date().toISOString(), ...failed(output) });
}

function failed(output: CheckRunSummary) {
  return { status: "completed" as const, conclusion: "failure" as const, completed_at: new Date().toISOString(), output };
}

/**
 * Completes this App's check runs on a commit that are still queued or in progress as
 * `cancelled`, with a sentence saying why. Returns the names of the runs it ended.
 */
export async function cancelUnfinishedCheckRuns(
  octokit: GitHubClient,
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
