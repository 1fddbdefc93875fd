/**
 * What the operator's clusters file lets repositories manage on one cluster alias, whatever a
 * repository's own config says (the role Argo CD's AppProject plays). Kinds are written `Kind` for
 * the core group, `group/Kind` otherwise, `group/*` for every kind of a group, `*` for any kind.
 */
export interface ClusterPolicy {
  /** Namespace patterns (`*` matches within a name) for namespaced objects and Namespace objects. */
  namespaces: readonly string[];
  /** Cluster-scoped kinds a repository may manage; none unless listed (Namespace included). */
  clusterResources: readonly string[];
  /** Kinds never managed here, namespaced or not; a denial wins over any allowance. */
  deniedKinds: readonly string[];
}

/** The object a policy judges. `namespaced` is undefined when nobody could tell the kind's scope. */
export interface PolicyTarget {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  namespaced: boolean | undefined;
}

/** Why a policy refuses an object, and which field of the manifest to point at. */
export interface PolicyRefusal {
  rule: "namespace" | "cluster-resource" | "denied-kind";
  message: string;
  path: string[];
}
