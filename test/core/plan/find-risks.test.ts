import assert from "node:assert/strict";
import { test } from "node:test";
import { findRisks } from "../../../src/core/plan/find-risks.js";
import { normalizeObject } from "../../../src/core/plan/normalize-object.js";
import { deployment } from "./plan-fixtures.js";

const kinds = (risks: ReturnType<typeof findRisks>) => risks.map((r) => `${r.kind}:${r.level}`);

test("deleting a namespace, a PVC or a CRD is high risk; other deletions a warning", () => {
  for (const [apiVersion, kind] of [
    ["v1", "Namespace"],
    ["v1", "PersistentVolumeClaim"],
    ["apiextensions.k8s.io/v1", "CustomResourceDefinition"],
  ]) {
    assert.deepEqual(kinds(findRisks({ action: "delete", before: { apiVersion, kind, metadata: { name: "x" } } })), ["deletion:high"], kind);
  }
  assert.deepEqual(kinds(findRisks({ action: "delete", before: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } } })), ["deletion:warning"]);
});

test("replicas to zero, image changes, immutable selector", () => {
  const before = normalizeObject(deployment("api", { replicas: 3, image: "nginx:1.27" }));
  const after = normalizeObject(deployment("api", { replicas: 0, image: "nginx:1.28" }));
  ((after.spec as Record<string, unknown>).selector as Record<string, unknown>).matchLabels = { app: "api", tier: "web" };
  const risks = findRisks({ action: "update", before, after });
  assert.deepEqual(kinds(risks), ["replicas-to-zero:high", "image:warning", "immutable-field:high"]);
  assert.match(risks[1].message, /container web: nginx:1\.27 → nginx:1\.28/);
  assert.match(risks[2].message, /spec\.selector/);
});

test("replicas unset means one; creating at zero is no risk", () => {
  const before = normalizeObject(deployment("api"));
  delete (before.spec as Record<string, unknown>).replicas;
  const after = normalizeObject(deployment("api", { replicas: 0 }));
  assert.match(findRisks({ action: "update", before, after })[0].message, /to 0 replicas \(from 1\)/);
  assert.deepEqual(findRisks({ action: "create", after }), []);
});

test("RBAC changes are called out", () => {
  const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "admins" }, roleRef: { name: "cluster-admin" } };
  assert.deepEqual(kinds(findRisks({ action: "create", after: role })), ["rbac:warning"]);
  const changed = { ...role, roleRef: { name: "view" } };
  assert.deepEqual(kinds(findRisks({ action: "update", before: role, after: changed })), ["rbac:warning", "immutable-field:high"]);
});

test("a rejection for an immutable field is a replacement risk", () => {
  const object = normalizeObject(deployment("api"));
  const risks = findRisks({ action: "update", before: object, after: object, rejection: { reason: "immutable", message: "field is immutable", fields: [] } });
  assert.deepEqual(kinds(risks), ["immutable-field:high"]);
});
