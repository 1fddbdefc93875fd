import type { KubeConfig } from "@kubernetes/client-node";
import { formatApiVersion, type ObjectRef } from "../core/object-identity.js";
import {
  FIELD_MANAGER,
  type ApplyOptions,
  type ClusterClient,
  type DeleteOptions,
  type KubeObject,
  type ListQuery,
  type OpenApiV3,
  type ResourceInfo,
  type ServerVersion,
} from "./cluster-client.js";
import { InvalidError } from "./cluster-error.js";
import { createDiscovery, type Discovery } from "./create-discovery.js";
import { createKubeTransport, type KubeTransport, type KubeTransportOptions } from "./create-kube-transport.js";

export interface ClusterClientOptions extends KubeTransportOptions {
  /** Defaults to `slipway`; tests use another to provoke conflicts. */
  fieldManager?: string;
}

/** The cluster adapter on a kubeconfig's current context. */
export function createClusterClient(kubeConfig: KubeConfig, options: ClusterClientOptions = {}): ClusterClient {
  return clientOverTransport(createKubeTransport(kubeConfig, options), options.fieldManager ?? FIELD_MANAGER);
}

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
  return { client: clientOverTransport(transport, options.fieldManager ?? FIELD_MANAGER), requests: () => count };
}

// Every operation over one transport (plain, or one that counts its requests) and one discovery cache.
function clientOverTransport(transport: KubeTransport, fieldManager: string): ClusterClient {
  const discovery = createDiscovery(transport);
  return {
    fieldManager,
    resolveKind: (type) => discovery.resolve(type),
    get: (ref) => getObject(transport, discovery, ref),
    list: (query) => listObjects(transport, discovery, query),
    apply: (object, applyOptions) => serverSideApply(transport, discovery, fieldManager, object, applyOptions),
    delete: (ref, deleteOptions) => deleteObject(transport, discovery, ref, deleteOptions),
    openApiV3: (include) => fetchOpenApiV3(transport, include),
    serverVersion: async () => (await transport.request({ method: "GET", path: "/version" })).body as ServerVersion,
  };
}

async function getObject(transport: KubeTransport, discovery: Discovery, ref: ObjectRef): Promise<KubeObject> {
  const info = await discovery.resolve(ref);
  const { body } = await transport.request({ method: "GET", path: resourcePath(info, ref), target: ref });
  return body as KubeObject;
}

const metadataOnly = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

async function listObjects(transport: KubeTransport, discovery: Discovery, query: ListQuery): Promise<KubeObject[]> {
  const info = await discovery.resolve(query);
  const path = resourcePath(info, { namespace: query.namespace, allNamespaces: query.namespace === undefined });
  const items: KubeObject[] = [];
  let continueToken: string | undefined;
  do {
    const { body } = await transport.request({
      method: "GET",
      path,
      query: {
        labelSelector: query.labelSelector,
        fieldSelector: query.fieldSelector,
        limit: query.pageSize ?? 500,
        continue: continueToken,
      },
      ...(query.view === "metadata" ? { accept: metadataOnly } : {}),
      target: { apiVersion: query.apiVersion, kind: query.kind, namespace: query.namespace },
    });
    const list = body as { items?: Omit<KubeObject, "apiVersion" | "kind">[]; metadata?: { continue?: string } };
    // List items come without apiVersion and kind (as metadata, with PartialObjectMetadata's).
    for (const item of list.items ?? []) items.push({ ...item, apiVersion: query.apiVersion, kind: query.kind } as KubeObject);
    continueToken = list.metadata?.continue || undefined;
  } while (continueToken !== undefined);
  return items;
}

async function serverSideApply(
  transport: KubeTransport,
  discovery: Discovery,
  fieldManager: string,
  object: KubeObject,
  options: ApplyOptions,
): Promise<KubeObject> {
  const { apiVersion, kind } = object;
  const name = object.metadata?.name;
  const target = { apiVersion, kind, namespace: object.metadata?.namespace, name };
  if (!name) {
    throw new InvalidError(`${apiVersion} ${kind}: metadata.name is required for server-side apply`, {
      ...target,
      fields: [{ field: "metadata.name", reason: "FieldValueRequired", message: "name is required" }],
    });
  }
  const info = await discovery.resolve(object);
  // A cluster-scoped object carries no namespace; the request path decides where it goes.
  const body = info.namespaced ? object : { ...object, metadata: withoutNamespace(object.metadata) };
  const { body: applied } = await transport.request({
    method: "PATCH",
    path: resourcePath(info, { namespace: object.metadata.namespace, name }),
    query: {
      fieldManager,
      fieldValidation: "Strict",
      force: options.force ? true : undefined,
      dryRun: options.dryRun ? "All" : undefined,
    },
    // JSON is YAML, and the server parses it as the apply configuration.
    contentType: "application/apply-patch+yaml",
    body,
    target,
  });
  return applied as KubeObject;
}

function withoutNamespace(metadata: KubeObject["metadata"]): KubeObject["metadata"] {
  const { namespace: _namespace, ...rest } = metadata;
  return rest;
}

async function deleteObject(transport: KubeTransport, discovery: Discovery, ref: ObjectRef, options: DeleteOptions): Promise<KubeObject> {
  const info = await discovery.resolve(ref);
  const { body } = await transport.request({
    method: "DELETE",
    path: resourcePath(info, ref),
    body: {
      apiVersion: "v1",
      kind: "DeleteOptions",
      propagationPolicy: options.propagationPolicy ?? "Background",
      ...(options.dryRun ? { dryRun: ["All"] } : {}),
      ...(options.uid ? { preconditions: { uid: options.uid } } : {}),
      ...(options.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: options.gracePeriodSeconds }),
    },
    target: ref,
  });
  return body as KubeObject;
}

// A few documents at a time: 2-core API servers answer a burst of 60 slowly.
async function fetchOpenApiV3(transport: KubeTransport, include: (path: string) => boolean = () => true): Promise<OpenApiV3> {
  const { body } = await transport.request({ method: "GET", path: "/openapi/v3" });
  const index = (body as { paths?: Record<string, { serverRelativeURL?: string }> }).paths ?? {};
  const paths = Object.keys(index).sort();
  const documents: Record<string, Record<string, unknown>> = {};
  const wanted = paths.filter(include);
  for (let i = 0; i < wanted.length; i += 6) {
    await Promise.all(
      wanted.slice(i, i + 6).map(async (path) => {
        // The server-relative URL carries a content hash, so the answer is cacheable.
        const url = new URL(index[path].serverRelativeURL ?? `/openapi/v3/${path}`, "http://server");
        const { body: document } = await transport.request({ method: "GET", path: url.pathname, query: Object.fromEntries(url.searchParams) });
        documents[path] = document as Record<string, unknown>;
      }),
    );
  }
  return { paths, documents };
}

/**
 * The REST path of a resource's collection (no name) or of one object. A namespaced kind needs
 * a namespace, or none for a list across all namespaces; a cluster-scoped kind ignores it.
 */
function resourcePath(info: ResourceInfo, where: { namespace?: string; name?: string; allNamespaces?: boolean }): string {
  let path = info.group === "" ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  if (info.namespaced && !where.allNamespaces) {
    if (!where.namespace) {
      throw new InvalidError(`${info.kind} is namespaced and no namespace was given`, {
        apiVersion: formatApiVersion(info),
        kind: info.kind,
        name: where.name,
        fields: [{ field: "metadata.namespace", reason: "FieldValueRequired", message: "namespace is required" }],
      });
    }
    path += `/namespaces/${encodeURIComponent(where.namespace)}`;
  }
  path += `/${info.resource}`;
  if (where.name !== undefined) path += `/${encodeURIComponent(where.name)}`;
  return path;
}
