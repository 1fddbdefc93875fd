import { environmentSelector } from "../core/plan/slipway-labels.js";
import type { ClusterClient, KubeObject, ResourceInfo } from "../cluster/cluster-client.js";
import { mapLimited } from "../core/map-limited.js";
import { formatApiVersion } from "../core/object-identity.js";

export interface ListInventoryParams {
  client: Pick<ClusterClient, "list">;
  environmentId: string;
  /** Kinds to list (those in Git, and for prune the prunable kinds); kinds without `list` are skipped. */
  kinds: readonly ResourceInfo[];
  /** Namespaces to list namespaced kinds in; the environment's labelled Namespaces are added. */
  namespaces: readonly string[];
  /** Namespaces the cluster's policy lets this environment manage; others are never listed. */
  keepNamespace?: (namespace: string) => boolean;
  concurrency: number;
  signal?: AbortSignal;
}

/**
 * The environment's live inventory: every object with its labels, one list per cluster-scoped
 * kind, then one per namespaced kind and namespace (per namespace, so a Slipway allowed only
 * some namespaces needs no cluster-wide list permission).
 */
export async function listInventory(params: ListInventoryParams): Promise<KubeObject[]> {
  const selector = environmentSelector(params.environmentId);
  const kinds = params.kinds.filter((info) => info.verbs.includes("list"));
  const live: KubeObject[] = [];
  const clusterScoped = kinds.filter((info) => !info.namespaced);
  const lists = await mapLimited(
    clusterScoped,
    params.concurrency,
    (info) => params.client.list({ apiVersion: formatApiVersion(info), kind: info.kind, labelSelector: selector }),
    params.signal,
  );
  for (const items of lists) for (const item of items) live.push(item);

  const liveNamespaces = new Set(live.filter((o) => o.kind === "Namespace" && o.apiVersion === "v1").map((o) => o.metadata.name ?? ""));
  const namespaces = new Set([...params.namespaces, ...liveNamespaces].filter((ns) => params.keepNamespace?.(ns) ?? true));
  // A namespace that does not exist yet lists as empty: one cheap request, and no guessing.
  const namespaced = kinds
    .filter((info) => info.namespaced)
    .flatMap((info) => [...namespaces].filter((ns) => ns !== "").map((namespace) => ({ info, namespace })));
  const namespacedLists = await mapLimited(
    namespaced,
    params.concurrency,
    ({ info, namespace }) => params.client.list({ apiVersion: formatApiVersion(info), kind: info.kind, namespace, labelSelector: selector }),
    params.signal,
  );
  for (const items of namespacedLists) for (const item of items) live.push(item);
  return live;
}
