import assert from "node:assert/strict";
import { test } from "node:test";
import { normalizeObject } from "../../../src/core/plan/normalize-object.js";
import { deployment, liveOf } from "./plan-fixtures.js";

test("drops what the server owns and orders keys", () => {
  const live = liveOf(deployment("api"));
  (live.spec as Record<string, unknown>).template = {
    metadata: { creationTimestamp: null, labels: { app: "api" } },
    spec: { containers: [{ image: "nginx:1.27", name: "web" }] },
  };
  const normalized = normalizeObject(live);
  assert.deepEqual(Object.keys(normalized), ["apiVersion", "kind", "metadata", "spec"]);
  const metadata = normalized.metadata as Record<string, unknown>;
  assert.deepEqual(Object.keys(metadata), ["name", "namespace", "labels"], "uid, resourceVersion, generation, managedFields, timestamps and annotations gone");
  assert.equal(normalized.status, undefined);
  const template = (normalized.spec as { template: { metadata: Record<string, unknown>; spec: { containers: Record<string, unknown>[] } } }).template;
  assert.deepEqual(template.metadata, { labels: { app: "api" } });
  assert.deepEqual(Object.keys(template.spec.containers[0]), ["name", "image"], "name first");
  assert.deepEqual(Object.keys(normalized.spec as object), ["progressDeadlineSeconds", "replicas", "revisionHistoryLimit", "selector", "strategy", "template"]);
});

test("keeps annotations a user wrote, drops the server's and Slipway's source SHA", () => {
  const object = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: "c",
      annotations: {
        team: "shop",
        "kubectl.kubernetes.io/last-applied-configuration": "{}",
        "slipway.dev/source-sha": "abc",
        "deployment.kubernetes.io/revision": "4",
      },
    },
  };
  assert.deepEqual(normalizeObject(object).metadata, { name: "c", annotations: { team: "shop" } });
  const bare = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", annotations: { "slipway.dev/source-sha": "abc" }, labels: {} } };
  assert.deepEqual(normalizeObject(bare).metadata, { name: "c" });
});

test("two reads of the same object normalize to the same thing", () => {
  const a = liveOf(deployment("api"));
  const b = liveOf(deployment("api"));
  (b.metadata as Record<string, unknown>).resourceVersion = "1001";
  (b.metadata as Record<string, unknown>).generation = 9;
  b.status = { replicas: 7 };
  assert.deepEqual(normalizeObject(a), normalizeObject(b));
});
