import type { ObjectOwnership } from "./object-ownership.js";

/** The sentence a plan or a deploy gives for an existing object it may not take over; never its content. */
export function describeNotOwned(ownership: Exclude<ObjectOwnership, { status: "owned" }>): string {
  if (ownership.status === "other-environment") {
    return `exists, not managed by this environment: it belongs to Slipway environment ${ownership.owner}, and another environment's object is never taken over`;
  }
  return "exists, not managed by this environment (it has no Slipway labels); set `adopt: true` on the environment in .github/slipway.yml to take it over";
}
