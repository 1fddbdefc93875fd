import { plural } from "../text.js";
import type { HealthAssessment } from "./health-status.js";
import { generationObserved, numberAt, recordAt, stringAt } from "./health-fields.js";

/**
 * A DaemonSet, by the rules of `kubectl rollout status`: observed, the new template scheduled on
 * every node that should run it, and available there. `OnDelete` replaces nothing by itself.
 */
export function assessDaemonSetHealth(object: Record<string, unknown>): HealthAssessment {
  const spec = recordAt(object, "spec");
  const status = recordAt(object, "status");
  if (!generationObserved(object)) return { status: "Progressing", message: "Waiting for the controller to observe the new spec" };
  const desired = numberAt(status, "desiredNumberScheduled") ?? 0;
  const available = numberAt(status, "numberAvailable") ?? 0;
  if (stringAt(recordAt(spec, "updateStrategy"), "type") === "OnDelete") {
    return { status: "Healthy", message: `${available} of ${plural(desired, "pod")} available (updates on delete)` };
  }
  const updated = numberAt(status, "updatedNumberScheduled") ?? 0;
  if (updated < desired) {
    return { status: "Progressing", message: `Waiting for rollout to finish: ${updated} of ${plural(desired, "new pod")} updated` };
  }
  if (available < desired) {
    return { status: "Progressing", message: `Waiting for rollout to finish: ${available} of ${plural(desired, "updated pod")} available` };
  }
  return { status: "Healthy", message: desired === 0 ? "No node to run on" : `${available} of ${plural(desired, "pod")} available` };
}
