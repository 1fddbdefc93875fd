import { isSecret } from "./collect-secret-values.js";
import { MASK } from "./mask-text.js";

export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/** What a masked annotation reads. */
export const MASKED_ANNOTATION = `${MASK} (masked: holds Secret data)`;

/**
 * A Secret with no value left in it: its `data` and `stringData` become one `data` map whose values
 * are masks (`valueOf` may say more than MASK, e.g. that a key changed, never the value), and its
 * `last-applied-configuration` (which holds them all) is masked whole. Any other object is returned
 * as it is: values elsewhere are masked by maskObjectValues. Returns a copy.
 */
export function maskSecrets(object: Record<string, unknown>, valueOf: (key: string) => string = () => MASK): Record<string, unknown> {
  if (!isSecret(object)) return object;
  const keys = new Set<string>();
  for (const field of ["data", "stringData"]) {
    const entries = object[field];
    if (entries !== null && typeof entries === "object") for (const key of Object.keys(entries)) keys.add(key);
  }
  const data = Object.fromEntries([...keys].sort().map((key) => [key, valueOf(key)]));
  // One masked `data` where the values were, so key order stays as normalized.
  const copy: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(object)) {
    if (field === "data" || field === "stringData") {
      if (!("data" in copy) && keys.size > 0) copy.data = data;
    } else {
      copy[field] = value;
    }
  }
  const metadata = object.metadata;
  if (metadata !== null && typeof metadata === "object") {
    const annotations = (metadata as Record<string, unknown>).annotations;
    if (annotations !== null && typeof annotations === "object" && LAST_APPLIED_ANNOTATION in annotations) {
      copy.metadata = { ...(metadata as Record<string, unknown>), annotations: { ...annotations, [LAST_APPLIED_ANNOTATION]: MASKED_ANNOTATION } };
    }
  }
  return copy;
}
