import { plural } from "../text.js";
import type { HealthAssessment } from "./health-status.js";
import { conditionOf, generationObserved, numberAt, recordAt } from "./health-fields.js";

/**
 * A Deployment, by the rules of `kubectl rollout status`: the controller must have observed the
 * latest generation, every replica must run the new template, old ones must be gone and the new
 * ones available. A rollout past its progress deadline is Degraded; a paused one Suspended.
 */
export function assessDeploymentHealth(object: Record<string, unknown>): HealthAssessment {
  const spec = recordAt(object, "spec");
  const status = recordAt(object, "status");
  if (spec.paused === true) return { status: "Suspended", message: "Deployment is paused" };
  if (!generationObserved(object)) return { status: "Progressing", message: "Waiting for the controller to observe the new spec" };

  const progressing = conditionOf(object, "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") {
    return { status: "Degraded", message: `Rollout exceeded its progress deadline${progressing.message ? `: ${progressing.message}` : ""}` };
  }
  const desired = numberAt(spec, "replicas") ?? 1;
  const updated = numberAt(status, "updatedReplicas") ?? 0;
  const total = numberAt(status, "replicas") ?? 0;
  const available = numberAt(status, "availableReplicas") ?? 0;
  if (updated < desired) {
    return { status: "Progressing", message: `Waiting for rollout to finish: ${updated} of ${plural(desired, "new replica")} updated` };
  }
  if (total > updated) {
    const old = total - updated;
    return { status: "Progressing", message: `Waiting for rollout to finish: ${plural(old, "old replica")} pending termination` };
  }
  if (available < updated) {
    return { status: "Progressing", message: `Waiting for rollout to finish: ${available} of ${plural(updated, "new replica")} available` };
  }
  return { status: "Healthy", message: desired === 0 ? "Scaled to 0 replicas" : `${available} of ${plural(desired, "replica")} available` };
}
