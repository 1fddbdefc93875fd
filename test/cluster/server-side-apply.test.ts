import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ConflictError, InvalidError, NotFoundError } from "../../src/cluster/cluster-error.js";
import type { KubeObject } from "../../src/cluster/cluster-client.js";
import { createTestNamespace, testClusterClient, waitFor, type TestNamespace } from "../support/test-cluster.js";

function deployment(namespace: string, name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels: { "app.kubernetes.io/managed-by": "slipway", app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
      ...spec,
    },
  };
}

function configMap(namespace: string, name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace, labels }, data: { key: name } };
}

describe("server-side apply against the test cluster", () => {
  const client = testClusterClient();
  let ns: TestNamespace;

  before(async () => {
    ns = await createTestNamespace("apply");
  });
  after(() => ns.cleanup());

  it("dry run returns the object with server defaults and changes nothing", async () => {
    const preview = await client.apply(deployment(ns.name, "preview"), { dryRun: true });
    const spec = preview.spec as {
      revisionHistoryLimit?: number;
      progressDeadlineSeconds?: number;
      strategy?: { type?: string };
      template: { spec: { containers: { terminationMessagePath?: string; imagePullPolicy?: string }[]; restartPolicy?: string } };
    };
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.progressDeadlineSeconds, 600);
    assert.equal(spec.strategy?.type, "RollingUpdate");
    assert.equal(spec.template.spec.restartPolicy, "Always");
    assert.equal(spec.template.spec.containers[0].terminationMessagePath, "/dev/termination-log");
    assert.equal(spec.template.spec.containers[0].imagePullPolicy, "IfNotPresent");
    assert.ok(preview.metadata.uid, "the server filled in a uid");
    assert.equal((preview.metadata.managedFields as { manager: string }[])[0].manager, "slipway");

    await assert.rejects(client.get({ apiVersion: "apps/v1", kind: "Deployment", namespace: ns.name, name: "preview" }), NotFoundError);
  });

  it("applying the same object again is a no-op (resourceVersion unchanged)", async () => {
    // A ConfigMap has no controller writing its status, so only our writes move resourceVersion.
    const settings = configMap(ns.name, "settings", { tier: "web" });
    const first = await client.apply(settings, { dryRun: false });
    const second = await client.apply(settings, { dryRun: false });
    assert.ok(first.metadata.resourceVersion);
    assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.equal(
      (await client.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns.name, name: "settings" })).metadata.resourceVersion,
      first.metadata.resourceVersion,
    );

    const changed = await client.apply({ ...settings, data: { key: "other" } }, { dryRun: false });
    assert.notEqual(changed.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.deepEqual(changed.data, { key: "other" });
  });

  it("re-applying a Deployment leaves its spec generation and our managed fields untouched", async () => {
    // The deployment controller keeps writing status, so resourceVersion may move; the spec may not.
    const first = await client.apply(deployment(ns.name, "steady"), { dryRun: false });
    const ours = (o: KubeObject) => (o.metadata.managedFields as { manager: string; time: string }[]).find((m) => m.manager === "slipway");
    const second = await client.apply(deployment(ns.name, "steady"), { dryRun: false });
    assert.equal(second.metadata.generation, 1);
    assert.equal(second.metadata.uid, first.metadata.uid);
    assert.deepEqual(ours(second), ours(first));

    const changed = await client.apply(deployment(ns.name, "steady", { replicas: 2 }), { dryRun: false });
    assert.equal(changed.metadata.generation, 2);
    assert.equal((changed.spec as { replicas: number }).replicas, 2);
  });

  it("rejects an unknown field with an InvalidError naming its path (strict field validation)", async () => {
    await assert.rejects(client.apply(deployment(ns.name, "typo", { replicaz: 3 }), { dryRun: true }), (error) => {
      assert.ok(error instanceof InvalidError, `expected InvalidError, got ${String(error)}`);
      assert.deepEqual(
        error.fields.map((f) => f.field),
        ["spec.replicaz"],
      );
      assert.match(error.message, /Deployment .*\/typo/);
      return true;
    });
  });

  it("rejects an invalid value with an InvalidError naming its path", async () => {
    await assert.rejects(client.apply(deployment(ns.name, "negative", { replicas: -1 }), { dryRun: true }), (error) => {
      assert.ok(error instanceof InvalidError);
      assert.equal(error.status, 422);
      assert.deepEqual(
        error.fields.map((f) => f.field),
        ["spec.replicas"],
      );
      return true;
    });
    await assert.rejects(client.apply(deployment(ns.name, "wrong-type", { replicas: "three" }), { dryRun: true }), (error) => {
      assert.ok(error instanceof InvalidError, "a schema error is not retried as unavailable");
      assert.deepEqual(
        error.fields.map((f) => f.field),
        ["spec.replicas"],
      );
      return true;
    });
  });

  it("reports fields owned by another manager as a ConflictError, and force takes them over", async () => {
    const other = testClusterClient({ fieldManager: "someone-else" });
    await other.apply(deployment(ns.name, "contested", { replicas: 3 }), { dryRun: false });

    await assert.rejects(client.apply(deployment(ns.name, "contested", { replicas: 2 }), { dryRun: false }), (error) => {
      assert.ok(error instanceof ConflictError);
      assert.deepEqual(error.managers, ["someone-else"]);
      assert.ok(error.conflicts.some((c) => c.field === "spec.replicas"));
      return true;
    });

    const forcedPreview = await client.apply(deployment(ns.name, "contested", { replicas: 2 }), { dryRun: true, force: true });
    assert.equal((forcedPreview.spec as { replicas: number }).replicas, 2);
    const unchanged = await client.get({ apiVersion: "apps/v1", kind: "Deployment", namespace: ns.name, name: "contested" });
    assert.equal((unchanged.spec as { replicas: number }).replicas, 3, "a forced dry run changes nothing");

    const forced = await client.apply(deployment(ns.name, "contested", { replicas: 2 }), { dryRun: false, force: true });
    assert.equal((forced.spec as { replicas: number }).replicas, 2);
  });

  it("lists by label selector, with apiVersion and kind on every item", async () => {
    await client.apply(configMap(ns.name, "blue-a", { color: "blue" }), { dryRun: false });
    await client.apply(configMap(ns.name, "blue-b", { color: "blue" }), { dryRun: false });
    await client.apply(configMap(ns.name, "red", { color: "red" }), { dryRun: false });

    const blue = await client.list({ apiVersion: "v1", kind: "ConfigMap", namespace: ns.name, labelSelector: "color=blue", pageSize: 1 });
    assert.deepEqual(blue.map((o) => o.metadata.name).sort(), ["blue-a", "blue-b"]);
    assert.ok(blue.every((o) => o.apiVersion === "v1" && o.kind === "ConfigMap"));

    const everywhere = await client.list({ apiVersion: "v1", kind: "ConfigMap", labelSelector: "color=red" });
    assert.deepEqual(
      everywhere.filter((o) => o.metadata.namespace === ns.name).map((o) => o.metadata.name),
      ["red"],
    );
  });

  it("deletes with a dry run (nothing happens) and for real, and reports a missing object", async () => {
    await client.apply(configMap(ns.name, "doomed", { color: "grey" }), { dryRun: false });
    const ref = { apiVersion: "v1", kind: "ConfigMap", namespace: ns.name, name: "doomed" };

    await client.delete(ref, { dryRun: true, propagationPolicy: "Foreground" });
    assert.equal((await client.get(ref)).metadata.name, "doomed");

    await client.delete(ref, { dryRun: false, propagationPolicy: "Background" });
    await assert.rejects(client.get(ref), NotFoundError);
    await assert.rejects(client.delete(ref, { dryRun: false }), NotFoundError);
  });

  it("orphans dependents when asked to", async () => {
    await client.apply(deployment(ns.name, "parent"), { dryRun: false });
    const ref = { apiVersion: "apps/v1", kind: "Deployment", namespace: ns.name, name: "parent" };
    // Wait for the ReplicaSet the controller creates.
    let replicaSets: KubeObject[] = [];
    for (let i = 0; i < 100 && replicaSets.length === 0; i++) {
      replicaSets = await client.list({ apiVersion: "apps/v1", kind: "ReplicaSet", namespace: ns.name, labelSelector: "app=parent" });
      if (replicaSets.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(replicaSets.length, 1);

    await client.delete(ref, { dryRun: false, propagationPolicy: "Orphan" });
    // The garbage collector orphans the ReplicaSet, then removes the Deployment's finalizer.
    await waitFor("the orphaning delete to finish", () =>
      client.get(ref).then(
        () => false,
        (error) => error instanceof NotFoundError,
      ),
    );
    const kept = await client.get({ apiVersion: "apps/v1", kind: "ReplicaSet", namespace: ns.name, name: replicaSets[0].metadata.name! });
    assert.equal(kept.metadata.uid, replicaSets[0].metadata.uid);
  });

  it("never echoes Secret data in an error", async () => {
    const secretValue = "hunter2-very-secret";
    const secret: KubeObject = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "creds", namespace: ns.name },
      // An invalid key makes the server quote the key; the value must not appear either way.
      stringData: { [`bad key ${secretValue}`]: secretValue },
    };
    await assert.rejects(client.apply(secret, { dryRun: true }), (error) => {
      assert.ok(error instanceof InvalidError);
      assert.ok(!error.message.includes(secretValue), error.message);
      assert.ok(!error.message.includes(Buffer.from(secretValue).toString("base64")), error.message);
      assert.ok(error.fields.length > 0);
      for (const field of error.fields) {
        assert.ok(!field.message.includes(secretValue) && !field.field.includes(secretValue), JSON.stringify(field));
      }
      return true;
    });
  });
});
