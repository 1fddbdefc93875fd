import type { PlanObjectRef } from "./environment-plan.js";

/** The reference of an object as written or served (apiVersion, kind, name, namespace). */
export function planObjectRef(object: Record<string, unknown>): PlanObjectRef {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const namespace = typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : undefined;
  return {
    apiVersion: String(object.apiVersion ?? ""),
    kind: String(object.kind ?? ""),
    name: String(metadata.name ?? ""),
    ...(namespace ? { namespace } : {}),
  };
}

/**
 * Identity of an object across versions of its group: `apps/Deployment/web/api`. The same
 * Deployment served as apps/v1 or written as apps/v1beta2 is one object.
 */
export function objectKey(ref: PlanObjectRef): string {
  const slash = ref.apiVersion.indexOf("/");
  const group = slash < 0 ? "" : ref.apiVersion.slice(0, slash);
  return `${group}/${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
}

/** `Deployment web/api`, or `Namespace web` for a cluster-scoped object. */
export function describeRef(ref: PlanObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}
