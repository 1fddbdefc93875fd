import type { ClusterClient, KubeObject } from "../cluster/cluster-client.js";
import { ConflictError, NotFoundError } from "../cluster/cluster-error.js";
import { planApplyOrder } from "../core/apply-order.js";
import type { DeployObjectFailure, DeployProgress } from "../core/deploy/deploy-result.js";
import { mapLimited } from "../core/map-limited.js";
import { objectRef, type ObjectRef } from "../core/object-identity.js";
import { clusterRefusal } from "./object-refusal.js";

export interface DeleteInOrderParams {
  client: Pick<ClusterClient, "delete">;
  /** Live objects to delete (selectPrune's choice). */
  objects: readonly KubeObject[];
  dryRun: boolean;
  concurrency: number;
  onProgress?: (progress: DeployProgress) => void;
  signal?: AbortSignal;
}

export interface DeleteInOrderResult {
  deleted: ObjectRef[];
  /** Objects refused; when there are any, the waves after theirs were not deleted. */
  failures: DeployObjectFailure[];
}

/**
 * Deletes in reverse apply order, wave by wave (namespaced objects before cluster-scoped ones,
 * CRDs and Namespaces last), each delete bound to the uid that was listed, so an object that was
 * re-created meanwhile is left alone. One already gone counts as deleted.
 */
export async function deleteInOrder(params: DeleteInOrderParams): Promise<DeleteInOrderResult> {
  const result: DeleteInOrderResult = { deleted: [], failures: [] };
  const waves = planApplyOrder(params.objects.map((object) => ({ object, namespaced: Boolean(object.metadata.namespace) }))).reverse();
  let done = 0;
  for (const wave of waves) {
    const outcomes = await mapLimited(
      wave.items,
      params.concurrency,
      async ({ object }): Promise<"deleted" | "replaced" | { failure: string }> => {
        try {
          await params.client.delete(objectRef(object), { dryRun: params.dryRun, propagationPolicy: "Background", uid: object.metadata.uid });
          return "deleted";
        } catch (error) {
          if (error instanceof NotFoundError) return "deleted";
          if (error instanceof ConflictError) return "replaced";
          return { failure: clusterRefusal(error).message };
        }
      },
      params.signal,
    );
    wave.items.forEach(({ object }, i) => {
      const ref = objectRef(object);
      const outcome = outcomes[i];
      if (outcome === "deleted") result.deleted.push(ref);
      else if (outcome !== "replaced") result.failures.push({ ref, reason: outcome.failure });
    });
    done += wave.items.length;
    params.onProgress?.({
      phase: "prune",
      done,
      total: params.objects.length,
      message: `${params.dryRun ? "dry run: " : ""}pruned ${done} of ${params.objects.length} objects`,
    });
    if (result.failures.length > 0) return result;
  }
  return result;
}
