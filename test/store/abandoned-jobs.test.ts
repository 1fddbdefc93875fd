import assert from "node:assert/strict";
import { it } from "node:test";
import { claimJob } from "../../src/store/jobs/claim-job.js";
import { createJobWorker, type JobFailure } from "../../src/store/jobs/create-job-worker.js";
import { enqueueJob } from "../../src/store/jobs/enqueue-job.js";
import { getJob } from "../../src/store/jobs/get-job.js";
import type { Job, JobPayload } from "../../src/store/jobs/job.js";
import { forEachBackend, sleep, useStore } from "./support/store-backends.js";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

forEachBackend((backend) => {
  const store = useStore(backend);

  it("a job whose replica died on its last attempt fails and is reported once", async () => {
    const { job } = await enqueueJob(store.db, { kind: "deploy", key: "env:a/b/staging", payload: { sha: "abc" }, maxAttempts: 1 });
    // A replica takes it with a short lease and is never heard from again.
    const claimed = await claimJob(store.db, { owner: "dead-replica", leaseMs: 50 });
    assert.equal(claimed?.id, job.id);
    await sleep(120);

    const reported: Array<{ job: Job; failure: JobFailure }> = [];
    const ran: number[] = [];
    const worker = createJobWorker<{ deploy: JobPayload }>({
      db: store.db,
      owner: "live-replica",
      pollMs: 20,
      log: quiet,
      handlers: { deploy: async (j) => (ran.push(j.id), { status: "done" }) },
      onFailed: async (failedJob, failure) => {
        reported.push({ job: failedJob, failure });
      },
    });
    worker.start();
    await worker.drain();
    await worker.stop();

    assert.deepEqual(ran, [], "its attempts are used up: it does not run again");
    assert.equal(reported.length, 1);
    assert.equal(reported[0]!.job.id, job.id);
    assert.match(reported[0]!.failure.reason, /stopped answering on attempt 1 of 1/);
    assert.equal((await getJob(store.db, job.id))?.status, "failed");
  });
});
