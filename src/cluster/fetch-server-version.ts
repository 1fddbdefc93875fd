import type { ClusterContext } from './cluster-context.js';

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
  [field: string]: unknown;
}

/** The API server's /version, e.g. gitVersion `v1.36.3`. */
export async function fetchServerVersion(ctx: Pick<ClusterContext, 'transport'>): Promise<ServerVersion> {
  const { body } = await ctx.transport.request({ method: 'GET', path: '/version' });
  return body as ServerVersion;
}
