import { ENVIRONMENT_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "./slipway-labels.js";

/**
 * Whose a live object is, from its labels: this environment's, another Slipway environment's
 * (`owner` is that environment's id), or nobody's Slipway knows (made by hand or another tool).
 * Only an owned object is shown by value or changed; an unmanaged one only when the trusted
 * config says `adopt: true`; another environment's never.
 */
export type ObjectOwnership = { status: "owned" } | { status: "other-environment"; owner: string } | { status: "unmanaged" };

export function objectOwnership(live: Record<string, unknown>, environmentId: string): ObjectOwnership {
  const labels = (((live.metadata ?? {}) as Record<string, unknown>).labels ?? {}) as Record<string, unknown>;
  const environment = typeof labels[ENVIRONMENT_LABEL] === "string" ? (labels[ENVIRONMENT_LABEL] as string) : undefined;
  if (environment === environmentId && labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE) return { status: "owned" };
  if (environment !== undefined && environment !== "" && environment !== environmentId) return { status: "other-environment", owner: environment };
  return { status: "unmanaged" };
}

/** The sentence a plan or a deploy gives for an existing object it may not take over; never its content. */
export function describeNotOwned(ownership: Exclude<ObjectOwnership, { status: "owned" }>): string {
  if (ownership.status === "other-environment") {
    return `exists, not managed by this environment: it belongs to Slipway environment ${ownership.owner}, and another environment's object is never taken over`;
  }
  return "exists, not managed by this environment (it has no Slipway labels); set `adopt: true` on the environment in .github/slipway.yml to take it over";
}
