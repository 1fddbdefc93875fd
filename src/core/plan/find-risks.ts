import { groupKind } from "../object-identity.js";
import type { PlanAction, PlanRejection, PlanRisk } from "./environment-plan.js";

export interface FindRisksParams {
  action: PlanAction;
  /** The object before the change (live, or the base commit offline); normalized. */
  before?: Record<string, unknown>;
  /** The object after the change (the dry run's answer, or the head commit); normalized. */
  after?: Record<string, unknown>;
  rejection?: PlanRejection;
}

// What a deletion takes with it, for the kinds where that is more than the object itself.
const deletionConsequences: Record<string, string> = {
  "/Namespace": "every object in the namespace is deleted with it",
  "/PersistentVolumeClaim": "its volume and the data on it may be deleted",
  "/PersistentVolume": "the data on the volume may be deleted",
  "apiextensions.k8s.io/CustomResourceDefinition": "every custom resource of this kind is deleted with it",
};

const rbacKinds = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);
const scaledKinds = new Set(["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"]);

// Fields the API server refuses to change in place: the object must be deleted and created.
const immutableFields: Record<string, string[][]> = {
  "apps/Deployment": [["spec", "selector"]],
  "apps/ReplicaSet": [["spec", "selector"]],
  "apps/DaemonSet": [["spec", "selector"]],
  "apps/StatefulSet": [
    ["spec", "selector"],
    ["spec", "serviceName"],
    ["spec", "volumeClaimTemplates"],
    ["spec", "podManagementPolicy"],
  ],
  "batch/Job": [
    ["spec", "selector"],
    ["spec", "template"],
    ["spec", "completionMode"],
  ],
  "/PersistentVolumeClaim": [
    ["spec", "storageClassName"],
    ["spec", "accessModes"],
    ["spec", "volumeName"],
    ["spec", "volumeMode"],
    ["spec", "selector"],
  ],
  "/Secret": [["type"]],
  "rbac.authorization.k8s.io/RoleBinding": [["roleRef"]],
  "rbac.authorization.k8s.io/ClusterRoleBinding": [["roleRef"]],
  "storage.k8s.io/StorageClass": [["provisioner"], ["parameters"], ["reclaimPolicy"], ["volumeBindingMode"]],
};

/**
 * The changes a reviewer must not miss: deletions (above all of namespaces, volumes and CRDs),
 * scaling to zero, RBAC, container images, and fields that cannot change in place.
 */
export function findRisks(params: FindRisksParams): PlanRisk[] {
  const { action, before, after, rejection } = params;
  const object = after ?? before;
  if (object === undefined) return [];
  const kind = String(object.kind ?? "");
  const gk = groupKind({ apiVersion: String(object.apiVersion ?? ""), kind });
  const risks: PlanRisk[] = [];

  if (action === "delete") {
    const consequence = deletionConsequences[gk];
    risks.push(
      consequence
        ? { kind: "deletion", level: "high", message: `deletes ${kind} ${nameOf(object)}: ${consequence}` }
        : { kind: "deletion", level: "warning", message: `deletes ${kind} ${nameOf(object)}` },
    );
  }

  if (rbacKinds.has(kind) && gk.startsWith("rbac.authorization.k8s.io/") && action !== "unchanged") {
    const verb = action === "create" ? "grants" : action === "delete" ? "revokes" : "changes";
    risks.push({ kind: "rbac", level: "warning", message: `${verb} permissions: ${kind} ${nameOf(object)}` });
  }

  if (action === "update" && before && after) {
    if (scaledKinds.has(kind)) {
      const was = replicas(before);
      const will = replicas(after);
      if (will === 0 && was !== 0)
        risks.push({ kind: "replicas-to-zero", level: "high", message: `scales ${kind} ${nameOf(object)} to 0 replicas (from ${was})` });
    }
    const oldImages = images(before);
    for (const [container, image] of images(after)) {
      const old = oldImages.get(container);
      if (old !== undefined && old !== image) {
        risks.push({ kind: "image", level: "warning", message: `changes the image of ${kind} ${nameOf(object)}, container ${container}: ${old} → ${image}` });
      }
    }
    for (const path of immutableFields[gk] ?? []) {
      if (JSON.stringify(at(before, path)) !== JSON.stringify(at(after, path))) {
        risks.push({
          kind: "immutable-field",
          level: "high",
          message: `changes ${path.join(".")} of ${kind} ${nameOf(object)}, which cannot change in place: the object must be deleted and created again`,
        });
      }
    }
    if (
      before.immutable === true &&
      (JSON.stringify(before.data) !== JSON.stringify(after.data) || JSON.stringify(before.binaryData) !== JSON.stringify(after.binaryData))
    ) {
      risks.push({
        kind: "immutable-field",
        level: "high",
        message: `changes the data of immutable ${kind} ${nameOf(object)}: it must be deleted and created again`,
      });
    }
  }

  if (rejection?.reason === "immutable" && !risks.some((risk) => risk.kind === "immutable-field")) {
    risks.push({
      kind: "immutable-field",
      level: "high",
      message: `changes a field of ${kind} ${nameOf(object)} that cannot change in place: the object must be deleted and created again`,
    });
  }
  return risks;
}

function nameOf(object: Record<string, unknown>): string {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  return `${metadata.namespace ? `${String(metadata.namespace)}/` : ""}${String(metadata.name ?? "")}`;
}

// An unset replicas field means 1 for every scaled kind.
function replicas(object: Record<string, unknown>): number {
  const value = at(object, ["spec", "replicas"]);
  return typeof value === "number" ? value : 1;
}

/** Container name → image, across the pod spec of Pods, workloads, Jobs and CronJobs. */
function images(object: Record<string, unknown>): Map<string, string> {
  const result = new Map<string, string>();
  const podSpecs = [at(object, ["spec"]), at(object, ["spec", "template", "spec"]), at(object, ["spec", "jobTemplate", "spec", "template", "spec"])];
  for (const spec of podSpecs) {
    if (spec === null || typeof spec !== "object") continue;
    for (const field of ["initContainers", "containers"]) {
      const containers = (spec as Record<string, unknown>)[field];
      if (!Array.isArray(containers)) continue;
      for (const container of containers) {
        const { name, image } = (container ?? {}) as Record<string, unknown>;
        if (typeof name === "string" && typeof image === "string") result.set(name, image);
      }
    }
  }
  return result;
}

function at(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
