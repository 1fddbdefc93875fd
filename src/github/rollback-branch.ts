/** Revert pull requests of `/rollback` come from branches under this prefix. */
export const ROLLBACK_BRANCH_PREFIX = "slipway/rollback/";

const SHORT_SHA_LENGTH = 7;

/** Environment names are DNS labels (the config schema says so), so they are safe in a ref. */
const ENVIRONMENT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SHA = /^[0-9a-f]{7,40}$/;

/** The branch of the revert pull request that rolls `environment` back to `sha`. */
export function rollbackBranch(environment: string, sha: string): string {
  return `${ROLLBACK_BRANCH_PREFIX}${environment}/${sha.slice(0, SHORT_SHA_LENGTH)}`;
}

/**
 * Reads a branch name (or a full `refs/heads/` ref) back into the rollback it belongs to, so the
 * pull_request.closed handler can tell a merged revert pull request from any other.
 */
export function parseRollbackBranch(ref: string): { environment: string; sha: string } | undefined {
  const branch = ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
  if (!branch.startsWith(ROLLBACK_BRANCH_PREFIX)) return undefined;
  const [environment, sha, ...rest] = branch.slice(ROLLBACK_BRANCH_PREFIX.length).split("/");
  if (rest.length > 0 || !environment || !sha || !ENVIRONMENT.test(environment) || !SHA.test(sha)) return undefined;
  return { environment, sha };
}
