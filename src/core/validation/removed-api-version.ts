/** An API version Kubernetes stopped serving, and what replaces it. */
export interface RemovedApiVersion {
  /** `major.minor` of the first Kubernetes release that no longer serves it. */
  removedIn: string;
  /** The apiVersion to use instead, per kind (`*` for every kind); absent when nothing replaces it. */
  use: Record<string, string>;
}

// From Kubernetes' deprecated API migration guide: group-version → release that removed it.
// A few kinds of a group-version went earlier or later than the rest; they are keyed by kind.
const removed: Record<string, RemovedApiVersion | Record<string, RemovedApiVersion>> = {
  "extensions/v1beta1": {
    Deployment: { removedIn: "1.16", use: { "*": "apps/v1" } },
    DaemonSet: { removedIn: "1.16", use: { "*": "apps/v1" } },
    ReplicaSet: { removedIn: "1.16", use: { "*": "apps/v1" } },
    NetworkPolicy: { removedIn: "1.16", use: { "*": "networking.k8s.io/v1" } },
    PodSecurityPolicy: { removedIn: "1.16", use: { "*": "policy/v1beta1" } },
    Ingress: { removedIn: "1.22", use: { "*": "networking.k8s.io/v1" } },
    "*": { removedIn: "1.22", use: {} },
  },
  "apps/v1beta1": { removedIn: "1.16", use: { "*": "apps/v1" } },
  "apps/v1beta2": { removedIn: "1.16", use: { "*": "apps/v1" } },
  "admissionregistration.k8s.io/v1beta1": { removedIn: "1.22", use: { "*": "admissionregistration.k8s.io/v1" } },
  "apiextensions.k8s.io/v1beta1": { removedIn: "1.22", use: { "*": "apiextensions.k8s.io/v1" } },
  "apiregistration.k8s.io/v1beta1": { removedIn: "1.22", use: { "*": "apiregistration.k8s.io/v1" } },
  "authentication.k8s.io/v1beta1": { removedIn: "1.22", use: { "*": "authentication.k8s.io/v1" } },
  "authorization.k8s.io/v1beta1": { removedIn: "1.22", use: { "*": "authorization.k8s.io/v1" } },
  "certificates.k8s.io/v1beta1": { removedIn: "1.22", use: { "*": "certificates.k8s.io/v1" } },
  "coordination.k8s.io/v1beta1": { removedIn: "1.22", use: { "*": "coordination.k8s.io/v1" } },
  "networking.k8s.io/v1beta1": { removedIn: "1.22", use: { "*": "networking.k8s.io/v1" } },
  "rbac.authorization.k8s.io/v1beta1": { removedIn: "1.22", use: { "*": "rbac.authorization.k8s.io/v1" } },
  "rbac.authorization.k8s.io/v1alpha1": { removedIn: "1.22", use: { "*": "rbac.authorization.k8s.io/v1" } },
  "scheduling.k8s.io/v1beta1": { removedIn: "1.22", use: { "*": "scheduling.k8s.io/v1" } },
  "scheduling.k8s.io/v1alpha1": { removedIn: "1.22", use: { "*": "scheduling.k8s.io/v1" } },
  "storage.k8s.io/v1beta1": {
    CSIStorageCapacity: { removedIn: "1.27", use: { "*": "storage.k8s.io/v1" } },
    "*": { removedIn: "1.22", use: { "*": "storage.k8s.io/v1" } },
  },
  "batch/v1beta1": { removedIn: "1.25", use: { "*": "batch/v1" } },
  "batch/v2alpha1": { removedIn: "1.21", use: { "*": "batch/v1" } },
  "discovery.k8s.io/v1beta1": { removedIn: "1.25", use: { "*": "discovery.k8s.io/v1" } },
  "events.k8s.io/v1beta1": { removedIn: "1.25", use: { "*": "events.k8s.io/v1" } },
  "autoscaling/v2beta1": { removedIn: "1.25", use: { "*": "autoscaling/v2" } },
  "autoscaling/v2beta2": { removedIn: "1.26", use: { "*": "autoscaling/v2" } },
  "policy/v1beta1": {
    PodSecurityPolicy: { removedIn: "1.25", use: {} },
    "*": { removedIn: "1.25", use: { "*": "policy/v1" } },
  },
  "node.k8s.io/v1beta1": { removedIn: "1.25", use: { "*": "node.k8s.io/v1" } },
  "flowcontrol.apiserver.k8s.io/v1beta1": { removedIn: "1.26", use: { "*": "flowcontrol.apiserver.k8s.io/v1" } },
  "flowcontrol.apiserver.k8s.io/v1beta2": { removedIn: "1.29", use: { "*": "flowcontrol.apiserver.k8s.io/v1" } },
  "flowcontrol.apiserver.k8s.io/v1beta3": { removedIn: "1.32", use: { "*": "flowcontrol.apiserver.k8s.io/v1" } },
};

/**
 * When `apiVersion` (for `kind`) was removed from Kubernetes, if it was by `kubernetesVersion`
 * (`major.minor`), and the apiVersion to use instead, if any.
 */
export function removedApiVersion(apiVersion: string, kind: string, kubernetesVersion: string): { removedIn: string; use?: string } | undefined {
  const entry = removed[apiVersion];
  if (entry === undefined) return undefined;
  const found = ("removedIn" in entry ? entry : (entry[kind] ?? entry["*"])) as RemovedApiVersion | undefined;
  if (found === undefined || compareVersions(found.removedIn, kubernetesVersion) > 0) return undefined;
  const use = found.use[kind] ?? found.use["*"];
  return { removedIn: found.removedIn, ...(use !== undefined ? { use } : {}) };
}

/** Orders `major.minor` versions numerically (1.9 before 1.16). */
export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number);
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}
