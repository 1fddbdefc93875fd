import { deferredNote } from '../core/plan/deferred-note.js';
import type { EnvironmentPlan, PlanRejection } from '../core/plan/environment-plan.js';
import { objectKey, planObjectRef } from '../core/plan/plan-object-ref.js';
import { planObjects, type DesiredObject, type DryRunOutcome, type PlanObjectsParams } from '../core/plan/plan-objects.js';
import { pruneKinds as defaultPruneKinds } from '../core/plan/prune-kinds.js';
import { environmentSelector } from '../core/plan/slipway-labels.js';
import { withDefaultNamespace } from '../core/plan/with-default-namespace.js';
import { withSlipwayMetadata } from '../core/plan/with-slipway-metadata.js';
import {
  ClusterError,
  ConflictError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  UnavailableError,
  UnknownKindError,
} from './cluster-error.js';
import type { ClusterClient } from './create-cluster-client.js';
import type { ResourceInfo } from './create-discovery.js';
import type { KubeObject } from './kube-object.js';
import { mapLimited } from '../core/map-limited.js';
import { matchesPattern } from '../core/policy/matches-pattern.js';
import { allowsKind } from '../core/policy/allows-kind.js';
import { checkClusterPolicy } from '../core/policy/check-cluster-policy.js';
import { objectOwnership } from '../core/plan/object-ownership.js';
import { listForeignMetadata } from './list-foreign-metadata.js';
import type { ClusterPolicy } from '../core/policy/cluster-policy.js';

/** One object as loaded from the repository (a ManifestObject fits). */
export interface PlanLiveManifest {
  object: Record<string, unknown>;
  file: string;
  line: number;
  lineOf?: (path: ReadonlyArray<string | number>) => number;
}

export interface PlanLiveParams {
  cluster: Pick<ClusterClient, 'resolveKind' | 'list' | 'get' | 'apply'>;
  environment: string;
  /** The `slipway.dev/environment` label value (environmentLabelValue). */
  environmentId: string;
  /** Namespace for namespaced objects that name none. */
  namespace: string;
  manifests: PlanLiveManifest[];
  prune: boolean;
  /** Stamped as `slipway.dev/source-sha`, as a deploy would (not part of the diff). */
  sourceSha?: string;
  /** Dry runs in flight at once. */
  concurrency?: number;
  /** Take over fields other managers own, as a deploy does; default true (Git wins). */
  force?: boolean;
  /** Kinds listed for prune besides those in Git (default: the common built-in kinds). */
  pruneKinds?: ReadonlyArray<{ apiVersion: string; kind: string }>;
  /** The clusters file's policy for this cluster; undefined only on the command line, with the user's own kubeconfig. */
  policy?: ClusterPolicy;
  /** Plan existing objects without Slipway's labels by value (the environment's `adopt`). */
  adopt?: boolean;
  /** Compares desired with live (default: planObjects here; the App runs it in a worker thread). */
  compare?: (params: PlanObjectsParams) => EnvironmentPlan | Promise<EnvironmentPlan>;
}

type Resolved = { ok: true; info: ResourceInfo } | { ok: false; error: unknown };

/**
 * The live plan of one environment, through the cluster adapter:
 * 1. resolve every desired kind once (discovery); a kind that a CRD in the same change defines
 *    is planned after it instead of failing; an object the cluster's policy refuses is rejected
 *    here, and no request about it (list, dry run, read) is ever sent;
 * 2. list live objects with the environment's labels, one call per allowed kind and namespace;
 * 3. server-side apply each desired object as a dry run, a few at a time; a missing namespace
 *    that the change creates is planned in order, a refusal becomes a rejection at file and line;
 * 4. learn the owners of existing objects the lists did not return from their metadata alone
 *    (listForeignMetadata), reading one in full only when the environment adopts it:
 *    planObjects never shows an object this environment does not own by value;
 * 5. compare (planObjects).
 * Throws only when the cluster cannot answer (UnavailableError, UnauthorizedError): the caller
 * then falls back to an offline plan.
 */
export async function planLive(params: PlanLiveParams): Promise<EnvironmentPlan> {
  const { cluster, environmentId } = params;
  const concurrency = params.concurrency ?? 8;

  // 1. Kinds, and what this change creates that others may depend on.
  const kinds = new Map<string, Promise<Resolved>>();
  const resolve = (type: { apiVersion: string; kind: string }): Promise<Resolved> => {
    const key = `${type.apiVersion}/${type.kind}`;
    let found = kinds.get(key);
    if (!found) {
      found = cluster.resolveKind(type).then(
        (info): Resolved => ({ ok: true, info }),
        (error: unknown): Resolved => ({ ok: false, error }),
      );
      kinds.set(key, found);
    }
    return found;
  };
  const createdNamespaces = new Set<string>();
  const createdKinds = new Map<string, { name: string; namespaced: boolean }>();
  for (const { object } of params.manifests) {
    const name = String((object.metadata as { name?: unknown } | undefined)?.name ?? '');
    const refused = params.policy && checkClusterPolicy(params.policy, { apiVersion: 'v1', kind: 'Namespace', name, namespaced: false });
    if (object.kind === 'Namespace' && object.apiVersion === 'v1' && !refused) createdNamespaces.add(name);
    if (object.kind === 'CustomResourceDefinition' && String(object.apiVersion).startsWith('apiextensions.k8s.io/')) {
      const spec = (object.spec ?? {}) as { group?: string; names?: { kind?: string }; scope?: string };
      createdKinds.set(`${spec.group}/${spec.names?.kind}`, { name, namespaced: spec.scope !== 'Cluster' });
    }
  }

  interface Prepared {
    manifest: PlanLiveManifest;
    object: KubeObject;
    info?: ResourceInfo;
    outcome?: DryRunOutcome;
  }
  const prepared: Prepared[] = await Promise.all(
    params.manifests.map(async (manifest): Promise<Prepared> => {
      const type = { apiVersion: String(manifest.object.apiVersion ?? ''), kind: String(manifest.object.kind ?? '') };
      const resolved = await resolve(type);
      const label = (object: Record<string, unknown>) =>
        withSlipwayMetadata(object, { environmentId, sourceSha: params.sourceSha }) as KubeObject;
      const crd = resolved.ok ? undefined : createdKinds.get(`${groupOf(type.apiVersion)}/${type.kind}`);
      const namespaced = resolved.ok ? resolved.info.namespaced : crd?.namespaced;
      const object = label(withDefaultNamespace(manifest.object, params.namespace, namespaced ?? true));
      const refusal = params.policy
        ? checkClusterPolicy(params.policy, { ...type, name: object.metadata.name ?? '', namespace: namespaced === false ? undefined : object.metadata.namespace, namespaced })
        : undefined;
      if (refusal) {
        const line = manifest.lineOf?.(refusal.path);
        return { manifest, object, outcome: { status: 'rejected', rejection: { reason: 'not-allowed', message: refusal.message, fields: [], ...(line ? { line } : {}) } } };
      }
      if (resolved.ok) return { manifest, info: resolved.info, object };
      if (resolved.error instanceof UnknownKindError && crd) {
        return { manifest, object, outcome: { status: 'deferred', note: deferredNote({ kind: 'CustomResourceDefinition', name: crd.name }) } };
      }
      return { manifest, object, outcome: rejectionOf(resolved.error) };
    }),
  );

  // 2. Live objects with the environment's labels: the kinds in Git (and, with prune, the
  // common kinds), cluster-scoped first so the environment's live namespaces are listed too.
  const selector = environmentSelector(environmentId);
  const listKinds = new Map<string, ResourceInfo>();
  for (const { info } of prepared) if (info) listKinds.set(`${info.group}/${info.kind}`, info);
  if (params.prune) {
    for (const type of params.pruneKinds ?? defaultPruneKinds) {
      const resolved = await resolve(type);
      if (!resolved.ok || (params.policy && !allowsKind(params.policy, resolved.info))) continue;
      if (resolved.info.verbs.includes('list') && !listKinds.has(`${resolved.info.group}/${resolved.info.kind}`)) {
        listKinds.set(`${resolved.info.group}/${resolved.info.kind}`, resolved.info);
      }
    }
  }
  const apiVersionOf = (info: ResourceInfo) => (info.group === '' ? info.version : `${info.group}/${info.version}`);
  const live: KubeObject[] = [];
  const clusterScoped = [...listKinds.values()].filter((info) => !info.namespaced);
  const lists = await mapLimited(clusterScoped, concurrency, (info) => cluster.list({ apiVersion: apiVersionOf(info), kind: info.kind, labelSelector: selector }));
  // A list may hold any number of objects: never spread it into one call.
  for (const items of lists) for (const item of items) live.push(item);

  const namespaces = new Set<string>([params.namespace]);
  for (const { object, info } of prepared) if (info?.namespaced && object.metadata.namespace) namespaces.add(object.metadata.namespace);
  for (const object of live) if (object.kind === 'Namespace' && object.metadata.name) namespaces.add(object.metadata.name);
  const existingNamespaces = [...namespaces].filter(
    (ns) =>
      (!params.policy || params.policy.namespaces.some((pattern) => matchesPattern(pattern, ns))) &&
      (!createdNamespaces.has(ns) || live.some((o) => o.kind === 'Namespace' && o.metadata.name === ns)),
  );
  const namespaced = [...listKinds.values()].filter((info) => info.namespaced).flatMap((info) => existingNamespaces.map((namespace) => ({ info, namespace })));
  const namespacedLists = await mapLimited(namespaced, concurrency, ({ info, namespace }) =>
    cluster.list({ apiVersion: apiVersionOf(info), kind: info.kind, namespace, labelSelector: selector }),
  );
  for (const items of namespacedLists) for (const item of items) live.push(item);
  // What the policy refuses is no longer this environment's to change or prune (say, a Namespace it no longer allows).
  const policy = params.policy;
  const inventory = policy
    ? live.filter((object) => {
        const ref = planObjectRef(object);
        return checkClusterPolicy(policy, { ...ref, namespaced: ref.namespace !== undefined }) === undefined;
      })
    : live;

  // 3. Dry runs.
  const force = params.force ?? true;
  const answers = await mapLimited(prepared, concurrency, async (item): Promise<DryRunOutcome> => {
    if (item.outcome) return item.outcome;
    try {
      return { status: 'applied', object: await cluster.apply(item.object, { dryRun: true, force }) };
    } catch (error) {
      const missing = error instanceof NotFoundError ? /namespaces "([^"]+)" not found/.exec(error.message)?.[1] : undefined;
      if (missing !== undefined && createdNamespaces.has(missing)) {
        return { status: 'deferred', note: deferredNote({ kind: 'Namespace', name: missing }) };
      }
      return rejectionOf(error);
    }
  });

  // 4. Objects that exist but were not listed carry no (or another environment's) label: their
  // owners come from metadata alone; only an object the environment adopts is read in full.
  const listed = new Set(inventory.map((object) => objectKey(planObjectRef(object))));
  const unlisted = answers.flatMap((answer) =>
    answer.status === 'applied' && answer.object.metadata && (answer.object.metadata as { resourceVersion?: string }).resourceVersion && !listed.has(objectKey(planObjectRef(answer.object)))
      ? [planObjectRef(answer.object)]
      : [],
  );
  const foreign = unlisted.length > 0 ? await listForeignMetadata({ client: cluster, refs: unlisted, environmentId, concurrency }) : new Map<string, KubeObject>();
  const fetched = await mapLimited([...foreign.values()], concurrency, async (metadata) => {
    if (!params.adopt || objectOwnership(metadata, environmentId).status !== 'unmanaged') return metadata;
    try {
      return await cluster.get(planObjectRef(metadata));
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  });

  // 5. Compare.
  const desired: DesiredObject[] = prepared.map((item, index) => ({
    object: item.object,
    file: item.manifest.file,
    line: item.manifest.line,
    ...(item.manifest.lineOf ? { lineOf: item.manifest.lineOf } : {}),
    dryRun: answers[index],
  }));
  return (params.compare ?? planObjects)({
    environment: params.environment,
    environmentId,
    desired,
    live: inventory.concat(fetched.filter((object) => object !== undefined)),
    prune: params.prune,
    ...(params.adopt ? { adopt: true } : {}),
  });
}

// An expected refusal becomes a rejection; an outage or a bug is thrown to the caller.
function rejectionOf(error: unknown): DryRunOutcome {
  if (error instanceof UnavailableError || !(error instanceof ClusterError)) throw error;
  const fields = error instanceof InvalidError ? error.fields.map((f) => ({ field: f.field, message: f.message })) : [];
  let reason: PlanRejection['reason'] = 'error';
  if (error instanceof UnknownKindError) reason = 'unknown-kind';
  else if (error instanceof NotFoundError) reason = 'not-found';
  else if (error instanceof InvalidError) reason = /field is immutable/.test(error.message) ? 'immutable' : 'invalid';
  else if (error instanceof ForbiddenError) {
    // 401: the credentials, not the object, are at fault.
    if (error.status === 401) throw error;
    reason = 'forbidden';
  } else if (error instanceof ConflictError) reason = 'conflict';
  const message = error instanceof UnknownKindError ? `${error.message}; this change defines no CustomResourceDefinition for it` : error.message;
  return { status: 'rejected', rejection: { reason, message, fields } };
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

