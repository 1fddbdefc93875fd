import { createSecretMasker } from "./create-secret-masker.js";

export { MASK } from "./create-secret-masker.js";

/**
 * Replaces every occurrence of a Secret value (see collectSecretValues) in text. For many texts
 * against the same values, createSecretMasker builds its index once.
 */
export function maskText(text: string, secretValues: readonly string[]): string {
  return createSecretMasker(secretValues)(text);
}
