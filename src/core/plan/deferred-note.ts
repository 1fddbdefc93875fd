/**
 * The note on an object that the cluster cannot check yet because the same change creates what
 * it depends on: its namespace, or the CRD that defines its kind.
 */
export function deferredNote(dependency: { kind: "Namespace" | "CustomResourceDefinition"; name: string }): string {
  return dependency.kind === "Namespace"
    ? `namespace ${dependency.name} is created by this change; planned after it, as written`
    : `its kind is defined by CustomResourceDefinition ${dependency.name}, created by this change; planned after it, as written`;
}
