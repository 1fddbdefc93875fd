import { plural } from "../text.js";
import type { HealthAssessment } from "./health-status.js";
import { conditionOf, numberAt, recordAt } from "./health-fields.js";

/** A Job: Complete is Healthy, Failed is Degraded, suspended is Suspended; anything else runs. */
export function assessJobHealth(object: Record<string, unknown>): HealthAssessment {
  const failed = conditionOf(object, "Failed");
  if (failed?.status === "True") {
    return { status: "Degraded", message: `Job failed: ${failed.message ?? failed.reason ?? "no reason given"}` };
  }
  const complete = conditionOf(object, "Complete");
  if (complete?.status === "True") return { status: "Healthy", message: "Job completed" };
  if (recordAt(object, "spec").suspend === true) return { status: "Suspended", message: "Job is suspended" };
  const status = recordAt(object, "status");
  const active = numberAt(status, "active") ?? 0;
  const succeeded = numberAt(status, "succeeded") ?? 0;
  const completions = numberAt(recordAt(object, "spec"), "completions") ?? 1;
  return {
    status: "Progressing",
    message: `Waiting for the Job to complete: ${plural(active, "pod")} active, ${succeeded} of ${completions} succeeded`,
  };
}
