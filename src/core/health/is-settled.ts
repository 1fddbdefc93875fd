import type { HealthStatus } from "./health-status.js";

/** Whether a deploy can stop waiting for an object: it is healthy or deliberately suspended. */
export function isSettled(status: HealthStatus): boolean {
  return status === "Healthy" || status === "Suspended";
}
