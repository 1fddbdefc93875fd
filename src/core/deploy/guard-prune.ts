import { plural } from "../text.js";

export interface GuardPruneParams {
  /** What selectPrune chose. */
  toDelete: ReadonlyArray<unknown>;
  /** How many objects the environment has in the cluster now (its live inventory). */
  inventorySize: number;
  /** The largest share of the inventory one deploy may delete, 0 to 1; 0.5 unless configured. */
  maxShare?: number;
  /** The configuration allows deleting any share, everything included. */
  allowDeleteAll?: boolean;
}

export type GuardPruneResult = { ok: true } | { ok: false; reason: string };

export const DEFAULT_PRUNE_MAX_SHARE = 0.5;

/**
 * Whether a prune may go ahead. An empty or wrong manifest path, a bad merge or a broken
 * generator looks to a prune like "delete everything": refused, as is deleting more than
 * `maxShare` of the environment, unless the configuration allows it.
 */
export function guardPrune(params: GuardPruneParams): GuardPruneResult {
  const count = params.toDelete.length;
  if (count === 0 || params.allowDeleteAll) return { ok: true };
  const size = Math.max(params.inventorySize, count);
  if (count >= size) {
    return {
      ok: false,
      reason: `refused to prune all ${plural(size, "object")} of the environment; if that is intended, allow it with allowPruneAll in .github/slipway.yml`,
    };
  }
  const maxShare = params.maxShare ?? DEFAULT_PRUNE_MAX_SHARE;
  if (count / size > maxShare) {
    return {
      ok: false,
      reason:
        `refused to prune ${count} of ${plural(size, "object")} (${percent(count / size)}, more than the ${percent(maxShare)} allowed); ` +
        "if that is intended, raise pruneMaxShare or set allowPruneAll in .github/slipway.yml",
    };
  }
  return { ok: true };
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
