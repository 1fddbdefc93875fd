import { SOURCE_SHA_ANNOTATION } from "./slipway-labels.js";

// Fields the API server or its controllers own: they differ between any two reads and say
// nothing about what Git asks for.
const serverOwnedMetadata = [
  "managedFields",
  "resourceVersion",
  "uid",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "selfLink",
];
const serverOwnedAnnotations = ["kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision", SOURCE_SHA_ANNOTATION];

const topOrder = ["apiVersion", "kind", "metadata"];
const metadataOrder = ["name", "generateName", "namespace", "labels", "annotations"];

/**
 * An object as a plan compares it: server-owned fields (managed fields, resource version, uid,
 * generation, timestamps, status, `last-applied-configuration`, Slipway's source SHA) dropped,
 * empty label and annotation maps removed, and keys in a stable order (apiVersion, kind,
 * metadata first; `name` first in any mapping; the rest alphabetical). Returns a new object.
 */
export function normalizeObject(object: Record<string, unknown>): Record<string, unknown> {
  const { status: _status, ...rest } = object;
  const copy = ordered(rest, "top") as Record<string, unknown>;
  if (isRecord(copy.metadata)) copy.metadata = cleanMetadata(copy.metadata, true);
  return copy;
}

function cleanMetadata(metadata: Record<string, unknown>, top: boolean): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (top ? serverOwnedMetadata.includes(key) : key === "creationTimestamp") continue;
    if (key === "annotations" && isRecord(value)) {
      const kept = Object.fromEntries(Object.entries(value).filter(([name]) => !serverOwnedAnnotations.includes(name)));
      if (Object.keys(kept).length > 0) result[key] = kept;
      continue;
    }
    if (key === "labels" && isRecord(value) && Object.keys(value).length === 0) continue;
    result[key] = value;
  }
  return result;
}

function ordered(value: unknown, context: "top" | "metadata" | "other"): unknown {
  if (Array.isArray(value)) return value.map((item) => ordered(item, "other"));
  if (!isRecord(value)) return value;
  const priority = context === "top" ? topOrder : context === "metadata" ? metadataOrder : ["name"];
  const keys = Object.keys(value).sort((a, b) => rank(a, priority) - rank(b, priority) || (a < b ? -1 : a > b ? 1 : 0));
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    const child = value[key];
    if (key === "metadata" && isRecord(child)) {
      // Pod templates carry `creationTimestamp: null`, which is noise in a diff.
      result[key] = context === "top" ? ordered(child, "metadata") : cleanMetadata(ordered(child, "metadata") as Record<string, unknown>, false);
    } else {
      result[key] = ordered(child, "other");
    }
  }
  return result;
}

function rank(key: string, priority: string[]): number {
  const index = priority.indexOf(key);
  return index < 0 ? priority.length : index;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
