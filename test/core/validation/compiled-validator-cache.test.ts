import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createSchemaRegistry, type CompiledValidatorCache } from "../../../src/core/validation/create-schema-registry.js";
import { createDiskValidatorCache } from "../../../src/schemas/create-disk-validator-cache.js";
import { readSchemaSet } from "../../../src/schemas/read-schema-set.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/kubernetes-schemas");
const good = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 2, selector: {}, template: {} } };
const bad = { ...good, spec: { ...good.spec, replicas: "two" } };

function memoryCache(): CompiledValidatorCache & { entries: Map<string, string>; hits: number } {
  const entries = new Map<string, string>();
  const cache = {
    entries,
    hits: 0,
    get: (key: string) => {
      const code = entries.get(key);
      if (code !== undefined) cache.hits += 1;
      return code;
    },
    set: (key: string, code: string) => void entries.set(key, code),
  };
  return cache;
}

async function schemaSet() {
  const read = await readSchemaSet(fixtures, "1.31");
  assert.ok(read.ok);
  assert.match(read.set.digest ?? "", /^[0-9a-f]{64}$/);
  return read.set;
}

test("a validator compiled once is loaded from the cache by the next registry, and judges alike", async () => {
  const set = await schemaSet();
  const cache = memoryCache();
  const first = createSchemaRegistry(set, { cache }).validator("apps/v1", "Deployment")!;
  assert.equal(first.isValid(good), true);
  assert.equal(first.isValid(bad), false);
  assert.ok(cache.entries.has("fast:io.k8s.api.apps.v1.Deployment"));

  const second = createSchemaRegistry(set, { cache }).validator("apps/v1", "Deployment")!;
  assert.equal(second.isValid(good), true);
  assert.equal(second.isValid(bad), false);
  assert.ok(cache.hits >= 1);
  assert.deepEqual(
    second.errors(bad).map((error) => error.instancePath),
    first.errors(bad).map((error) => error.instancePath),
  );
});

test("cached code that does not run is compiled again", async () => {
  const set = await schemaSet();
  const cache = memoryCache();
  cache.entries.set("fast:io.k8s.api.apps.v1.Deployment", "this is not JavaScript {");
  const validator = createSchemaRegistry(set, { cache }).validator("apps/v1", "Deployment")!;
  assert.equal(validator.isValid(good), true);
  assert.equal(validator.isValid(bad), false);
  assert.notEqual(cache.entries.get("fast:io.k8s.api.apps.v1.Deployment"), "this is not JavaScript {");
});

test("on disk: entries are named by schema set, version and kind; a damaged file is ignored, never run", () => {
  const dir = mkdtempSync(join(tmpdir(), "slipway-cache-"));
  try {
    const cache = createDiskValidatorCache({ dir, schemaSet: "set-a", slipwayVersion: "1.0.0" });
    cache.set("fast:Deployment", "module.exports = () => true;");
    assert.equal(cache.get("fast:Deployment"), "module.exports = () => true;");
    assert.equal(createDiskValidatorCache({ dir, schemaSet: "set-b", slipwayVersion: "1.0.0" }).get("fast:Deployment"), undefined);
    assert.equal(createDiskValidatorCache({ dir, schemaSet: "set-a", slipwayVersion: "1.0.1" }).get("fast:Deployment"), undefined);
    const [file] = readdirSync(join(dir, "validators"));
    writeFileSync(join(dir, "validators", file!), "// sha256:0000\nmodule.exports = () => true;");
    assert.equal(cache.get("fast:Deployment"), undefined);
    writeFileSync(join(dir, "validators", file!), "");
    assert.equal(cache.get("fast:Deployment"), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
