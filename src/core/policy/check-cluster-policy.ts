import { matchesPattern } from "./matches-pattern.js";
import type { ClusterPolicy, PolicyRefusal, PolicyTarget } from "./cluster-policy.js";
import { matchesKind } from "./matches-kind.js";
import { groupOf } from "../object-identity.js";

/**
 * Whether a cluster's policy lets a repository manage one object, decided from the object alone
 * so that validate, plan, deploy and prune refuse it before any request about it:
 * 1. a denied kind is refused, whatever its scope;
 * 2. a cluster-scoped kind must be listed in clusterResources (and a Namespace's name allowed);
 * 3. a namespaced object's namespace must be allowed.
 * Undefined means allowed.
 */
export function checkClusterPolicy(policy: ClusterPolicy, target: PolicyTarget): PolicyRefusal | undefined {
  const group = groupOf(target.apiVersion);
  const kind = group === "" ? target.kind : `${group}/${target.kind}`;
  if (policy.deniedKinds.some((entry) => matchesKind(entry, group, target.kind))) {
    return { rule: "denied-kind", message: `kind denied on this cluster: ${kind} (deniedKinds: ${policy.deniedKinds.join(", ")})`, path: ["kind"] };
  }
  const isNamespace = group === "" && target.kind === "Namespace";
  if (target.namespaced === false || isNamespace) {
    if (!policy.clusterResources.some((entry) => matchesKind(entry, group, target.kind))) {
      return {
        rule: "cluster-resource",
        message: `cluster-scoped kind not allowed: ${kind} (clusterResources: ${policy.clusterResources.join(", ") || "none"})`,
        path: ["kind"],
      };
    }
    if (isNamespace && !namespaceAllowed(policy, target.name)) return namespaceRefusal(policy, target.name, ["metadata", "name"]);
    return undefined;
  }
  if (target.namespace !== undefined && !namespaceAllowed(policy, target.namespace))
    return namespaceRefusal(policy, target.namespace, ["metadata", "namespace"]);
  return undefined;
}

function namespaceAllowed(policy: ClusterPolicy, namespace: string): boolean {
  return policy.namespaces.some((pattern) => matchesPattern(pattern, namespace));
}

function namespaceRefusal(policy: ClusterPolicy, namespace: string, path: string[]): PolicyRefusal {
  return { rule: "namespace", message: `namespace ${namespace} is not allowed for this cluster (allowed: ${policy.namespaces.join(", ") || "none"})`, path };
}
