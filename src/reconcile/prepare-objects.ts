import type { ClusterClient, KubeObject, ResourceInfo } from "../cluster/cluster-client.js";
import { UnknownKindError } from "../cluster/cluster-error.js";
import { groupKind, objectKey, objectRef, type SourcedObjectRef } from "../core/object-identity.js";
import { withDefaultNamespace } from "../core/plan/with-default-namespace.js";
import { withSlipwayMetadata } from "../core/plan/with-slipway-metadata.js";
import { checkClusterPolicy } from "../core/policy/check-cluster-policy.js";
import type { ClusterPolicy } from "../core/policy/cluster-policy.js";
import { clusterRefusal, type ObjectRefusal } from "./object-refusal.js";

/** One object as loaded from the repository (a ManifestObject fits). */
export interface ReconcileManifest {
  object: Record<string, unknown>;
  file: string;
  line: number;
  /** Line of a field in the manifest, to point a refusal at the field at fault. */
  lineOf?: (path: ReadonlyArray<string | number>) => number;
}

/** One desired object, ready to compare and apply. */
export interface PreparedObject {
  manifest: ReconcileManifest;
  /** Its identity as applied (namespace placed), with the file and line it is written at. */
  ref: SourcedObjectRef;
  /** With its namespace (the default for a namespaced kind, none for a cluster-scoped one) and Slipway's labels. */
  object: KubeObject;
  namespaced: boolean;
  /** Its kind comes from a CustomResourceDefinition of this change (this name) that the cluster does not serve yet. */
  pendingCrd?: string;
  /** Why it is not applied, when it is not. */
  refusal?: ObjectRefusal;
}

/** Resolves a kind once per reconcile, failures included. */
export type KindLookup = (type: { apiVersion: string; kind: string }) => Promise<{ ok: true; info: ResourceInfo } | { ok: false; error: unknown }>;

export interface PrepareObjectsParams {
  client: Pick<ClusterClient, "resolveKind">;
  environmentId: string;
  manifests: readonly ReconcileManifest[];
  /** Namespace for namespaced objects that name none. */
  defaultNamespace: string;
  policy?: ClusterPolicy;
}

export interface PreparedObjects {
  /** In the order of the manifests. */
  objects: PreparedObject[];
  /** Namespaces this change creates (and the policy allows): objects in them wait for them. */
  createdNamespaces: Set<string>;
  /** The kind lookup, with what it has resolved so far. */
  lookup: KindLookup;
}

/**
 * Step 1 of a reconcile: every desired object identified and placed, without a request about
 * any object (discovery only, once per kind). Refused here: an object without a name, one the
 * cluster's policy refuses (checked before anything else, so nothing about it is ever sent), one
 * whose kind the cluster does not serve and no CRD of this change defines, and a second
 * definition of the same object.
 */
export async function prepareObjects(params: PrepareObjectsParams): Promise<PreparedObjects> {
  const kinds = new Map<string, ReturnType<KindLookup>>();
  const lookup: KindLookup = (type) => {
    const key = `${type.apiVersion}/${type.kind}`;
    let found = kinds.get(key);
    if (!found) {
      found = params.client.resolveKind(type).then(
        (info) => ({ ok: true as const, info }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      kinds.set(key, found);
    }
    return found;
  };

  // Kinds this change defines, by group and kind.
  const definedKinds = new Map<string, { name: string; namespaced: boolean }>();
  for (const { object } of params.manifests) {
    if (object.kind !== "CustomResourceDefinition" || !String(object.apiVersion).startsWith("apiextensions.k8s.io/")) continue;
    const spec = (object.spec ?? {}) as { group?: string; names?: { kind?: string }; scope?: string };
    const name = String((object.metadata as { name?: unknown } | undefined)?.name ?? "");
    definedKinds.set(`${spec.group}/${spec.names?.kind}`, { name, namespaced: spec.scope !== "Cluster" });
  }

  const objects = await Promise.all(
    params.manifests.map(async (manifest): Promise<PreparedObject> => {
      const type = { apiVersion: String(manifest.object.apiVersion ?? ""), kind: String(manifest.object.kind ?? "") };
      const name = String((manifest.object.metadata as { name?: unknown } | undefined)?.name ?? "");
      const where = { file: manifest.file, line: manifest.line };
      if (name === "") {
        return { manifest, ref: { ...type, name, ...where }, object: manifest.object as KubeObject, namespaced: true, refusal: { cause: "no-name" } };
      }
      const resolved = await lookup(type);
      const defined = resolved.ok ? undefined : definedKinds.get(groupKind(type));
      // A kind nobody can place yet is taken as namespaced, as most custom kinds are.
      const namespaced = resolved.ok ? resolved.info.namespaced : (defined?.namespaced ?? true);
      const placed = namespaced ? withDefaultNamespace(manifest.object, params.defaultNamespace, true) : withoutNamespace(manifest.object);
      const object = withSlipwayMetadata(placed, { environmentId: params.environmentId }) as KubeObject;
      const ref = { ...objectRef(object), ...where };
      const prepared = { manifest, ref, object, namespaced };
      const refusal = params.policy
        ? checkClusterPolicy(params.policy, { ...type, name, namespace: ref.namespace, namespaced: resolved.ok || defined ? namespaced : undefined })
        : undefined;
      if (refusal) return { ...prepared, refusal: { cause: "policy", message: refusal.message, path: refusal.path } };
      if (resolved.ok) return prepared;
      if (resolved.error instanceof UnknownKindError && defined) return { ...prepared, pendingCrd: defined.name };
      return { ...prepared, refusal: clusterRefusal(resolved.error) };
    }),
  );

  const seen = new Map<string, { file: string; line: number }>();
  for (const item of objects) {
    if (item.refusal) continue;
    const key = objectKey(item.ref);
    const first = seen.get(key);
    if (first) item.refusal = { cause: "duplicate", first };
    else seen.set(key, { file: item.manifest.file, line: item.manifest.line });
  }

  const createdNamespaces = new Set(
    objects.filter((item) => !item.refusal && item.ref.kind === "Namespace" && item.ref.apiVersion === "v1").map((item) => item.ref.name),
  );
  return { objects, createdNamespaces, lookup };
}

// A cluster-scoped object has no namespace: the server ignores one, and so must its identity.
function withoutNamespace(object: Record<string, unknown>): Record<string, unknown> {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  if (metadata.namespace === undefined) return object;
  const { namespace: _namespace, ...rest } = metadata;
  return { ...object, metadata: rest };
}
