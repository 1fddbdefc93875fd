/**
 * The environments a change touches: those with a changed file under their path, or all of them
 * when the repository config itself changed (any setting may change what a plan does).
 */
export function environmentsTouched<E extends { name: string; path: string }>(
  environments: readonly E[],
  changedFiles: readonly string[],
  configPath: string,
): E[] {
  if (changedFiles.includes(configPath)) return [...environments];
  return environments.filter((environment) => {
    const root = environment.path.replace(/^\.\/+/, "").replace(/\/+$/, "");
    return changedFiles.some((file) => root === "" || root === "." || file === root || file.startsWith(`${root}/`));
  });
}
