import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KubernetesSchemaSet } from "../src/core/validation/create-schema-registry.js";
import { refOf, toAjvSchema } from "../src/core/validation/to-ajv-schema.js";

/**
 * Writes one standalone, strict JSON Schema per kind in kubeconform's layout
 * (`{{.ResourceKind}}{{.KindSuffix}}.json`, e.g. `deployment-apps-v1.json`), from the same
 * bundled documents and the same rewriting Slipway's validator uses, so both validate alike.
 */
export function exportKubeconformSchemas(set: KubernetesSchemaSet, dir: string, only?: ReadonlyArray<readonly [string, string]>): number {
  mkdirSync(dir, { recursive: true });
  const components = new Map<string, Record<string, unknown>>();
  const byKind = new Map<string, string>();
  for (const document of Object.values(set.documents) as Array<{ components?: { schemas?: Record<string, Record<string, unknown>> } }>) {
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      if (!components.has(name)) components.set(name, schema);
      for (const gvk of (schema["x-kubernetes-group-version-kind"] as Array<{ group: string; version: string; kind: string }> | undefined) ?? []) {
        byKind.set(`${gvk.group ? `${gvk.group}/` : ""}${gvk.version}/${gvk.kind}`, name);
      }
    }
  }
  const refId = (name: string) => `#/definitions/${name}`;
  // Without a list, every kind of the set.
  const kinds = only ?? [...byKind.keys()].map((key) => [key.slice(0, key.lastIndexOf("/")), key.slice(key.lastIndexOf("/") + 1)] as const);
  let written = 0;
  for (const [apiVersion, kind] of kinds) {
    const root = byKind.get(`${apiVersion}/${kind}`);
    if (root === undefined) continue;
    const definitions: Record<string, unknown> = {};
    const pending = [root];
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (name in definitions) continue;
      const raw = components.get(name);
      definitions[name] = toAjvSchema(raw, refId, name);
      collectRefs(raw, pending);
    }
    const [groupOrVersion, version] = apiVersion.split("/");
    const kindSuffix = `-${groupOrVersion.split(".")[0].toLowerCase()}${version ? `-${version.toLowerCase()}` : ""}`;
    const schema = { $schema: "http://json-schema.org/draft-07/schema#", $ref: refId(root), definitions };
    writeFileSync(join(dir, `${kind.toLowerCase()}${kindSuffix}.json`), JSON.stringify(schema));
    written += 1;
  }
  return written;
}

function collectRefs(node: unknown, into: string[]): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) return node.forEach((child) => collectRefs(child, into));
  const ref = refOf(node as Record<string, unknown>);
  if (ref !== undefined) into.push(ref);
  for (const child of Object.values(node)) collectRefs(child, into);
}
