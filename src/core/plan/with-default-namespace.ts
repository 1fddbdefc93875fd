/**
 * The object with `metadata.namespace` set to the environment's namespace when it names none
 * and its kind is namespaced; cluster-scoped objects are returned as they are. Returns a copy
 * only when something changes.
 */
export function withDefaultNamespace<T extends Record<string, unknown>>(object: T, namespace: string, namespaced: boolean): T {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  if (!namespaced || (typeof metadata.namespace === "string" && metadata.namespace !== "")) return object;
  return { ...object, metadata: { ...metadata, namespace } };
}
