import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { NotFoundError, UnknownKindError } from "../../src/cluster/cluster-error.js";
import type { KubeObject } from "../../src/cluster/cluster-client.js";
import { createTestNamespace, testClusterClient, waitFor, type TestNamespace } from "../support/test-cluster.js";

describe("discovery against the test cluster", () => {
  const client = testClusterClient();
  let namespace: TestNamespace;
  // Unique per run so a leftover from an interrupted run cannot make the test pass.
  const group = `t${Date.now().toString(36)}.slipway.test`;
  const crdName = `widgets.${group}`;

  before(async () => {
    namespace = await createTestNamespace("discovery");
  });

  after(async () => {
    await client.delete({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name: crdName }, { dryRun: false }).catch((error) => {
      if (!(error instanceof NotFoundError)) throw error;
    });
    await namespace.cleanup();
  });

  it("resolves built-in kinds to their resource and scope", async () => {
    const deployment = await client.resolveKind({ apiVersion: "apps/v1", kind: "Deployment" });
    assert.deepEqual(
      { ...deployment, verbs: undefined },
      { group: "apps", version: "v1", kind: "Deployment", resource: "deployments", namespaced: true, verbs: undefined },
    );
    assert.ok(deployment.verbs.includes("patch") && deployment.verbs.includes("delete"));
    const configMap = await client.resolveKind({ apiVersion: "v1", kind: "ConfigMap" });
    assert.equal(configMap.group, "");
    assert.equal(configMap.resource, "configmaps");
    assert.equal(configMap.namespaced, true);
    assert.ok(configMap.verbs.includes("patch"));
    const namespaceKind = await client.resolveKind({ apiVersion: "v1", kind: "Namespace" });
    assert.equal(namespaceKind.resource, "namespaces");
    assert.equal(namespaceKind.namespaced, false);
    const clusterRole = await client.resolveKind({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole" });
    assert.equal(clusterRole.resource, "clusterroles");
    assert.equal(clusterRole.namespaced, false);
  });

  it("throws UnknownKindError for a kind the cluster does not serve", async () => {
    await assert.rejects(client.resolveKind({ apiVersion: `${group}/v1`, kind: "Widget" }), (error) => {
      assert.ok(error instanceof UnknownKindError);
      assert.ok(error instanceof NotFoundError, "an unknown kind is a kind of not found");
      assert.match(error.message, /Widget/);
      return true;
    });
    await assert.rejects(client.resolveKind({ apiVersion: "apps/v1", kind: "Deploymnet" }), UnknownKindError);
  });

  it("finds the kind of a CRD installed after the cache was filled, and serves its objects", async () => {
    // The cache is warm from the tests above and does not know the group yet.
    const crd: KubeObject = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: crdName },
      spec: {
        group,
        scope: "Namespaced",
        names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: { spec: { type: "object", properties: { size: { type: "integer", default: 3 } } } },
              },
            },
          },
        ],
      },
    };
    await client.apply(crd, { dryRun: false });
    await waitFor("the CRD to be established", async () => {
      const live = await client.get({ apiVersion: crd.apiVersion, kind: crd.kind, name: crdName });
      const conditions = (live.status as { conditions?: { type: string; status: string }[] })?.conditions ?? [];
      return conditions.some((c) => c.type === "Established" && c.status === "True");
    });

    // The API server publishes the new group to discovery just after Established.
    const widget = await waitFor(
      "the Widget kind in discovery",
      () =>
        client.resolveKind({ apiVersion: `${group}/v1`, kind: "Widget" }).catch((error) => {
          if (error instanceof UnknownKindError) return undefined;
          throw error;
        }),
      { timeoutMs: 15_000 },
    );
    assert.equal(widget.resource, "widgets");
    assert.equal(widget.namespaced, true);

    const applied = await client.apply(
      { apiVersion: `${group}/v1`, kind: "Widget", metadata: { name: "w", namespace: namespace.name }, spec: {} },
      { dryRun: false },
    );
    assert.equal((applied.spec as { size?: number }).size, 3, "the CRD schema default is applied");
  });
});
