import assert from "node:assert/strict";
import { test } from "node:test";
import { selectPrune } from "../../../src/core/deploy/select-prune.js";

const environmentId = "acme.shop.prod";
const labels = { "app.kubernetes.io/managed-by": "slipway", "slipway.dev/environment": environmentId };
const live = (apiVersion: string, kind: string, name: string, namespace?: string, extra: Record<string, unknown> = {}) => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}), labels, uid: `uid-${name}`, ...extra },
});

test("selects what Git no longer has, namespaced first and Namespaces last", () => {
  const inventory = [
    live("v1", "Namespace", "old-ns"),
    live("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"),
    live("apps/v1", "Deployment", "api", "shop"),
    live("v1", "ConfigMap", "kept", "shop"),
    live("v1", "ConfigMap", "retired", "shop"),
    live("rbac.authorization.k8s.io/v1", "ClusterRole", "reader"),
  ];
  const desired = [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kept", namespace: "shop" } }];
  const selected = selectPrune({ live: inventory, desired, environmentId, prune: true });
  assert.deepEqual(
    selected.map((o) => `${o.kind}/${o.metadata.name}`),
    ["Deployment/api", "ConfigMap/retired", "ClusterRole/reader", "CustomResourceDefinition/widgets.example.com", "Namespace/old-ns"],
  );
});

test("an object is the same across versions of its group", () => {
  const inventory = [live("autoscaling/v2", "HorizontalPodAutoscaler", "api", "shop")];
  const desired = [{ apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", metadata: { name: "api", namespace: "shop" } }];
  assert.deepEqual(selectPrune({ live: inventory, desired, environmentId, prune: true }), []);
});

test("never selects another environment's, a controller's, a deleting object, or a Namespace Git still uses", () => {
  const inventory = [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "other", namespace: "shop", labels: { ...labels, "slipway.dev/environment": "acme.shop.dev" } } },
    live("apps/v1", "ReplicaSet", "api-7d9c", "shop", { ownerReferences: [{ kind: "Deployment", name: "api", controller: true }] }),
    live("v1", "ConfigMap", "going", "shop", { deletionTimestamp: "2026-01-01T00:00:00Z" }),
    live("v1", "Namespace", "shop"),
  ];
  const desired = [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kept", namespace: "shop" } }];
  assert.deepEqual(selectPrune({ live: inventory, desired, environmentId, prune: true }), []);
});

test("prune off selects nothing", () => {
  assert.deepEqual(selectPrune({ live: [live("v1", "ConfigMap", "retired", "shop")], desired: [], environmentId, prune: false }), []);
});
