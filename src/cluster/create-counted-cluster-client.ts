import type { KubeConfig } from '@kubernetes/client-node';
import { clientOverTransport } from './client-over-transport.js';
import { FIELD_MANAGER, type ClusterClient, type ClusterClientOptions } from './create-cluster-client.js';
import { createKubeTransport, type KubeTransport } from './create-kube-transport.js';

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
  const client = clientOverTransport(transport, options.fieldManager ?? FIELD_MANAGER);
  return { client, requests: () => count };
}
