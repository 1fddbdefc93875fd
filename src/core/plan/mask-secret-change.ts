import type { SecretKeyChange } from "./environment-plan.js";
import { maskSecrets } from "./mask-secrets.js";
import { MASK } from "./mask-text.js";
import { secretData } from "./secret-data.js";

export interface MaskedSecretChange {
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  keys: SecretKeyChange[];
}

/**
 * Masks a Secret on both sides of a change so that a diff of the two shows which keys were
 * added, removed or changed and never a value: a changed key reads `*** (old value)` before
 * and `*** (new value)` after; every other key reads `***`.
 */
export function maskSecretChange(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): MaskedSecretChange {
  const old = before ? secretData(before) : new Map<string, string>();
  const next = after ? secretData(after) : new Map<string, string>();
  const keys: SecretKeyChange[] = [...new Set([...old.keys(), ...next.keys()])].sort().map((key) => ({
    key,
    change: !old.has(key) ? "added" : !next.has(key) ? "removed" : old.get(key) === next.get(key) ? "unchanged" : "changed",
  }));
  const changed = new Set(keys.filter((k) => k.change === "changed").map((k) => k.key));
  return {
    ...(before ? { before: maskSecrets(before, (key) => (changed.has(key) ? `${MASK} (old value)` : MASK)) } : {}),
    ...(after ? { after: maskSecrets(after, (key) => (changed.has(key) ? `${MASK} (new value)` : MASK)) } : {}),
    keys,
  };
}
