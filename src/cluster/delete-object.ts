import type { ClusterContext } from './cluster-context.js';
import type { KubeObject, ObjectRef } from './kube-object.js';
import { resourcePath } from './resource-path.js';

export interface DeleteOptions {
  /** Required, so a planned prune and a real one are the same call. */
  dryRun: boolean;
  /**
   * What happens to dependents: Foreground (the object waits for them), Background (the
   * default here: gone at once, dependents collected after) or Orphan (dependents kept).
   */
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Only delete this exact object (not one re-created under the same name meanwhile). */
  uid?: string;
  gracePeriodSeconds?: number;
}

/**
 * Deletes one object; throws NotFoundError when it is already gone. Returns what the server
 * answered: the object (marked for deletion, if finalizers or foreground deletion hold it) or a
 * Status.
 */
export async function deleteObject(ctx: ClusterContext, ref: ObjectRef, options: DeleteOptions): Promise<KubeObject> {
  const info = await ctx.discovery.resolve(ref);
  const { body } = await ctx.transport.request({
    method: 'DELETE',
    path: resourcePath(info, ref),
    body: {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: options.propagationPolicy ?? 'Background',
      ...(options.dryRun ? { dryRun: ['All'] } : {}),
      ...(options.uid ? { preconditions: { uid: options.uid } } : {}),
      ...(options.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: options.gracePeriodSeconds }),
    },
    target: ref,
  });
  return body as KubeObject;
}
