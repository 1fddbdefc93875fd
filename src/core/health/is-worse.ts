import { healthStatuses, type HealthStatus } from "./health-status.js";

/** Whether `a` is worse than `b` in the order of `healthStatuses`. */
export function isWorse(a: HealthStatus, b: HealthStatus): boolean {
  return healthStatuses.indexOf(a) > healthStatuses.indexOf(b);
}
