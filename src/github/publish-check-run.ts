import type { ProbotOctokit } from "probot";
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
export async function startCheckRun(
  octokit: ProbotOctokit,
  target: CheckRunTarget & { appId: number },
  title: string,
): Promise<{ id: number; url: string }> {
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
  octokit: ProbotOctokit,
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
