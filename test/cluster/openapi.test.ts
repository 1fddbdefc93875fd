import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { testClusterClient } from "../support/test-cluster.js";

describe("OpenAPI v3 from the test cluster", () => {
  const client = testClusterClient();

  it("lists every group-version and fetches the documents asked for", async () => {
    const openApi = await client.openApiV3((path) => path === "apis/apps/v1" || path === "api/v1");
    assert.ok(openApi.paths.includes("api/v1"));
    assert.ok(openApi.paths.includes("apis/apps/v1"));
    assert.ok(openApi.paths.includes("apis/apiextensions.k8s.io/v1"));
    assert.deepEqual(Object.keys(openApi.documents).sort(), ["api/v1", "apis/apps/v1"]);

    const schemas = (openApi.documents["apis/apps/v1"].components as { schemas: Record<string, { properties?: Record<string, unknown> }> }).schemas;
    const deployment = schemas["io.k8s.api.apps.v1.Deployment"];
    assert.ok(deployment?.properties?.spec, "the Deployment schema has a spec");
  });

  it("reports the server version", async () => {
    const version = await client.serverVersion();
    assert.match(version.gitVersion, /^v1\.\d+\.\d+/);
    assert.equal(version.major, "1");
  });
});
