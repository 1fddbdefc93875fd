import { mapLimited } from "../core/map-limited.js";
import { objectKey, objectRef, type ObjectRef } from "../core/object-identity.js";
import { ENVIRONMENT_LABEL } from "../core/plan/slipway-labels.js";
import type { ClusterClient, KubeObject } from "../cluster/cluster-client.js";

export interface ListForeignMetadataParams {
  client: Pick<ClusterClient, "list">;
  /** Objects Git names that the environment's inventory does not hold. */
  refs: readonly ObjectRef[];
  environmentId: string;
  concurrency: number;
  signal?: AbortSignal;
}

/**
 * Which of the given objects exist without this environment's label, by objectKey: their
 * metadata only (names, labels), from one metadata-only list per kind and namespace, so the
 * content of an object Slipway does not own is never read. Missing objects are absent.
 */
export async function listForeignMetadata(params: ListForeignMetadataParams): Promise<Map<string, KubeObject>> {
  const groups = new Map<string, { apiVersion: string; kind: string; namespace?: string; names: Set<string> }>();
  for (const ref of params.refs) {
    const key = `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ""}`;
    const group = groups.get(key) ?? {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      ...(ref.namespace ? { namespace: ref.namespace } : {}),
      names: new Set<string>(),
    };
    group.names.add(ref.name);
    groups.set(key, group);
  }
  const lists = await mapLimited(
    [...groups.values()],
    params.concurrency,
    async ({ names, ...query }) => {
      // `!=` also selects objects without the label: made by hand, by another tool, or by another environment.
      const items = await params.client.list({ ...query, labelSelector: `${ENVIRONMENT_LABEL}!=${params.environmentId}`, view: "metadata" });
      return items.filter((item) => names.has(item.metadata.name ?? ""));
    },
    params.signal,
  );
  const found = new Map<string, KubeObject>();
  for (const items of lists) for (const item of items) found.set(objectKey(objectRef(item)), item);
  return found;
}
