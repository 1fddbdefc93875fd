import { createSchemaRegistry, type SchemaRegistry } from "../core/validation/create-schema-registry.js";
import { newestBundledVersion } from "./newest-bundled-version.js";
import { readSchemaSet } from "./read-schema-set.js";

export type SchemaRegistryLookup = { ok: true; registry: SchemaRegistry } | { ok: false; message: string };

/**
 * The bundled schema sets, read once per Kubernetes version and kept for the life of the process,
 * so each validation reuses the validators compiled before it.
 */
export function createSchemaRegistryCache(root: string): (version: string | undefined) => Promise<SchemaRegistryLookup> {
  const registries = new Map<string, Promise<SchemaRegistryLookup>>();
  return (requested) => {
    const version = requested ?? newestBundledVersion(root);
    if (version === undefined) return Promise.resolve({ ok: false, message: "no bundled Kubernetes schemas are installed" });
    let lookup = registries.get(version);
    if (!lookup) {
      lookup = readSchemaSet(root, version).then((read) => (read.ok ? { ok: true, registry: createSchemaRegistry(read.set) } : read));
      registries.set(version, lookup);
    }
    return lookup;
  };
}
