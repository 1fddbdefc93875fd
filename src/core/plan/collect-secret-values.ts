import { secretData } from "./secret-data.js";

/**
 * Every form in which the values of these objects' Secrets could show up in text: `data` as
 * sent (base64) and decoded, `stringData` as written and encoded. Longest first, so masking
 * a value never leaves the tail of a longer one; values shorter than `minLength` are left
 * out, since masking them would cut ordinary words out of messages.
 */
export function collectSecretValues(objects: Iterable<unknown>, minLength = 4): string[] {
  const values = new Set<string>();
  for (const object of objects) {
    if (!isSecret(object)) continue;
    const raw = object as Record<string, unknown>;
    for (const [field, encoded] of [["data", true], ["stringData", false]] as const) {
      const entries = raw[field];
      if (entries === null || typeof entries !== "object") continue;
      for (const value of Object.values(entries as Record<string, unknown>)) {
        if (typeof value !== "string") continue;
        values.add(value);
        values.add(encoded ? Buffer.from(value, "base64").toString("utf8") : Buffer.from(value, "utf8").toString("base64"));
      }
    }
    for (const value of secretData(raw).values()) values.add(value);
  }
  return [...values].filter((value) => value.length >= minLength).sort((a, b) => b.length - a.length);
}

export function isSecret(object: unknown): boolean {
  if (object === null || typeof object !== "object") return false;
  const { kind, apiVersion } = object as Record<string, unknown>;
  return kind === "Secret" && (apiVersion === "v1" || apiVersion === undefined);
}
