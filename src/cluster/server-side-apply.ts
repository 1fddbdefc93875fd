import type { ClusterContext } from './cluster-context.js';
import { InvalidError } from './cluster-error.js';
import type { KubeObject } from './kube-object.js';
import { resourcePath } from './resource-path.js';

export interface ApplyOptions {
  /** Required, so a plan and a deploy are the same call: true asks the server to persist nothing. */
  dryRun: boolean;
  /** Take over fields owned by other field managers instead of failing with a ConflictError. */
  force?: boolean;
}

/**
 * Server-side apply as Slipway's field manager, with strict field validation: an unknown or
 * duplicate field is an InvalidError, not a warning. Returns the object as the server has it
 * (or, on a dry run, would have it), with defaults filled in.
 */
export async function serverSideApply(ctx: ClusterContext, object: KubeObject, options: ApplyOptions): Promise<KubeObject> {
  const { apiVersion, kind } = object;
  const name = object.metadata?.name;
  const target = { apiVersion, kind, namespace: object.metadata?.namespace, name };
  if (!name) {
    throw new InvalidError(`${apiVersion} ${kind}: metadata.name is required for server-side apply`, {
      ...target,
      fields: [{ field: 'metadata.name', reason: 'FieldValueRequired', message: 'name is required' }],
    });
  }
  const info = await ctx.discovery.resolve(object);
  // A cluster-scoped object carries no namespace; the request path decides where it goes.
  const body = info.namespaced ? object : { ...object, metadata: withoutNamespace(object.metadata) };
  const { body: applied } = await ctx.transport.request({
    method: 'PATCH',
    path: resourcePath(info, { namespace: object.metadata.namespace, name }),
    query: {
      fieldManager: ctx.fieldManager,
      fieldValidation: 'Strict',
      force: options.force ? true : undefined,
      dryRun: options.dryRun ? 'All' : undefined,
    },
    // JSON is YAML, and the server parses it as the apply configuration.
    contentType: 'application/apply-patch+yaml',
    body,
    target,
  });
  return applied as KubeObject;
}

function withoutNamespace(metadata: KubeObject['metadata']): KubeObject['metadata'] {
  const { namespace: _namespace, ...rest } = metadata;
  return rest;
}
