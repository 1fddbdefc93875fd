import assert from "node:assert/strict";
import { it } from "node:test";
import { pruneDeliveries } from "../../src/store/prune-deliveries.js";
import { recordDelivery } from "../../src/store/record-delivery.js";
import { forEachBackend, useStore } from "./support/store-backends.js";

forEachBackend((backend) => {
  const store = useStore(backend);

  it("reports a delivery id the first time as new and after that as a duplicate", async () => {
    assert.equal(await recordDelivery(store.db, { id: "d-1", event: "push" }), "new");
    assert.equal(await recordDelivery(store.db, { id: "d-1", event: "push" }), "duplicate");
    assert.equal(await recordDelivery(store.db, { id: "d-2", event: "pull_request" }), "new");
    const rows = await store.db.query<{ id: string; event: string }>("SELECT id, event FROM webhook_deliveries ORDER BY id");
    assert.deepEqual(rows, [
      { id: "d-1", event: "push" },
      { id: "d-2", event: "pull_request" },
    ]);
  });

  it("lets exactly one of many simultaneous receipts of a delivery through", async () => {
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => recordDelivery(store.db, { id: "same", event: "push" })));
    assert.equal(outcomes.filter((outcome) => outcome === "new").length, 1);
    assert.equal(outcomes.filter((outcome) => outcome === "duplicate").length, 19);
  });

  it("forgets old delivery ids only", async () => {
    await recordDelivery(store.db, { id: "old", event: "push" });
    await store.db.query(`UPDATE webhook_deliveries SET received_at = now() - interval '8 days' WHERE id = 'old'`);
    await recordDelivery(store.db, { id: "recent", event: "push" });
    assert.equal(await pruneDeliveries(store.db, 7 * 24 * 3600 * 1000), 1);
    assert.equal(await recordDelivery(store.db, { id: "recent", event: "push" }), "duplicate");
    assert.equal(await recordDelivery(store.db, { id: "old", event: "push" }), "new");
  });
});
