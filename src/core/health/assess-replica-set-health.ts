import { plural } from "../text.js";
import type { HealthAssessment } from "./health-status.js";
import { conditionOf, generationObserved, numberAt, recordAt } from "./health-fields.js";

/** A ReplicaSet: observed, its pods available; a ReplicaFailure (quota, admission) is Degraded. */
export function assessReplicaSetHealth(object: Record<string, unknown>): HealthAssessment {
  if (!generationObserved(object)) return { status: "Progressing", message: "Waiting for the controller to observe the new spec" };
  const failure = conditionOf(object, "ReplicaFailure");
  if (failure?.status === "True") return { status: "Degraded", message: `Cannot create pods: ${failure.message ?? failure.reason ?? "ReplicaFailure"}` };
  const desired = numberAt(recordAt(object, "spec"), "replicas") ?? 1;
  const available = numberAt(recordAt(object, "status"), "availableReplicas") ?? 0;
  if (available < desired) return { status: "Progressing", message: `Waiting for pods: ${available} of ${plural(desired, "replica")} available` };
  return { status: "Healthy", message: desired === 0 ? "Scaled to 0 replicas" : `${available} of ${plural(desired, "replica")} available` };
}
