import type { ClusterClient, KubeObject } from "../cluster/cluster-client.js";
import { NotFoundError } from "../cluster/cluster-error.js";
import { planApplyOrder } from "../core/apply-order.js";
import type { DeployProgress } from "../core/deploy/deploy-result.js";
import { isUnchangedApply } from "../core/deploy/is-unchanged-apply.js";
import { assessCustomResourceDefinitionHealth } from "../core/health/assess-custom-resource-definition-health.js";
import { mapLimited } from "../core/map-limited.js";
import { deferredNote } from "../core/plan/deferred-note.js";
import { SOURCE_SHA_ANNOTATION } from "../core/plan/slipway-labels.js";
import { clusterRefusal, type ObjectRefusal } from "./object-refusal.js";
import type { PreparedObject } from "./prepare-objects.js";
import { waitForEstablished } from "./wait-for-established.js";

/** What applying one object did (or, in a dry run, would do). */
export type ApplyOutcome =
  /** `live` is the cluster's answer: the object as it is (or would be) after the apply; for `unchanged`, as it was. */
  | { status: "created" | "changed" | "unchanged"; live: KubeObject }
  /**
   * Dry run only: not judged by the server, because the namespace or the CRD it depends on is
   * created by the same change; it would be created, as written, after them.
   */
  | { status: "deferred"; note: string }
  | { status: "refused"; refusal: Extract<ObjectRefusal, { cause: "cluster" }> };

export interface ApplyInOrderParams {
  client: Pick<ClusterClient, "fieldManager" | "apply" | "get" | "resolveKind">;
  /** In apply order (compareApplyOrder); each with the object as the inventory has it, when it does. */
  items: ReadonlyArray<{ item: PreparedObject; live?: KubeObject }>;
  /** Namespaces the change creates: in a dry run, objects in them are deferred. */
  createdNamespaces: ReadonlySet<string>;
  /** Stamped on every object written; an unchanged object keeps the SHA that last changed it. */
  sha?: string;
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
  /** Per object applied (or tried); a real run that failed has none for the waves after the failure. */
  outcomes: Map<PreparedObject, ApplyOutcome>;
  /** A CRD applied but not established in time: the objects of its kind were not applied. */
  notEstablished?: { item: PreparedObject; reason: string };
}

/**
 * Applies objects, each as one server-side apply with dry run as a parameter. A real run goes
 * wave by wave (planApplyOrder), a few at once within a wave, stops after a wave with a refusal,
 * and waits for the CRDs to be established before the waves that use their kinds. A dry run
 * persists nothing, so nothing depends on order: every object is sent at once (a few at a time),
 * and what depends on a namespace or CRD of the same change is deferred.
 * An object already in the inventory is first applied as a dry run with the source SHA it
 * carries: when that changes nothing (isUnchangedApply), it is not written, so it keeps its
 * resourceVersion and the SHA of the commit that last changed it.
 */
export async function applyInOrder(params: ApplyInOrderParams): Promise<ApplyInOrderResult> {
  const { client, dryRun, force } = params;
  const outcomes = new Map<PreparedObject, ApplyOutcome>();
  const total = params.items.length;

  const applyOne = async ({ item, live }: { item: PreparedObject; live?: KubeObject }): Promise<ApplyOutcome> => {
    // A dry run cannot ask the server about a kind it does not serve yet: its CRD comes first.
    if (dryRun && item.pendingCrd !== undefined) return { status: "deferred", note: deferredNote({ kind: "CustomResourceDefinition", name: item.pendingCrd }) };
    try {
      const liveSha = live?.metadata.annotations?.[SOURCE_SHA_ANNOTATION];
      if (live && liveSha !== undefined) {
        const preview = await client.apply(withSourceSha(item.object, liveSha), { dryRun: true, force });
        if (isUnchangedApply({ live, dryRun: preview, fieldManager: client.fieldManager })) return { status: "unchanged", live };
        // A dry run has its answer already; only the SHA would differ.
        if (dryRun) return { status: "changed", live: preview };
      }
      // The dry run took a round trip: a lease lost meanwhile stops the write.
      params.signal?.throwIfAborted();
      const applied = await client.apply(withSourceSha(item.object, params.sha), { dryRun, force });
      return { status: live ? "changed" : createdOrChanged(applied, client.fieldManager), live: applied };
    } catch (error) {
      if (params.signal?.aborted) throw params.signal.reason;
      const missing = dryRun && error instanceof NotFoundError ? /namespaces "([^"]+)" not found/.exec(error.message)?.[1] : undefined;
      if (missing !== undefined && params.createdNamespaces.has(missing))
        return { status: "deferred", note: deferredNote({ kind: "Namespace", name: missing }) };
      return { status: "refused", refusal: clusterRefusal(error) };
    }
  };

  if (dryRun) {
    const answers = await mapLimited(params.items, params.concurrency, applyOne, params.signal);
    params.items.forEach(({ item }, i) => outcomes.set(item, answers[i]));
    params.onProgress?.({ phase: "apply", done: total, total, message: `dry run: applied ${total} of ${total} objects` });
    return { outcomes };
  }

  let done = 0;
  for (const wave of planApplyOrder(params.items.map((entry) => ({ ...entry, object: entry.item.object, namespaced: entry.item.namespaced })))) {
    const answers = await mapLimited(wave.items, params.concurrency, applyOne, params.signal);
    wave.items.forEach(({ item }, i) => outcomes.set(item, answers[i]));
    done += wave.items.length;
    params.onProgress?.({ phase: "apply", done, total, message: `applied ${done} of ${total} objects` });
    if (answers.some((answer) => answer.status === "refused")) return { outcomes };

    if (wave.phase === "crds") {
      const crds = wave.items.filter(({ item }) => {
        const outcome = outcomes.get(item);
        return !(outcome && "live" in outcome && assessCustomResourceDefinitionHealth(outcome.live).status === "Healthy");
      });
      const established = await waitForEstablished({
        client,
        crds: crds.map(({ item }) => item.object),
        timeoutMs: params.establishTimeoutMs,
        signal: params.signal,
      });
      if (!established.ok) {
        const { item } = crds.find((c) => c.item.object.metadata.name === established.crd.metadata.name) ?? crds[0];
        return { outcomes, notEstablished: { item, reason: `CustomResourceDefinition ${item.ref.name}: ${established.reason}` } };
      }
    }
  }
  return { outcomes };
}

function withSourceSha(object: KubeObject, sha: string | undefined): KubeObject {
  if (sha === undefined) return object;
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, [SOURCE_SHA_ANNOTATION]: sha } } };
}

// An object not in the inventory is new, unless another manager wrote it before (adopted).
function createdOrChanged(applied: KubeObject, fieldManager: string): "created" | "changed" {
  const managers = (applied.metadata.managedFields ?? []) as Array<{ manager?: string }>;
  return managers.every((entry) => entry.manager === fieldManager) ? "created" : "changed";
}
