// Dumps the pinned test cluster's OpenAPI v3 into schema/kubernetes/v<major.minor>/, the bundled
// schema set offline validation reads: one JSON file per group-version, named after its path
// under /openapi/v3 (api/v1.json, apis/apps/v1.json, ...), and an index.json.
//
//   node --import tsx scripts/generate-kubernetes-schemas.ts [--kubeconfig <path>]
//
// Without --kubeconfig it uses SLIPWAY_TEST_KUBECONFIG, or starts the test cluster itself.
// Group-versions served by CRDs or aggregated API servers are left out: only what ships with
// Kubernetes belongs in the bundle.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { createClusterClient } from "../src/cluster/create-cluster-client.js";

// Above this, descriptions go: they are most of the bytes and validation does not read them.
const MAX_BYTES_WITH_DESCRIPTIONS = 4 * 1024 * 1024;

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { kubeconfig: { type: "string" } } });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(values.kubeconfig ?? process.env.SLIPWAY_TEST_KUBECONFIG ?? startTestCluster());
  const client = createClusterClient(kubeConfig);

  // 1. Which Kubernetes this is.
  const version = await client.serverVersion();
  const minor = version.minor.replace(/\D+$/, "");
  const outDir = join(root, "schema", "kubernetes", `v${version.major}.${minor}`);

  // 2. Which group-versions are built in: not from a CRD, not from an aggregated API server.
  const foreign = new Set<string>();
  for (const crd of await client.list({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" })) {
    const spec = crd.spec as { group: string; versions: { name: string }[] };
    for (const v of spec.versions) foreign.add(`apis/${spec.group}/${v.name}`);
  }
  for (const apiService of await client.list({ apiVersion: "apiregistration.k8s.io/v1", kind: "APIService" })) {
    const spec = apiService.spec as { group?: string; version: string; service?: unknown };
    if (spec.service) foreign.add(`apis/${spec.group}/${spec.version}`);
  }
  const isGroupVersion = (path: string) => /^(api\/v1|apis\/[^/]+\/[^/]+)$/.test(path) && !foreign.has(path);

  // 3. Fetch them.
  const { documents } = await client.openApiV3(isGroupVersion);
  const paths = Object.keys(documents).sort();
  const fullSize = paths.reduce((sum, path) => sum + JSON.stringify(documents[path]).length, 0);
  const stripDescriptions = fullSize > MAX_BYTES_WITH_DESCRIPTIONS;

  // 4. Write one file per group-version and the index.
  rmSync(outDir, { recursive: true, force: true });
  const groupVersions = [];
  const kinds = [];
  let written = 0;
  for (const path of paths) {
    const document = stripDescriptions ? withoutDescriptions(documents[path]) : documents[path];
    const file = `${path}.json`;
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    const text = `${JSON.stringify(document)}\n`;
    writeFileSync(join(outDir, file), text);
    written += text.length;
    const groupVersion = path.replace(/^apis?\//, "");
    groupVersions.push({ groupVersion, path, file });
    kinds.push(...kindsIn(document, groupVersion, file));
  }
  const index = {
    generatedBy: "scripts/generate-kubernetes-schemas.ts",
    serverVersion: { gitVersion: version.gitVersion, major: version.major, minor },
    descriptionsStripped: stripDescriptions,
    groupVersions,
    kinds: kinds.sort((a, b) => `${a.apiVersion}/${a.kind}`.localeCompare(`${b.apiVersion}/${b.kind}`)),
  };
  writeFileSync(join(outDir, "index.json"), `${JSON.stringify(index, null, 2)}\n`);
  console.log(
    `wrote ${paths.length} group-versions of ${version.gitVersion} (${(written / 1024 / 1024).toFixed(1)} MB` +
      `${stripDescriptions ? ", descriptions stripped" : ""}) to ${outDir}`,
  );
}

function startTestCluster(): string {
  const out = execFileSync("bash", [join(root, "scripts", "test-cluster.sh"), "up"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return out.trim().split("\n").at(-1)!;
}

// The kinds a group-version's document defines, with the schema name that describes each.
function kindsIn(document: Record<string, unknown>, groupVersion: string, file: string) {
  const schemas = (document.components as { schemas?: Record<string, Record<string, unknown>> })?.schemas ?? {};
  const found = [];
  for (const [schema, definition] of Object.entries(schemas)) {
    for (const gvk of (definition["x-kubernetes-group-version-kind"] as GroupVersionKind[] | undefined) ?? []) {
      const apiVersion = gvk.group === "" ? gvk.version : `${gvk.group}/${gvk.version}`;
      // Shared types (DeleteOptions, WatchEvent) list every group-version; keep this one's.
      if (apiVersion === groupVersion) found.push({ apiVersion, kind: gvk.kind, file, schema });
    }
  }
  return found;
}

// Drops `description` texts but keeps a property that happens to be named "description".
function withoutDescriptions<T>(value: T, inProperties = false): T {
  if (Array.isArray(value)) return value.map((item) => withoutDescriptions(item)) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!inProperties && key === "description" && typeof child === "string") continue;
    out[key] = withoutDescriptions(child, key === "properties" && !inProperties);
  }
  return out as T;
}

main().catch((error: unknown) => {
  console.error(`generate-kubernetes-schemas: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
