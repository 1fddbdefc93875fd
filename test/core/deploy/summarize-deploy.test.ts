import assert from "node:assert/strict";
import { test } from "node:test";
import type { DeployResult } from "../../../src/core/deploy/deploy-result.js";
import { summarizeDeploy } from "../../../src/core/deploy/summarize-deploy.js";

const ref = (kind: string, name: string) => ({ apiVersion: "v1", kind, name, namespace: "shop", file: "deploy/app.yaml", line: 3 });
const healthy = (refs: ReturnType<typeof ref>[]) => ({
  status: "Healthy" as const,
  objects: refs.map((r) => ({ ref: r, status: "Healthy" as const, message: "ok" })),
  waitedMs: 10,
  timedOut: false,
});

test("a deploy with changes", () => {
  const unchanged = Array.from({ length: 9 }, (_, i) => ref("ConfigMap", `c${i}`));
  const result: DeployResult = {
    status: "succeeded",
    dryRun: false,
    applied: [
      { ref: ref("Deployment", "api"), change: "changed" },
      { ref: ref("ConfigMap", "new"), change: "created" },
      { ref: ref("Service", "api"), change: "changed" },
    ],
    unchanged,
    pruned: [ref("ConfigMap", "old")],
    health: healthy(unchanged),
    durationMs: 1200,
  };
  const summary = summarizeDeploy(result);
  assert.equal(summary.headline, "applied 12 objects (1 created, 2 changed), pruned 1, all healthy");
  assert.deepEqual(summary.counts, { objects: 12, created: 1, changed: 2, unchanged: 9, pruned: 1 });
  assert.deepEqual(summary.problems, []);
});

test("nothing to change", () => {
  const unchanged = [ref("ConfigMap", "a"), ref("Deployment", "b")];
  const summary = summarizeDeploy({ status: "succeeded", dryRun: false, applied: [], unchanged, pruned: [], health: healthy(unchanged), durationMs: 80 });
  assert.equal(summary.headline, "nothing to change: 2 objects already as in Git, all healthy");
});

test("a dry run says what it would do", () => {
  const summary = summarizeDeploy({
    status: "succeeded",
    dryRun: true,
    applied: [{ ref: ref("ConfigMap", "a"), change: "created" }],
    unchanged: [],
    pruned: [ref("ConfigMap", "b")],
    durationMs: 5,
  });
  assert.equal(summary.headline, "dry run: would apply 1 object (1 created), would prune 1");
});

test("a failed health wait names the object and what was applied", () => {
  const api = ref("Deployment", "api");
  const summary = summarizeDeploy({
    status: "failed",
    phase: "health",
    dryRun: false,
    object: api,
    reason: "Deployment shop/api (deploy/app.yaml:3) is not healthy after 8 s: Waiting for rollout to finish: 0 of 2 new replicas available",
    failures: [{ ref: api, reason: "..." }],
    applied: [{ ref: api, change: "changed" }],
    unchanged: [],
    pruned: [],
    health: {
      status: "Progressing",
      objects: [{ ref: api, status: "Progressing", message: "Waiting for rollout to finish: 0 of 2 new replicas available" }],
      waitedMs: 8000,
      timedOut: true,
    },
    durationMs: 8100,
  });
  assert.equal(
    summary.headline,
    "failed in health: Deployment shop/api (deploy/app.yaml:3) is not healthy after 8 s: Waiting for rollout to finish: 0 of 2 new replicas available; applied 1 object (1 changed)",
  );
  assert.equal(summary.failedPhase, "health");
  assert.deepEqual(
    summary.problems.map((p) => p.status),
    [undefined, "Progressing"],
  );
});

test("a failed apply says what was applied before it", () => {
  const summary = summarizeDeploy({
    status: "failed",
    phase: "apply",
    dryRun: false,
    reason: 'v1 Service shop/api: Service "api" is invalid',
    failures: [{ ref: ref("Service", "api"), reason: 'v1 Service shop/api: Service "api" is invalid' }],
    applied: [{ ref: ref("ConfigMap", "a"), change: "created" }],
    unchanged: [],
    pruned: [],
    durationMs: 30,
  });
  assert.equal(summary.headline, 'failed in apply: v1 Service shop/api: Service "api" is invalid; applied 1 object (1 created) before that');
});
