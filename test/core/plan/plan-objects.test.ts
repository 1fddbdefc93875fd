import assert from "node:assert/strict";
import { test } from "node:test";
import { planObjects } from "../../../src/core/plan/plan-objects.js";
import { withSlipwayMetadata } from "../../../src/core/plan/with-slipway-metadata.js";
import { configMap, deployment, desired, environmentId, liveOf } from "./plan-fixtures.js";

test("classifies create, update, unchanged and, with prune, delete", () => {
  const plan = planObjects({
    environment: "prod",
    environmentId,
    prune: true,
    desired: [
      desired(deployment("api", { replicas: 3 }), "deploy/api.yaml", 1, true),
      desired(configMap("settings", { mode: "fast" }), "deploy/config.yaml", 1, true),
      desired(configMap("fresh", { a: "1" }), "deploy/config.yaml", 8),
    ],
    live: [liveOf(deployment("api", { replicas: 2 })), liveOf(configMap("settings", { mode: "fast" })), liveOf(configMap("gone", { a: "b" }))],
  });
  const byName = Object.fromEntries(plan.objects.map((o) => [o.ref.name, o]));
  assert.equal(byName.api.action, "update");
  assert.match(byName.api.diff, /^-  replicas: 2$/m);
  assert.match(byName.api.diff, /^\+  replicas: 3$/m);
  assert.doesNotMatch(byName.api.diff, /resourceVersion|uid|managedFields|status|source-sha|last-applied/);
  assert.equal(byName.settings.action, "unchanged");
  assert.equal(byName.settings.diff, "");
  assert.equal(byName.fresh.action, "create");
  assert.match(byName.fresh.diff, /^\+  name: fresh$/m);
  assert.equal(byName.gone.action, "delete");
  assert.equal(byName.gone.file, undefined);
  assert.deepEqual(plan.counts, { create: 1, update: 1, delete: 1, unchanged: 1, rejected: 0 });
  assert.deepEqual(
    plan.objects.map((o) => o.ref.name),
    ["fresh", "settings", "api", "gone"],
    "apply order, deletions last",
  );
});

test("without prune, labelled live objects missing from Git are kept, not deleted", () => {
  const plan = planObjects({ environmentId, prune: false, desired: [], live: [liveOf(configMap("gone", { a: "b" }))] });
  assert.equal(plan.objects.length, 0);
  assert.deepEqual(plan.kept, [{ apiVersion: "v1", kind: "ConfigMap", name: "gone", namespace: "web" }]);
});

test("live objects of other environments or not Slipway's are never deleted", () => {
  const foreign = liveOf(configMap("other-env", { a: "b" }));
  ((foreign.metadata as Record<string, unknown>).labels as Record<string, string>)["slipway.dev/environment"] = "acme.shop.staging";
  const unlabelled = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "manual", namespace: "web" }, data: {} };
  const plan = planObjects({ environmentId, prune: true, desired: [], live: [foreign, unlabelled] });
  assert.equal(plan.objects.length, 0);
  assert.equal(plan.kept.length, 0);
});

test("an object that exists without Slipway's labels is never shown by value, and fails the plan unless adopt is on", () => {
  const manual = {
    ...configMap("aws-auth", { mapRoles: "arn:aws:iam::planted-live-value" }),
    metadata: { name: "aws-auth", namespace: "web", uid: "x", resourceVersion: "5" },
  };
  const wanted = desired(configMap("aws-auth", { mapRoles: "attacker" }), "c.yaml", 1, true);
  // The dry run's answer merges the live object: it must not leak either.
  ((wanted.dryRun as { object: Record<string, unknown> }).object.data as Record<string, string>).other = "planted-merged-value";
  const plan = planObjects({ environmentId, prune: true, desired: [wanted], live: [manual] });
  assert.equal(plan.objects[0].action, "update");
  assert.equal(plan.objects[0].diff, "");
  assert.deepEqual(plan.objects[0].rejection, {
    reason: "not-owned",
    message: "exists, not managed by this environment (it has no Slipway labels); set `adopt: true` on the environment in .github/slipway.yml to take it over",
    fields: [],
  });
  assert.doesNotMatch(JSON.stringify(plan), /planted/);
  assert.equal(plan.counts.rejected, 1);

  const adopted = planObjects({
    environmentId,
    prune: true,
    adopt: true,
    desired: [desired(configMap("manual", { a: "b" }), "c.yaml", 1, true)],
    live: [{ ...configMap("manual", { a: "b" }), metadata: { name: "manual", namespace: "web", uid: "x", resourceVersion: "5" } }],
  });
  assert.equal(adopted.objects[0].action, "update");
  assert.match(adopted.objects[0].diff, /^\+    app.kubernetes.io\/managed-by: slipway$/m);
  assert.deepEqual(adopted.objects[0].notes, ["exists in the cluster without Slipway's labels; applying adopts it (`adopt: true`)"]);
});

test("another environment's object is never taken over, even with adopt, and names its owner", () => {
  const theirs = liveOf(configMap("shared", { token: "planted-other-env-value" }), "acme.billing.prod");
  const plan = planObjects({
    environmentId,
    prune: true,
    adopt: true,
    desired: [desired(configMap("shared", { token: "mine" }), "c.yaml", 3, true)],
    live: [theirs],
  });
  assert.equal(plan.objects[0].rejection?.reason, "not-owned");
  assert.equal(
    plan.objects[0].rejection?.message,
    "exists, not managed by this environment: it belongs to Slipway environment acme.billing.prod, and another environment's object is never taken over",
  );
  assert.equal(plan.objects[0].diff, "");
  assert.doesNotMatch(JSON.stringify(plan), /planted/);
});

test("a rejection keeps its intended action and points at the field's line", () => {
  const object = withSlipwayMetadata(deployment("api"), { environmentId });
  const plan = planObjects({
    environmentId,
    prune: false,
    desired: [
      {
        object,
        file: "deploy/api.yaml",
        line: 3,
        lineOf: (path) => (path.join(".") === "spec.replicas" ? 9 : 3),
        dryRun: {
          status: "rejected",
          rejection: {
            reason: "invalid",
            message: 'Deployment.apps "api" is invalid: spec.replicas: Invalid value: -1',
            fields: [{ field: "spec.replicas", message: "must be >= 0" }],
          },
        },
      },
    ],
    live: [],
  });
  assert.equal(plan.objects[0].action, "create");
  assert.equal(plan.objects[0].rejection?.line, 9);
  assert.deepEqual(plan.counts, { create: 0, update: 0, delete: 0, unchanged: 0, rejected: 1 });
});

test("the same object twice is a duplicate rejection", () => {
  const plan = planObjects({
    environmentId,
    prune: false,
    desired: [desired(configMap("c", {}), "a.yaml", 1), desired(configMap("c", {}), "b.yaml", 4)],
    live: [],
  });
  assert.equal(plan.objects[1].rejection?.reason, "duplicate");
  assert.match(plan.objects[1].rejection!.message, /also defined at a\.yaml:1/);
});

test("one object across versions of its group is paired", () => {
  const live = liveOf({ ...deployment("api"), apiVersion: "apps/v1beta2" });
  const plan = planObjects({ environmentId, prune: true, desired: [desired(deployment("api"), "a.yaml", 1, true)], live: [live] });
  assert.equal(plan.objects.length, 1);
  assert.equal(plan.objects[0].action, "update", "apiVersion differs in the diff, but it is one object, not a create and a delete");
});
