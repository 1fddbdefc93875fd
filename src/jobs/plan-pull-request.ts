import type { GitHubClient } from "../github/github-client.js";
import type { Logger } from "pino";
import type { ClusterConnection } from "../cluster/create-cluster-connections.js";
import { planLive } from "../reconcile/plan-live.js";
import { UnavailableError, UnauthorizedError } from "../cluster/cluster-error.js";
import type { EnvironmentConfig, RepoConfig } from "../core/config/repo-config-schema.js";
import type { ClusterPolicy } from "../core/policy/cluster-policy.js";
import type { LoadManifestsResult } from "../core/manifests/load-manifests.js";
import type { EnvironmentPlan } from "../core/plan/environment-plan.js";
import { environmentLabelValue } from "../core/plan/environment-label-value.js";
import { environmentsTouched } from "../core/plan/environments-touched.js";
import { planCheckName } from "../core/report/check-names.js";
import { renderPlanCheck } from "../core/report/render-plan-check.js";
import { PLAN_COMMENT_MARKER, renderPlanComment } from "../core/report/render-plan-comment.js";
import type { RenderConfigChangeParams } from "../core/report/render-config-change.js";
import { withLockNotice } from "../core/report/with-lock-notice.js";
import { reviewRequirementOf } from "../core/review/review-requirement.js";
import { createGitHubSourceTree } from "../github/create-github-source-tree.js";
import type { BlobCache } from "../github/create-blob-cache.js";
import type { SourceTree } from "../core/manifests/source-tree.js";
import { completeCheckRun, startCheckRun } from "../github/check-runs.js";
import { upsertStickyComment } from "../github/issue-comments.js";
import { listPullRequestFiles, readPullRequest } from "../github/pull-requests.js";
import { readPermission } from "../github/read-permission.js";
import type { WorkPool } from "../work/create-work-pool.js";

export interface PullRequestHead {
  number: number;
  headSha: string;
  baseSha: string;
  baseRef: string;
  author: string;
  fromFork: boolean;
}

export interface PlanPullRequestParams {
  octokit: GitHubClient;
  log: Logger;
  owner: string;
  repo: string;
  pull: PullRequestHead;
  /** The trusted config (the default branch's): every environment definition comes from it. */
  config: RepoConfig;
  /** Each trusted environment's manifests at the head (its trusted path, the trusted limits). */
  headManifests: ReadonlyMap<string, LoadManifestsResult>;
  /** Environments whose cluster alias the server refuses for this repository. */
  refusedEnvironments: ReadonlySet<string>;
  /** Each environment's cluster policy from the server's clusters file, enforced before any request about an object. */
  policies: ReadonlyMap<string, ClusterPolicy>;
  /** The pull request's own config differs from the trusted one: shown, applied only after merge. */
  configChange: RenderConfigChangeParams | undefined;
  /** The cluster behind an alias; undefined when the server has no clusters file. */
  connect: ((alias: string) => ClusterConnection) | undefined;
  /** A maintainer asked for a live plan (`/plan`), whoever wrote the pull request. */
  forceLive: boolean;
  /** `/plan <environment>`: only this one. */
  onlyEnvironment: string | undefined;
  /** Who holds an environment's lock (e.g. `#12`), if anyone. */
  lockHolder: (environment: string) => Promise<string | undefined>;
  now: () => Date;
  appId: number;
  /** Loads and plans off the main thread, within budgets. */
  work: WorkPool;
  /** The App's bot login (`<slug>[bot]`): only its own comment is the sticky one. */
  botLogin: () => Promise<string>;
  /** The job's blob cache: a file the head and base share is downloaded once. */
  blobs: BlobCache;
}

export type PlanPullRequestOutcome = { status: "nothing-touched" } | { status: "stale" } | { status: "planned"; plans: EnvironmentPlan[]; commentId: number };

/**
 * Plans a pull request head, the manifests from the head, each environment as the trusted config
 * defines it (a pull request's config change is its own section of the comment, not the plan):
 * 1. find the environments its changes touch;
 * 2. decide live or offline (a fork, or an author who cannot write, gets an offline plan until a
 *    maintainer asks with /plan; a cluster that does not answer falls back to offline);
 * 3. plan each environment and report it as its own `Slipway / plan: <env>` check run (failing
 *    when another pull request holds the environment's lock);
 * 4. drop the result if the pull request moved on meanwhile; otherwise write the sticky comment.
 */
export async function planPullRequest(params: PlanPullRequestParams): Promise<PlanPullRequestOutcome> {
  const { octokit, log, owner, repo, pull, config } = params;

  // 1. What the change touches.
  const changed = await listPullRequestFiles(octokit, { owner, repo, pullNumber: pull.number });
  // The head's config is not the one planned with, so changing it alone touches no environment.
  const touched = (changed.complete ? environmentsTouched(config.environments, changed.files, undefined) : [...config.environments]).filter(
    (environment) => params.onlyEnvironment === undefined || environment.name === params.onlyEnvironment,
  );
  if (touched.length === 0 && params.configChange === undefined) return { status: "nothing-touched" };

  // 2. Live or offline.
  const offlineReason = await offlineReasonFor(params);

  // 3. One plan and one check run per environment.
  const plans: EnvironmentPlan[] = [];
  const baseTree = createGitHubSourceTree(octokit, { owner, repo, sha: pull.baseSha, blobs: params.blobs });
  const checkRunUrls: Record<string, string> = {};
  for (const environment of touched) {
    const run = await startCheckRun(octokit, { owner, repo, headSha: pull.headSha, name: planCheckName(environment.name), appId: params.appId }, "Planning");
    checkRunUrls[environment.name] = run.url;
    const plan = await planEnvironment(params, environment, offlineReason, baseTree);
    plans.push(plan);
    const holder = await params.lockHolder(environment.name);
    const check = renderPlanCheck(plan);
    await completeCheckRun(octokit, { owner, repo }, run.id, holder && holder !== `#${pull.number}` ? withLockNotice(check, environment.name, holder) : check);
  }

  // 4. Only the newest head's plan goes in the comment.
  const current = await readPullRequest(octokit, { owner, repo, pullNumber: pull.number });
  if (current.headSha !== pull.headSha || !current.open) {
    log.info({ pull: pull.number, headSha: pull.headSha, current: current.headSha }, "Discarding a plan for a head the pull request has moved past");
    return { status: "stale" };
  }
  const mergeRequirements = Object.fromEntries(touched.map((environment) => [environment.name, reviewRequirementOf(environment)]));
  const body = renderPlanComment({
    plans,
    headSha: pull.headSha,
    plannedAt: params.now(),
    checkRunUrls,
    mergeRequirements,
    ...(params.configChange ? { configChange: params.configChange } : {}),
  });
  const comment = await upsertStickyComment(octokit, {
    owner,
    repo,
    issueNumber: pull.number,
    marker: PLAN_COMMENT_MARKER,
    body,
    author: await params.botLogin(),
  });
  return { status: "planned", plans, commentId: comment.id };
}

async function offlineReasonFor(params: PlanPullRequestParams): Promise<string | undefined> {
  const { octokit, owner, repo, pull } = params;
  if (params.connect === undefined) return "this Slipway server has no clusters configured";
  if (params.forceLive) return undefined;
  if (pull.fromFork) return "the pull request comes from a fork; a maintainer's `/plan` compares it with the cluster";
  const permission = await readPermission(octokit, { owner, repo, username: pull.author });
  if (permission !== "write" && permission !== "maintain" && permission !== "admin") {
    return "its author cannot write to this repository; a maintainer's `/plan` compares it with the cluster";
  }
  return undefined;
}

/** What planning one environment needs; a merge group's plan (`plan-merge-group.ts`) passes its own head. */
export type PlanEnvironmentParams = Pick<
  PlanPullRequestParams,
  "owner" | "repo" | "log" | "config" | "headManifests" | "refusedEnvironments" | "policies" | "connect" | "work"
> & {
  pull: Pick<PullRequestHead, "headSha" | "baseSha" | "baseRef">;
};

/** One environment's plan at the head: live when it may and the cluster answers, else offline against the base. */
export async function planEnvironment(
  params: PlanEnvironmentParams,
  environment: EnvironmentConfig,
  offlineReason: string | undefined,
  baseTree: SourceTree,
): Promise<EnvironmentPlan> {
  const { owner, repo, pull } = params;
  const environmentId = environmentLabelValue(owner, repo, environment.name);
  const head = params.headManifests.get(environment.name)?.objects ?? [];

  let reason = offlineReason;
  if (reason === undefined && params.refusedEnvironments.has(environment.name)) {
    reason = `cluster "${environment.cluster}" does not accept this repository`;
  }
  const connection = reason === undefined ? params.connect?.(environment.cluster) : undefined;
  if (reason === undefined && connection && !connection.ok) reason = connection.reason;

  if (reason === undefined && connection?.ok) {
    try {
      return await planLive({
        cluster: connection.client,
        environment: environment.name,
        environmentId,
        namespace: environment.namespace,
        manifests: head,
        prune: environment.prune,
        sourceSha: pull.headSha,
        policy: params.policies.get(environment.name),
        adopt: environment.adopt,
        compare: params.work.planObjects,
      });
    } catch (error) {
      if (!(error instanceof UnavailableError) && !(error instanceof UnauthorizedError)) throw error;
      params.log.warn({ environment: environment.name, cluster: environment.cluster, status: error.status }, "Cluster did not answer; planning offline");
      reason = `cluster "${environment.cluster}" did not answer`;
    }
  }

  const base = await params.work.loadManifests({ tree: baseTree, path: environment.path, limits: params.config.validation.limits });
  return params.work.planOffline({
    environment: environment.name,
    environmentId,
    base: base.objects,
    head,
    prune: environment.prune,
    namespace: environment.namespace,
    reason: reason ?? "the cluster was not asked",
    baseLabel: `${pull.baseRef} at ${pull.baseSha.slice(0, 7)}`,
  });
}
