import type { ClusterPolicy } from "./cluster-policy.js";
import { matchesKind } from "./matches-kind.js";

/**
 * Whether a policy lets a repository manage any object of a kind at all (not denied; listed in
 * clusterResources when cluster-scoped): what a plan or deploy may list, for prune, by label.
 */
export function allowsKind(policy: ClusterPolicy, type: { group: string; kind: string; namespaced: boolean }): boolean {
  if (policy.deniedKinds.some((entry) => matchesKind(entry, type.group, type.kind))) return false;
  const isNamespace = type.group === "" && type.kind === "Namespace";
  return (type.namespaced && !isNamespace) || policy.clusterResources.some((entry) => matchesKind(entry, type.group, type.kind));
}
