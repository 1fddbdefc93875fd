import { isSecret } from "./collect-secret-values.js";
import { MASK } from "./mask-text.js";

export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/** What a masked annotation reads. */
export const MASKED_ANNOTATION = `${MASK} (masked: holds Secret data)`;

/**
 * An object with no Secret value left in it: a Secret's `data` and `stringData` become one
 * `data` map whose values are masks (`valueOf` may say more than MASK, e.g. that a key changed,
 * never the value); a Secret's `last-applied-configuration` and, on any object, an annotation
 * that contains one of `secretValues` are masked too. Returns a copy.
 */
export function maskSecrets(
  object: Record<string, unknown>,
  secretValues: readonly string[] = [],
  valueOf: (key: string) => string = () => MASK,
): Record<string, unknown> {
  const secret = isSecret(object);
  let copy: Record<string, unknown> = { ...object };
  if (secret) {
    const keys = new Set<string>();
    for (const field of ["data", "stringData"]) {
      const entries = object[field];
      if (entries !== null && typeof entries === "object") for (const key of Object.keys(entries)) keys.add(key);
    }
    const data = Object.fromEntries([...keys].sort().map((key) => [key, valueOf(key)]));
    // One masked `data` where the values were, so key order stays as normalized.
    copy = {};
    for (const [field, value] of Object.entries(object)) {
      if (field === "data" || field === "stringData") {
        if (!("data" in copy) && keys.size > 0) copy.data = data;
      } else {
        copy[field] = value;
      }
    }
  }
  const metadata = object.metadata;
  if (metadata !== null && typeof metadata === "object") {
    const annotations = (metadata as Record<string, unknown>).annotations;
    if (annotations !== null && typeof annotations === "object") {
      const masked = Object.fromEntries(
        Object.entries(annotations as Record<string, unknown>).map(([name, value]) => {
          const text = typeof value === "string" ? value : "";
          const hides = (secret && name === LAST_APPLIED_ANNOTATION) || secretValues.some((v) => v !== "" && text.includes(v));
          return [name, hides ? MASKED_ANNOTATION : value];
        }),
      );
      copy.metadata = { ...(metadata as Record<string, unknown>), annotations: masked };
    }
  }
  return copy;
}
