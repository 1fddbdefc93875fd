// The labels and annotation Slipway puts on every object it applies. Pruning and the live plan
// select by them, so the deploy code and the planner must read them from this one place.

/** `app.kubernetes.io/managed-by: slipway` marks an object as applied by Slipway. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "slipway";

/** Which environment applied the object; the value is `environmentLabelValue(owner, repo, env)`. */
export const ENVIRONMENT_LABEL = "slipway.dev/environment";

/** The commit an object was last applied from. Not part of a plan's diff: it moves on every commit. */
export const SOURCE_SHA_ANNOTATION = "slipway.dev/source-sha";

/** Label selector for every object Slipway applied to one environment. */
export function environmentSelector(environmentId: string): string {
  return `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${ENVIRONMENT_LABEL}=${environmentId}`;
}
