import { ClusterError, ForbiddenError, UnavailableError } from './cluster-error.js';

/**
 * The sentence for an object the cluster refused (invalid, conflicting, forbidden, missing
 * namespace or kind): the adapter's message, Secret values already redacted. An outage, bad
 * credentials or a bug is not the object's fault: it is thrown, so the job can be retried.
 */
export function deployFailureReason(error: unknown): string {
  if (error instanceof UnavailableError || !(error instanceof ClusterError)) throw error;
  if (error instanceof ForbiddenError && error.status === 401) throw error;
  return error.message;
}
