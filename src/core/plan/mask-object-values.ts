/**
 * A copy of any JSON-like value in which every string, and every mapping key, that holds a Secret
 * value has it masked by `mask` (see createSecretMasker). Works on the data, before
 * anything renders it, so no quoting or escaping of the output can let a value through. Keys that
 * would collide once masked are numbered. Strings in `keep` are public already (Slipway's own label
 * values, such as the environment id from the repository's name): masking a part of them would
 * only tell the reader which part a Secret holds.
 */
export function maskObjectValues<T>(value: T, mask: (text: string) => string, keep: ReadonlySet<string> = new Set()): T {
  return walk(value, mask, keep) as T;
}

function walk(value: unknown, mask: (text: string) => string, keep: ReadonlySet<string>): unknown {
  if (typeof value === "string") return keep.has(value) ? value : mask(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, mask, keep));
  if (value === null || typeof value !== "object") return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const base = mask(key);
    let masked = base;
    for (let n = 2; masked !== key && masked in result; n++) masked = `${base} (${n})`;
    result[masked] = walk(child, mask, keep);
  }
  return result;
}
