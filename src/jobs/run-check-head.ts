import type { GitHubClient } from "../github/github-client.js";
import type { Logger } from "pino";
import { findClusterAccess } from "../config/find-cluster-access.js";
import type { ClusterAlias } from "../config/parse-clusters-file.js";
import type { ClusterPolicy } from "../core/policy/cluster-policy.js";
import { clampRepoLimits, type CappedLimit, type RepoLimits } from "../config/clamp-repo-limits.js";
import type { EnvironmentConfig, RepoConfig } from "../core/config/repo-config-schema.js";
import type { SourceTree } from "../core/manifests/source-tree.js";
import { renderConfigErrorCheck } from "../core/report/render-config-error-check.js";
import { renderValidationCheck } from "../core/report/render-validation-check.js";
import type { SchemaRegistry } from "../core/validation/create-schema-registry.js";
import type { EnvironmentValidation, ValidationResult } from "../core/validation/validation-result.js";
import { createGitHubSourceTree } from "../github/create-github-source-tree.js";
import { createBlobCache } from "../github/create-blob-cache.js";
import { completeCheckRun, startCheckRun } from "../github/check-runs.js";
import { readPullRequest } from "../github/pull-requests.js";
import { validateCheckName } from "../core/report/check-names.js";
import type { SchemaRegistryLookup } from "../schemas/create-schema-registry-cache.js";
import type { WorkPool } from "../work/create-work-pool.js";
import type { ClusterConnection } from "../cluster/create-cluster-connections.js";
import type { LoadManifestsResult } from "../core/manifests/load-manifests.js";
import { diffRepoConfigs } from "../core/config/diff-repo-configs.js";
import type { CheckHeadPayload } from "./job-request.js";
import { readRepoConfig, repoConfigPath } from "./read-repo-config.js";
import { readTrustedConfig } from "./read-trusted-config.js";
import { planPullRequest, type PlanPullRequestOutcome, type PullRequestHead } from "./plan-pull-request.js";
import { planMergeGroup, type PlanMergeGroupOutcome } from "./plan-merge-group.js";

export type CheckHeadOutcome =
  | { status: "stale"; currentHeadSha: string | undefined }
  | { status: "unconfigured" }
  | { status: "invalid-config"; checkRunId: number }
  | { status: "validated"; checkRunId: number; conclusion: string; plan: PlanPullRequestOutcome | PlanMergeGroupOutcome | undefined };

export interface CheckHeadDeps {
  octokit: GitHubClient;
  /** This App's id: its own unfinished check runs are taken up again on a retry. */
  appId: number;
  log: Logger;
  /** The server's clusters file; undefined when the server has none (offline only). */
  clusters: readonly ClusterAlias[] | undefined;
  /** Bundled Kubernetes schemas by version (undefined: the newest bundled). */
  schemas: (version: string | undefined) => Promise<SchemaRegistryLookup>;
  /** Loads, validates and plans off the main thread, within budgets. */
  work: WorkPool;
  /** The cluster behind an alias; undefined when the server has no clusters file. */
  connect: ((alias: string) => ClusterConnection) | undefined;
  /** Who holds an environment's lock (e.g. `#12`), if anyone. */
  lockHolder: (owner: string, repo: string, environment: string) => Promise<string | undefined>;
  now: () => Date;
  /** The server's caps on what `validation.limits` may raise. */
  limitMaximums: RepoLimits;
  /** The App's bot login (`<slug>[bot]`), author of its sticky comment. */
  botLogin: () => Promise<string>;
}

/**
 * Checks one head commit of a pull request (or merge group):
 * 1. drop the work if the pull request has moved on to another head;
 * 2. read .github/slipway.yml at the head: a repository without it gets no noise;
 * 3. open the `Slipway / validate` check run;
 * 4. a config that does not parse or validate completes the run as a failure, annotated at its line;
 * 5. otherwise load and validate every environment's manifests, as the head's own config proposes
 *    them, and complete the run with the findings;
 * 6. for a pull request on a repository whose default branch has a valid config (the trusted one),
 *    plan the environments it touches as the trusted config defines them, with the head's
 *    manifests (check run per environment, sticky comment); a config change is shown, not used;
 *    a merge group is planned the same way against its base, with check runs only.
 */
export async function runCheckHead(payload: CheckHeadPayload, deps: CheckHeadDeps): Promise<CheckHeadOutcome> {
  const { octokit, log } = deps;
  const { owner, repo, headSha } = payload;

  let pullHead: PullRequestHead | undefined;
  let defaultBranch: string | undefined;
  if (payload.pullNumber !== undefined) {
    const pull = await readPullRequest(octokit, { owner, repo, pullNumber: payload.pullNumber });
    if (!pull.open || pull.headSha !== headSha) {
      log.info({ owner, repo, pull: payload.pullNumber, headSha, current: pull.headSha }, "Skipping a check for a head the pull request has moved past");
      // The newest head has its own job; should out-of-order deliveries have superseded it, the resync sweep checks that head.
      return { status: "stale", currentHeadSha: pull.open ? pull.headSha : undefined };
    }
    defaultBranch = pull.defaultBranch;
    pullHead = { number: pull.number, headSha, baseSha: pull.baseSha, baseRef: pull.baseRef, author: pull.author, fromFork: pull.fromFork };
  }

  const parsed = await readRepoConfig(octokit, { owner, repo, ref: headSha });
  if (parsed === undefined) return { status: "unconfigured" };

  const { id: checkRunId } = await startCheckRun(octokit, { owner, repo, headSha, name: validateCheckName, appId: deps.appId }, "Validating");

  if (!parsed.ok) {
    await completeCheckRun(octokit, { owner, repo }, checkRunId, renderConfigErrorCheck(parsed.errors));
    return { status: "invalid-config", checkRunId };
  }

  // A repository may not raise its limits past the server's caps; the check says which it lowered.
  const { config, capped } = withCappedLimits(parsed.config, deps.limitMaximums);

  // One blob cache for the job: environments and the plan's base share what they read.
  const blobs = createBlobCache();
  const tree = createGitHubSourceTree(octokit, { owner, repo, sha: headSha, blobs });
  const { validations, headManifests } = await validateEnvironments({
    config,
    capped,
    lineOf: parsed.lineOf,
    tree,
    repositoryFullName: `${owner}/${repo}`,
    clusters: deps.clusters,
    schemas: deps.schemas,
    work: deps.work,
  });
  const output = renderValidationCheck(validations);
  await completeCheckRun(octokit, { owner, repo }, checkRunId, output);

  const mergeGroup = pullHead ? undefined : payload.mergeGroup;
  if (!pullHead && !mergeGroup) return { status: "validated", checkRunId, conclusion: output.conclusion, plan: undefined };
  const trusted = await readTrustedConfig(octokit, { owner, repo, ...(defaultBranch ? { defaultBranch } : {}) });
  if (trusted.status !== "trusted") {
    log.info(
      { owner, repo, pull: pullHead?.number, headSha, trusted: trusted.status },
      "No trusted config on the default branch: validated only, nothing planned",
    );
    return { status: "validated", checkRunId, conclusion: output.conclusion, plan: undefined };
  }
  // The trusted config's limits are bounded by the server's caps too; the change shown is between the files as written.
  const trustedConfig = withCappedLimits(trusted.config, deps.limitMaximums).config;
  const change = diffRepoConfigs(trusted.config, parsed.config);
  // The server's word on each trusted environment's alias: refused, or the policy that bounds it.
  const trustedAccess = trustedConfig.environments.map(
    (e) => [e.name, clusterAccessFinding(e, { repositoryFullName: `${owner}/${repo}`, clusters: deps.clusters })] as const,
  );
  const refusedEnvironments = new Set(trustedAccess.filter(([, access]) => access.problem).map(([name]) => name));
  const policies = new Map(trustedAccess.flatMap(([name, access]) => (access.policy ? [[name, access.policy] as const] : [])));
  const planned = await trustedManifests({ trusted: trustedConfig, proposed: config, loaded: headManifests, tree, work: deps.work });
  if (!pullHead) {
    // Only a merge group gets this far without a pull request.
    const group =
      mergeGroup &&
      (await planMergeGroup({
        octokit,
        log,
        owner,
        repo,
        headSha,
        group: mergeGroup,
        config: trustedConfig,
        headManifests: planned,
        refusedEnvironments,
        policies,
        connect: deps.connect,
        work: deps.work,
        appId: deps.appId,
        blobs,
      }));
    return { status: "validated", checkRunId, conclusion: output.conclusion, plan: group };
  }
  const plan = await planPullRequest({
    octokit,
    log,
    owner,
    repo,
    pull: pullHead,
    config: trustedConfig,
    headManifests: planned,
    refusedEnvironments,
    policies,
    configChange: change.items.length > 0 ? { change, defaultBranch: trusted.defaultBranch, trustedSha: trusted.sha, configPath: repoConfigPath } : undefined,
    connect: deps.connect,
    forceLive: payload.forceLive === true,
    onlyEnvironment: payload.onlyEnvironment,
    lockHolder: (environment) => deps.lockHolder(owner, repo, environment),
    appId: deps.appId,
    now: deps.now,
    work: deps.work,
    blobs,
    botLogin: deps.botLogin,
  });
  return { status: "validated", checkRunId, conclusion: output.conclusion, plan };
}

/**
 * Each trusted environment's manifests at the head: what validation loaded when the head's config
 * reads them the same way (same path, same limits), else loaded again the trusted way, so a pull
 * request cannot point an environment's plan at another folder.
 */
async function trustedManifests(params: {
  trusted: RepoConfig;
  proposed: RepoConfig;
  loaded: ReadonlyMap<string, LoadManifestsResult>;
  tree: SourceTree;
  work: WorkPool;
}): Promise<Map<string, LoadManifestsResult>> {
  const { trusted, proposed } = params;
  const sameLimits = JSON.stringify(trusted.validation.limits) === JSON.stringify(proposed.validation.limits);
  const manifests = new Map<string, LoadManifestsResult>();
  for (const environment of trusted.environments) {
    const proposal = proposed.environments.find((e) => e.name === environment.name);
    const reusable = sameLimits && proposal?.path === environment.path ? params.loaded.get(environment.name) : undefined;
    manifests.set(
      environment.name,
      reusable ?? (await params.work.loadManifests({ tree: params.tree, path: environment.path, limits: trusted.validation.limits })),
    );
  }
  return manifests;
}

async function validateEnvironments(params: {
  config: RepoConfig;
  capped: readonly CappedLimit[];
  lineOf: (path: ReadonlyArray<string | number>) => number;
  tree: SourceTree;
  repositoryFullName: string;
  clusters: readonly ClusterAlias[] | undefined;
  schemas: CheckHeadDeps["schemas"];
  work: WorkPool;
}): Promise<{
  validations: EnvironmentValidation[];
  headManifests: Map<string, LoadManifestsResult>;
}> {
  const { config, lineOf, tree, work } = params;
  const { kubernetesVersion, limits, rules, unknownKinds } = config.validation;

  const lookup = await params.schemas(kubernetesVersion);
  const registry: SchemaRegistry | undefined = lookup.ok ? lookup.registry : undefined;
  const configFindings: ValidationResult[] = lookup.ok
    ? []
    : [configError(lineOf(["validation", "kubernetesVersion"]), "config/kubernetes-version", lookup.message)];
  for (const { name, requested, maximum } of params.capped) {
    configFindings.push({
      ...configError(
        lineOf(["validation", "limits", name]),
        "config/limits",
        `validation.limits.${name} is ${requested}, but this Slipway server caps it at ${maximum}; ${maximum} applies`,
      ),
      severity: "warning",
    });
  }

  const validations: EnvironmentValidation[] = [];
  const headManifests = new Map<string, LoadManifestsResult>();
  for (const [index, environment] of config.environments.entries()) {
    const access = clusterAccessFinding(environment, params);
    const manifests = await work.loadManifests({ tree, path: environment.path, limits });
    headManifests.set(environment.name, manifests);
    const validation = await work.validateEnvironment({
      environment: { name: environment.name, namespace: environment.namespace },
      manifests,
      schemas: registry,
      unknownKinds,
      rules,
      ...(access.policy ? { policy: access.policy } : {}),
    });
    const findings = [
      ...(index === 0 ? configFindings : []),
      ...(access.problem ? [configError(lineOf(["environments", index, "cluster"]), "config/cluster", access.problem)] : []),
    ];
    validations.push({ ...validation, results: [...findings, ...validation.results] });
  }
  return { validations, headManifests };
}

/** What the server's clusters file says about an environment's alias: a problem, or what it lets the repository manage. */
function clusterAccessFinding(
  environment: EnvironmentConfig,
  params: { repositoryFullName: string; clusters: readonly ClusterAlias[] | undefined },
): { problem?: string; policy?: ClusterPolicy } {
  if (params.clusters === undefined) return {};
  const access = findClusterAccess(params.clusters, environment.cluster, params.repositoryFullName);
  switch (access.status) {
    case "allowed":
      return { policy: access.cluster };
    case "unknown-alias":
      return {
        problem: `cluster "${environment.cluster}" is not a cluster this Slipway server knows (known: ${access.known.join(", ") || "none"})`,
      };
    case "repository-not-allowed":
      return {
        problem: `cluster "${environment.cluster}" does not accept deployments from ${params.repositoryFullName}; ask a Slipway admin to allow it in the clusters file`,
      };
  }
}

/** The config with its limits lowered to the server's caps, and which ones were lowered. */
function withCappedLimits(config: RepoConfig, maximums: RepoLimits): { config: RepoConfig; capped: readonly CappedLimit[] } {
  const { limits, capped } = clampRepoLimits(config.validation.limits, maximums);
  return { config: { ...config, validation: { ...config.validation, limits } }, capped };
}

function configError(line: number, check: string, message: string): ValidationResult {
  return { status: "invalid", severity: "error", file: repoConfigPath, line: Math.max(1, line), check, message };
}
