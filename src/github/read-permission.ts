import type { ProbotOctokit } from "probot";

export type RepositoryPermission = "none" | "read" | "triage" | "write" | "maintain" | "admin";

/**
 * A user's permission on a repository, read when it matters (never cached: it can change any
 * minute). `role_name` carries the fine-grained roles; `permission` only the legacy three.
 */
export async function readPermission(
  octokit: ProbotOctokit,
  params: { owner: string; repo: string; username: string },
): Promise<RepositoryPermission> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel(params);
    const role = (data.role_name ?? data.permission) as string;
    if (role === "admin" || role === "maintain" || role === "write" || role === "triage" || role === "read") return role;
    if (role === "pull") return "read";
    if (role === "push") return "write";
    return "none";
  } catch (error) {
    // Not a collaborator (404): no permission at all.
    if ((error as { status?: number }).status === 404) return "none";
    throw error;
  }
}
