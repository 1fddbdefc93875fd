import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KubeObject } from "../../src/cluster/cluster-client.js";
import { createTestNamespace, FAIL_READINESS_ANNOTATION, testClusterClient, waitFor, type TestNamespace } from "../support/test-cluster.js";

interface Condition {
  type: string;
  status: string;
  reason?: string;
}
interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  conditions?: Condition[];
}

function deployment(namespace: string, name: string, options: { image?: string; annotations?: Record<string, string>; replicas?: number } = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: {
      replicas: options.replicas ?? 2,
      // Short, so a failed rollout is reported as failed within the test.
      progressDeadlineSeconds: 8,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, ...(options.annotations ? { annotations: options.annotations } : {}) },
        spec: { containers: [{ name: "web", image: options.image ?? "nginx:1.27" }] },
      },
    },
  };
}

function condition(status: DeploymentStatus, type: string): Condition | undefined {
  return status.conditions?.find((c) => c.type === type);
}

describe("rollouts on kwok nodes", () => {
  const client = testClusterClient();
  let ns: TestNamespace;

  before(async () => {
    ns = await createTestNamespace("rollout");
  });
  after(() => ns.cleanup());

  async function status(name: string): Promise<DeploymentStatus> {
    const live = await client.get({ apiVersion: "apps/v1", kind: "Deployment", namespace: ns.name, name });
    return (live.status ?? {}) as DeploymentStatus;
  }

  async function pods(app: string): Promise<KubeObject[]> {
    return client.list({ apiVersion: "v1", kind: "Pod", namespace: ns.name, labelSelector: `app=${app}` });
  }

  it("a Deployment schedules Running, Ready pods and becomes Available", async () => {
    await client.apply(deployment(ns.name, "healthy"), { dryRun: false });
    const available = await waitFor("Deployment healthy to become Available", async () => {
      const s = await status("healthy");
      return condition(s, "Available")?.status === "True" && s.readyReplicas === 2 ? s : undefined;
    });
    assert.equal(available.availableReplicas, 2);

    const running = await pods("healthy");
    assert.equal(running.length, 2);
    for (const pod of running) {
      const podStatus = pod.status as { phase?: string; conditions?: Condition[] };
      assert.equal(podStatus.phase, "Running");
      assert.equal(podStatus.conditions?.find((c) => c.type === "Ready")?.status, "True");
      assert.match(String((pod.spec as { nodeName?: string }).nodeName), /^slipway-kwok-/, "scheduled onto a kwok node");
    }
  });

  it(`a rollout of pods annotated ${FAIL_READINESS_ANNOTATION} stays un-ready and misses its deadline`, async () => {
    await client.apply(deployment(ns.name, "broken", { annotations: { [FAIL_READINESS_ANNOTATION]: "true" } }), { dryRun: false });
    const failed = await waitFor(
      "Deployment broken to exceed its progress deadline",
      async () => {
        const s = await status("broken");
        return condition(s, "Progressing")?.reason === "ProgressDeadlineExceeded" ? s : undefined;
      },
      { timeoutMs: 40_000 },
    );
    assert.equal(condition(failed, "Available")?.status, "False");
    assert.equal(failed.readyReplicas ?? 0, 0);

    const stuck = await pods("broken");
    assert.equal(stuck.length, 2);
    for (const pod of stuck) {
      const podStatus = pod.status as { phase?: string; conditions?: Condition[] };
      assert.equal(podStatus.phase, "Running", "the pods run: only readiness fails");
      assert.equal(podStatus.conditions?.find((c) => c.type === "Ready")?.status, "False");
    }
  });

  it("an update to an image tagged :never-ready stalls while the old pods keep serving", async () => {
    await client.apply(deployment(ns.name, "upgrade", { replicas: 1 }), { dryRun: false });
    await waitFor("Deployment upgrade to become Available", async () => condition(await status("upgrade"), "Available")?.status === "True");

    const updated = await client.apply(deployment(ns.name, "upgrade", { replicas: 1, image: "nginx:never-ready" }), { dryRun: false });
    const stalled = await waitFor(
      "the upgrade to exceed its progress deadline",
      async () => {
        const s = await status("upgrade");
        return s.observedGeneration === updated.metadata.generation && condition(s, "Progressing")?.reason === "ProgressDeadlineExceeded" ? s : undefined;
      },
      { timeoutMs: 40_000 },
    );
    // The old ReplicaSet's pod is still Ready, so the Deployment stays Available: a stuck rollout.
    assert.equal(condition(stalled, "Available")?.status, "True");
    assert.equal(stalled.updatedReplicas, 1);
    const images = (await pods("upgrade")).map((pod) => {
      const ready = (pod.status as { conditions?: Condition[] }).conditions?.find((c) => c.type === "Ready")?.status;
      return `${(pod.spec as { containers: { image: string }[] }).containers[0].image}=${ready}`;
    });
    assert.deepEqual(images.sort(), ["nginx:1.27=True", "nginx:never-ready=False"]);
  });
});
