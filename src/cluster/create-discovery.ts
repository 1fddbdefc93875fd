import { UnknownKindError } from "./cluster-error.js";
import type { KubeTransport } from "./create-kube-transport.js";
import { parseApiVersion, type GroupVersionKind } from "../core/object-identity.js";
import type { ResourceInfo } from "./cluster-client.js";

export interface Discovery {
  /**
   * The resource for apiVersion and kind. A miss refreshes the cache once, so a kind whose CRD
   * became Established a moment ago is found; a second miss throws UnknownKindError.
   */
  resolve(type: { apiVersion: string; kind: string }): Promise<ResourceInfo>;
  /** Everything the server serves (refreshing first when nothing is cached yet). */
  all(): Promise<ResourceInfo[]>;
  /** Forget the cache and fetch again; concurrent calls share one fetch. */
  refresh(): Promise<void>;
}

// Aggregated discovery (GA in 1.30): the whole API surface in two requests.
const AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

export function createDiscovery(transport: KubeTransport): Discovery {
  let cache: Map<string, ResourceInfo> | undefined;
  let inFlight: Promise<void> | undefined;

  function refresh(): Promise<void> {
    inFlight ??= fetchAll(transport)
      .then((infos) => {
        cache = new Map(infos.map((info) => [key(info), info]));
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  return {
    refresh,
    async all() {
      if (cache === undefined) await refresh();
      return [...cache!.values()];
    },
    async resolve({ apiVersion, kind }) {
      const gvk = { ...parseApiVersion(apiVersion), kind };
      const cached = cache?.get(key(gvk));
      if (cached) return cached;
      await refresh();
      const found = cache!.get(key(gvk));
      if (found) return found;
      throw new UnknownKindError(`the cluster serves no kind ${kind} in ${apiVersion} (is its CRD installed and established?)`, {
        apiVersion,
        kind,
        reason: "NoKindMatch",
      });
    },
  };
}

function key({ group, version, kind }: GroupVersionKind): string {
  return `${group}/${version}/${kind}`;
}

async function fetchAll(transport: KubeTransport): Promise<ResourceInfo[]> {
  const [core, groups] = await Promise.all(
    ["/api", "/apis"].map((path) => transport.request({ method: "GET", path, accept: `${AGGREGATED},application/json` })),
  );
  if (isAggregated(core.body) && isAggregated(groups.body)) {
    return [...fromAggregated(core.body), ...fromAggregated(groups.body)];
  }
  return fetchLegacy(transport, core.body, groups.body);
}

interface AggregatedList {
  kind: "APIGroupDiscoveryList";
  items: {
    metadata?: { name?: string };
    versions?: {
      version: string;
      resources?: {
        resource: string;
        responseKind?: { group?: string; version?: string; kind?: string };
        scope?: string;
        verbs?: string[];
      }[];
    }[];
  }[];
}

function isAggregated(body: unknown): body is AggregatedList {
  return (body as { kind?: string } | null)?.kind === "APIGroupDiscoveryList";
}

function fromAggregated(list: AggregatedList): ResourceInfo[] {
  const infos: ResourceInfo[] = [];
  for (const group of list.items) {
    for (const version of group.versions ?? []) {
      for (const resource of version.resources ?? []) {
        if (!resource.responseKind?.kind) continue;
        infos.push({
          group: group.metadata?.name ?? "",
          version: version.version,
          kind: resource.responseKind.kind,
          resource: resource.resource,
          namespaced: resource.scope === "Namespaced",
          verbs: resource.verbs ?? [],
        });
      }
    }
  }
  return infos;
}

// Servers before aggregated discovery: one request per group-version.
async function fetchLegacy(transport: KubeTransport, core: unknown, groups: unknown): Promise<ResourceInfo[]> {
  const groupVersions: string[] = [
    ...((core as { versions?: string[] }).versions ?? []),
    ...((groups as { groups?: { versions?: { groupVersion: string }[] }[] }).groups ?? []).flatMap((g) => (g.versions ?? []).map((v) => v.groupVersion)),
  ];
  const lists = await Promise.all(
    groupVersions.map(async (groupVersion) => {
      const { group, version } = parseApiVersion(groupVersion);
      const { body } = await transport.request({ method: "GET", path: group === "" ? `/api/${version}` : `/apis/${groupVersion}` });
      const resources = (body as { resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[] }).resources ?? [];
      return resources
        .filter((r) => !r.name.includes("/"))
        .map((r) => ({ group, version, kind: r.kind, resource: r.name, namespaced: r.namespaced, verbs: r.verbs ?? [] }));
    }),
  );
  return lists.flat();
}
