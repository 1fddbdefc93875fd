import type { EnvironmentPlan } from "../core/plan/environment-plan.js";
import { environmentsTouched } from "../core/plan/environments-touched.js";
import { planCheckName } from "../core/report/check-names.js";
import { renderPlanCheck } from "../core/report/render-plan-check.js";
import type { BlobCache } from "../github/create-blob-cache.js";
import { createGitHubSourceTree } from "../github/create-github-source-tree.js";
import { completeCheckRun, startCheckRun } from "../github/check-runs.js";
import type { GitHubClient } from "../github/github-client.js";
import { listChangedFiles } from "../github/repositories.js";
import type { MergeGroupHead } from "./job-request.js";
import { planEnvironment, type PlanEnvironmentParams } from "./plan-pull-request.js";

export type PlanMergeGroupParams = Omit<PlanEnvironmentParams, "pull"> & {
  octokit: GitHubClient;
  headSha: string;
  group: MergeGroupHead;
  appId: number;
  blobs: BlobCache;
};

export type PlanMergeGroupOutcome = { status: "nothing-touched" } | { status: "planned-group"; plans: EnvironmentPlan[] };

/**
 * Plans a merge queue's group as a pull request's head is planned, so the same `Slipway / plan:
 * <env>` checks a branch protection requires appear on the group's head:
 * 1. find the environments the group's changes (its base to its head) touch, as the trusted config
 *    defines them (a config change alone touches none: it is not the trusted one yet);
 * 2. plan each live (every pull request in the group was allowed into the queue by someone who
 *    can merge), offline only when the cluster cannot be asked, a check run each.
 * A group has no pull request of its own, so there is no comment; a lock is checked on the pull
 * requests before they enter the queue, not here.
 */
export async function planMergeGroup(params: PlanMergeGroupParams): Promise<PlanMergeGroupOutcome> {
  const { octokit, owner, repo, headSha, group, config } = params;

  // 1.
  const changed = await listChangedFiles(octokit, { owner, repo, before: group.baseSha, after: headSha });
  const touched = changed === undefined ? [...config.environments] : environmentsTouched(config.environments, changed, undefined);
  if (touched.length === 0) return { status: "nothing-touched" };

  // 2.
  const pull = { headSha, baseSha: group.baseSha, baseRef: group.baseRef.replace(/^refs\/heads\//, "") };
  const baseTree = createGitHubSourceTree(octokit, { owner, repo, sha: group.baseSha, blobs: params.blobs });
  const offlineReason = params.connect === undefined ? "this Slipway server has no clusters configured" : undefined;
  const plans: EnvironmentPlan[] = [];
  for (const environment of touched) {
    const run = await startCheckRun(octokit, { owner, repo, headSha, name: planCheckName(environment.name), appId: params.appId }, "Planning");
    const plan = await planEnvironment({ ...params, pull }, environment, offlineReason, baseTree);
    plans.push(plan);
    await completeCheckRun(octokit, { owner, repo }, run.id, renderPlanCheck(plan));
  }
  return { status: "planned-group", plans };
}
