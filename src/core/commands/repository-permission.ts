/** A commenter's permission on the repository, weakest first; `none` is GitHub's answer for no access. */
export const repositoryPermissions = ["none", "read", "triage", "write", "maintain", "admin"] as const;

export type RepositoryPermission = (typeof repositoryPermissions)[number];

/** A level the repository config can require (`none` is never a requirement). */
export type PermissionLevel = Exclude<RepositoryPermission, "none">;

export function hasPermission(actual: RepositoryPermission, required: RepositoryPermission): boolean {
  const have = repositoryPermissions.indexOf(actual);
  const need = repositoryPermissions.indexOf(required);
  // A value outside the list (a custom role name passed through by mistake) grants nothing and requires the most.
  return have >= 0 && have >= (need >= 0 ? need : repositoryPermissions.length - 1);
}

export function isRepositoryPermission(value: string): value is RepositoryPermission {
  return (repositoryPermissions as readonly string[]).includes(value);
}
