import { CORE_SCHEMA, Type, types } from "js-yaml";

// js-yaml 4 exports its built-in types, but its declarations leave them out.
declare module "js-yaml" {
  const types: { merge: Type };
}

// Kubernetes reads YAML into JSON with go-yaml (YAML 1.1): no timestamps, binaries or sets,
// merge keys (`<<`) work, and yes/no/on/off are booleans, so a manifest means here what
// it means to the API server.
const { merge } = types;
const yaml11Booleans: Record<string, boolean> = Object.fromEntries([
  ...["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"].map((word) => [word, true]),
  ...["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"].map((word) => [word, false]),
]);
const yaml11Boolean = new Type("tag:yaml.org,2002:bool", {
  // Same tag as the core boolean, so it replaces it.
  predicate: (value: unknown) => typeof value === "boolean",
  represent: { lowercase: (value: object) => String(value) },
  defaultStyle: "lowercase",
  kind: "scalar",
  // Every plain scalar passes here: rule out most by length before the lookup.
  resolve: (data: string | null) => data !== null && data.length >= 2 && data.length <= 5 && Object.prototype.hasOwnProperty.call(yaml11Booleans, data),
  construct: (data: string) => yaml11Booleans[data],
});
export const kubernetesYamlSchema = CORE_SCHEMA.extend({ implicit: [yaml11Boolean, merge] });
