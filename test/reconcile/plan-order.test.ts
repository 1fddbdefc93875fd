import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { ClusterClient } from "../../src/cluster/cluster-client.js";
import type { DeployResult } from "../../src/core/deploy/deploy-result.js";
import { describeObject, objectRef } from "../../src/core/object-identity.js";
import type { EnvironmentPlan } from "../../src/core/plan/environment-plan.js";
import { deployEnvironment, type DeployManifest } from "../../src/reconcile/deploy-environment.js";
import { planLive } from "../../src/reconcile/plan-live.js";
import { createTestNamespace, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

// A plan is the deploy's dry run: it lists the objects in the order the deploy then applies them
// (Namespaces, CRDs, other cluster-scoped objects, namespaced ones), whatever the order in Git.
describe("plan order and deploy order against the test cluster", () => {
  const admin = testClusterClient();
  const suffix = randomBytes(3).toString("hex");
  const group = `order${suffix}.slipway.dev`;
  const newNamespace = `order-new-${suffix}`;
  const clusterRole = `slipway-order-${suffix}`;
  let ns: TestNamespace;
  let plan: EnvironmentPlan;
  let deploy: DeployResult;
  const written: string[] = [];

  before(async () => {
    ns = await createTestNamespace("plan-order", admin);
    const environmentId = `test.order.${ns.name}`;
    // Written in no particular order: the custom resource first, its CRD and the Namespace late.
    const objects: Array<Record<string, unknown>> = [
      { apiVersion: `${group}/v1`, kind: "Widget", metadata: { name: "gear" }, spec: { size: 3 } },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "api" },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: "api" } },
          template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
        },
      },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { level: "info" } },
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: clusterRole }, rules: [] },
      { apiVersion: "v1", kind: "Service", metadata: { name: "api" }, spec: { selector: { app: "api" }, ports: [{ port: 80 }] } },
      {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: `widgets.${group}` },
        spec: {
          group,
          scope: "Namespaced",
          names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
          versions: [
            { name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } },
          ],
        },
      },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "inside", namespace: newNamespace }, data: { a: "1" } },
      { apiVersion: "v1", kind: "Namespace", metadata: { name: newNamespace } },
      { apiVersion: "v1", kind: "Secret", metadata: { name: "creds" }, stringData: { password: "order-test" } },
    ];
    const manifests: DeployManifest[] = objects.map((object, i) => ({ object, file: `deploy/${i}.yaml`, line: 1 }));

    plan = await planLive({ cluster: admin, environment: "test", environmentId, namespace: ns.name, manifests, prune: false, sourceSha: "a".repeat(40) });

    // The deploy, with every write it sends recorded in the order it sends them.
    const recording: ClusterClient = {
      ...admin,
      apply: (object, options) => {
        if (!options.dryRun) written.push(describeObject(objectRef(object)));
        return admin.apply(object, options);
      },
    };
    deploy = await deployEnvironment({
      client: recording,
      environmentId,
      sha: "a".repeat(40),
      objects: manifests,
      namespaceDefault: ns.name,
      prune: false,
      healthTimeoutMs: 0,
      dryRun: false,
    });
  });

  after(async () => {
    await admin
      .delete({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name: `widgets.${group}` }, { dryRun: false })
      .catch(() => undefined);
    await admin.delete({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: clusterRole }, { dryRun: false }).catch(() => undefined);
    await admin.delete({ apiVersion: "v1", kind: "Namespace", name: newNamespace }, { dryRun: false }).catch(() => undefined);
    await ns?.cleanup();
  });

  it("plans every object as a creation, without a rejection", () => {
    assert.deepEqual(
      plan.objects.filter((o) => o.rejection).map((o) => `${describeObject(o.ref)}: ${o.rejection?.message}`),
      [],
    );
    assert.deepEqual(plan.counts, { create: 9, update: 0, delete: 0, unchanged: 0, rejected: 0 });
  });

  it("lists the objects in the order the deploy applies them", () => {
    assert.equal(deploy.status, "succeeded", deploy.status === "failed" ? deploy.reason : "");
    const planned = plan.objects.map((o) => describeObject(o.ref));
    assert.deepEqual(
      planned,
      deploy.applied.map((a) => describeObject(a.ref)),
    );
    assert.deepEqual(planned, written);
  });

  it("in phases: the Namespace, the CRD, the ClusterRole, then namespaced objects, the custom resource among them", () => {
    const kinds = plan.objects.map((o) => o.ref.kind);
    assert.deepEqual(kinds.slice(0, 3), ["Namespace", "CustomResourceDefinition", "ClusterRole"]);
    assert.ok(kinds.indexOf("ConfigMap") > kinds.indexOf("ClusterRole"), "a ConfigMap after the ClusterRole");
    assert.equal(kinds.at(-1), "Widget", "a custom resource after the built-in kinds");
    assert.equal(plan.objects.find((o) => o.ref.kind === "Widget")?.ref.namespace, ns.name);
  });
});
