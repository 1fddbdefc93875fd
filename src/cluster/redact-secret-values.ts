import { collectSecretValues, isSecret } from '../core/plan/collect-secret-values.js';
import { MASK, maskText } from '../core/plan/mask-text.js';

/**
 * Removes Secret values from a message the server wrote about an object, with the same masking as
 * a plan (every form of every value, see collectSecretValues). When the object is a Secret,
 * `Invalid value: "..."` excerpts are dropped too, since the server quotes values there.
 */
export function redactSecretValues(message: string, object: unknown): string {
  if (!isSecret(object)) return message;
  return maskText(message, collectSecretValues([object])).replace(/Invalid value: "(?:[^"\\]|\\.)*"/g, `Invalid value: ${MASK}`);
}
