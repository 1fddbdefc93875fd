import { groupOf } from "../object-identity.js";
import { clusterScopedKinds } from "../validation/cluster-scoped-kinds.js";

/**
 * Whether a kind lives in namespaces, without a cluster to ask: built-in kinds from the known
 * list, custom kinds from a CustomResourceDefinition among `objects`; any other kind is
 * assumed namespaced, as most custom kinds are.
 */
export function isNamespacedOffline(object: Record<string, unknown>, objects: ReadonlyArray<Record<string, unknown>>): boolean {
  const apiVersion = String(object.apiVersion ?? "");
  const group = groupOf(apiVersion);
  const kind = String(object.kind ?? "");
  if (clusterScopedKinds.has(`${group}/${kind}`)) return false;
  for (const crd of objects) {
    if (crd.kind !== "CustomResourceDefinition") continue;
    const spec = (crd.spec ?? {}) as { group?: string; names?: { kind?: string }; scope?: string };
    if (spec.group === group && spec.names?.kind === kind) return spec.scope !== "Cluster";
  }
  return true;
}
