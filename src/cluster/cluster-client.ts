import type { GroupVersionKind, ObjectRef } from "../core/object-identity.js";

// The contract of the cluster adapter: what Slipway asks of a cluster, and the plain JSON objects
// it speaks, as the API server serves them. The reconcile pipeline depends on this alone;
// createClusterClient implements it over HTTP.

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: unknown[];
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Where a kind is served: the REST resource and whether objects live in a namespace. */
export interface ResourceInfo extends GroupVersionKind {
  /** Plural REST resource, e.g. `deployments`. */
  resource: string;
  namespaced: boolean;
  verbs: string[];
}

export interface ListQuery {
  apiVersion: string;
  kind: string;
  /** Omit to list across all namespaces (or for a cluster-scoped kind). */
  namespace?: string;
  /** e.g. `app.kubernetes.io/managed-by=slipway,slipway.dev/environment=prod`. */
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; every page is fetched. */
  pageSize?: number;
  /** `metadata`: each object's metadata only (names, labels), to learn whose objects are without reading their content. */
  view?: "full" | "metadata";
}

export interface ApplyOptions {
  /** Required, so a plan and a deploy are the same call: true asks the server to persist nothing. */
  dryRun: boolean;
  /** Take over fields owned by other field managers instead of failing with a ConflictError. */
  force?: boolean;
}

export interface DeleteOptions {
  /** Required, so a planned prune and a real one are the same call. */
  dryRun: boolean;
  /**
   * What happens to dependents: Foreground (the object waits for them), Background (the
   * default here: gone at once, dependents collected after) or Orphan (dependents kept).
   */
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  /** Only delete this exact object (not one re-created under the same name meanwhile). */
  uid?: string;
  gracePeriodSeconds?: number;
}

export interface OpenApiV3 {
  /** Every path the server publishes under /openapi/v3, e.g. `api/v1`, `apis/apps/v1`. */
  paths: string[];
  /** The documents fetched, by path. */
  documents: Record<string, Record<string, unknown>>;
}

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
  [field: string]: unknown;
}

/** Slipway's field manager for server-side apply. */
export const FIELD_MANAGER = "slipway";

/**
 * One kubeconfig context, every operation Slipway needs. Failures are ClusterErrors
 * (cluster-error.ts): not found, conflict, invalid, forbidden, unavailable.
 */
export interface ClusterClient {
  readonly fieldManager: string;
  /** Where a kind is served; refreshes discovery on a miss, then throws UnknownKindError. */
  resolveKind(type: { apiVersion: string; kind: string }): Promise<ResourceInfo>;
  /** One object; throws NotFoundError when it does not exist. */
  get(ref: ObjectRef): Promise<KubeObject>;
  /** Every object of a kind that matches the selectors, with apiVersion and kind filled in. */
  list(query: ListQuery): Promise<KubeObject[]>;
  /**
   * Server-side apply as the field manager, with strict field validation: an unknown or
   * duplicate field is an InvalidError, not a warning. Returns the object as the server has it
   * (or, on a dry run, would have it), with defaults filled in.
   */
  apply(object: KubeObject, options: ApplyOptions): Promise<KubeObject>;
  /**
   * Deletes one object; throws NotFoundError when it is already gone. Returns what the server
   * answered: the object (marked for deletion, if finalizers or foreground deletion hold it) or
   * a Status.
   */
  delete(ref: ObjectRef, options: DeleteOptions): Promise<KubeObject>;
  /** The OpenAPI v3 documents: all, or those whose path `include` accepts. */
  openApiV3(include?: (path: string) => boolean): Promise<OpenApiV3>;
  /** The API server's /version, e.g. gitVersion `v1.36.3`. */
  serverVersion(): Promise<ServerVersion>;
}
