import type { GitHubClient } from "../github/github-client.js";
import type { ClusterConnection } from "../cluster/create-cluster-connections.js";
import { deployEnvironment } from "../reconcile/deploy-environment.js";
import { findClusterAccess } from "../config/find-cluster-access.js";
import type { ClusterAlias } from "../config/parse-clusters-file.js";
import { clampRepoLimits, type RepoLimits } from "../config/clamp-repo-limits.js";
import type { EnvironmentConfig, RepoConfig } from "../core/config/repo-config-schema.js";
import type { DeployResult } from "../core/deploy/deploy-result.js";
import { parseDuration } from "../core/deploy/parse-duration.js";
import { environmentLabelValue } from "../core/plan/environment-label-value.js";
import { createGitHubSourceTree } from "../github/create-github-source-tree.js";
import type { SchemaRegistryLookup } from "../schemas/create-schema-registry-cache.js";
import type { WorkPool } from "../work/create-work-pool.js";

export type DeployCommitOutcome =
  | { status: "deployed"; result: DeployResult }
  /** Refused before anything was written: the reason is for people. */
  | { status: "refused"; reason: string };

export interface DeployCommitParams {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  sha: string;
  config: RepoConfig;
  environment: EnvironmentConfig;
  clusters: readonly ClusterAlias[] | undefined;
  connect: ((alias: string) => ClusterConnection) | undefined;
  schemas: (version: string | undefined) => Promise<SchemaRegistryLookup>;
  /** The server's caps on what `validation.limits` may raise. */
  limitMaximums: RepoLimits;
  /** The job's lease signal: aborting stops the deploy before its next cluster write. */
  signal: AbortSignal;
  /** Loads and validates off the main thread, within budgets. */
  work: WorkPool;
}

/**
 * Deploys one environment at one commit:
 * 1. the server must let this repository use the cluster alias;
 * 2. the manifests at the commit must load and validate (the alias's policy included);
 * 3. apply in order, prune, wait for health (deployEnvironment), the policy and ownership enforced again there.
 * Cluster outages are thrown, for the caller to retry.
 */
export async function deployCommit(params: DeployCommitParams): Promise<DeployCommitOutcome> {
  const { owner, repo, sha, config, environment } = params;

  // 1.
  if (!params.clusters || !params.connect) return { status: "refused", reason: "this Slipway server has no clusters configured" };
  const access = findClusterAccess(params.clusters, environment.cluster, `${owner}/${repo}`);
  if (access.status !== "allowed") return { status: "refused", reason: `cluster "${environment.cluster}" does not accept deployments from ${owner}/${repo}` };
  const connection = params.connect(environment.cluster);
  if (!connection.ok) return { status: "refused", reason: connection.reason };

  // 2.
  const tree = createGitHubSourceTree(params.octokit, { owner, repo, sha });
  const manifests = await params.work.loadManifests({
    tree,
    path: environment.path,
    limits: clampRepoLimits(config.validation.limits, params.limitMaximums).limits,
  });
  const lookup = await params.schemas(config.validation.kubernetesVersion);
  const validation = await params.work.validateEnvironment({
    environment: { name: environment.name, namespace: environment.namespace },
    manifests,
    schemas: lookup.ok ? lookup.registry : undefined,
    unknownKinds: config.validation.unknownKinds,
    rules: config.validation.rules,
    policy: access.cluster,
  });
  const errors = validation.results.filter((result) => result.severity === "error");
  if (errors.length > 0) {
    const first = errors[0]!;
    return {
      status: "refused",
      reason: `${errors.length} validation error${errors.length === 1 ? "" : "s"}, first ${first.file}:${first.line}: ${first.message}`,
    };
  }

  // 3.
  const result = await deployEnvironment({
    client: connection.client,
    environmentId: environmentLabelValue(owner, repo, environment.name),
    sha,
    objects: manifests.objects,
    namespaceDefault: environment.namespace,
    prune: environment.prune,
    policy: access.cluster,
    adopt: environment.adopt,
    pruneGuard: { maxShare: environment.pruneMaxShare, allowDeleteAll: environment.allowPruneAll },
    healthTimeoutMs: parseDuration(environment.healthTimeout),
    dryRun: false,
    signal: params.signal,
  });
  return { status: "deployed", result };
}
