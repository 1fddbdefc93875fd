import { applyOrder } from "../plan/apply-order.js";

/**
 * The phases of an apply, in order: Namespaces; CustomResourceDefinitions (established before
 * anything uses their kinds); other cluster-scoped objects; namespaced objects; and last the
 * admission webhooks and API services, which route API requests to Services that must exist
 * first (applied earlier, a webhook with failurePolicy Fail would refuse the rest of the deploy).
 */
export type ApplyPhase = "namespaces" | "crds" | "cluster" | "namespaced" | "webhooks";

/** Objects applied together: one phase, and one rank of apply-order.ts within it. */
export interface ApplyWave<T> {
  phase: ApplyPhase;
  items: T[];
}

const phases: ApplyPhase[] = ["namespaces", "crds", "cluster", "namespaced", "webhooks"];
const routingKinds = new Set([
  "admissionregistration.k8s.io/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
  "apiregistration.k8s.io/APIService",
]);

/**
 * Objects in waves to apply one after the other; the objects of one wave do not depend on each
 * other and may go at once. Within a phase, kinds follow apply-order.ts (ServiceAccounts and
 * ConfigMaps before the workloads that use them); the input order is kept within a wave.
 * Read backwards, the waves are the order in which to delete.
 */
export function planApplyOrder<T extends { object: Record<string, unknown>; namespaced: boolean }>(items: readonly T[]): ApplyWave<T>[] {
  const keyed = items.map((item, index) => {
    const phase = phaseOf(item);
    return { item, index, phase: phases.indexOf(phase), rank: applyOrder(String(item.object.kind ?? "")) };
  });
  keyed.sort((a, b) => a.phase - b.phase || a.rank - b.rank || a.index - b.index);
  const waves: ApplyWave<T>[] = [];
  let last: { phase: number; rank: number } | undefined;
  for (const entry of keyed) {
    if (last === undefined || last.phase !== entry.phase || last.rank !== entry.rank) {
      waves.push({ phase: phases[entry.phase], items: [] });
      last = entry;
    }
    waves[waves.length - 1].items.push(entry.item);
  }
  return waves;
}

function phaseOf(item: { object: Record<string, unknown>; namespaced: boolean }): ApplyPhase {
  const apiVersion = String(item.object.apiVersion ?? "");
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const kind = String(item.object.kind ?? "");
  if (group === "" && kind === "Namespace") return "namespaces";
  if (group === "apiextensions.k8s.io" && kind === "CustomResourceDefinition") return "crds";
  if (routingKinds.has(`${group}/${kind}`)) return "webhooks";
  return item.namespaced ? "namespaced" : "cluster";
}
