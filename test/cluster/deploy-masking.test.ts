import assert from "node:assert/strict";
import { after, test } from "node:test";
import { deployEnvironment } from "../../src/reconcile/deploy-environment.js";
import { createTestNamespace, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

// The server quotes what it refuses, and what it refuses may hold another object's Secret value:
// here a ConfigMap key that repeats a Secret of the same deploy. The deploy's reasons are masked
// against every Secret of the environment, not only the object the message is about.
const client = testClusterClient();
let ns: TestNamespace | undefined;
after(async () => ns?.cleanup());

test("a deploy's failure never quotes another object's Secret value", async () => {
  ns = await createTestNamespace("deploy-mask", client);
  const value = "Kv9m wQz";
  const result = await deployEnvironment({
    client,
    environmentId: `test.mask.${ns.name}`,
    sha: "abc1234",
    objects: [
      { object: { apiVersion: "v1", kind: "Secret", metadata: { name: "creds" }, stringData: { password: value } }, file: "deploy/creds.yaml", line: 1 },
      // A space is not allowed in a ConfigMap key: the server answers with the key quoted.
      { object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app" }, data: { [`pw ${value}`]: "x" } }, file: "deploy/app.yaml", line: 1 },
    ],
    namespaceDefault: ns.name,
    prune: false,
    healthTimeoutMs: 0,
    dryRun: true,
  });
  assert.equal(result.status, "failed");
  assert.match(result.reason, /ConfigMap/, result.reason);
  assert.match(result.reason, /\*\*\*/, "the value was there, and is masked");
  assert.ok(!JSON.stringify(result).includes(value), JSON.stringify(result));
});
