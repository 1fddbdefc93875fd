import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { NotFoundError } from "../../src/cluster/cluster-error.js";
import { deployEnvironment, type DeployEnvironmentParams, type DeployManifest } from "../../src/reconcile/deploy-environment.js";
import type { DeployProgress, DeployResult } from "../../src/core/deploy/deploy-result.js";
import { summarizeDeploy } from "../../src/core/deploy/summarize-deploy.js";
import { ENVIRONMENT_LABEL, MANAGED_BY_LABEL, SOURCE_SHA_ANNOTATION } from "../../src/core/plan/slipway-labels.js";
import { createTestNamespace, FAIL_READINESS_ANNOTATION, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

const planted = "Planted-secret-value-4711";

function configMap(name: string, data: Record<string, string>): Record<string, unknown> {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data };
}

function deployment(name: string, options: { replicas?: number; annotations?: Record<string, string>; image?: string } = {}): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, ...(options.annotations ? { annotations: options.annotations } : {}) },
        spec: { containers: [{ name: "web", image: options.image ?? "nginx:1.27" }] },
      },
    },
  };
}

function manifests(...objects: Record<string, unknown>[]): DeployManifest[] {
  return objects.map((object, i) => ({ object, file: `deploy/${String(object.kind).toLowerCase()}.yaml`, line: 1 + i * 10 }));
}

describe("deployEnvironment against the test cluster", () => {
  const client = testClusterClient();
  const namespaces: TestNamespace[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];

  after(async () => {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    for (const ns of namespaces) await ns.cleanup();
  });

  async function environment(
    prefix: string,
  ): Promise<{ ns: string; params: (objects: DeployManifest[], sha: string, extra?: Partial<DeployEnvironmentParams>) => DeployEnvironmentParams }> {
    const ns = await createTestNamespace(prefix, client);
    namespaces.push(ns);
    const environmentId = `test.deploy.${ns.name}`;
    return {
      ns: ns.name,
      params: (objects, sha, extra = {}) => ({
        client,
        environmentId,
        sha,
        objects,
        namespaceDefault: ns.name,
        prune: true,
        healthTimeoutMs: 60_000,
        dryRun: false,
        ...extra,
      }),
    };
  }

  const get = (kind: string, namespace: string | undefined, name: string, apiVersion = kind === "Deployment" ? "apps/v1" : "v1") =>
    client.get({ apiVersion, kind, namespace, name });

  async function exists(ref: { apiVersion: string; kind: string; namespace?: string; name: string }): Promise<boolean> {
    try {
      await client.get(ref);
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  function succeeded(result: DeployResult): asserts result is Extract<DeployResult, { status: "succeeded" }> {
    assert.equal(result.status, "succeeded", result.status === "failed" ? `failed in ${result.phase}: ${result.reason}` : "");
  }

  describe("apply, re-apply and prune", () => {
    let env: Awaited<ReturnType<typeof environment>>;
    const objects = () =>
      manifests(
        configMap("settings", { level: "info" }),
        configMap("retired", { a: "1" }),
        { apiVersion: "v1", kind: "Secret", metadata: { name: "creds" }, stringData: { password: planted } },
        deployment("api"),
      );
    before(async () => {
      env = await environment("deploy-apply");
    });

    it("creates labelled objects with the source SHA, and the Deployment becomes Healthy", async () => {
      const progress: DeployProgress[] = [];
      const result = await deployEnvironment(env.params(objects(), "aaaa111", { onProgress: (p) => progress.push(p) }));
      succeeded(result);
      assert.deepEqual(result.applied.map((a) => `${a.change} ${a.ref.kind}/${a.ref.name}`).sort(), [
        "created ConfigMap/retired",
        "created ConfigMap/settings",
        "created Deployment/api",
        "created Secret/creds",
      ]);
      assert.equal(result.unchanged.length, 0);
      for (const [kind, name] of [
        ["ConfigMap", "settings"],
        ["Secret", "creds"],
        ["Deployment", "api"],
      ]) {
        const live = await get(kind, env.ns, name);
        assert.equal(live.metadata.labels?.[MANAGED_BY_LABEL], "slipway", `${kind} ${name} managed-by`);
        assert.equal(live.metadata.labels?.[ENVIRONMENT_LABEL], `test.deploy.${env.ns}`);
        assert.equal(live.metadata.annotations?.[SOURCE_SHA_ANNOTATION], "aaaa111");
      }
      assert.equal(result.health?.status, "Healthy");
      const api = result.health?.objects.find((o) => o.ref.kind === "Deployment");
      assert.deepEqual(api && { status: api.status, message: api.message }, { status: "Healthy", message: "1 of 1 replica available" });
      assert.ok(progress.some((p) => p.phase === "apply" && p.done === 4 && p.total === 4));
      assert.match(summarizeDeploy(result).headline, /^applied 4 objects \(4 created\), all healthy$/);
      assert.ok(!JSON.stringify(result).includes(planted), "no Secret value in the result");
    });

    it("re-applied without a change, writes nothing and says so", async () => {
      const before = new Map<string, string | undefined>();
      for (const [kind, name] of [
        ["ConfigMap", "settings"],
        ["ConfigMap", "retired"],
        ["Secret", "creds"],
        ["Deployment", "api"],
      ]) {
        before.set(`${kind}/${name}`, (await get(kind, env.ns, name)).metadata.resourceVersion);
      }
      const result = await deployEnvironment(env.params(objects(), "bbbb222"));
      succeeded(result);
      assert.deepEqual(result.applied, []);
      assert.equal(result.unchanged.length, 4);
      assert.deepEqual(result.pruned, []);
      for (const [key, resourceVersion] of before) {
        const [kind, name] = key.split("/");
        const live = await get(kind, env.ns, name);
        assert.equal(live.metadata.resourceVersion, resourceVersion, `${key} kept its resourceVersion`);
        assert.equal(live.metadata.annotations?.[SOURCE_SHA_ANNOTATION], "aaaa111", `${key} keeps the SHA that last changed it`);
      }
      assert.equal(summarizeDeploy(result).headline, "nothing to change: 4 objects already as in Git, all healthy");
      assert.ok(result.durationMs < 5_000, `took ${result.durationMs} ms`);
    });

    const next = () =>
      manifests(
        configMap("settings", { level: "debug" }),
        { apiVersion: "v1", kind: "Secret", metadata: { name: "creds" }, stringData: { password: planted } },
        deployment("api"),
      );

    it("in a dry run, tells the change and the prune without writing either", async () => {
      const settings = await get("ConfigMap", env.ns, "settings");
      const result = await deployEnvironment(env.params(next(), "cccc333", { dryRun: true }));
      succeeded(result);
      assert.deepEqual(
        result.applied.map((a) => `${a.change} ${a.ref.name}`),
        ["changed settings"],
      );
      assert.deepEqual(
        result.pruned.map((r) => `${r.kind}/${r.name}`),
        ["ConfigMap/retired"],
      );
      assert.equal((await get("ConfigMap", env.ns, "settings")).metadata.resourceVersion, settings.metadata.resourceVersion);
      assert.equal(await exists({ apiVersion: "v1", kind: "ConfigMap", namespace: env.ns, name: "retired" }), true);
      assert.equal(summarizeDeploy(result).headline, "dry run: would apply 3 objects (1 changed), would prune 1");
    });

    it("writes a changed object with the new SHA and prunes a removed one", async () => {
      const result = await deployEnvironment(env.params(next(), "cccc333"));
      succeeded(result);
      assert.deepEqual(
        result.applied.map((a) => `${a.change} ${a.ref.name}`),
        ["changed settings"],
      );
      assert.deepEqual(
        result.pruned.map((r) => `${r.kind}/${r.name}`),
        ["ConfigMap/retired"],
      );
      assert.equal((await get("ConfigMap", env.ns, "settings")).metadata.annotations?.[SOURCE_SHA_ANNOTATION], "cccc333");
      assert.equal((await get("Deployment", env.ns, "api")).metadata.annotations?.[SOURCE_SHA_ANNOTATION], "aaaa111");
      assert.equal(await exists({ apiVersion: "v1", kind: "ConfigMap", namespace: env.ns, name: "retired" }), false);
      assert.equal(summarizeDeploy(result).headline, "applied 3 objects (1 changed), pruned 1, all healthy");
    });

    it("refuses to prune everything, and deletes nothing", async () => {
      const result = await deployEnvironment(env.params([], "dddd444"));
      assert.equal(result.status, "failed");
      assert.equal(result.status === "failed" && result.phase, "prune");
      assert.match(result.status === "failed" ? result.reason : "", /refused to prune all 3 objects of the environment/);
      assert.deepEqual(result.pruned, []);
      assert.equal(await exists({ apiVersion: "apps/v1", kind: "Deployment", namespace: env.ns, name: "api" }), true);
    });

    it("refuses to prune more than the allowed share, unless allowed", async () => {
      const keepOne = manifests(deployment("api"));
      const refused = await deployEnvironment(env.params(keepOne, "eeee555"));
      assert.equal(refused.status === "failed" && refused.phase, "prune");
      assert.match(refused.status === "failed" ? refused.reason : "", /refused to prune 2 of 3 objects \(67%, more than the 50% allowed\)/);
      const allowed = await deployEnvironment(env.params(keepOne, "eeee555", { pruneGuard: { maxShare: 0.7 } }));
      succeeded(allowed);
      assert.deepEqual(allowed.pruned.map((r) => r.kind).sort(), ["ConfigMap", "Secret"]);
    });
  });

  it("applies a Namespace, a CRD and its custom resource in one set, in order", async () => {
    const suffix = randomBytes(3).toString("hex");
    const group = `deploy${suffix}.slipway.dev`;
    const namespace = `deploy-new-${suffix}`;
    const { params } = await environment("deploy-crd");
    const crdName = `widgets.${group}`;
    cleanups.push(
      () => client.delete({ apiVersion: "v1", kind: "Namespace", name: namespace }, { dryRun: false }),
      () => client.delete({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name: crdName }, { dryRun: false }),
    );
    // Written in the wrong order on purpose: the custom resource first.
    const objects = manifests(
      { apiVersion: `${group}/v1`, kind: "Widget", metadata: { name: "gear", namespace }, spec: { size: 3 } },
      {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: crdName },
        spec: {
          group,
          scope: "Namespaced",
          names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
          versions: [
            {
              name: "v1",
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" } } } } } },
            },
          ],
        },
      },
      { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    );
    const progress: DeployProgress[] = [];
    const result = await deployEnvironment(params(objects, "ffff666", { onProgress: (p) => progress.push(p) }));
    succeeded(result);
    assert.deepEqual(
      result.applied.map((a) => a.ref.kind),
      ["Namespace", "CustomResourceDefinition", "Widget"],
    );
    const widget = await client.get({ apiVersion: `${group}/v1`, kind: "Widget", namespace, name: "gear" });
    assert.equal(widget.metadata.annotations?.[SOURCE_SHA_ANNOTATION], "ffff666");
    assert.deepEqual(
      progress.filter((p) => p.phase === "apply").map((p) => p.done),
      [1, 2, 3],
    );
  });

  it("fails health at the timeout with a sentence for people when a Deployment never becomes ready", async () => {
    const { params } = await environment("deploy-never-ready");
    const started = Date.now();
    const result = await deployEnvironment(
      params(manifests(deployment("stuck", { replicas: 2, annotations: { [FAIL_READINESS_ANNOTATION]: "true" } })), "abab777", { healthTimeoutMs: 8_000 }),
    );
    const elapsed = Date.now() - started;
    assert.equal(result.status, "failed");
    if (result.status !== "failed") return;
    assert.equal(result.phase, "health");
    assert.equal(result.object?.kind, "Deployment");
    assert.match(
      result.reason,
      /^Deployment deploy-never-ready-\w+\/stuck \(deploy\/deployment\.yaml:1\) is not healthy after 8 s: Waiting for rollout to finish: 0 of 2 new replicas available$/,
    );
    assert.equal(result.health?.timedOut, true);
    assert.ok(elapsed >= 8_000 && elapsed < 20_000, `ended after ${elapsed} ms`);
    assert.match(summarizeDeploy(result).headline, /^failed in health: .*; applied 1 object \(1 created\)$/);
  });

  it("ends the health wait early when a rollout is Degraded (past its progress deadline)", async () => {
    const { params } = await environment("deploy-degraded");
    const stuck = deployment("stuck", { annotations: { [FAIL_READINESS_ANNOTATION]: "true" } });
    (stuck.spec as Record<string, unknown>).progressDeadlineSeconds = 3;
    const started = Date.now();
    const result = await deployEnvironment(params(manifests(stuck), "cdcd000", { healthTimeoutMs: 60_000, degradedGraceMs: 0 }));
    assert.equal(result.status, "failed");
    if (result.status !== "failed") return;
    assert.equal(result.phase, "health");
    assert.match(result.reason, /^Deployment deploy-degraded-\w+\/stuck \(deploy\/deployment\.yaml:1\) is Degraded: Rollout exceeded its progress deadline/);
    assert.equal(result.health?.timedOut, false);
    assert.ok(Date.now() - started < 30_000, "well before the timeout");
  });

  it("stops when aborted, with the signal's reason rather than a failed result", async () => {
    const { params } = await environment("deploy-abort");
    const controller = new AbortController();
    const pending = deployEnvironment(
      params(manifests(deployment("slow", { annotations: { [FAIL_READINESS_ANNOTATION]: "true" } })), "efef111", {
        healthTimeoutMs: 60_000,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === "health") controller.abort(new Error("superseded by a newer push"));
        },
      }),
    );
    const started = Date.now();
    await assert.rejects(pending, /superseded by a newer push/);
    assert.ok(Date.now() - started < 5_000);
  });

  it("writes nothing in a dry run", async () => {
    const { ns, params } = await environment("deploy-dry-run");
    const result = await deployEnvironment(params(manifests(configMap("settings", { level: "info" }), deployment("api")), "dada888", { dryRun: true }));
    succeeded(result);
    assert.equal(result.dryRun, true);
    assert.deepEqual(
      result.applied.map((a) => a.change),
      ["created", "created"],
    );
    assert.equal(result.health, undefined);
    assert.equal(await exists({ apiVersion: "v1", kind: "ConfigMap", namespace: ns, name: "settings" }), false);
    assert.equal(await exists({ apiVersion: "apps/v1", kind: "Deployment", namespace: ns, name: "api" }), false);
    assert.match(summarizeDeploy(result).headline, /^dry run: would apply 2 objects \(2 created\)$/);
  });

  it("fails the apply at the object the cluster refuses, without its Secret values", async () => {
    const { params } = await environment("deploy-refused");
    const result = await deployEnvironment(
      params(
        manifests({ apiVersion: "v1", kind: "Secret", metadata: { name: "bad" }, type: "kubernetes.io/tls", stringData: { password: planted } }),
        "baba999",
      ),
    );
    assert.equal(result.status, "failed");
    if (result.status !== "failed") return;
    assert.equal(result.phase, "apply");
    assert.deepEqual(result.object && { kind: result.object.kind, name: result.object.name, file: result.object.file }, {
      kind: "Secret",
      name: "bad",
      file: "deploy/secret.yaml",
    });
    assert.ok(!JSON.stringify(result).includes(planted), result.reason);
  });
});
