import { describeNotOwned } from "../core/plan/object-ownership.js";
import { describeObject, objectKey, objectRef } from "../core/object-identity.js";
import type { EnvironmentPlan, PlanRejection } from "../core/plan/environment-plan.js";
import { planObjects, type DesiredObject, type DryRunOutcome, type PlanObjectsParams } from "../core/plan/plan-objects.js";
import { ENVIRONMENT_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "../core/plan/slipway-labels.js";
import type { ApplyOutcome } from "./apply-in-order.js";
import type { ObjectRefusal } from "./object-refusal.js";
import type { PreparedObject, ReconcileManifest } from "./prepare-objects.js";
import { reconcileEnvironment, type ReconciledObject, type ReconcileParams } from "./reconcile-environment.js";

export interface PlanLiveParams extends Pick<ReconcileParams, "environmentId" | "prune" | "pruneKinds" | "policy" | "adopt" | "force"> {
  cluster: ReconcileParams["client"];
  /** The environment's name in the repository config. */
  environment: string;
  /** Namespace for namespaced objects that name none. */
  namespace: string;
  manifests: ReconcileManifest[];
  /** Stamped as `slipway.dev/source-sha`, as a deploy would (not part of the diff). */
  sourceSha?: string;
  /** Requests in flight at once (dry runs among them); default 8. */
  concurrency?: number;
  /** Compares desired with live (default: planObjects here; the App runs it in a worker thread). */
  compare?: (params: PlanObjectsParams) => EnvironmentPlan | Promise<EnvironmentPlan>;
}

/**
 * The live plan of one environment: the deploy's dry run (reconcileEnvironment with `dryRun`),
 * so the same preparation, the same refusals (policy before any request, ownership from
 * metadata alone) and the same order; then each desired object compared with what the cluster
 * would make of it (planObjects). A refusal becomes a rejection at its file and line; an object
 * the change's namespace or CRD must precede is planned after it, as written; deletions are what
 * the deploy's prune would select. An object this environment does not own is never shown by
 * value. Throws only when the cluster cannot answer (UnavailableError, UnauthorizedError): the
 * caller then falls back to an offline plan.
 */
export async function planLive(params: PlanLiveParams): Promise<EnvironmentPlan> {
  const { environmentId } = params;
  const reconciliation = await reconcileEnvironment({
    client: params.cluster,
    environmentId,
    manifests: params.manifests,
    defaultNamespace: params.namespace,
    sha: params.sourceSha,
    dryRun: true,
    prune: params.prune,
    pruneKinds: params.pruneKinds,
    policy: params.policy,
    adopt: params.adopt,
    force: params.force,
    concurrency: params.concurrency ?? 8,
    healthTimeoutMs: 0,
  });

  const desired: DesiredObject[] = reconciliation.objects.map((item) => ({
    object: item.object,
    file: item.manifest.file,
    line: item.manifest.line,
    ...(item.manifest.lineOf ? { lineOf: item.manifest.lineOf } : {}),
    dryRun: dryRunOutcome(item, reconciliation.apply?.outcomes.get(item)),
  }));
  // What prune would leave alone (owned by a controller, being deleted, a Namespace still in use)
  // is not shown as a deletion.
  const selected = new Set((reconciliation.prune?.selected ?? []).map((object) => objectKey(objectRef(object))));
  const wanted = new Set(reconciliation.objects.map((item) => objectKey(item.ref)));
  const inventory = params.prune
    ? reconciliation.inventory.filter((object) => {
        const key = objectKey(objectRef(object));
        return wanted.has(key) || selected.has(key) || !labelledFor(object, environmentId);
      })
    : reconciliation.inventory;
  return (params.compare ?? planObjects)({
    environment: params.environment,
    environmentId,
    desired,
    live: inventory.concat(reconciliation.foreign),
    prune: params.prune,
    ...(params.adopt ? { adopt: true } : {}),
  });
}

// A dry run goes on past refusals, so every object has its refusal or its dry run's answer.
function dryRunOutcome(item: ReconciledObject, outcome: ApplyOutcome | undefined): DryRunOutcome {
  if (item.refusal) return { status: "rejected", rejection: rejectionOf(item, item.refusal) };
  if (outcome === undefined) throw new Error(`${describeObject(item.ref)} was neither refused nor dry-run`);
  if (outcome.status === "refused") return { status: "rejected", rejection: rejectionOf(item, outcome.refusal) };
  if (outcome.status === "deferred") return outcome;
  return { status: "applied", object: outcome.live };
}

function rejectionOf(item: PreparedObject, refusal: ObjectRefusal): PlanRejection {
  switch (refusal.cause) {
    case "no-name":
      return {
        reason: "invalid",
        message: `${item.ref.apiVersion} ${item.ref.kind}: metadata.name is required for server-side apply`,
        fields: [{ field: "metadata.name", message: "name is required" }],
      };
    case "policy": {
      const line = item.manifest.lineOf?.(refusal.path);
      return { reason: "not-allowed", message: refusal.message, fields: [], ...(line ? { line } : {}) };
    }
    case "duplicate":
      return { reason: "duplicate", message: `${describeObject(item.ref)} is also defined at ${refusal.first.file}:${refusal.first.line}`, fields: [] };
    case "not-owned":
      return { reason: "not-owned", message: describeNotOwned(refusal.ownership), fields: [] };
    case "cluster":
      return {
        reason: refusal.reason,
        message: refusal.reason === "unknown-kind" ? `${refusal.message}; this change defines no CustomResourceDefinition for it` : refusal.message,
        fields: refusal.fields,
      };
  }
}

function labelledFor(object: { metadata: { labels?: Record<string, string> } }, environmentId: string): boolean {
  return object.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && object.metadata.labels?.[ENVIRONMENT_LABEL] === environmentId;
}
