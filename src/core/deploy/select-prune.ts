import { objectKey, objectRef } from "../object-identity.js";
import { ENVIRONMENT_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "../plan/slipway-labels.js";
import { planApplyOrder } from "../apply-order.js";

export interface SelectPruneParams<T extends Record<string, unknown>> {
  /** The environment's live inventory: objects listed by its labels. */
  live: readonly T[];
  /** What Git asks for, with namespaces defaulted as applied. */
  desired: ReadonlyArray<Record<string, unknown>>;
  environmentId: string;
  /** The environment's `prune` setting: off selects nothing. */
  prune: boolean;
}

/**
 * The live objects to delete because Git no longer has them, in reverse apply order (namespaced
 * objects first, Namespaces last). Never selected: objects without this environment's labels,
 * objects a controller owns (they go with their owner), objects already being deleted, and a
 * Namespace that still holds objects in Git (deleting it would delete them too).
 */
export function selectPrune<T extends Record<string, unknown>>(params: SelectPruneParams<T>): T[] {
  if (!params.prune) return [];
  const wanted = new Set(params.desired.map((object) => objectKey(objectRef(object))));
  const usedNamespaces = new Set(params.desired.map((object) => objectRef(object).namespace).filter((ns) => ns !== undefined));
  const selected = params.live.filter((object) => {
    const metadata = (object.metadata ?? {}) as {
      labels?: Record<string, string>;
      deletionTimestamp?: string;
      ownerReferences?: Array<{ controller?: boolean }>;
    };
    if (metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE || metadata.labels?.[ENVIRONMENT_LABEL] !== params.environmentId) return false;
    if (metadata.deletionTimestamp !== undefined) return false;
    if ((metadata.ownerReferences ?? []).some((owner) => owner.controller === true)) return false;
    const ref = objectRef(object);
    if (wanted.has(objectKey(ref))) return false;
    if (ref.kind === "Namespace" && ref.apiVersion === "v1" && usedNamespaces.has(ref.name)) return false;
    return true;
  });
  const waves = planApplyOrder(selected.map((object) => ({ object, namespaced: objectRef(object).namespace !== undefined })));
  return waves.reverse().flatMap((wave) => wave.items.map((item) => item.object));
}
