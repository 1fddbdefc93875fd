import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { KubernetesSchemaSet } from "../core/validation/create-schema-registry.js";
import { groupVersionOf } from "../core/validation/group-version-of.js";
import { compareVersions } from "../core/validation/removed-api-version.js";

export type ReadSchemaSetResult = { ok: true; set: KubernetesSchemaSet } | { ok: false; message: string };

/**
 * Reads the OpenAPI v3 documents of one Kubernetes version from `<root>/v<version>/`: the
 * files `index.json` lists (`groupVersions[].file`, e.g. `apis/apps/v1.json`), or without an
 * index every `*.json` in the folder (e.g. `apis__apps__v1.json`).
 */
export async function readSchemaSet(root: string, version: string): Promise<ReadSchemaSetResult> {
  const folder = join(root, `v${version}`);
  let names: string[];
  try {
    names = await listDocuments(folder);
  } catch {
    const available = await readdir(root).catch(() => [] as string[]);
    const versions = available.filter((name) => /^v\d+\.\d+$/.test(name)).map((name) => name.slice(1));
    return { ok: false, message: `no bundled schemas for Kubernetes ${version} (bundled: ${versions.join(", ") || "none"})` };
  }
  const documents: Record<string, unknown> = {};
  const digest = createHash("sha256");
  for (const name of names) {
    const text = await readFile(join(folder, name), "utf8");
    digest.update(`${name}\n${text}\n`);
    documents[name] = JSON.parse(text);
  }
  const laterServed = await findLaterServed(root, version, new Set(names.map(groupVersionOf)));
  return { ok: true, set: { version, documents, digest: digest.digest("hex"), ...(Object.keys(laterServed).length > 0 ? { laterServed } : {}) } };
}

/** Group-versions that later bundled versions serve and this one does not, with the first that does. */
async function findLaterServed(root: string, version: string, served: Set<string>): Promise<Record<string, string>> {
  const later = (await readdir(root).catch(() => [] as string[]))
    .filter((name) => /^v\d+\.\d+$/.test(name) && compareVersions(name.slice(1), version) > 0)
    .map((name) => name.slice(1))
    .sort(compareVersions);
  const found: Record<string, string> = {};
  for (const laterVersion of later) {
    const names = await listDocuments(join(root, `v${laterVersion}`)).catch(() => [] as string[]);
    for (const groupVersion of names.map(groupVersionOf))
      if (!served.has(groupVersion) && found[groupVersion] === undefined) found[groupVersion] = laterVersion;
  }
  return found;
}

async function listDocuments(folder: string): Promise<string[]> {
  const index = await readFile(join(folder, "index.json"), "utf8").then(
    (text) => JSON.parse(text) as { groupVersions?: Array<{ file?: string }> },
    () => undefined,
  );
  const listed = index?.groupVersions?.map((entry) => entry.file).filter((file): file is string => typeof file === "string");
  if (listed && listed.length > 0) return listed.sort();
  return (await readdir(folder)).filter((name) => name.endsWith(".json") && name !== "index.json").sort();
}
