import assert from "node:assert/strict";
import { after, test } from "node:test";
import { createMemorySourceTree } from "../../src/core/manifests/create-memory-source-tree.js";
import { loadManifests } from "../../src/core/manifests/load-manifests.js";
import { planOffline } from "../../src/core/plan/plan-offline.js";
import { validateEnvironment } from "../../src/core/validation/validate-environment.js";
import { bundledSchemaRoot } from "../../src/schemas/bundled-schema-root.js";
import { createSchemaRegistryCache } from "../../src/schemas/create-schema-registry-cache.js";
import { createWorkPool } from "../../src/work/create-work-pool.js";

// The pool runs the same core functions in worker threads: same results, lines included, and a
// budget that stops a task instead of the process.

const limits = { maxFileBytes: 5 * 1024 * 1024, maxFiles: 100, maxDocumentsPerFile: 100, maxDepth: 64, maxAliases: 10 };
const rules = { imageTag: "warn", resources: "off", privileged: "error", hostPath: "off", readinessProbe: "off" } as const;
const pools: Array<ReturnType<typeof createWorkPool>> = [];
const pool = (options: Partial<Parameters<typeof createWorkPool>[0]> = {}) => {
  const created = createWorkPool({ schemaRoot: bundledSchemaRoot(), threads: 1, ...options });
  pools.push(created);
  return created;
};
after(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

const files = {
  "env/web.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:latest
          securityContext:
            privileged: true
          ports:
            - containerPort: "eighty"
`,
  "env/broken.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n",
  "env/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n",
};

test("loading and validating in a worker gives the core's results, lines included", async () => {
  const work = pool();
  const tree = createMemorySourceTree(files);
  const lookup = await createSchemaRegistryCache(bundledSchemaRoot())(undefined);
  assert.ok(lookup.ok);
  const params = { environment: { name: "prod", namespace: "web" }, schemas: lookup.registry, unknownKinds: "warn" as const, rules };

  const direct = await loadManifests({ tree, path: "env", limits });
  const pooled = await work.loadManifests({ tree, path: "env", limits });
  const plain = (loaded: typeof direct) => ({ ...loaded, objects: loaded.objects.map(({ lineOf: _, ...rest }) => rest) });
  assert.deepEqual(plain(pooled), plain(direct));
  assert.equal(pooled.objects[1]!.lineOf(["spec", "template", "spec", "containers", 0, "image"]), 12);

  const expected = validateEnvironment({ ...params, manifests: direct });
  const actual = await work.validateEnvironment({ ...params, manifests: pooled });
  assert.deepEqual(actual, expected);
  assert.ok(
    actual.results.some((r) => r.line === 16 && r.check === "schema"),
    JSON.stringify(actual.results),
  );

  const offline = { environmentId: "o.r.prod", base: [], head: pooled.objects, prune: true, namespace: "web", reason: "a test" };
  assert.deepEqual(await work.planOffline(offline), planOffline(offline));
});

// Four megabytes of one-character items: within every bound, and seconds of parsing.
const slow = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: slow\nitems: [${Array(2_000_000).fill("1").join(",")}]\n`;

test("a file past the time budget is a finding at that file, and the pool goes on", async () => {
  const work = pool({ timeoutMs: 300 });
  const tree = createMemorySourceTree({ "env/slow.yaml": slow, "env/settings.yaml": files["env/settings.yaml"] });
  const loaded = await work.loadManifests({ tree, path: "env", limits });
  assert.deepEqual(loaded.errors, [
    { file: "env/slow.yaml", line: 0, message: "reading this file took more than 0.3 s, Slipway's time budget for one task; nothing in it was checked" },
  ]);
  assert.deepEqual(
    loaded.objects.map((o) => o.file),
    ["env/settings.yaml"],
  );
});

test("a file past the memory budget is a finding at that file", async () => {
  const work = pool({ memoryMb: 32, timeoutMs: 60_000 });
  const tree = createMemorySourceTree({ "env/slow.yaml": slow });
  const loaded = await work.loadManifests({ tree, path: "env", limits });
  assert.deepEqual(loaded.errors, [
    { file: "env/slow.yaml", line: 0, message: "reading this file ran out of Slipway's memory budget for one task (32 MB); nothing in it was checked" },
  ]);
});
