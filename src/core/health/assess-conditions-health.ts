import type { HealthAssessment } from "./health-status.js";
import { conditionOf, conditionsOf, generationObserved, numberAt, recordAt } from "./health-fields.js";

// Reasons with which controllers say "not ready yet" rather than "failed".
const progressingReasons = /progress|reconcil|pending|waiting|creating|initializ|provision|issuing|deploying|starting|doesnotexist|notready/i;

/**
 * Any other object, by the standard status conditions (kstatus, as Flux reads them): `Stalled`
 * True is Degraded, `Reconciling` True is Progressing, then `Ready` (or else `Available`): True
 * is Healthy, Unknown is Progressing, False is Progressing when the controller has not observed
 * the latest spec or its reason says it is still working, Degraded otherwise. No status, or no
 * such conditions, is Healthy: the object exists and nothing says otherwise.
 */
export function assessConditionsHealth(object: Record<string, unknown>): HealthAssessment {
  if (conditionsOf(object).length === 0) return { status: "Healthy", message: "Exists" };
  const stalled = conditionOf(object, "Stalled");
  if (stalled?.status === "True") return { status: "Degraded", message: describe("Stalled", stalled) };
  const reconciling = conditionOf(object, "Reconciling");
  if (reconciling?.status === "True") return { status: "Progressing", message: describe("Reconciling", reconciling) };

  const condition = conditionOf(object, "Ready") ?? conditionOf(object, "Available");
  if (condition === undefined) return { status: "Healthy", message: "Exists" };
  if (condition.status === "True") return { status: "Healthy", message: describe(condition.type, condition) };
  if (condition.status !== "False") return { status: "Progressing", message: describe(`Waiting for ${condition.type}`, condition) };
  const lagging = numberAt(recordAt(object, "status"), "observedGeneration") !== undefined && !generationObserved(object);
  if (lagging || progressingReasons.test(condition.reason ?? "")) {
    return { status: "Progressing", message: describe(`Not ${condition.type} yet`, condition) };
  }
  return { status: "Degraded", message: describe(`Not ${condition.type}`, condition) };
}

function describe(what: string, condition: { reason?: string; message?: string }): string {
  const detail = condition.message || condition.reason;
  return detail ? `${what}: ${detail}` : what;
}
