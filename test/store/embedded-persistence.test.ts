import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { claimJob } from "../../src/store/jobs/claim-job.js";
import { enqueueJob } from "../../src/store/jobs/enqueue-job.js";
import { listJobs } from "../../src/store/jobs/list-jobs.js";
import { openDatabase } from "../../src/store/open-database.js";
import { recordDelivery } from "../../src/store/record-delivery.js";

it("keeps the file-backed embedded store across close and reopen", async () => {
  const dir = await mkdtemp(join(tmpdir(), "slipway-persist-"));
  try {
    const first = await openDatabase(join(dir, "data"));
    await enqueueJob(first, { kind: "deploy", key: "env:acme/app/production", payload: { sha: "a1" } });
    await enqueueJob(first, { kind: "plan", key: "pr:acme/app#7", payload: { sha: "b2" } });
    await claimJob(first, { owner: "before-restart", leaseMs: 60_000 });
    await recordDelivery(first, { id: "delivery-1", event: "push" });
    await first.close();

    const second = await openDatabase(join(dir, "data"));
    try {
      const jobs = await listJobs(second);
      assert.deepEqual(
        jobs.map((job) => ({ kind: job.kind, status: job.status, payload: job.payload, owner: job.leaseOwner })),
        [
          { kind: "deploy", status: "running", payload: { sha: "a1" }, owner: "before-restart" },
          { kind: "plan", status: "queued", payload: { sha: "b2" }, owner: null },
        ],
      );
      assert.equal(await recordDelivery(second, { id: "delivery-1", event: "push" }), "duplicate");
      assert.equal((await claimJob(second, { owner: "after-restart", leaseMs: 60_000 }))?.kind, "plan");
    } finally {
      await second.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
