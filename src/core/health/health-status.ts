/**
 * How healthy an object is, from best to worst. The order is what `isWorse` and an
 * environment's overall health follow:
 * - `Healthy`: as Git asks, and working (rolled out, bound, completed, ready);
 * - `Suspended`: deliberately not running (a paused Deployment, a suspended Job); a deploy does
 *   not wait for it;
 * - `Progressing`: on its way (a rollout, a pending claim, a load balancer without an address);
 *   worth waiting for;
 * - `Unknown`: the object says too little to tell (an unknown pod phase); not yet a failure;
 * - `Missing`: applied, but no longer in the cluster;
 * - `Degraded`: failed in a way waiting will not fix on its own (a rollout past its deadline, a
 *   failed Job, a crash-looping container). Worst, because someone has to act.
 */
export const healthStatuses = ["Healthy", "Suspended", "Progressing", "Unknown", "Missing", "Degraded"] as const;

export type HealthStatus = (typeof healthStatuses)[number];

/** An object's health and a sentence for people ("2 of 3 new replicas available"). */
export interface HealthAssessment {
  status: HealthStatus;
  message: string;
}

/** Whether `a` is worse than `b` in the order of `healthStatuses`. */
export function isWorse(a: HealthStatus, b: HealthStatus): boolean {
  return healthStatuses.indexOf(a) > healthStatuses.indexOf(b);
}

/** The worst of several states, `Healthy` for none: an environment is as healthy as its worst object. */
export function worstHealth(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = "Healthy";
  for (const status of statuses) if (isWorse(status, worst)) worst = status;
  return worst;
}

/** Whether a deploy can stop waiting for an object: it is healthy or deliberately suspended. */
export function isSettled(status: HealthStatus): boolean {
  return status === "Healthy" || status === "Suspended";
}
