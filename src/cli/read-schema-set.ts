import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { KubernetesSchemaSet } from "../core/validation/create-schema-registry.js";

export type ReadSchemaSetResult = { ok: true; set: KubernetesSchemaSet } | { ok: false; message: string };

/**
 * Reads the OpenAPI v3 documents of one Kubernetes version from `<root>/v<version>/`
 * (one JSON file per group-version, `index.json` aside).
 */
export async function readSchemaSet(root: string, version: string): Promise<ReadSchemaSetResult> {
  const folder = join(root, `v${version}`);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith(".json") && name !== "index.json").sort();
  } catch {
    const available = await readdir(root).catch(() => [] as string[]);
    const versions = available.filter((name) => /^v\d+\.\d+$/.test(name)).map((name) => name.slice(1));
    return { ok: false, message: `no bundled schemas for Kubernetes ${version} (bundled: ${versions.join(", ") || "none"})` };
  }
  const documents: Record<string, unknown> = {};
  for (const name of names) documents[name] = JSON.parse(await readFile(join(folder, name), "utf8"));
  return { ok: true, set: { version, documents } };
}
