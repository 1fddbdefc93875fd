import { secretData } from "./secret-data.js";

/** The shortest value masked: shorter ones (`true`, `1`) would cut ordinary words out of everything. */
export const minSecretValueLength = 4;

/**
 * Every form in which the values of these objects' Secrets could show up in another field or a
 * message: each value as written (`data` in base64, `stringData` in clear), decoded or encoded,
 * each line of a multi-line value, and the value as JSON, Go's JSON (which escapes `<>&`) and
 * YAML's quoted styles write it inside a document held in a string (an annotation, a ConfigMap
 * file). Longest first, so masking a value never leaves the tail of a longer one; values shorter
 * than `minLength` are left out.
 */
export function collectSecretValues(objects: Iterable<unknown>, minLength = minSecretValueLength): string[] {
  const values = new Set<string>();
  const secrets = [...objects].filter(isSecret) as Array<Record<string, unknown>>;
  // A live Secret's last-applied configuration may hold values it no longer has (rotated since).
  for (const secret of [...secrets]) {
    const applied = lastApplied(secret);
    if (isSecret(applied)) secrets.push(applied as Record<string, unknown>);
  }
  for (const raw of secrets) {
    for (const field of ["data", "stringData"]) {
      const entries = raw[field];
      if (entries === null || typeof entries !== "object") continue;
      for (const value of Object.values(entries as Record<string, unknown>)) if (typeof value === "string") values.add(value);
    }
    for (const encoded of secretData(raw).values()) {
      for (const form of base64Forms(encoded)) values.add(form);
      const clear = decodedText(encoded);
      if (clear !== undefined) for (const form of textForms(clear)) values.add(form);
    }
  }
  return [...values].filter((value) => value.length >= minLength).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

export function isSecret(object: unknown): boolean {
  if (object === null || typeof object !== "object") return false;
  const { kind, apiVersion } = object as Record<string, unknown>;
  return kind === "Secret" && (apiVersion === "v1" || apiVersion === undefined);
}

function lastApplied(secret: Record<string, unknown>): unknown {
  const annotations = (secret.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
  const text = annotations?.["kubectl.kubernetes.io/last-applied-configuration"];
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function base64Forms(encoded: string): string[] {
  return [encoded, encoded.replace(/=+$/, "")];
}

// The value as text, when it is text: binary data decodes to replacement characters that would
// match nothing real.
function decodedText(encoded: string): string | undefined {
  const text = Buffer.from(encoded, "base64").toString("utf8");
  return text.includes("\ufffd") ? undefined : text;
}

function textForms(text: string): string[] {
  const forms = [text, ...text.split(/\r?\n|\r/).map((line) => line.trim())];
  const json = JSON.stringify(text).slice(1, -1);
  forms.push(
    json,
    json.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
  );
  forms.push(text.replace(/'/g, "''"));
  for (const form of base64Forms(Buffer.from(text, "utf8").toString("base64"))) forms.push(form);
  return forms;
}
