import { assessCustomResourceDefinitionHealth } from "../core/health/assess-custom-resource-definition-health.js";
import type { ClusterClient, KubeObject } from "../cluster/cluster-client.js";
import { NotFoundError, UnavailableError } from "../cluster/cluster-error.js";
import { abortableSleep } from "./abortable-sleep.js";

export interface WaitForEstablishedParams {
  client: Pick<ClusterClient, "get" | "resolveKind">;
  /** The CustomResourceDefinitions just applied. */
  crds: readonly KubeObject[];
  timeoutMs: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

export type WaitForEstablishedResult = { ok: true } | { ok: false; crd: KubeObject; reason: string };

/**
 * Waits until every CRD is Established and discovery serves its kind, so the custom resources
 * after it can be applied; fails at once when the API server refuses its names, or at the timeout.
 */
export async function waitForEstablished(params: WaitForEstablishedParams): Promise<WaitForEstablishedResult> {
  const sleep = params.sleep ?? abortableSleep(params.signal);
  const deadline = Date.now() + params.timeoutMs;
  const pending = new Map(params.crds.map((crd) => [crd.metadata.name ?? "", crd]));
  let backoffMs = 100;
  let last = new Map<string, string>();
  for (;;) {
    params.signal?.throwIfAborted();
    last = new Map();
    for (const [name, crd] of pending) {
      const state = await check(params.client, crd);
      if (state.status === "ready") pending.delete(name);
      else if (state.status === "refused") return { ok: false, crd, reason: state.reason };
      else last.set(name, state.reason);
    }
    if (pending.size === 0) return { ok: true };
    if (Date.now() >= deadline) {
      const [name, crd] = [...pending][0];
      return { ok: false, crd, reason: `not established after ${Math.round(params.timeoutMs / 1000)} s: ${last.get(name) ?? "no answer"}` };
    }
    await sleep(Math.min(backoffMs, Math.max(0, deadline - Date.now())));
    backoffMs = Math.min(backoffMs * 2, 1000);
  }
}

type State = { status: "ready" } | { status: "waiting"; reason: string } | { status: "refused"; reason: string };

async function check(client: WaitForEstablishedParams["client"], crd: KubeObject): Promise<State> {
  let live: KubeObject;
  try {
    live = await client.get({ apiVersion: crd.apiVersion, kind: crd.kind, name: crd.metadata.name ?? "" });
  } catch (error) {
    if (error instanceof UnavailableError || error instanceof NotFoundError) return { status: "waiting", reason: error.message };
    throw error;
  }
  const health = assessCustomResourceDefinitionHealth(live);
  if (health.status === "Degraded") return { status: "refused", reason: health.message };
  if (health.status !== "Healthy") return { status: "waiting", reason: health.message };
  // Established is not yet served: discovery catches up a moment later.
  const spec = (live.spec ?? {}) as { group?: string; names?: { kind?: string }; versions?: Array<{ name?: string; served?: boolean }> };
  const version = spec.versions?.find((v) => v.served)?.name;
  if (!spec.group || !spec.names?.kind || !version) return { status: "ready" };
  try {
    await client.resolveKind({ apiVersion: `${spec.group}/${version}`, kind: spec.names.kind });
    return { status: "ready" };
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof UnavailableError) return { status: "waiting", reason: "established, not yet served by discovery" };
    throw error;
  }
}
