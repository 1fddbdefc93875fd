/**
 * The environments a change touches: those with a changed file under their path, or all of them
 * when `configPath` (the config the environments come from, when the change can alter it) changed.
 */
export function environmentsTouched<E extends { name: string; path: string }>(
  environments: readonly E[],
  changedFiles: readonly string[],
  configPath: string | undefined,
): E[] {
  if (configPath !== undefined && changedFiles.includes(configPath)) return [...environments];
  return environments.filter((environment) => {
    const root = environment.path.replace(/^\.\/+/, "").replace(/\/+$/, "");
    return changedFiles.some((file) => root === "" || root === "." || file === root || file.startsWith(`${root}/`));
  });
}
