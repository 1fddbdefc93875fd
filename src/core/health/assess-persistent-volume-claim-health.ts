import type { HealthAssessment } from "./health-status.js";
import { recordAt, stringAt } from "./health-fields.js";

/** A PersistentVolumeClaim: Bound is Healthy, Lost is Degraded, Pending is waiting for a volume. */
export function assessPersistentVolumeClaimHealth(object: Record<string, unknown>): HealthAssessment {
  const status = recordAt(object, "status");
  const phase = stringAt(status, "phase");
  if (phase === "Bound") {
    const volume = stringAt(recordAt(object, "spec"), "volumeName");
    return { status: "Healthy", message: volume ? `Bound to ${volume}` : "Bound" };
  }
  if (phase === "Lost") return { status: "Degraded", message: "Claim lost its volume" };
  if (phase === "Pending" || phase === undefined) return { status: "Progressing", message: "Waiting for a volume to be bound" };
  return { status: "Unknown", message: `Claim phase is ${phase}` };
}
