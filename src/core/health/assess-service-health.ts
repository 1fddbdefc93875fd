import type { HealthAssessment } from "./health-status.js";
import { recordAt, stringAt } from "./health-fields.js";

/** A Service: one of type LoadBalancer waits for its address; any other type is Healthy at once. */
export function assessServiceHealth(object: Record<string, unknown>): HealthAssessment {
  if (stringAt(recordAt(object, "spec"), "type") !== "LoadBalancer") return { status: "Healthy", message: "Service exists" };
  const ingress = recordAt(object, "status", "loadBalancer").ingress;
  const addresses = Array.isArray(ingress)
    ? ingress
        .map((entry) =>
          entry !== null && typeof entry === "object"
            ? ((entry as { ip?: string; hostname?: string }).ip ?? (entry as { hostname?: string }).hostname)
            : undefined,
        )
        .filter((a): a is string => typeof a === "string")
    : [];
  if (addresses.length === 0) return { status: "Progressing", message: "Waiting for the load balancer's address" };
  return { status: "Healthy", message: `Load balancer at ${addresses.join(", ")}` };
}
