import type { AppliedObject, DeployObjectFailure, DeployObjectRef, DeployProgress } from '../core/deploy/deploy-result.js';
import { isUnchangedApply } from '../core/deploy/is-unchanged-apply.js';
import { planApplyOrder } from '../core/deploy/plan-apply-order.js';
import { assessCustomResourceDefinitionHealth } from '../core/health/assess-custom-resource-definition-health.js';
import { SOURCE_SHA_ANNOTATION } from '../core/plan/slipway-labels.js';
import type { ClusterClient } from './create-cluster-client.js';
import { deployFailureReason } from './deploy-failure-reason.js';
import type { KubeObject } from './kube-object.js';
import { mapLimited } from '../core/map-limited.js';
import { waitForEstablished } from './wait-for-established.js';

/** One desired object, ready to apply. */
export interface ApplyItem {
  ref: DeployObjectRef;
  /** With Slipway's labels and its namespace; the source SHA is added here, per object. */
  object: KubeObject;
  namespaced: boolean;
  /** The object as the environment's inventory has it, when it does. */
  live?: KubeObject;
  /** Its kind comes from a CRD of this deploy that the cluster does not serve yet. */
  kindPending?: boolean;
}

export interface ApplyInOrderParams {
  client: Pick<ClusterClient, 'fieldManager' | 'apply' | 'get' | 'resolveKind'>;
  items: readonly ApplyItem[];
  sha: string;
  dryRun: boolean;
  /** Take over fields other managers own (Git wins). */
  force: boolean;
  concurrency: number;
  /** How long CRDs may take to be established. */
  establishTimeoutMs: number;
  onProgress?: (progress: DeployProgress) => void;
  signal?: AbortSignal;
}

export interface ApplyInOrderResult {
  applied: AppliedObject[];
  unchanged: DeployObjectRef[];
  /** The cluster's latest word on each object applied or unchanged, in apply order (for health). */
  outcomes: Array<{ ref: DeployObjectRef; live: KubeObject | undefined }>;
  /** Objects refused; when there are any, the waves after theirs were not applied. */
  failures: DeployObjectFailure[];
}

type Outcome = { change: 'created' | 'changed' | 'unchanged'; live: KubeObject | undefined } | { failure: string };

/**
 * Applies objects wave by wave (planApplyOrder), a few at once within a wave, and waits for the
 * CRDs to be established before the waves that use their kinds. An object already in the
 * inventory is first applied as a dry run with the source SHA it carries: when that changes
 * nothing (isUnchangedApply), it is not written, so it keeps its resourceVersion and the SHA of
 * the commit that last changed it. Every other object is applied with this deploy's SHA.
 */
export async function applyInOrder(params: ApplyInOrderParams): Promise<ApplyInOrderResult> {
  const { client, dryRun, force } = params;
  const result: ApplyInOrderResult = { applied: [], unchanged: [], outcomes: [], failures: [] };
  const total = params.items.length;
  let done = 0;

  const applyOne = async (item: ApplyItem): Promise<Outcome> => {
    // A dry run cannot ask the server about a kind it does not serve yet: its CRD comes first.
    if (dryRun && item.kindPending) return { change: 'created', live: undefined };
    try {
      const liveSha = item.live?.metadata.annotations?.[SOURCE_SHA_ANNOTATION];
      if (item.live && liveSha !== undefined) {
        const preview = await client.apply(withSourceSha(item.object, liveSha), { dryRun: true, force });
        if (isUnchangedApply({ live: item.live, dryRun: preview, fieldManager: client.fieldManager })) return { change: 'unchanged', live: item.live };
        // A dry run has its answer already; only the SHA would differ.
        if (dryRun) return { change: 'changed', live: preview };
      }
      // The dry run took a round trip: a lease lost meanwhile stops the write.
      params.signal?.throwIfAborted();
      const applied = await client.apply(withSourceSha(item.object, params.sha), { dryRun, force });
      return { change: item.live ? 'changed' : createdOrChanged(applied, client.fieldManager), live: applied };
    } catch (error) {
      if (params.signal?.aborted) throw params.signal.reason;
      return { failure: deployFailureReason(error) };
    }
  };

  for (const wave of planApplyOrder(params.items)) {
    const outcomes = await mapLimited(wave.items, params.concurrency, applyOne, params.signal);
    wave.items.forEach((item, i) => {
      const outcome = outcomes[i];
      if ('failure' in outcome) {
        result.failures.push({ ref: item.ref, reason: outcome.failure });
        return;
      }
      if (outcome.change === 'unchanged') result.unchanged.push(item.ref);
      else result.applied.push({ ref: item.ref, change: outcome.change });
      result.outcomes.push({ ref: item.ref, live: outcome.live });
    });
    done += wave.items.length;
    params.onProgress?.({ phase: 'apply', done, total, message: `${dryRun ? 'dry run: ' : ''}applied ${done} of ${total} objects` });
    if (result.failures.length > 0) return result;

    if (wave.phase === 'crds' && !dryRun) {
      const crds = wave.items.flatMap((item, i) => {
        const outcome = outcomes[i];
        const live = 'live' in outcome ? outcome.live : undefined;
        return live && assessCustomResourceDefinitionHealth(live).status === 'Healthy' ? [] : [item];
      });
      const established = await waitForEstablished({ client, crds: crds.map((item) => item.object), timeoutMs: params.establishTimeoutMs, signal: params.signal });
      if (!established.ok) {
        const item = crds.find((c) => c.object.metadata.name === established.crd.metadata.name) ?? crds[0];
        result.failures.push({ ref: item.ref, reason: `CustomResourceDefinition ${item.ref.name}: ${established.reason}` });
        return result;
      }
    }
  }
  return result;
}

function withSourceSha(object: KubeObject, sha: string): KubeObject {
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, [SOURCE_SHA_ANNOTATION]: sha } } };
}

// An object not in the inventory is new, unless another manager wrote it before (adopted).
function createdOrChanged(applied: KubeObject, fieldManager: string): 'created' | 'changed' {
  const managers = (applied.metadata.managedFields ?? []) as Array<{ manager?: string }>;
  return managers.every((entry) => entry.manager === fieldManager) ? 'created' : 'changed';
}
