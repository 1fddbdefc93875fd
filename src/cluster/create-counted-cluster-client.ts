import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterContext } from './cluster-context.js';
import { FIELD_MANAGER, type ClusterClient, type ClusterClientOptions } from './create-cluster-client.js';
import { createDiscovery } from './create-discovery.js';
import { createKubeTransport, type KubeTransport } from './create-kube-transport.js';
import { deleteObject } from './delete-object.js';
import { fetchOpenApiV3 } from './fetch-openapi-v3.js';
import { fetchServerVersion } from './fetch-server-version.js';
import { getObject } from './get-object.js';
import { listObjects } from './list-objects.js';
import { serverSideApply } from './server-side-apply.js';

export interface CountedClusterClient {
  client: ClusterClient;
  /** Requests sent to the API server so far, retries included. */
  requests(): number;
}

/**
 * A cluster client (as createClusterClient builds it) whose transport counts the requests it
 * sends: the plan reports its cost, and the benchmark compares it with kubectl's.
 */
export function createCountedClusterClient(kubeConfig: KubeConfig, options: ClusterClientOptions = {}): CountedClusterClient {
  let count = 0;
  const inner = createKubeTransport(kubeConfig, {
    ...options,
    // Each retry is a request too: count it where the transport sleeps before one.
    sleep: (ms) => {
      count += 1;
      return (options.sleep ?? ((delay: number) => new Promise<void>((resolve) => setTimeout(resolve, delay))))(ms);
    },
  });
  const transport: KubeTransport = {
    request(request) {
      count += 1;
      return inner.request(request);
    },
  };
  const ctx: ClusterContext = { transport, discovery: createDiscovery(transport), fieldManager: options.fieldManager ?? FIELD_MANAGER };
  const client: ClusterClient = {
    fieldManager: ctx.fieldManager,
    resolveKind: (type) => ctx.discovery.resolve(type),
    get: (ref) => getObject(ctx, ref),
    list: (query) => listObjects(ctx, query),
    apply: (object, applyOptions) => serverSideApply(ctx, object, applyOptions),
    delete: (ref, deleteOptions) => deleteObject(ctx, ref, deleteOptions),
    openApiV3: (include) => fetchOpenApiV3(ctx, include),
    serverVersion: () => fetchServerVersion(ctx),
  };
  return { client, requests: () => count };
}
