import { groupKind, type ObjectRef } from "./object-identity.js";

// The one order in which Slipway applies an environment, and in which its plan lists it.

/**
 * The phases of an apply, in order: Namespaces; CustomResourceDefinitions (established before
 * anything uses their kinds); other cluster-scoped objects; namespaced objects; and last the
 * admission webhooks and API services, which route API requests to Services that must exist
 * first (applied earlier, a webhook with failurePolicy Fail would refuse the rest of the deploy).
 */
export type ApplyPhase = "namespaces" | "crds" | "cluster" | "namespaced" | "webhooks";

/** Objects applied together: one phase, and one kind rank within it. */
export interface ApplyWave<T> {
  phase: ApplyPhase;
  items: T[];
}

/** What the order looks at: the object's apiVersion and kind, and whether its kind is namespaced. */
export interface ApplyOrderItem {
  object: { apiVersion?: unknown; kind?: unknown };
  namespaced: boolean;
}

const phases: ApplyPhase[] = ["namespaces", "crds", "cluster", "namespaced", "webhooks"];
const routingKinds = new Set([
  "admissionregistration.k8s.io/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
  "apiregistration.k8s.io/APIService",
]);

// Within a phase, kinds that others depend on go first: configuration before workloads. The
// order Helm and kubectl users know.
const kindOrder = [
  "Namespace",
  "CustomResourceDefinition",
  "PriorityClass",
  "ResourceQuota",
  "LimitRange",
  "NetworkPolicy",
  "PodDisruptionBudget",
  "ServiceAccount",
  "Secret",
  "ConfigMap",
  "StorageClass",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
  "Service",
  "DaemonSet",
  "Pod",
  "ReplicationController",
  "ReplicaSet",
  "Deployment",
  "HorizontalPodAutoscaler",
  "StatefulSet",
  "Job",
  "CronJob",
  "IngressClass",
  "Ingress",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
];

/** The phase an object is applied in. */
export function applyPhase(item: ApplyOrderItem): ApplyPhase {
  const type = groupKind({ apiVersion: String(item.object.apiVersion ?? ""), kind: String(item.object.kind ?? "") });
  if (type === "/Namespace") return "namespaces";
  if (type === "apiextensions.k8s.io/CustomResourceDefinition") return "crds";
  if (routingKinds.has(type)) return "webhooks";
  return item.namespaced ? "namespaced" : "cluster";
}

/**
 * Where an object comes in apply order: its phase, then its kind's rank (kinds not listed, such
 * as custom resources, after the listed ones). Equal ranks are applied together, in one wave.
 */
export function applyRank(item: ApplyOrderItem): number {
  const index = kindOrder.indexOf(String(item.object.kind ?? ""));
  return phases.indexOf(applyPhase(item)) * (kindOrder.length + 1) + (index < 0 ? kindOrder.length : index);
}

/**
 * Objects in waves to apply one after the other; the objects of one wave do not depend on each
 * other and may go at once. The input order is kept within a wave. Read backwards, the waves
 * are the order in which to delete.
 */
export function planApplyOrder<T extends ApplyOrderItem>(items: readonly T[]): ApplyWave<T>[] {
  const keyed = items.map((item, index) => ({ item, index, rank: applyRank(item) }));
  keyed.sort((a, b) => a.rank - b.rank || a.index - b.index);
  const waves: ApplyWave<T>[] = [];
  let last: number | undefined;
  for (const entry of keyed) {
    if (last !== entry.rank) {
      waves.push({ phase: applyPhase(entry.item), items: [] });
      last = entry.rank;
    }
    waves[waves.length - 1].items.push(entry.item);
  }
  return waves;
}

/**
 * Apply order as one total order over references: rank, then kind, namespace and name. The plan
 * lists objects in it and the deploy applies them in it, whatever the order of the files in Git.
 */
export function compareApplyOrder(a: ObjectRef, b: ObjectRef): number {
  return refRank(a) - refRank(b) || compareNames(a, b);
}

/** The order of deletions: the reverse of apply order by rank (namespaced objects first, Namespaces last), then by name. */
export function compareDeleteOrder(a: ObjectRef, b: ObjectRef): number {
  return refRank(b) - refRank(a) || compareNames(a, b);
}

// A reference names a namespace exactly when its kind is namespaced.
function refRank(ref: ObjectRef): number {
  return applyRank({ object: ref, namespaced: ref.namespace !== undefined });
}

function compareNames(a: ObjectRef, b: ObjectRef): number {
  const ka = `${a.kind}\u0000${a.namespace ?? ""}\u0000${a.name}`;
  const kb = `${b.kind}\u0000${b.namespace ?? ""}\u0000${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
