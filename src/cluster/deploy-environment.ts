import type { DeployFailed, DeployObjectFailure, DeployObjectRef, DeployProgress, DeployResult, HealthReport } from '../core/deploy/deploy-result.js';
import { guardPrune } from '../core/deploy/guard-prune.js';
import { selectPrune } from '../core/deploy/select-prune.js';
import { assessHealth } from '../core/health/assess-health.js';
import { worstHealth } from '../core/health/worst-health.js';
import { collectSecretValues } from '../core/plan/collect-secret-values.js';
import { maskText } from '../core/plan/mask-text.js';
import { describeRef, objectKey, planObjectRef } from '../core/plan/plan-object-ref.js';
import { pruneKinds as defaultPruneKinds } from '../core/plan/prune-kinds.js';
import { withDefaultNamespace } from '../core/plan/with-default-namespace.js';
import { withSlipwayMetadata } from '../core/plan/with-slipway-metadata.js';
import { applyInOrder, type ApplyItem } from './apply-in-order.js';
import { UnknownKindError } from './cluster-error.js';
import type { ClusterClient } from './create-cluster-client.js';
import type { ResourceInfo } from './create-discovery.js';
import { deleteInOrder } from './delete-in-order.js';
import { deployFailureReason } from './deploy-failure-reason.js';
import type { KubeObject } from './kube-object.js';
import { listInventory } from './list-inventory.js';
import { matchesPattern } from '../core/policy/matches-pattern.js';
import { allowsKind } from '../core/policy/allows-kind.js';
import { checkClusterPolicy } from '../core/policy/check-cluster-policy.js';
import type { ClusterPolicy } from '../core/policy/cluster-policy.js';
import { describeNotOwned } from '../core/plan/describe-not-owned.js';
import { objectOwnership } from '../core/plan/object-ownership.js';
import { listForeignMetadata } from './list-foreign-metadata.js';
import { waitForHealth } from './wait-for-health.js';

/** One object as loaded from the repository (a ManifestObject fits). */
export interface DeployManifest {
  object: Record<string, unknown>;
  file: string;
  line: number;
}

export interface DeployEnvironmentParams {
  client: Pick<ClusterClient, 'fieldManager' | 'resolveKind' | 'get' | 'list' | 'apply' | 'delete'>;
  /** The `slipway.dev/environment` label value (environmentLabelValue). */
  environmentId: string;
  /** The commit deployed, recorded on every object this deploy writes. */
  sha: string;
  objects: readonly DeployManifest[];
  /** Namespace for namespaced objects that name none. */
  namespaceDefault: string;
  /** Delete the environment's objects that Git no longer has. */
  prune: boolean;
  /** Bounds on prune (the repository config's pruneMaxShare and allowPruneAll). */
  pruneGuard?: { maxShare?: number; allowDeleteAll?: boolean };
  /** How long to wait for health (and for CRDs to be established); 0 reports health as found, without waiting. */
  healthTimeoutMs: number;
  /** Every write is a dry run: nothing is persisted, health is not waited for. */
  dryRun: boolean;
  /** Take over fields other managers own; default true (Git wins), as the plan assumes. */
  force?: boolean;
  /** Requests in flight at once within a wave; default 16. */
  concurrency?: number;
  /** Kinds listed for prune besides those in Git (default: the common built-in kinds). */
  pruneKinds?: ReadonlyArray<{ apiVersion: string; kind: string }>;
  /** The clusters file's policy for this cluster; undefined only with the user's own kubeconfig (tests, tools). */
  policy?: ClusterPolicy;
  /** Take over existing objects without Slipway's labels (the environment's `adopt`); never another environment's. */
  adopt?: boolean;
  /** Degraded for this long ends the health wait early; default 10 s. */
  degradedGraceMs?: number;
  onProgress?: (progress: DeployProgress) => void;
  /** Aborting stops between requests and rejects with the signal's reason (not a failed deploy). */
  signal?: AbortSignal;
}

/**
 * Deploys one environment's objects to its cluster:
 * 1. resolve every kind once; a kind that a CRD of this deploy defines may be missing yet;
 *    an object the cluster cannot take (unknown kind, no name, defined twice) or its policy
 *    refuses fails the deploy before anything is written;
 * 2. list the environment's live inventory by label (allowed kinds in Git, and for prune the
 *    allowed prunable kinds, in allowed namespaces); read each other object Git names, and refuse
 *    the deploy before any write if one exists and is another environment's (or, without
 *    `adopt`, nobody's Slipway knows);
 * 3. apply in order (applyInOrder): unchanged objects are not written;
 * 4. prune (selectPrune, guardPrune, deleteInOrder) after a successful apply;
 * 5. wait for the health of every object in Git (waitForHealth), unless a dry run.
 * Expected failures (a refused object, a refused prune, a health timeout) are a `failed` result
 * naming the object and the reason; an outage or bad credentials are thrown.
 */
export async function deployEnvironment(params: DeployEnvironmentParams): Promise<DeployResult> {
  const { client, dryRun, environmentId, policy } = params;
  const started = Date.now();
  const concurrency = params.concurrency ?? 16;
  const base = { dryRun, applied: [], unchanged: [], pruned: [] };
  // The server may quote any object's values back (another object's Secret among them): every
  // reason a deploy gives is masked against every Secret of the environment, in Git and live.
  let secretValues = collectSecretValues(params.objects.map((manifest) => manifest.object));
  const mask = (text: string) => maskText(text, secretValues);
  const failed = (phase: DeployFailed['phase'], failures: DeployObjectFailure[], rest: Partial<DeployFailed> = {}): DeployFailed => {
    const masked = failures.map((failure) => ({ ...failure, reason: mask(failure.reason) }));
    const health = rest.health && { ...rest.health, objects: rest.health.objects.map((object) => ({ ...object, message: mask(object.message) })) };
    return {
      ...base,
      ...rest,
      ...(health ? { health } : {}),
      status: 'failed',
      phase,
      object: masked[0]?.ref,
      reason: mask(rest.reason ?? masked[0]?.reason ?? 'failed'),
      failures: masked,
      durationMs: Date.now() - started,
    };
  };

  // 1. Kinds.
  const kinds = new Map<string, Promise<ResourceInfo | { error: unknown }>>();
  const resolve = (type: { apiVersion: string; kind: string }) => {
    const key = `${type.apiVersion}/${type.kind}`;
    if (!kinds.has(key)) kinds.set(key, client.resolveKind(type).catch((error: unknown) => ({ error })));
    return kinds.get(key)!;
  };
  const definedKinds = new Map<string, { namespaced: boolean }>();
  for (const { object } of params.objects) {
    if (object.kind !== 'CustomResourceDefinition' || !String(object.apiVersion).startsWith('apiextensions.k8s.io/')) continue;
    const spec = (object.spec ?? {}) as { group?: string; names?: { kind?: string }; scope?: string };
    definedKinds.set(`${spec.group}/${spec.names?.kind}`, { namespaced: spec.scope !== 'Cluster' });
  }
  const items: ApplyItem[] = [];
  const refused: DeployObjectFailure[] = [];
  const seen = new Map<string, DeployObjectRef>();
  const listKinds = new Map<string, ResourceInfo>();
  for (const manifest of params.objects) {
    const type = { apiVersion: String(manifest.object.apiVersion ?? ''), kind: String(manifest.object.kind ?? '') };
    const name = String((manifest.object.metadata as { name?: unknown } | undefined)?.name ?? '');
    const bare = { ...type, name, file: manifest.file, line: manifest.line };
    if (name === '') {
      refused.push({ ref: bare, reason: `${type.kind} at ${manifest.file}:${manifest.line} has no metadata.name` });
      continue;
    }
    const resolved = await resolve(type);
    let namespaced: boolean;
    let kindPending = false;
    if ('error' in resolved) {
      const defined = definedKinds.get(`${groupOf(type.apiVersion)}/${type.kind}`);
      if (!(resolved.error instanceof UnknownKindError) || defined === undefined) {
        refused.push({ ref: bare, reason: deployFailureReason(resolved.error) });
        continue;
      }
      namespaced = defined.namespaced;
      kindPending = true;
    } else {
      namespaced = resolved.namespaced;
    }
    const placed = namespaced ? withDefaultNamespace(manifest.object, params.namespaceDefault, true) : withoutNamespace(manifest.object);
    const object = withSlipwayMetadata(placed, { environmentId }) as KubeObject;
    const refusal = params.policy ? checkClusterPolicy(params.policy, { ...type, name, namespace: object.metadata.namespace, namespaced }) : undefined;
    if (refusal) {
      refused.push({ ref: { ...planObjectRef(object), file: manifest.file, line: manifest.line }, reason: `${type.kind} ${name}: ${refusal.message}` });
      continue;
    }
    if (!('error' in resolved)) listKinds.set(`${resolved.group}/${resolved.kind}`, resolved);
    const ref: DeployObjectRef = { ...planObjectRef(object), file: manifest.file, line: manifest.line };
    const key = objectKey(ref);
    const earlier = seen.get(key);
    if (earlier) {
      refused.push({ ref, reason: `${type.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${name} is defined twice (${earlier.file}:${earlier.line} and ${ref.file}:${ref.line})` });
      continue;
    }
    seen.set(key, ref);
    items.push({ ref, object, namespaced, kindPending });
  }
  if (refused.length > 0) return failed('apply', refused);

  // 2. Inventory.
  if (params.prune) {
    for (const type of params.pruneKinds ?? defaultPruneKinds) {
      const resolved = await resolve(type);
      if ('error' in resolved || (params.policy && !allowsKind(params.policy, resolved))) continue;
      if (!listKinds.has(`${resolved.group}/${resolved.kind}`)) listKinds.set(`${resolved.group}/${resolved.kind}`, resolved);
    }
  }
  const namespaces = [params.namespaceDefault, ...items.flatMap((item) => (item.namespaced && item.ref.namespace ? [item.ref.namespace] : []))];
  const listed = await listInventory({
    client,
    environmentId,
    kinds: [...listKinds.values()],
    namespaces: [...new Set(namespaces)],
    ...(policy ? { keepNamespace: (namespace: string) => policy.namespaces.some((pattern) => matchesPattern(pattern, namespace)) } : {}),
    concurrency,
    signal: params.signal,
  });
  // What the policy refuses is no longer this environment's to change or prune (say, a Namespace it no longer allows).
  const inventory = policy ? listed.filter((object) => allowedLive(policy, object)) : listed;
  secretValues = collectSecretValues([...params.objects.map((manifest) => manifest.object), ...listed]);
  const liveByKey = new Map(inventory.map((object) => [objectKey(planObjectRef(object)), object]));
  for (const item of items) item.live = liveByKey.get(objectKey(item.ref));
  const notOwned = await findNotOwned({ client, items, environmentId, adopt: params.adopt === true, concurrency, signal: params.signal });
  if (notOwned.length > 0) return failed('apply', notOwned);

  // 3. Apply.
  const applied = await applyInOrder({
    client,
    items,
    sha: params.sha,
    dryRun,
    force: params.force ?? true,
    concurrency,
    establishTimeoutMs: Math.max(params.healthTimeoutMs, 30_000),
    onProgress: params.onProgress,
    signal: params.signal,
  });
  const done = { applied: applied.applied, unchanged: applied.unchanged, pruned: [] as DeployObjectRef[] };
  if (applied.failures.length > 0) return failed('apply', applied.failures, done);

  // 4. Prune.
  const toDelete = selectPrune({ live: inventory, desired: items.map((item) => item.object), environmentId, prune: params.prune });
  const guard = guardPrune({ toDelete, inventorySize: inventory.length, maxShare: params.pruneGuard?.maxShare, allowDeleteAll: params.pruneGuard?.allowDeleteAll });
  if (!guard.ok) return failed('prune', [], { ...done, reason: guard.reason });
  const pruned = await deleteInOrder({ client, objects: toDelete, dryRun, concurrency, onProgress: params.onProgress, signal: params.signal });
  done.pruned = pruned.deleted;
  if (pruned.failures.length > 0) return failed('prune', pruned.failures, done);

  // 5. Health.
  if (dryRun) return { status: 'succeeded', ...done, dryRun, durationMs: Date.now() - started };
  if (params.healthTimeoutMs <= 0) {
    const objects = applied.outcomes.map(({ ref, live }) => ({ ref, ...(live ? assessHealth(live) : { status: 'Missing' as const, message: 'No longer in the cluster' }) }));
    const health: HealthReport = { status: worstHealth(objects.map((o) => o.status)), objects, waitedMs: 0, timedOut: false };
    return { status: 'succeeded', ...done, dryRun, health, durationMs: Date.now() - started };
  }
  const health = await waitForHealth({
    client,
    environmentId,
    objects: applied.outcomes,
    timeoutMs: params.healthTimeoutMs,
    degradedGraceMs: params.degradedGraceMs,
    onProgress: params.onProgress,
    signal: params.signal,
  });
  if (!health.ok) return failed('health', [{ ref: health.object.ref, reason: health.reason }], { ...done, health: health.report });
  return { status: 'succeeded', ...done, dryRun, health: health.report, durationMs: Date.now() - started };
}

function allowedLive(policy: ClusterPolicy, object: KubeObject): boolean {
  const ref = planObjectRef(object);
  return checkClusterPolicy(policy, { ...ref, namespaced: ref.namespace !== undefined }) === undefined;
}

// Objects Git names that the inventory does not hold may exist all the same, made by hand, by
// another tool or by another environment: learn their owners (listForeignMetadata, which never
// reads their content) and refuse what is not this environment's to take; force would take over
// every field, and a later prune of this environment delete it.
async function findNotOwned(params: {
  client: Pick<ClusterClient, 'list'>;
  items: ApplyItem[];
  environmentId: string;
  adopt: boolean;
  concurrency: number;
  signal?: AbortSignal;
}): Promise<DeployObjectFailure[]> {
  const unknown = params.items.filter((item) => item.live === undefined && !item.kindPending);
  if (unknown.length === 0) return [];
  let foreign: Map<string, KubeObject>;
  try {
    foreign = await listForeignMetadata({ client: params.client, refs: unknown.map((item) => item.ref), environmentId: params.environmentId, concurrency: params.concurrency, signal: params.signal });
  } catch (error) {
    const reason = deployFailureReason(error);
    return unknown.map((item) => ({ ref: item.ref, reason }));
  }
  return unknown.flatMap((item) => {
    const live = foreign.get(objectKey(item.ref));
    if (!live) return [];
    const ownership = objectOwnership(live, params.environmentId);
    if (ownership.status === 'owned' || (ownership.status === 'unmanaged' && params.adopt)) return [];
    return [{ ref: item.ref, reason: `${describeRef(item.ref)} ${describeNotOwned(ownership)}` }];
  });
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

// A cluster-scoped object has no namespace: the server ignores one, and so must its identity.
function withoutNamespace(object: Record<string, unknown>): Record<string, unknown> {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  if (metadata.namespace === undefined) return object;
  const { namespace: _namespace, ...rest } = metadata;
  return { ...object, metadata: rest };
}
