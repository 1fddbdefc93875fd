/**
 * A Secret's values by key, base64 as the server stores them: `data` with `stringData` merged
 * over it (the API server does the same on write), so a manifest that uses `stringData` and a
 * live object that has `data` compare equal when the values are.
 */
export function secretData(secret: Record<string, unknown>): Map<string, string> {
  const result = new Map<string, string>();
  const data = secret.data;
  if (data !== null && typeof data === "object") {
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      if (typeof value === "string") result.set(key, value.replace(/\s+/g, ""));
    }
  }
  const stringData = secret.stringData;
  if (stringData !== null && typeof stringData === "object") {
    for (const [key, value] of Object.entries(stringData as Record<string, unknown>)) {
      if (typeof value === "string") result.set(key, Buffer.from(value, "utf8").toString("base64"));
    }
  }
  return result;
}
