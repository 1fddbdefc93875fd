import { isRepositoryPermission, type RepositoryPermission } from "../core/commands/repository-permission.js";
import type { GitHubClient } from "./github-client.js";
import { httpStatus } from "./http-status.js";

/** GitHub's legacy names for the levels that have newer ones. */
const legacyPermissions = new Map<string, RepositoryPermission>([
  ["pull", "read"],
  ["push", "write"],
]);

/**
 * A user's permission on a repository, read when it matters (never cached: it can change any
 * minute). `role_name` carries the fine-grained roles; `permission` only the legacy three.
 */
export async function readPermission(octokit: GitHubClient, params: { owner: string; repo: string; username: string }): Promise<RepositoryPermission> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel(params);
    const role: string = data.role_name ?? data.permission;
    if (role !== "none" && isRepositoryPermission(role)) return role;
    return legacyPermissions.get(role) ?? "none";
  } catch (error) {
    // Not a collaborator (404): no permission at all.
    if (httpStatus(error) === 404) return "none";
    throw error;
  }
}
