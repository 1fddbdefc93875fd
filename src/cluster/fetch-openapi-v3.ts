import type { ClusterContext } from './cluster-context.js';

export interface OpenApiV3 {
  /** Every path the server publishes under /openapi/v3, e.g. `api/v1`, `apis/apps/v1`. */
  paths: string[];
  /** The documents fetched, by path. */
  documents: Record<string, Record<string, unknown>>;
}

/**
 * The cluster's OpenAPI v3 documents: all, or those whose path `include` accepts (e.g. only the
 * group-versions of the CRDs being validated).
 */
export async function fetchOpenApiV3(
  ctx: Pick<ClusterContext, 'transport'>,
  include: (path: string) => boolean = () => true,
): Promise<OpenApiV3> {
  const { body } = await ctx.transport.request({ method: 'GET', path: '/openapi/v3' });
  const index = (body as { paths?: Record<string, { serverRelativeURL?: string }> }).paths ?? {};
  const paths = Object.keys(index).sort();
  const documents: Record<string, Record<string, unknown>> = {};
  // A few at a time: 2-core API servers answer a burst of 60 documents slowly.
  const wanted = paths.filter(include);
  for (let i = 0; i < wanted.length; i += 6) {
    await Promise.all(
      wanted.slice(i, i + 6).map(async (path) => {
        // The server-relative URL carries a content hash, so the answer is cacheable.
        const url = new URL(index[path].serverRelativeURL ?? `/openapi/v3/${path}`, 'http://server');
        const { body: document } = await ctx.transport.request({
          method: 'GET',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
        });
        documents[path] = document as Record<string, unknown>;
      }),
    );
  }
  return { paths, documents };
}
