import assert from "node:assert/strict";
import { test } from "node:test";
import { planApplyOrder } from "../../src/core/apply-order.js";

const item = (apiVersion: string, kind: string, name: string, namespaced: boolean) => ({ object: { apiVersion, kind, metadata: { name } }, namespaced });

test("Namespaces, CRDs, other cluster-scoped, namespaced, then webhooks; kinds in apply order within a phase", () => {
  const waves = planApplyOrder([
    item("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "guard", false),
    item("apps/v1", "Deployment", "api", true),
    item("example.com/v1", "Widget", "gear", true),
    item("v1", "ConfigMap", "settings", true),
    item("rbac.authorization.k8s.io/v1", "ClusterRole", "reader", false),
    item("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com", false),
    item("v1", "Namespace", "shop", false),
    item("example.com/v1", "ClusterWidget", "big", false),
    item("v1", "ConfigMap", "more", true),
  ]);
  assert.deepEqual(
    waves.map((wave) => `${wave.phase}: ${wave.items.map((i) => i.object.metadata.name).join(",")}`),
    [
      "namespaces: shop",
      "crds: widgets.example.com",
      "cluster: reader",
      "cluster: big",
      "namespaced: settings,more",
      "namespaced: api",
      "namespaced: gear",
      "webhooks: guard",
    ],
  );
});

test("nothing to apply is no wave", () => {
  assert.deepEqual(planApplyOrder([]), []);
});
