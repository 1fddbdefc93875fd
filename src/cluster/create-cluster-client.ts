import type { KubeConfig } from '@kubernetes/client-node';
import { clientOverTransport } from './client-over-transport.js';
import type { ResourceInfo } from './create-discovery.js';
import { createKubeTransport, type KubeTransportOptions } from './create-kube-transport.js';
import type { DeleteOptions } from './delete-object.js';
import type { OpenApiV3 } from './fetch-openapi-v3.js';
import type { ServerVersion } from './fetch-server-version.js';
import type { KubeObject, ObjectRef } from './kube-object.js';
import type { ListQuery } from './list-objects.js';
import type { ApplyOptions } from './server-side-apply.js';

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
  return clientOverTransport(createKubeTransport(kubeConfig, options), options.fieldManager ?? FIELD_MANAGER);
}
