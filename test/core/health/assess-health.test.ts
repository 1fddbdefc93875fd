import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";
import { assessHealth } from "../../../src/core/health/assess-health.js";
import { healthStatuses, isWorse, worstHealth, type HealthStatus } from "../../../src/core/health/health-status.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "health");

// One fixture per case (test/fixtures/health/<case>.yaml), one expected state and message each.
const cases: Array<[string, HealthStatus, string]> = [
  ["being-deleted", "Progressing", "Being deleted"],
  ["crd-established", "Healthy", "Established"],
  ["crd-names-not-accepted", "Degraded", 'Names not accepted: "widgets" is already in use'],
  ["daemonset-healthy", "Healthy", "5 of 5 pods available"],
  ["daemonset-updated-not-available", "Progressing", "Waiting for rollout to finish: 4 of 5 updated pods available"],
  ["daemonset-updating", "Progressing", "Waiting for rollout to finish: 2 of 5 new pods updated"],
  ["deployment-created-no-status", "Progressing", "Waiting for the controller to observe the new spec"],
  ["deployment-generation-not-observed", "Progressing", "Waiting for the controller to observe the new spec"],
  ["deployment-healthy", "Healthy", "3 of 3 replicas available"],
  ["deployment-new-replicas-available", "Progressing", "Waiting for rollout to finish: 2 of 3 new replicas available"],
  ["deployment-new-replicas-updated", "Progressing", "Waiting for rollout to finish: 1 of 3 new replicas updated"],
  ["deployment-old-replica-terminating", "Progressing", "Waiting for rollout to finish: 1 old replica pending termination"],
  ["deployment-paused", "Suspended", "Deployment is paused"],
  ["deployment-progress-deadline-exceeded", "Degraded", 'Rollout exceeded its progress deadline: ReplicaSet "api-7d9c" has timed out progressing.'],
  ["deployment-scaled-to-zero", "Healthy", "Scaled to 0 replicas"],
  ["generic-available-true", "Healthy", "Available: all checks passed"],
  ["generic-conditions-without-ready", "Healthy", "Exists"],
  ["generic-no-status", "Healthy", "Exists"],
  ["generic-ready-false-in-progress", "Progressing", "Not Ready yet: Issuing certificate as Secret does not exist"],
  ["generic-ready-false-not-observed", "Progressing", "Not Ready yet: old spec failed"],
  ["generic-ready-false", "Degraded", "Not Ready: The certificate request has failed to complete and will be retried"],
  ["generic-ready-true", "Healthy", "Ready: Certificate is up to date and has not expired"],
  ["generic-ready-unknown", "Progressing", "Waiting for Ready: Reconciling"],
  ["generic-stalled", "Degraded", "Stalled: issuerRef names no issuer"],
  ["job-complete", "Healthy", "Job completed"],
  ["job-failed", "Degraded", "Job failed: Job has reached the specified backoff limit"],
  ["job-running", "Progressing", "Waiting for the Job to complete: 1 pod active, 0 of 1 succeeded"],
  ["job-suspended", "Suspended", "Job is suspended"],
  ["pod-crash-loop-back-off", "Degraded", "Container worker: CrashLoopBackOff: back-off 2m40s restarting failed container=worker"],
  ["pod-failed", "Degraded", "Pod failed: The node was low on resource: memory."],
  ["pod-image-pull-back-off", "Degraded", 'Container worker: ImagePullBackOff: Back-off pulling image "worker:3.2"'],
  ["pod-running-not-ready", "Progressing", "Waiting for readiness: 0 of 1 container ready"],
  ["pod-running-ready", "Healthy", "Pod is running and ready"],
  ["pod-running-to-completion", "Progressing", "Pod is running until it completes"],
  ["pod-succeeded", "Healthy", "Pod completed"],
  ["pod-unschedulable", "Progressing", "Pending: 0/3 nodes are available: 3 Insufficient cpu."],
  ["pvc-bound", "Healthy", "Bound to pvc-0a1b"],
  ["pvc-lost", "Degraded", "Claim lost its volume"],
  ["pvc-pending", "Progressing", "Waiting for a volume to be bound"],
  ["replicaset-healthy", "Healthy", "2 of 2 replicas available"],
  ["replicaset-replica-failure", "Degraded", 'Cannot create pods: pods "api-7d9c-x" is forbidden: exceeded quota: compute'],
  ["service-cluster-ip", "Healthy", "Service exists"],
  ["service-load-balancer-assigned", "Healthy", "Load balancer at 203.0.113.10"],
  ["service-load-balancer-pending", "Progressing", "Waiting for the load balancer's address"],
  ["statefulset-healthy", "Healthy", "3 of 3 pods ready"],
  ["statefulset-on-delete", "Healthy", "3 pods ready (updates on delete)"],
  ["statefulset-partition-pending", "Progressing", "Waiting for partitioned rollout to finish: 0 of 2 new pods updated"],
  ["statefulset-pods-not-ready", "Progressing", "Waiting for pods to be ready: 1 of 3 pods ready"],
  ["statefulset-rolling-update", "Progressing", "Waiting for rolling update to finish: 1 of 3 pods updated"],
];

for (const [name, status, message] of cases) {
  test(`${name}: ${status}`, () => {
    const object = yaml.load(readFileSync(join(fixtures, `${name}.yaml`), "utf8")) as Record<string, unknown>;
    assert.deepEqual(assessHealth(object), { status, message });
  });
}

test("every fixture has a case and every case a fixture", () => {
  const files = readdirSync(fixtures)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
  assert.deepEqual(files, cases.map(([name]) => name).sort());
});

test("health states are ordered from Healthy to Degraded", () => {
  assert.deepEqual(healthStatuses, ["Healthy", "Suspended", "Progressing", "Unknown", "Missing", "Degraded"]);
  assert.equal(isWorse("Degraded", "Missing"), true);
  assert.equal(isWorse("Progressing", "Suspended"), true);
  assert.equal(isWorse("Healthy", "Healthy"), false);
  assert.equal(isWorse("Healthy", "Unknown"), false);
  assert.equal(worstHealth([]), "Healthy");
  assert.equal(worstHealth(["Healthy", "Progressing", "Suspended"]), "Progressing");
  assert.equal(worstHealth(["Missing", "Degraded", "Unknown"]), "Degraded");
});

test("rules never throw on odd shapes", () => {
  for (const kind of ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Pod", "PersistentVolumeClaim", "Service", "Widget"]) {
    const apiVersion = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(kind) ? "apps/v1" : kind === "Job" ? "batch/v1" : "v1";
    for (const status of [undefined, null, 7, "x", [], { conditions: "no" }, { conditions: [null, 1, { type: 3 }] }, { containerStatuses: [null] }]) {
      const result = assessHealth({ apiVersion, kind, metadata: { name: "x" }, spec: null, status });
      assert.ok(healthStatuses.includes(result.status), `${kind} ${JSON.stringify(status)}`);
    }
  }
});
