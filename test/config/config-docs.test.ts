import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

test("the published schema and README's configuration reference match the schema in the code", () => {
  const root = resolve(import.meta.dirname, "../..");
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/generate-config-docs.ts", "--check"], { cwd: root, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
});
