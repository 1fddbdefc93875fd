import type { EnvironmentPlan } from "./environment-plan.js";
import { isNamespacedOffline } from "./is-namespaced-offline.js";
import { objectKey, objectRef } from "../object-identity.js";
import { planObjects } from "./plan-objects.js";
import { withDefaultNamespace } from "./with-default-namespace.js";
import { withSlipwayMetadata } from "./with-slipway-metadata.js";

export interface OfflineManifest {
  object: Record<string, unknown>;
  file: string;
  line: number;
}

export interface PlanOfflineParams {
  environment?: string;
  environmentId: string;
  /** The environment's objects at the base commit (what is presumably deployed). */
  base: OfflineManifest[];
  /** The environment's objects at the head commit. */
  head: OfflineManifest[];
  prune: boolean;
  /** Namespace for objects that name none. */
  namespace: string;
  /** Why the plan is offline, for the reader: "the pull request comes from a fork". */
  reason: string;
  /** What the head was compared with, e.g. "main at 1a2b3c4". */
  baseLabel?: string;
}

/**
 * A plan from Git alone: the head's objects against the base's, with no cluster to ask, so no
 * server defaults, admission or live drift. Labelled offline so no reader takes it for the
 * live comparison.
 */
export function planOffline(params: PlanOfflineParams): EnvironmentPlan {
  const all = [...params.base, ...params.head].map((m) => m.object);
  // Both sides get Slipway's labels, so they differ only where Git does.
  const prepare = (object: Record<string, unknown>) =>
    withSlipwayMetadata(withDefaultNamespace(object, params.namespace, isNamespacedOffline(object, all)), { environmentId: params.environmentId });
  const plan = planObjects({
    environment: params.environment,
    environmentId: params.environmentId,
    desired: params.head.map((m) => {
      const object = prepare(m.object);
      return { object, file: m.file, line: m.line, dryRun: { status: "applied" as const, object } };
    }),
    live: params.base.map((m) => prepare(m.object)),
    prune: params.prune,
    diffLabels: { before: "base", after: "head" },
  });
  // A deletion points at where the object was written at the base.
  const baseWhere = new Map(params.base.map((m) => [objectKey(objectRef(prepare(m.object))), { file: m.file, line: m.line }]));
  const objects = plan.objects.map((o) => (o.action === "delete" && o.file === undefined ? { ...o, ...baseWhere.get(objectKey(o.ref)) } : o));
  return { ...plan, objects, mode: "offline", offline: { reason: params.reason, ...(params.baseLabel ? { base: params.baseLabel } : {}) } };
}
