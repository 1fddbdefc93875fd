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
