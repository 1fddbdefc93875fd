import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterContext } from './cluster-context.js';
import { createDiscovery, type ResourceInfo } from './create-discovery.js';
import { createKubeTransport, type KubeTransportOptions } from './create-kube-transport.js';
import { deleteObject, type DeleteOptions } from './delete-object.js';
import { fetchOpenApiV3, type OpenApiV3 } from './fetch-openapi-v3.js';
import { fetchServerVersion, type ServerVersion } from './fetch-server-version.js';
import { getObject } from './get-object.js';
import type { KubeObject, ObjectRef } from './kube-object.js';
import { listObjects, type ListQuery } from './list-objects.js';
import { serverSideApply, type ApplyOptions } from './server-side-apply.js';

/** Slipway's field manager for server-side apply. */
export const FIELD_MANAGER = 'slipway';

/** The cluster adapter: one kubeconfig context, every operation Slipway needs. */
export interface ClusterClient {
  readonly fieldManager: string;
  /** Where a kind is served; refreshes discovery on a miss, then throws UnknownKindError. */
  resolveKind(type: { apiVersion: string; kind: string }): Promise<ResourceInfo>;
  get(ref: ObjectRef): Promise<KubeObject>;
  list(query: ListQuery): Promise<KubeObject[]>;
  apply(object: KubeObject, options: ApplyOptions): Promise<KubeObject>;
  delete(ref: ObjectRef, options: DeleteOptions): Promise<KubeObject>;
  openApiV3(include?: (path: string) => boolean): Promise<OpenApiV3>;
  serverVersion(): Promise<ServerVersion>;
}

export interface ClusterClientOptions extends KubeTransportOptions {
  /** Defaults to `slipway`; tests use another to provoke conflicts. */
  fieldManager?: string;
}

export function createClusterClient(kubeConfig: KubeConfig, options: ClusterClientOptions = {}): ClusterClient {
  const transport = createKubeTransport(kubeConfig, options);
  const ctx: ClusterContext = { transport, discovery: createDiscovery(transport), fieldManager: options.fieldManager ?? FIELD_MANAGER };
  return {
    fieldManager: ctx.fieldManager,
    resolveKind: (type) => ctx.discovery.resolve(type),
    get: (ref) => getObject(ctx, ref),
    list: (query) => listObjects(ctx, query),
    apply: (object, applyOptions) => serverSideApply(ctx, object, applyOptions),
    delete: (ref, deleteOptions) => deleteObject(ctx, ref, deleteOptions),
    openApiV3: (include) => fetchOpenApiV3(ctx, include),
    serverVersion: () => fetchServerVersion(ctx),
  };
}
