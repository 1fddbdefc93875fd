import { describeNotOwned } from "../core/plan/object-ownership.js";
import type { AppliedObject, DeployFailed, DeployObjectFailure, DeployResult } from "../core/deploy/deploy-result.js";
import { describeObject, type SourcedObjectRef } from "../core/object-identity.js";
import { collectSecretValues } from "../core/plan/collect-secret-values.js";
import { maskText } from "../core/plan/mask-text.js";
import type { ObjectRefusal } from "./object-refusal.js";
import type { PreparedObject, ReconcileManifest } from "./prepare-objects.js";
import { reconcileEnvironment, type ReconcileParams } from "./reconcile-environment.js";

/** One object as loaded from the repository (a ManifestObject fits). */
export type DeployManifest = ReconcileManifest;

export interface DeployEnvironmentParams extends Omit<ReconcileParams, "manifests" | "defaultNamespace" | "sha" | "concurrency"> {
  /** The commit deployed, recorded on every object this deploy writes. */
  sha: string;
  objects: readonly DeployManifest[];
  /** Namespace for namespaced objects that name none. */
  namespaceDefault: string;
  /** Requests in flight at once within a wave; default 16. */
  concurrency?: number;
}

/**
 * Deploys one environment's objects to its cluster: the real run of reconcileEnvironment (or,
 * with `dryRun`, its dry run), told as a deploy's result. An object refused (by the policy, by
 * ownership, as unknown, nameless or defined twice) fails the deploy before anything is written;
 * an object the cluster refuses fails it at its wave; then a refused prune, a failed delete, a
 * health timeout. Each failure names the object and the reason, masked against every Secret of
 * the environment (in Git and live); an outage or bad credentials are thrown.
 */
export async function deployEnvironment(params: DeployEnvironmentParams): Promise<DeployResult> {
  const { dryRun } = params;
  const started = Date.now();
  const reconciliation = await reconcileEnvironment({
    ...params,
    manifests: params.objects,
    defaultNamespace: params.namespaceDefault,
    concurrency: params.concurrency ?? 16,
  });

  // The server may quote any object's values back (another object's Secret among them): every
  // reason a deploy gives is masked against every Secret of the environment, in Git and live.
  const secretValues = collectSecretValues([...params.objects.map((manifest) => manifest.object), ...reconciliation.listed]);
  const mask = (text: string) => maskText(text, secretValues);
  const done = { dryRun, applied: [] as AppliedObject[], unchanged: [] as SourcedObjectRef[], pruned: [] as SourcedObjectRef[] };
  const failed = (phase: DeployFailed["phase"], failures: DeployObjectFailure[], rest: Partial<DeployFailed> = {}): DeployFailed => {
    const masked = failures.map((failure) => ({ ...failure, reason: mask(failure.reason) }));
    const health = rest.health && { ...rest.health, objects: rest.health.objects.map((object) => ({ ...object, message: mask(object.message) })) };
    return {
      ...done,
      ...rest,
      ...(health ? { health } : {}),
      status: "failed",
      phase,
      object: masked[0]?.ref,
      reason: mask(rest.reason ?? masked[0]?.reason ?? "failed"),
      failures: masked,
      durationMs: Date.now() - started,
    };
  };

  // Refused before anything is written: when preparing, then for ownership.
  const refusals = (causes: ReadonlyArray<ObjectRefusal["cause"]>) =>
    reconciliation.objects.flatMap((item) =>
      item.refusal && causes.includes(item.refusal.cause) ? [{ ref: item.ref, reason: refusalReason(item, item.refusal) }] : [],
    );
  const prepareRefusals = refusals(["no-name", "policy", "duplicate", "cluster"]);
  if (prepareRefusals.length > 0) return failed("apply", prepareRefusals);
  const notOwned = refusals(["not-owned"]);
  if (notOwned.length > 0) return failed("apply", notOwned);

  // Applied, in apply order.
  const applyFailures: DeployObjectFailure[] = [];
  for (const item of reconciliation.apply?.ordered ?? []) {
    const outcome = reconciliation.apply?.outcomes.get(item);
    if (outcome === undefined) continue;
    if (outcome.status === "refused") applyFailures.push({ ref: item.ref, reason: outcome.refusal.message });
    else if (outcome.status === "unchanged") done.unchanged.push(item.ref);
    else done.applied.push({ ref: item.ref, change: outcome.status === "deferred" ? "created" : outcome.status });
  }
  const notEstablished = reconciliation.apply?.notEstablished;
  if (notEstablished) applyFailures.push({ ref: notEstablished.item.ref, reason: notEstablished.reason });
  if (applyFailures.length > 0) return failed("apply", applyFailures);

  const prune = reconciliation.prune;
  if (prune?.refusal) return failed("prune", [], { reason: prune.refusal });
  done.pruned = prune?.deleted ?? [];
  if (prune && prune.failures.length > 0) return failed("prune", prune.failures);

  const health = reconciliation.health;
  if (health && !health.ok) return failed("health", [{ ref: health.object.ref, reason: health.reason }], { health: health.report });
  return { status: "succeeded", ...done, ...(health ? { health: health.report } : {}), durationMs: Date.now() - started };
}

function refusalReason(item: PreparedObject, refusal: ObjectRefusal): string {
  const { ref } = item;
  switch (refusal.cause) {
    case "no-name":
      return `${ref.kind} at ${item.manifest.file}:${item.manifest.line} has no metadata.name`;
    case "policy":
      return `${ref.kind} ${ref.name}: ${refusal.message}`;
    case "duplicate":
      return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name} is defined twice (${refusal.first.file}:${refusal.first.line} and ${item.manifest.file}:${item.manifest.line})`;
    case "not-owned":
      return `${describeObject(ref)} ${describeNotOwned(refusal.ownership)}`;
    case "cluster":
      return refusal.message;
  }
}
