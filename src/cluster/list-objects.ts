import type { ClusterContext } from './cluster-context.js';
import type { KubeObject } from './kube-object.js';
import { resourcePath } from './resource-path.js';

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
  view?: 'full' | 'metadata';
}

const metadataOnly = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** Every object of a kind that matches the selectors, with apiVersion and kind filled in. */
export async function listObjects(ctx: ClusterContext, query: ListQuery): Promise<KubeObject[]> {
  const info = await ctx.discovery.resolve(query);
  const path = resourcePath(info, { namespace: query.namespace, allNamespaces: query.namespace === undefined });
  const items: KubeObject[] = [];
  let continueToken: string | undefined;
  do {
    const { body } = await ctx.transport.request({
      method: 'GET',
      path,
      query: {
        labelSelector: query.labelSelector,
        fieldSelector: query.fieldSelector,
        limit: query.pageSize ?? 500,
        continue: continueToken,
      },
      ...(query.view === 'metadata' ? { accept: metadataOnly } : {}),
      target: { apiVersion: query.apiVersion, kind: query.kind, namespace: query.namespace },
    });
    const list = body as { items?: Omit<KubeObject, 'apiVersion' | 'kind'>[]; metadata?: { continue?: string } };
    // List items come without apiVersion and kind (as metadata, with PartialObjectMetadata's).
    for (const item of list.items ?? []) items.push({ ...item, apiVersion: query.apiVersion, kind: query.kind } as KubeObject);
    continueToken = list.metadata?.continue || undefined;
  } while (continueToken !== undefined);
  return items;
}
