// Which object is which: one reference type, one key, one description, for the plan, the deploy,
// validation and the cluster adapter alike.

/** Names one object: apiVersion and kind, name, and the namespace for namespaced kinds. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** Absent for cluster-scoped kinds. */
  namespace?: string;
}

/** An object with the file and line it is written at, when it comes from Git. */
export interface SourcedObjectRef extends ObjectRef {
  file?: string;
  line?: number;
}

/** A kind's group, version and kind; the group is '' for the core API. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Splits `apps/v1` into group `apps`, version `v1`; `v1` is the core group ''. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The group of an apiVersion: `apps` for `apps/v1`, '' for the core `v1`. */
export function groupOf(apiVersion: string): string {
  return parseApiVersion(apiVersion).group;
}

/** The apiVersion of a group and version: `apps/v1`, or `v1` for the core group. */
export function formatApiVersion(groupVersion: { group: string; version: string }): string {
  return groupVersion.group === "" ? groupVersion.version : `${groupVersion.group}/${groupVersion.version}`;
}

/** `apps/Deployment`, the group and kind a rule or a list of kinds names (`/ConfigMap` for the core group). */
export function groupKind(type: { apiVersion: string; kind: string }): string {
  return `${groupOf(type.apiVersion)}/${type.kind}`;
}

/** The reference of an object as written or served (apiVersion, kind, name, namespace). */
export function objectRef(object: Record<string, unknown>): ObjectRef {
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
export function objectKey(ref: ObjectRef): string {
  return `${groupKind(ref)}/${ref.namespace ?? ""}/${ref.name}`;
}

/** `Deployment web/api`, or `Namespace web` for a cluster-scoped object. */
export function describeObject(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}

/** `Deployment web/api (deploy/api.yaml:12)`: how people find an object, in the cluster and in Git. */
export function describeObjectAtSource(ref: SourcedObjectRef): string {
  const where = ref.file === undefined ? "" : ` (${ref.file}${ref.line ? `:${ref.line}` : ""})`;
  return `${describeObject(ref)}${where}`;
}
