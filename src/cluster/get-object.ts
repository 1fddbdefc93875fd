import type { ClusterContext } from './cluster-context.js';
import type { KubeObject, ObjectRef } from './kube-object.js';
import { resourcePath } from './resource-path.js';

/** One object by reference; throws NotFoundError when it does not exist. */
export async function getObject(ctx: ClusterContext, ref: ObjectRef): Promise<KubeObject> {
  const info = await ctx.discovery.resolve(ref);
  const { body } = await ctx.transport.request({
    method: 'GET',
    path: resourcePath(info, ref),
    target: ref,
  });
  return body as KubeObject;
}
