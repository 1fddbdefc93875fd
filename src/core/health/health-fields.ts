// Readers for the loosely typed objects the health rules look at: an object from the API server
// is JSON, and a rule must not throw on a field that is missing or of an unexpected type.

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export function recordAt(object: unknown, ...path: string[]): Record<string, unknown> {
  let current: unknown = object;
  for (const key of path) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return {};
    current = (current as Record<string, unknown>)[key];
  }
  return current !== null && typeof current === "object" && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
}

export function numberAt(record: Record<string, unknown>, key: string): number | undefined {
  const value = record[key];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function stringAt(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === "string" ? value : undefined;
}

export function conditionsOf(object: unknown): Condition[] {
  const conditions = recordAt(object, "status").conditions;
  if (!Array.isArray(conditions)) return [];
  return conditions.filter(
    (c): c is Condition => c !== null && typeof c === "object" && typeof (c as Condition).type === "string" && typeof (c as Condition).status === "string",
  );
}

export function conditionOf(object: unknown, type: string): Condition | undefined {
  return conditionsOf(object).find((c) => c.type === type);
}

/**
 * Whether the controller has seen the latest spec: `status.observedGeneration` at least
 * `metadata.generation`. No observedGeneration means the controller has not looked yet.
 */
export function generationObserved(object: unknown): boolean {
  const generation = numberAt(recordAt(object, "metadata"), "generation");
  const observed = numberAt(recordAt(object, "status"), "observedGeneration");
  if (generation === undefined) return observed !== undefined;
  return observed !== undefined && observed >= generation;
}
