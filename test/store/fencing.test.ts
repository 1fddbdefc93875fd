import assert from "node:assert/strict";
import { once } from "node:events";
import { it } from "node:test";
import type { Database } from "../../src/store/database.js";
import { insertDeployment, listDeployments, updateDeployment } from "../../src/store/deployments/deployment-history.js";
import { clearEnvironmentPin, getEnvironmentPin, setEnvironmentPin } from "../../src/store/environments/environment-pins.js";
import { claimJob } from "../../src/store/jobs/claim-job.js";
import { createJobWorker, type JobHandler, type JobWorker, type WorkerLog } from "../../src/store/jobs/create-job-worker.js";
import { enqueueJob } from "../../src/store/jobs/enqueue-job.js";
import { getJob } from "../../src/store/jobs/get-job.js";
import type { Job } from "../../src/store/jobs/job.js";
import type { JobFence, JobLease } from "../../src/store/jobs/job-lease.js";
import { LeaseLostError } from "../../src/store/jobs/lease-lost-error.js";
import { renewLease } from "../../src/store/jobs/renew-lease.js";
import { forEachBackend, sleep, useStore } from "./support/store-backends.js";

// A job that can no longer be sure of its lease stops before its next write, and the store refuses
// the writes of a claim that another replica has since taken over.

const fenceOf = (job: Job | null): JobFence => {
  assert.ok(job, "a job was claimed");
  return { jobId: job.id, fencingToken: job.fencingToken };
};

const quiet: WorkerLog & { warnings: string[] } = {
  warnings: [],
  debug() {},
  info() {},
  warn(_details, message) {
    this.warnings.push(message);
  },
  error() {},
};

/** A renewer the test holds: while paused, renewals wait (a replica stalled or cut off). */
function pausableRenewer(db: Database) {
  let gate: Promise<void> | null = null;
  let open = () => {};
  return {
    renew: async (fence: JobFence, leaseMs: number) => {
      if (gate) await gate;
      return renewLease(db, fence, leaseMs);
    },
    pause() {
      gate = new Promise((resolve) => (open = resolve));
    },
    resume() {
      gate = null;
      open();
    },
  };
}

/** Runs a job whose handler hands its lease to the test and waits until the lease is lost. */
function startHolding(db: Database, renew: (fence: JobFence, leaseMs: number) => Promise<boolean>, leaseMs: number) {
  let received!: (lease: JobLease) => void;
  const lease = new Promise<JobLease>((resolve) => (received = resolve));
  const handler: JobHandler = async (_job, context) => {
    received(context.lease);
    await once(context.lease.signal, "abort");
    throw context.lease.signal.reason;
  };
  const worker: JobWorker = createJobWorker({ db, owner: "stalled", handlers: { deploy: handler }, leaseMs, pollMs: 20, renewLease: renew, log: quiet });
  worker.start();
  return { lease, worker };
}

forEachBackend((backend) => {
  const store = useStore(backend);

  it("refuses history and pin writes from a claim that was taken over", async () => {
    const env = "acme/app/production";
    const { job } = await enqueueJob(store.db, { kind: "deploy", key: `env:${env}` });
    const stale = fenceOf(await claimJob(store.db, { owner: "stalled", leaseMs: 60_000 }));
    const started = await insertDeployment(store.db, { environmentKey: env, sha: "a1", kind: "deploy", status: "in_progress" }, stale);
    await setEnvironmentPin(store.db, { environmentKey: env, sha: "a0", pinnedBy: "slipway" }, stale);
    // The stalled replica's lease runs out, and another takes the job over.
    await store.db.query(`UPDATE jobs SET lease_expires_at = now() WHERE id = $1`, [job.id]);
    const current = fenceOf(await claimJob(store.db, { owner: "other", leaseMs: 60_000 }));
    assert.equal(current.jobId, job.id);
    assert.equal(current.fencingToken, stale.fencingToken + 1);

    await assert.rejects(updateDeployment(store.db, started.id, { status: "succeeded", finished: true }, stale), LeaseLostError);
    await assert.rejects(insertDeployment(store.db, { environmentKey: env, sha: "a1", kind: "rollback" }, stale), LeaseLostError);
    await assert.rejects(setEnvironmentPin(store.db, { environmentKey: env, sha: "b2", pinnedBy: "slipway" }, stale), LeaseLostError);
    await assert.rejects(clearEnvironmentPin(store.db, env, stale), LeaseLostError);
    assert.deepEqual(
      (await listDeployments(store.db, env)).map((d) => [d.sha, d.status]),
      [["a1", "in_progress"]],
    );
    assert.equal((await getEnvironmentPin(store.db, env))?.sha, "a0");

    // The claim that holds the job writes as usual.
    assert.equal((await updateDeployment(store.db, started.id, { status: "failed", finished: true }, current))?.status, "failed");
    assert.equal(await clearEnvironmentPin(store.db, env, current), true);
  });

  it("does not renew a lease that expired, even when nobody took the job yet", async () => {
    await enqueueJob(store.db, { kind: "deploy", key: "env:prod" });
    const fence = fenceOf(await claimJob(store.db, { owner: "stalled", leaseMs: 80 }));
    assert.equal(await renewLease(store.db, fence, 80), true);
    await sleep(150);
    assert.equal(await renewLease(store.db, fence, 60_000), false);
  });

  it("aborts the job when a renewal finds the job taken over, and its late writes are refused", async () => {
    const { job } = await enqueueJob(store.db, { kind: "deploy", key: "env:prod" });
    const renewer = pausableRenewer(store.db);
    const holding = startHolding(store.db, renewer.renew, 1_000);
    try {
      const lease = await holding.lease;
      renewer.pause();
      // The renewal timer would give up on its own at the lease's end; take the job over just before
      // by expiring the lease in the store, as a slow clock or a long pause would.
      await store.db.query(`UPDATE jobs SET lease_expires_at = now() WHERE id = $1`, [job.id]);
      const thief = await claimJob(store.db, { owner: "thief", leaseMs: 60_000 });
      assert.equal(thief?.id, job.id);
      assert.equal(lease.signal.aborted, false, "paused: the stalled replica does not know yet");

      // Its writes are refused by the store before it finds out.
      await assert.rejects(insertDeployment(store.db, { environmentKey: "acme/app/prod", sha: "a1", kind: "deploy" }, lease), LeaseLostError);
      renewer.resume();
      await once(lease.signal, "abort");
      assert.ok(lease.signal.reason instanceof LeaseLostError, String(lease.signal.reason));
      await assert.rejects(lease.assertHeld(), LeaseLostError);
      await holding.worker.stop();
      assert.ok(quiet.warnings.includes("Job failed after its lease was taken over; its result was not recorded"), quiet.warnings.join(" | "));
      const after = await getJob(store.db, job.id);
      assert.deepEqual(
        { status: after?.status, owner: after?.leaseOwner, token: after?.fencingToken },
        { status: "running", owner: "thief", token: 2 },
        "the stalled replica records nothing",
      );
    } finally {
      renewer.resume();
      await store.db.query(`UPDATE jobs SET status = 'succeeded' WHERE id = $1`, [job.id]);
      await holding.worker.stop();
    }
  });

  it("aborts the job before its lease ends when renewals keep failing or hang", async () => {
    for (const renew of [
      async () => {
        throw new Error("connect ECONNREFUSED");
      },
      () => new Promise<boolean>(() => {}),
    ]) {
      await store.db.query("TRUNCATE jobs RESTART IDENTITY");
      const { job } = await enqueueJob(store.db, { kind: "deploy", key: "env:prod" });
      const holding = startHolding(store.db, renew, 300);
      try {
        const lease = await holding.lease;
        await once(lease.signal, "abort");
        assert.ok(lease.signal.reason instanceof LeaseLostError);
        // Stopped while the store still shows the lease as this replica's: nobody else has started.
        const row = await getJob(store.db, job.id);
        assert.equal(row?.leaseOwner, "stalled");
        assert.equal(row?.fencingToken, 1);
      } finally {
        await holding.worker.stop();
      }
    }
  });

  it("assertHeld() confirms a live lease with the store", async () => {
    const { job } = await enqueueJob(store.db, { kind: "deploy", key: "env:prod" });
    const holding = startHolding(store.db, (fence, ms) => renewLease(store.db, fence, ms), 300);
    try {
      const lease = await holding.lease;
      await lease.assertHeld();
      assert.deepEqual({ jobId: lease.jobId, fencingToken: lease.fencingToken }, { jobId: job.id, fencingToken: 1 });
      // Another replica finishing the job (e.g. after a takeover) ends this claim's lease.
      await store.db.query(`UPDATE jobs SET fencing_token = fencing_token + 1 WHERE id = $1`, [job.id]);
      await assert.rejects(lease.assertHeld(), LeaseLostError);
      assert.equal(lease.signal.aborted, true);
    } finally {
      await store.db.query(`UPDATE jobs SET status = 'succeeded' WHERE id = $1`, [job.id]);
      await holding.worker.stop();
    }
  });
});
