import assert from "node:assert/strict";
import { test } from "node:test";
import { guardPrune } from "../../../src/core/deploy/guard-prune.js";

const n = (count: number) => Array.from({ length: count }, (_, i) => i);

test("nothing to delete, or a share within the bound, may go ahead", () => {
  assert.deepEqual(guardPrune({ toDelete: [], inventorySize: 0 }), { ok: true });
  assert.deepEqual(guardPrune({ toDelete: n(1), inventorySize: 2 }), { ok: true });
  assert.deepEqual(guardPrune({ toDelete: n(5), inventorySize: 10 }), { ok: true });
});

test("refuses deleting everything unless allowed", () => {
  assert.deepEqual(guardPrune({ toDelete: n(3), inventorySize: 3 }), {
    ok: false,
    reason: "refused to prune all 3 objects of the environment; if that is intended, allow it with allowPruneAll in .github/slipway.yml",
  });
  assert.equal(guardPrune({ toDelete: n(1), inventorySize: 1, maxShare: 1 }).ok, false, "a share of 1 still refuses everything");
  assert.deepEqual(guardPrune({ toDelete: n(3), inventorySize: 3, allowDeleteAll: true }), { ok: true });
});

test("refuses more than the share, 0.5 by default", () => {
  assert.deepEqual(guardPrune({ toDelete: n(6), inventorySize: 10 }), {
    ok: false,
    reason:
      "refused to prune 6 of 10 objects (60%, more than the 50% allowed); if that is intended, raise pruneMaxShare or set allowPruneAll in .github/slipway.yml",
  });
  assert.deepEqual(guardPrune({ toDelete: n(6), inventorySize: 10, maxShare: 0.6 }), { ok: true });
  assert.equal(guardPrune({ toDelete: n(2), inventorySize: 10, maxShare: 0.1 }).ok, false);
});
