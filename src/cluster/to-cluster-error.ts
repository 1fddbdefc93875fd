import {
  ClusterError,
  ConflictError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  UnauthorizedError,
  UnavailableError,
  type ClusterErrorTarget,
  type FieldConflict,
  type FieldError,
} from "./cluster-error.js";
import { collectSecretValues, isSecret } from "../core/plan/collect-secret-values.js";
import { MASK, maskText } from "../core/plan/mask-text.js";

interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

interface Status {
  kind?: string;
  message?: string;
  reason?: string;
  details?: { causes?: StatusCause[] };
}

export interface FailedResponse {
  status: number;
  body: unknown;
  retryAfterSeconds?: number;
  /** What the request was about, for the message and the error's target. */
  target?: ClusterErrorTarget;
  /** The object sent, if any: its Secret values are redacted from the message. */
  sent?: unknown;
}

/** Turns a non-2xx answer of the API server into the ClusterError subclass a caller acts on. */
export function toClusterError(response: FailedResponse): ClusterError {
  const { status, target = {} } = response;
  const statusBody = asStatus(response.body);
  // Redact against the object sent (its values) and the target (a Secret's quoted values, even
  // when what was sent is DeleteOptions or nothing).
  const redact = (text: string) => redactSecretValues(redactSecretValues(text, response.sent), { kind: target.kind, apiVersion: target.apiVersion });
  const serverMessage = redact(
    statusBody?.message ?? (typeof response.body === "string" && response.body !== "" ? response.body.slice(0, 500) : `HTTP ${status}`),
  );
  const causes = (statusBody?.details?.causes ?? []).map((c) => ({
    reason: c.reason ?? "",
    field: redact(c.field ?? ""),
    message: redact(c.message ?? ""),
  }));
  const init = { ...target, status, reason: statusBody?.reason };
  const message = `${describe(target)}${serverMessage}`;

  if (status === 404) return new NotFoundError(message, init);
  if (status === 409) {
    const conflicts: FieldConflict[] = causes
      .filter((c) => c.reason === "FieldManagerConflict")
      .map((c) => ({ field: withoutLeadingDot(c.field), manager: managerOf(c.message), message: c.message }));
    return new ConflictError(message, { ...init, conflicts });
  }
  if (status === 422 || status === 400 || (status === 500 && isBadApplyBody(serverMessage))) {
    const fields: FieldError[] = causes.filter((c) => c.field !== "").map((c) => ({ ...c }));
    if (fields.length === 0) for (const field of fieldsInMessage(serverMessage)) fields.push(field);
    return new InvalidError(message, { ...init, fields });
  }
  if (status === 401) return new UnauthorizedError(message, init);
  if (status === 403) return new ForbiddenError(message, init);
  if (status === 429 || status >= 500) {
    return new UnavailableError(message, { ...init, retryAfterSeconds: response.retryAfterSeconds });
  }
  return new ClusterError(message, init);
}

function asStatus(body: unknown): Status | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const status = body as Status;
  return status.kind === "Status" || typeof status.message === "string" ? status : undefined;
}

function describe(target: ClusterErrorTarget): string {
  if (target.kind === undefined) return "";
  const where = target.name === undefined ? "" : ` ${target.namespace ? `${target.namespace}/` : ""}${target.name}`;
  return `${target.apiVersion ? `${target.apiVersion} ` : ""}${target.kind}${where}: `;
}

// Apply reports `.spec.replicas` where validation reports `spec.replicas`: one form for callers.
function withoutLeadingDot(field: string): string {
  return field.startsWith(".") ? field.slice(1) : field;
}

// Server-side apply reports `conflict with "kubectl" using apps/v1` (or `with "kubectl"`).
function managerOf(message: string): string {
  return /conflict with "((?:[^"\\]|\\.)*)"/.exec(message)?.[1] ?? "";
}

// Server-side apply still answers 500 when the body does not fit the schema (an unknown field, a
// string for an integer) or cannot be decoded (bad base64 in a Secret): the request is at fault,
// and sending it again cannot help.
function isBadApplyBody(message: string): boolean {
  return /failed to create typed patch object|failed to convert new object|unable to convert unstructured object/.test(message);
}

// Schema errors of an apply name the paths only in the message, e.g.
// `.spec.replicaz: field not declared in schema` or `.spec.replicas: expected numeric ..., got
// string`; a strict decode says `unknown field "spec.replicaz"`.
function fieldsInMessage(message: string): FieldError[] {
  const fields: FieldError[] = [];
  const typed = message.indexOf("typed patch object");
  if (typed >= 0) {
    const detail = message.slice(message.indexOf("):", typed) + 2);
    for (const m of detail.matchAll(/(?:^|\s)(\.[^\s:]+): ([^\n]+)/g)) {
      fields.push({ field: withoutLeadingDot(m[1]), reason: "FieldValueInvalid", message: m[2].trim() });
    }
  }
  for (const m of message.matchAll(/unknown field "([^"]+)"/g)) {
    fields.push({ field: m[1], reason: "FieldValueInvalid", message: `unknown field "${m[1]}"` });
  }
  for (const m of message.matchAll(/duplicate field "([^"]+)"/g)) {
    fields.push({ field: m[1], reason: "FieldValueDuplicate", message: `duplicate field "${m[1]}"` });
  }
  return fields;
}

/**
 * Removes Secret values from a message the server wrote about an object, with the same masking as
 * a plan (every form of every value, see collectSecretValues). When the object is a Secret,
 * `Invalid value: "..."` excerpts are dropped too, since the server quotes values there.
 */
function redactSecretValues(message: string, object: unknown): string {
  if (!isSecret(object)) return message;
  return maskText(message, collectSecretValues([object])).replace(/Invalid value: "(?:[^"\\]|\\.)*"/g, `Invalid value: ${MASK}`);
}
