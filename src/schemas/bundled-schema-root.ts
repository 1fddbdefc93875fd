import { join } from "node:path";
import { packageRoot } from "./package-root.js";

/** `schema/kubernetes` of the installed package. */
export function bundledSchemaRoot(): string {
  return join(packageRoot(), "schema", "kubernetes");
}
