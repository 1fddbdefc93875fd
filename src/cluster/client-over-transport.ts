import type { ClusterContext } from './cluster-context.js';
import type { ClusterClient } from './create-cluster-client.js';
import { createDiscovery } from './create-discovery.js';
import type { KubeTransport } from './create-kube-transport.js';
import { deleteObject } from './delete-object.js';
import { fetchOpenApiV3 } from './fetch-openapi-v3.js';
import { fetchServerVersion } from './fetch-server-version.js';
import { getObject } from './get-object.js';
import { listObjects } from './list-objects.js';
import { serverSideApply } from './server-side-apply.js';

/** Every operation Slipway needs, over one transport (plain, or one that counts its requests). */
export function clientOverTransport(transport: KubeTransport, fieldManager: string): ClusterClient {
  const ctx: ClusterContext = { transport, discovery: createDiscovery(transport), fieldManager };
  return {
    fieldManager,
    resolveKind: (type) => ctx.discovery.resolve(type),
    get: (ref) => getObject(ctx, ref),
    list: (query) => listObjects(ctx, query),
    apply: (object, applyOptions) => serverSideApply(ctx, object, applyOptions),
    delete: (ref, deleteOptions) => deleteObject(ctx, ref, deleteOptions),
    openApiV3: (include) => fetchOpenApiV3(ctx, include),
    serverVersion: () => fetchServerVersion(ctx),
  };
}
