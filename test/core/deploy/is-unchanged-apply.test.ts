import assert from "node:assert/strict";
import { test } from "node:test";
import { isUnchangedApply } from "../../../src/core/deploy/is-unchanged-apply.js";

const fields = { "f:data": { "f:level": {} }, "f:metadata": { "f:annotations": { "f:slipway.dev/source-sha": {} } } };
const live = () => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name: "settings",
    namespace: "shop",
    resourceVersion: "100",
    uid: "u1",
    annotations: { "slipway.dev/source-sha": "aaa" },
    managedFields: [{ manager: "slipway", operation: "Apply", apiVersion: "v1", time: "2026-01-01T00:00:00Z", fieldsV1: fields }],
  },
  data: { level: "info" },
});

test("the same object, however the server's fields differ, is unchanged", () => {
  const dryRun = live();
  dryRun.metadata.resourceVersion = "101";
  dryRun.metadata.managedFields[0].time = "2026-02-02T00:00:00Z";
  assert.equal(isUnchangedApply({ live: live(), dryRun, fieldManager: "slipway" }), true);
});

test("a changed value is a change", () => {
  const dryRun = live();
  dryRun.data.level = "debug";
  assert.equal(isUnchangedApply({ live: live(), dryRun, fieldManager: "slipway" }), false);
});

test("fields Slipway would take over or give up are a change, even with equal values", () => {
  const dryRun = live();
  dryRun.metadata.managedFields = [{ ...dryRun.metadata.managedFields[0], fieldsV1: { "f:data": {} } as typeof fields }];
  assert.equal(isUnchangedApply({ live: live(), dryRun, fieldManager: "slipway" }), false);
});
