import { plural } from "../text.js";
import type { HealthAssessment } from "./health-status.js";
import { generationObserved, numberAt, recordAt, stringAt } from "./health-fields.js";

/**
 * A StatefulSet, by the rules of `kubectl rollout status`: observed, every pod ready, and with
 * a rolling update every pod above the partition on the update revision. With `OnDelete` the
 * controller replaces nothing by itself, so readiness is all there is to wait for.
 */
export function assessStatefulSetHealth(object: Record<string, unknown>): HealthAssessment {
  const spec = recordAt(object, "spec");
  const status = recordAt(object, "status");
  if (!generationObserved(object)) return { status: "Progressing", message: "Waiting for the controller to observe the new spec" };

  const desired = numberAt(spec, "replicas") ?? 1;
  const ready = numberAt(status, "readyReplicas") ?? 0;
  if (ready < desired) return { status: "Progressing", message: `Waiting for pods to be ready: ${ready} of ${plural(desired, "pod")} ready` };

  const strategy = recordAt(spec, "updateStrategy");
  if (stringAt(strategy, "type") === "OnDelete") return { status: "Healthy", message: `${plural(ready, "pod")} ready (updates on delete)` };

  const updated = numberAt(status, "updatedReplicas") ?? 0;
  const partition = numberAt(recordAt(strategy, "rollingUpdate"), "partition") ?? 0;
  if (partition > 0) {
    const expected = Math.max(desired - partition, 0);
    if (updated < expected) {
      return { status: "Progressing", message: `Waiting for partitioned rollout to finish: ${updated} of ${plural(expected, "new pod")} updated` };
    }
    return { status: "Healthy", message: `Partitioned rollout finished: ${plural(updated, "new pod")} updated` };
  }
  const updateRevision = stringAt(status, "updateRevision");
  if (updateRevision !== undefined && updateRevision !== stringAt(status, "currentRevision")) {
    return { status: "Progressing", message: `Waiting for rolling update to finish: ${updated} of ${plural(desired, "pod")} updated` };
  }
  return { status: "Healthy", message: desired === 0 ? "Scaled to 0 replicas" : `${ready} of ${plural(desired, "pod")} ready` };
}
