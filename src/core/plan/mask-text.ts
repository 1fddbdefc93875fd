/** The mask put where a Secret value was. */
export const MASK = "***";

/** Replaces every occurrence of a Secret value (see collectSecretValues) in text. */
export function maskText(text: string, secretValues: readonly string[]): string {
  let masked = text;
  for (const value of secretValues) {
    if (value !== "" && masked.includes(value)) masked = masked.split(value).join(MASK);
  }
  return masked;
}
