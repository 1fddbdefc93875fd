import { isDeepStrictEqual } from "node:util";
import { normalizeObject } from "../plan/normalize-object.js";

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  subresource?: string;
  fieldsV1?: unknown;
}

/**
 * Whether applying would leave an object as it is: the dry-run answer of the apply and the live
 * object are the same once server-owned fields are dropped (normalizeObject, which ignores the
 * source SHA annotation too), and Slipway's field manager owns the same fields in both. Only
 * then may a deploy skip the write, so the object keeps its resourceVersion.
 */
export function isUnchangedApply(params: { live: Record<string, unknown>; dryRun: Record<string, unknown>; fieldManager: string }): boolean {
  if (!isDeepStrictEqual(normalizeObject(params.live), normalizeObject(params.dryRun))) return false;
  return isDeepStrictEqual(appliedFields(params.live, params.fieldManager), appliedFields(params.dryRun, params.fieldManager));
}

function appliedFields(object: Record<string, unknown>, manager: string): unknown {
  const entries = ((object.metadata ?? {}) as { managedFields?: ManagedFieldsEntry[] }).managedFields ?? [];
  const entry = entries.find((e) => e.manager === manager && e.operation === "Apply" && !e.subresource);
  return entry === undefined ? undefined : { apiVersion: entry.apiVersion, fieldsV1: entry.fieldsV1 };
}
