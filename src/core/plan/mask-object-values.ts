import { maskText } from "./mask-text.js";

/**
 * A copy of any JSON-like value in which every string, and every mapping key, that holds one of
 * `secretValues` (see collectSecretValues) has it replaced by the mask. Works on the data, before
 * anything renders it, so no quoting or escaping of the output can let a value through. Keys that
 * would collide once masked are numbered. Strings in `keep` are public already (Slipway's own label
 * values, such as the environment id from the repository's name): masking a part of them would
 * only tell the reader which part a Secret holds.
 */
export function maskObjectValues<T>(value: T, secretValues: readonly string[], keep: ReadonlySet<string> = new Set()): T {
  if (secretValues.length === 0) return value;
  return walk(value, secretValues, keep) as T;
}

function walk(value: unknown, secretValues: readonly string[], keep: ReadonlySet<string>): unknown {
  if (typeof value === "string") return keep.has(value) ? value : maskText(value, secretValues);
  if (Array.isArray(value)) return value.map((item) => walk(item, secretValues, keep));
  if (value === null || typeof value !== "object") return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    let masked = maskText(key, secretValues);
    for (let n = 2; masked !== key && masked in result; n++) masked = `${maskText(key, secretValues)} (${n})`;
    result[masked] = walk(child, secretValues, keep);
  }
  return result;
}
