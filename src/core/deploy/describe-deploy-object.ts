import type { DeployObjectRef } from "./deploy-result.js";

/** `Deployment web/api (deploy/api.yaml:12)`: how people find an object, in the cluster and in Git. */
export function describeDeployObject(ref: DeployObjectRef): string {
  const where = ref.file === undefined ? "" : ` (${ref.file}${ref.line ? `:${ref.line}` : ""})`;
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}${where}`;
}
