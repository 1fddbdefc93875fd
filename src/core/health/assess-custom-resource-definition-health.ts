import type { HealthAssessment } from "./health-status.js";
import { conditionOf } from "./health-fields.js";

/** A CustomResourceDefinition: Established is Healthy; names the API server refused are Degraded. */
export function assessCustomResourceDefinitionHealth(object: Record<string, unknown>): HealthAssessment {
  const names = conditionOf(object, "NamesAccepted");
  if (names?.status === "False") return { status: "Degraded", message: `Names not accepted: ${names.message ?? names.reason ?? "conflict"}` };
  if (conditionOf(object, "Established")?.status === "True") return { status: "Healthy", message: "Established" };
  return { status: "Progressing", message: "Waiting for the API server to establish the kind" };
}
