import assert from "node:assert/strict";
import { test } from "node:test";
import { diffBounds, renderObjectDiff } from "../../../src/core/plan/render-object-diff.js";

const labels = { beforeLabel: "base", afterLabel: "head" };
const configMap = (lines: number, value: (i: number) => string) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "big" },
  data: Object.fromEntries(Array.from({ length: lines }, (_, i) => [`key-${i}`, value(i)])),
});

test("a creation is every line added, in GNU diff's form", () => {
  assert.equal(
    renderObjectDiff(undefined, { kind: "ConfigMap", data: { a: "1" } }, labels),
    "--- base\n+++ head\n@@ -0,0 +1,3 @@\n+kind: ConfigMap\n+data:\n+  a: '1'",
  );
  assert.equal(renderObjectDiff({ kind: "ConfigMap" }, undefined, labels), "--- base\n+++ head\n@@ -1 +0,0 @@\n-kind: ConfigMap");
});

test("an object of 760,000 lines is too large to show, and says so at once", () => {
  const huge = { kind: "List", items: Array.from({ length: 760_000 }, (_, i) => ({ name: `item-${i}` })) };
  const started = process.cpuUsage();
  const diff = renderObjectDiff(undefined, huge, labels);
  assert.equal(diff, `--- base\n+++ head\n# diff too large to show: more than ${diffBounds.maxLines} lines of YAML`);
  assert.ok(cpuMs(started) < 1_000);
});

test("two objects that differ on every one of 4,000 lines stop at the changed-line bound, well under a second", () => {
  const before = configMap(4_000, (i) => `old ${i}`);
  const after = configMap(4_000, (i) => `new ${i}`);
  const started = process.cpuUsage();
  const diff = renderObjectDiff(before, after, labels);
  const elapsed = cpuMs(started);
  assert.equal(diff, `--- base\n+++ head\n# diff too large to show: more than ${diffBounds.maxChangedLines} changed lines`);
  assert.ok(elapsed < 1_000, `took ${Math.round(elapsed)} ms`);
});

test("a long object with a few changes still gets its diff", () => {
  const before = configMap(4_000, (i) => `v ${i}`);
  const after = configMap(4_000, (i) => (i === 2_000 ? "changed" : `v ${i}`));
  assert.equal(
    renderObjectDiff(before, after, labels),
    "--- base\n+++ head\n@@ -2003,7 +2003,7 @@\n   key-1997: v 1997\n   key-1998: v 1998\n   key-1999: v 1999\n-  key-2000: v 2000\n+  key-2000: changed\n   key-2001: v 2001\n   key-2002: v 2002\n   key-2003: v 2003",
  );
});

/** CPU time since `started`, in ms: steadier than the wall clock on a busy machine. */
function cpuMs(started: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1_000;
}
