/**
 * Normalizes a repository-relative path (`./a//b/` → `a/b`, `.` → `""`), or returns
 * `undefined` when it is absolute or climbs out of the repository.
 */
export function normalizeRepositoryPath(path: string, base = ""): string | undefined {
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.includes("\\") || path.includes("\0")) return undefined;
  const parts: string[] = base === "" ? [] : base.split("/");
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(segment);
    }
  }
  return parts.join("/");
}
