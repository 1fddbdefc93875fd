/**
 * How the store names an environment (locks, pins, deploy history, job keys): one per
 * repository and environment name, case-folded because GitHub names are case-insensitive.
 */
export function environmentKey(owner: string, repo: string, environment: string): string {
  return `${owner}/${repo}/${environment}`.toLowerCase();
}
