import type { ClusterClient, KubeObject } from "../cluster/cluster-client.js";
import { NotFoundError, UnavailableError } from "../cluster/cluster-error.js";
import type { DeployProgress, HealthReport, ObjectHealth } from "../core/deploy/deploy-result.js";
import { assessHealth } from "../core/health/assess-health.js";
import { isSettled, isWorse, worstHealth, type HealthAssessment } from "../core/health/health-status.js";
import { mapLimited } from "../core/map-limited.js";
import { describeObjectAtSource, type SourcedObjectRef } from "../core/object-identity.js";
import { environmentSelector } from "../core/plan/slipway-labels.js";
import { abortableSleep } from "./abortable-sleep.js";

/** An object to wait for, with what the cluster last said about it (an apply's answer, a list). */
export interface HealthTarget {
  ref: SourcedObjectRef;
  live: KubeObject | undefined;
}

export interface WaitForHealthParams {
  client: Pick<ClusterClient, "get" | "list">;
  environmentId: string;
  objects: readonly HealthTarget[];
  timeoutMs: number;
  /** Degraded for this long ends the wait before the timeout; default 10 s. */
  degradedGraceMs?: number;
  concurrency?: number;
  onProgress?: (progress: DeployProgress) => void;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type WaitForHealthResult = { ok: true; report: HealthReport } | { ok: false; report: HealthReport; object: ObjectHealth; reason: string };

const MISSING: HealthAssessment = { status: "Missing", message: "No longer in the cluster" };
// More objects of one kind in one namespace than this are read with one list instead of gets.
const LIST_THRESHOLD = 3;

/**
 * Waits until every object is Healthy or Suspended, reading only those that are not yet, with
 * backoff (0.5 s growing to 5 s), until the timeout. The first look uses what the caller already
 * has, so an environment that was healthy costs no request. An object Degraded for the grace
 * period ends the wait early (a rollout past its deadline, a crash loop, a failed Job do not heal
 * by waiting; a condition that is False for a moment while a controller starts does).
 */
export async function waitForHealth(params: WaitForHealthParams): Promise<WaitForHealthResult> {
  const now = params.now ?? Date.now;
  const sleep = params.sleep ?? abortableSleep(params.signal);
  const grace = params.degradedGraceMs ?? 10_000;
  const started = now();
  const deadline = started + params.timeoutMs;
  const states: HealthAssessment[] = params.objects.map((target) => (target.live ? assessHealth(target.live) : MISSING));
  const degradedSince = new Map<number, number>();
  let backoffMs = 500;

  const report = (timedOut: boolean): HealthReport => ({
    status: worstHealth(states.map((s) => s.status)),
    objects: params.objects.map((target, i) => ({ ref: target.ref, ...states[i] })),
    waitedMs: now() - started,
    timedOut,
  });

  for (;;) {
    params.signal?.throwIfAborted();
    const pending = states.flatMap((state, i) => (isSettled(state.status) ? [] : [i]));
    if (pending.length === 0) return { ok: true, report: report(false) };

    for (const i of pending) {
      if (states[i].status !== "Degraded") degradedSince.delete(i);
      else if (!degradedSince.has(i)) degradedSince.set(i, now());
    }
    const degraded = pending.find((i) => degradedSince.has(i) && now() - degradedSince.get(i)! >= grace);
    if (degraded !== undefined) {
      const object = { ref: params.objects[degraded].ref, ...states[degraded] };
      return { ok: false, report: report(false), object, reason: `${describeObjectAtSource(object.ref)} is Degraded: ${object.message}` };
    }
    const worst = pending.reduce((a, b) => (isWorse(states[b].status, states[a].status) ? b : a));
    if (now() >= deadline) {
      const object = { ref: params.objects[worst].ref, ...states[worst] };
      const seconds = Math.round(params.timeoutMs / 1000);
      return { ok: false, report: report(true), object, reason: `${describeObjectAtSource(object.ref)} is not healthy after ${seconds} s: ${object.message}` };
    }
    params.onProgress?.({
      phase: "health",
      done: states.length - pending.length,
      total: states.length,
      message:
        `${states.length - pending.length} of ${states.length} objects healthy; waiting for ${describeObjectAtSource(params.objects[worst].ref)}: ` +
        `${states[worst].message}${pending.length > 1 ? ` (and ${pending.length - 1} more)` : ""}`,
    });

    await sleep(Math.min(backoffMs, Math.max(0, deadline - now())));
    backoffMs = Math.min(backoffMs * 1.5, 5000);
    const fresh = await readObjects(params, pending);
    for (const [i, state] of fresh) states[i] = state;
  }
}

// Reads the pending objects: one list per kind and namespace where there are many, else gets.
// An unavailable cluster keeps the last state; the next round asks again.
async function readObjects(params: WaitForHealthParams, indexes: number[]): Promise<Map<number, HealthAssessment>> {
  const groups = new Map<string, number[]>();
  for (const i of indexes) {
    const { apiVersion, kind, namespace } = params.objects[i].ref;
    const key = `${apiVersion}|${kind}|${namespace ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const fresh = new Map<number, HealthAssessment>();
  const reads = [...groups.values()].flatMap((group) => (group.length > LIST_THRESHOLD ? [group] : group.map((i) => [i])));
  await mapLimited(
    reads,
    params.concurrency ?? 8,
    async (group) => {
      const { apiVersion, kind, namespace } = params.objects[group[0]].ref;
      try {
        if (group.length === 1) {
          const ref = params.objects[group[0]].ref;
          fresh.set(group[0], assessHealth(await params.client.get({ apiVersion, kind, namespace, name: ref.name })));
          return;
        }
        const items = await params.client.list({ apiVersion, kind, namespace, labelSelector: environmentSelector(params.environmentId) });
        const byName = new Map(items.map((item) => [item.metadata.name, item]));
        for (const i of group) {
          const item = byName.get(params.objects[i].ref.name);
          fresh.set(i, item ? assessHealth(item) : MISSING);
        }
      } catch (error) {
        if (error instanceof NotFoundError && group.length === 1) fresh.set(group[0], MISSING);
        else if (!(error instanceof UnavailableError)) throw error;
      }
    },
    params.signal,
  );
  return fresh;
}
