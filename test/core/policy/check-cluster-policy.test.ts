import assert from "node:assert/strict";
import { test } from "node:test";
import { allowsKind } from "../../../src/core/policy/allows-kind.js";
import { checkClusterPolicy } from "../../../src/core/policy/check-cluster-policy.js";
import type { ClusterPolicy } from "../../../src/core/policy/cluster-policy.js";

const policy: ClusterPolicy = {
  namespaces: ["web", "api-*"],
  clusterResources: ["Namespace", "rbac.authorization.k8s.io/ClusterRole", "example.dev/*"],
  deniedKinds: ["rbac.authorization.k8s.io/RoleBinding"],
};
const rule = (target: Parameters<typeof checkClusterPolicy>[1]) => checkClusterPolicy(policy, target)?.rule ?? "allowed";

test("cluster-scoped kinds are refused unless listed; a Namespace also needs an allowed name", () => {
  assert.equal(rule({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", name: "x", namespaced: false }), "cluster-resource");
  assert.equal(rule({ apiVersion: "admissionregistration.k8s.io/v1", kind: "MutatingWebhookConfiguration", name: "x", namespaced: false }), "cluster-resource");
  assert.equal(rule({ apiVersion: "v1", kind: "PersistentVolume", name: "x", namespaced: false }), "cluster-resource");
  assert.equal(rule({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: "x", namespaced: false }), "allowed");
  assert.equal(rule({ apiVersion: "example.dev/v1", kind: "Anything", name: "x", namespaced: false }), "allowed");
  assert.equal(rule({ apiVersion: "v1", kind: "Namespace", name: "api-v2", namespaced: false }), "allowed");
  assert.equal(rule({ apiVersion: "v1", kind: "Namespace", name: "kube-system", namespaced: false }), "namespace");
  // The scope nobody could tell: a Namespace is still judged as one.
  assert.equal(rule({ apiVersion: "v1", kind: "Namespace", name: "kube-system", namespaced: undefined }), "namespace");
  assert.equal(
    checkClusterPolicy({ ...policy, clusterResources: [] }, { apiVersion: "v1", kind: "Namespace", name: "web", namespaced: false })?.message,
    "cluster-scoped kind not allowed: Namespace (clusterResources: none)",
  );
});

test("namespaced objects need an allowed namespace; a denied kind is refused wherever it is", () => {
  assert.equal(rule({ apiVersion: "v1", kind: "ConfigMap", name: "x", namespace: "web", namespaced: true }), "allowed");
  assert.equal(rule({ apiVersion: "v1", kind: "ConfigMap", name: "aws-auth", namespace: "kube-system", namespaced: true }), "namespace");
  assert.equal(rule({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", name: "x", namespace: "web", namespaced: true }), "denied-kind");
  assert.equal(
    checkClusterPolicy(policy, { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", name: "x", namespace: "web", namespaced: true })?.message,
    "kind denied on this cluster: rbac.authorization.k8s.io/RoleBinding (deniedKinds: rbac.authorization.k8s.io/RoleBinding)",
  );
  // `Kind` alone is the core group: a Secret entry does not deny another group's Secret.
  const core: ClusterPolicy = { namespaces: ["*"], clusterResources: [], deniedKinds: ["Secret"] };
  assert.equal(checkClusterPolicy(core, { apiVersion: "v1", kind: "Secret", name: "s", namespace: "web", namespaced: true })?.rule, "denied-kind");
  assert.equal(checkClusterPolicy(core, { apiVersion: "example.dev/v1", kind: "Secret", name: "s", namespace: "web", namespaced: true }), undefined);
});

test("allowsKind says which kinds a plan or deploy may list at all", () => {
  assert.equal(allowsKind(policy, { group: "", kind: "ConfigMap", namespaced: true }), true);
  assert.equal(allowsKind(policy, { group: "rbac.authorization.k8s.io", kind: "RoleBinding", namespaced: true }), false);
  assert.equal(allowsKind(policy, { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding", namespaced: false }), false);
  assert.equal(allowsKind(policy, { group: "", kind: "Namespace", namespaced: false }), true);
  assert.equal(allowsKind({ ...policy, clusterResources: [] }, { group: "", kind: "Namespace", namespaced: false }), false);
});
