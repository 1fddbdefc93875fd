import type { ClusterClient, KubeObject, ResourceInfo } from "../cluster/cluster-client.js";
import { NotFoundError } from "../cluster/cluster-error.js";
import { compareApplyOrder } from "../core/apply-order.js";
import type { DeployObjectFailure, DeployProgress, HealthReport } from "../core/deploy/deploy-result.js";
import { guardPrune } from "../core/deploy/guard-prune.js";
import { selectPrune } from "../core/deploy/select-prune.js";
import { assessHealth } from "../core/health/assess-health.js";
import { worstHealth } from "../core/health/health-status.js";
import { mapLimited } from "../core/map-limited.js";
import { groupKind, objectKey, objectRef, type ObjectRef } from "../core/object-identity.js";
import { objectOwnership } from "../core/plan/object-ownership.js";
import { pruneKinds as defaultPruneKinds } from "../core/plan/prune-kinds.js";
import { allowsKind } from "../core/policy/allows-kind.js";
import { checkClusterPolicy } from "../core/policy/check-cluster-policy.js";
import type { ClusterPolicy } from "../core/policy/cluster-policy.js";
import { matchesPattern } from "../core/policy/matches-pattern.js";
import { applyInOrder, type ApplyInOrderResult } from "./apply-in-order.js";
import { deleteInOrder } from "./delete-in-order.js";
import { listForeignMetadata } from "./list-foreign-metadata.js";
import { listInventory } from "./list-inventory.js";
import { clusterRefusal } from "./object-refusal.js";
import { prepareObjects, type PreparedObject, type ReconcileManifest } from "./prepare-objects.js";
import { waitForHealth, type WaitForHealthResult } from "./wait-for-health.js";

export interface ReconcileParams {
  client: Pick<ClusterClient, "fieldManager" | "resolveKind" | "get" | "list" | "apply" | "delete">;
  /** The `slipway.dev/environment` label value (environmentLabelValue). */
  environmentId: string;
  manifests: readonly ReconcileManifest[];
  /** Namespace for namespaced objects that name none. */
  defaultNamespace: string;
  /** The commit, recorded (`slipway.dev/source-sha`) on every object written. */
  sha?: string;
  /** Persist nothing: every write is the server's dry run, and health is not waited for. */
  dryRun: boolean;
  /** Delete the environment's objects that Git no longer has. */
  prune: boolean;
  /** Bounds on prune (the repository config's pruneMaxShare and allowPruneAll). */
  pruneGuard?: { maxShare?: number; allowDeleteAll?: boolean };
  /** Kinds listed for prune besides those in Git (default: the common built-in kinds). */
  pruneKinds?: ReadonlyArray<{ apiVersion: string; kind: string }>;
  /** The clusters file's policy for this cluster; undefined only with the user's own kubeconfig (command line, tests). */
  policy?: ClusterPolicy;
  /** Take over existing objects without Slipway's labels (the environment's `adopt`); never another environment's. */
  adopt?: boolean;
  /** Take over fields other managers own; default true (Git wins). */
  force?: boolean;
  /** Requests in flight at once. */
  concurrency: number;
  /** How long to wait for health (and for CRDs to be established); 0 reports health as found, without waiting. */
  healthTimeoutMs: number;
  /** Degraded for this long ends the health wait early; default 10 s. */
  degradedGraceMs?: number;
  onProgress?: (progress: DeployProgress) => void;
  /** Aborting stops between requests and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** One desired object and what became of it. */
export interface ReconciledObject extends PreparedObject {
  /** The object in the cluster before: from the inventory, or (adopted) read in full. */
  live?: KubeObject;
}

/** What a reconcile found and did, as data: the plan and the deploy each read it their way. */
export interface Reconciliation {
  dryRun: boolean;
  /** Every desired object, in the order of the manifests; a refused one carries its refusal. */
  objects: ReconciledObject[];
  /** Objects labelled for the environment, on kinds and in namespaces the policy allows. */
  inventory: KubeObject[];
  /** Everything the labels listed, the policy's refusals included (for masking: their Secrets are values to hide). */
  listed: KubeObject[];
  /** Objects Git names that exist without this environment's labels: metadata only, unless adopted. */
  foreign: KubeObject[];
  /** Absent when a real run stopped before applying (something was refused). */
  apply?: ApplyInOrderResult & { ordered: ReconciledObject[] };
  /** Absent when a real run stopped before pruning. */
  prune?: {
    /** selectPrune's choice, in delete order. */
    selected: KubeObject[];
    refusal?: string;
    deleted: ObjectRef[];
    failures: DeployObjectFailure[];
  };
  /** A real run's health: absent for a dry run and when it stopped before. */
  health?: WaitForHealthResult;
}

/**
 * The one reconcile of an environment; a plan is its dry run, a deploy its real run.
 * 1. prepare: every kind resolved once, namespaces placed, Slipway's labels, refusals of the
 *    policy, of unknown kinds and of duplicates (prepareObjects), before any request about an object;
 * 2. compare with live: list the environment's inventory by label (allowed kinds in Git, and for
 *    prune the allowed prunable kinds, in allowed namespaces); learn the owner of each other
 *    object Git names from its metadata alone, and refuse what is another environment's (or,
 *    without `adopt`, nobody's Slipway knows); an adopted object is read in full;
 * 3. apply or dry run (applyInOrder): unchanged objects are not written;
 * 4. prune (selectPrune, guardPrune, deleteInOrder), with the same dry run;
 * 5. wait for the health of every object in Git (waitForHealth), after a real run.
 * A real run stops at the first step that refuses something, so it writes nothing when any
 * object is refused; a dry run goes on, to report every refusal. Expected refusals are data; an
 * outage or bad credentials are thrown.
 */
export async function reconcileEnvironment(params: ReconcileParams): Promise<Reconciliation> {
  const { client, dryRun, environmentId, policy, concurrency } = params;

  // 1. Prepare.
  const prepared = await prepareObjects({ client, environmentId, manifests: params.manifests, defaultNamespace: params.defaultNamespace, policy });
  const objects: ReconciledObject[] = prepared.objects;
  const base = { dryRun, objects, inventory: [], listed: [], foreign: [] };
  if (!dryRun && objects.some((item) => item.refusal)) return base;

  // 2. Compare with live.
  const listKinds = new Map<string, ResourceInfo>();
  for (const item of objects) {
    if (item.refusal || item.pendingCrd !== undefined) continue;
    const resolved = await prepared.lookup(item.ref);
    if (resolved.ok) listKinds.set(groupKind(item.ref), resolved.info);
  }
  if (params.prune) {
    for (const type of params.pruneKinds ?? defaultPruneKinds) {
      const resolved = await prepared.lookup(type);
      if (!resolved.ok || (policy && !allowsKind(policy, resolved.info))) continue;
      if (!listKinds.has(groupKind(type))) listKinds.set(groupKind(type), resolved.info);
    }
  }
  const namespaces = [
    params.defaultNamespace,
    ...objects.flatMap((item) => (!item.refusal && item.namespaced && item.ref.namespace ? [item.ref.namespace] : [])),
  ];
  const listed = await listInventory({
    client,
    environmentId,
    kinds: [...listKinds.values()],
    namespaces: [...new Set(namespaces)],
    ...(policy ? { keepNamespace: (namespace: string) => policy.namespaces.some((pattern) => matchesPattern(pattern, namespace)) } : {}),
    concurrency,
    signal: params.signal,
  });
  // What the policy refuses is no longer this environment's to change or prune (say, a Namespace it no longer allows).
  const inventory = policy ? listed.filter((object) => allowedLive(policy, object)) : listed;
  const liveByKey = new Map(inventory.map((object) => [objectKey(objectRef(object)), object]));
  for (const item of objects) if (!item.refusal) item.live = liveByKey.get(objectKey(item.ref));
  const foreign = await findForeign(params, objects);
  const found = { ...base, inventory, listed, foreign };
  if (!dryRun && objects.some((item) => item.refusal)) return found;

  // 3. Apply or dry run, in apply order.
  const ordered = objects.filter((item) => !item.refusal).sort((a, b) => compareApplyOrder(a.ref, b.ref));
  const applied = await applyInOrder({
    client,
    items: ordered.map((item) => ({ item, live: item.live })),
    createdNamespaces: prepared.createdNamespaces,
    sha: params.sha,
    dryRun,
    force: params.force ?? true,
    concurrency,
    establishTimeoutMs: Math.max(params.healthTimeoutMs, 30_000),
    onProgress: params.onProgress,
    signal: params.signal,
  });
  const withApply = { ...found, apply: { ...applied, ordered } };
  const applyFailed = applied.notEstablished !== undefined || [...applied.outcomes.values()].some((outcome) => outcome.status === "refused");
  if (!dryRun && applyFailed) return withApply;

  // 4. Prune.
  const selected = selectPrune({ live: inventory, desired: objects.map((item) => item.object), environmentId, prune: params.prune });
  const guard = guardPrune({
    toDelete: selected,
    inventorySize: inventory.length,
    maxShare: params.pruneGuard?.maxShare,
    allowDeleteAll: params.pruneGuard?.allowDeleteAll,
  });
  if (!guard.ok) return { ...withApply, prune: { selected, refusal: guard.reason, deleted: [], failures: [] } };
  const pruned = await deleteInOrder({ client, objects: selected, dryRun, concurrency, onProgress: params.onProgress, signal: params.signal });
  const withPrune = { ...withApply, prune: { selected, deleted: pruned.deleted, failures: pruned.failures } };
  if (dryRun || pruned.failures.length > 0) return withPrune;

  // 5. Health of what is in Git, in apply order.
  const targets = ordered.flatMap((item) => {
    const outcome = applied.outcomes.get(item);
    return outcome && "live" in outcome ? [{ ref: item.ref, live: outcome.live as KubeObject | undefined }] : [];
  });
  if (params.healthTimeoutMs <= 0) {
    const states = targets.map(({ ref, live }) => ({
      ref,
      ...(live ? assessHealth(live) : { status: "Missing" as const, message: "No longer in the cluster" }),
    }));
    const report: HealthReport = { status: worstHealth(states.map((o) => o.status)), objects: states, waitedMs: 0, timedOut: false };
    return { ...withPrune, health: { ok: true, report } };
  }
  const health = await waitForHealth({
    client,
    environmentId,
    objects: targets,
    timeoutMs: params.healthTimeoutMs,
    degradedGraceMs: params.degradedGraceMs,
    onProgress: params.onProgress,
    signal: params.signal,
  });
  return { ...withPrune, health };
}

function allowedLive(policy: ClusterPolicy, object: KubeObject): boolean {
  const ref = objectRef(object);
  return checkClusterPolicy(policy, { ...ref, namespaced: ref.namespace !== undefined }) === undefined;
}

// Objects Git names that the inventory does not hold may exist all the same, made by hand, by
// another tool or by another environment: learn their owners (listForeignMetadata, which never
// reads their content) and refuse what is not this environment's to take; force would take over
// every field, and a later prune of this environment delete it. An object the environment adopts
// is read in full, so it can be compared.
async function findForeign(params: ReconcileParams, objects: ReconciledObject[]): Promise<KubeObject[]> {
  const unknown = objects.filter((item) => !item.refusal && item.live === undefined && item.pendingCrd === undefined);
  if (unknown.length === 0) return [];
  let found: Map<string, KubeObject>;
  try {
    found = await listForeignMetadata({
      client: params.client,
      refs: unknown.map((item) => item.ref),
      environmentId: params.environmentId,
      concurrency: params.concurrency,
      signal: params.signal,
    });
  } catch (error) {
    const refusal = clusterRefusal(error);
    for (const item of unknown) item.refusal = refusal;
    return [];
  }
  const foreign = await mapLimited(
    unknown,
    params.concurrency,
    async (item): Promise<KubeObject | undefined> => {
      const metadata = found.get(objectKey(item.ref));
      if (!metadata) return undefined;
      const ownership = objectOwnership(metadata, params.environmentId);
      if (ownership.status === "owned") return metadata;
      if (ownership.status === "other-environment" || !params.adopt) {
        item.refusal = { cause: "not-owned", ownership };
        return metadata;
      }
      try {
        item.live = await params.client.get(item.ref);
        return item.live;
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    params.signal,
  );
  return foreign.filter((object) => object !== undefined);
}
