import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** `schema/kubernetes` of the installed package: found upwards from this file, from `src/` or `dist/src/` alike. */
export function bundledSchemaRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, "package.json")) && dirname(folder) !== folder) folder = dirname(folder);
  return join(folder, "schema", "kubernetes");
}
