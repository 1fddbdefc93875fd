import type { HealthStatus } from "./health-status.js";
import { isWorse } from "./is-worse.js";

/** The worst of several states, `Healthy` for none: an environment is as healthy as its worst object. */
export function worstHealth(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = "Healthy";
  for (const status of statuses) if (isWorse(status, worst)) worst = status;
  return worst;
}
