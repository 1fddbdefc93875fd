import type { KubeObject } from './kube-object.js';

const REDACTED = '[redacted]';
// Shorter values would redact ordinary words out of messages; they carry little secret anyway.
const MIN_LENGTH = 4;

/**
 * Every form in which a Secret's values could come back in a server message: the base64 `data`
 * as sent, its decoded text, and `stringData` as sent and encoded. Empty for other kinds.
 */
export function secretValuesOf(object: unknown): string[] {
  if (!isSecret(object)) return [];
  const values: string[] = [];
  for (const [field, encoded] of [
    ['data', true],
    ['stringData', false],
  ] as const) {
    const entries = (object as Record<string, unknown>)[field];
    if (entries === null || typeof entries !== 'object') continue;
    for (const value of Object.values(entries)) {
      if (typeof value !== 'string') continue;
      values.push(value);
      values.push(encoded ? Buffer.from(value, 'base64').toString('utf8') : Buffer.from(value).toString('base64'));
    }
  }
  return values.filter((v) => v.length >= MIN_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * Removes Secret values from a message the server wrote about an object. When the object is a
 * Secret, `Invalid value: "..."` excerpts are dropped too, since the server quotes values there.
 */
export function redactSecretValues(message: string, object: unknown): string {
  if (!isSecret(object)) return message;
  let text = message;
  for (const value of secretValuesOf(object)) text = text.split(value).join(REDACTED);
  return text.replace(/Invalid value: "(?:[^"\\]|\\.)*"/g, `Invalid value: ${REDACTED}`);
}

function isSecret(object: unknown): object is KubeObject {
  if (object === null || typeof object !== 'object') return false;
  const { kind, apiVersion } = object as Partial<KubeObject>;
  return kind === 'Secret' && (apiVersion === 'v1' || apiVersion === undefined);
}
