import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { claimJob } from "../../src/store/jobs/claim-job.js";
import { cancelQueuedJobs } from "../../src/store/jobs/cancel-queued-jobs.js";
import { completeJob } from "../../src/store/jobs/complete-job.js";
import { enqueueJob } from "../../src/store/jobs/enqueue-job.js";
import { failJob } from "../../src/store/jobs/fail-job.js";
import { getJob } from "../../src/store/jobs/get-job.js";
import type { Job } from "../../src/store/jobs/job.js";
import { listJobs } from "../../src/store/jobs/list-jobs.js";
import { renewLease } from "../../src/store/jobs/renew-lease.js";
import { retryDelay } from "../../src/store/jobs/retry-delay.js";
import { forEachBackend, sleep, useStore } from "./support/store-backends.js";

const lease = { leaseMs: 60_000 };

const fenceOf = (job: Job | null) => {
  assert.ok(job, "a job was claimed");
  return { jobId: job.id, fencingToken: job.fencingToken };
};

async function enqueued(result: ReturnType<typeof enqueueJob>): Promise<Job> {
  const outcome = await result;
  assert.equal(outcome.status, "enqueued");
  return outcome.job;
}

describe("retryDelay", () => {
  it("doubles per attempt, stays within half and all of the step, and is capped", () => {
    const options = { baseMs: 100, maxMs: 1_000 };
    assert.equal(retryDelay(1, { ...options, random: () => 0 }), 50);
    assert.equal(retryDelay(1, { ...options, random: () => 0.999999 }), 100);
    assert.equal(retryDelay(3, { ...options, random: () => 0.999999 }), 400);
    assert.equal(retryDelay(10, { ...options, random: () => 0.999999 }), 1_000);
    for (let i = 0; i < 100; i++) {
      const delay = retryDelay(2, options);
      assert.ok(delay >= 100 && delay <= 200, `delay ${delay}`);
    }
  });
});

forEachBackend((backend) => {
  const store = useStore(backend);

  it("enqueues a job and claims it with a lease from the database clock", async () => {
    const job = await enqueued(enqueueJob(store.db, { kind: "plan", key: "pr:acme/app#12", payload: { sha: "abc" } }));
    assert.deepEqual(
      { status: job.status, attempts: job.attempts, maxAttempts: job.maxAttempts, payload: job.payload, leaseOwner: job.leaseOwner },
      { status: "queued", attempts: 0, maxAttempts: 5, payload: { sha: "abc" }, leaseOwner: null },
    );
    const [{ now }] = await store.db.query<{ now: Date }>("SELECT now()");
    const claimed = await claimJob(store.db, { owner: "w1", leaseMs: 30_000 });
    assert.ok(claimed);
    assert.equal(claimed.id, job.id);
    assert.equal(claimed.status, "running");
    assert.equal(claimed.attempts, 1);
    assert.equal(claimed.leaseOwner, "w1");
    const leaseLeft = claimed.leaseExpiresAt!.getTime() - now!.getTime();
    assert.ok(leaseLeft > 29_000 && leaseLeft < 31_000, `lease of ${leaseLeft} ms`);
    assert.equal(await claimJob(store.db, { owner: "w2", ...lease }), null);
    assert.equal(claimed.fencingToken, 1);
    assert.equal(await completeJob(store.db, fenceOf(claimed)), true);
    assert.equal((await getJob(store.db, job.id))?.status, "succeeded");
    assert.equal(await getJob(store.db, 999_999), null);
  });

  it("drops the waiting jobs of one key, delayed ones included, and leaves a running one and other keys alone", async () => {
    await enqueued(enqueueJob(store.db, { kind: "check-head", key: "check:acme/app@abc" }));
    const running = await claimJob(store.db, { owner: "w1", ...lease });
    const waiting = await enqueued(enqueueJob(store.db, { kind: "check-head", key: "check:acme/app@abc" }));
    const delayed = await enqueued(enqueueJob(store.db, { kind: "check-head", key: "check:acme/app@abc", delayMs: 600_000 }));
    const other = await enqueued(enqueueJob(store.db, { kind: "check-head", key: "check:acme/app@def" }));

    assert.equal(await cancelQueuedJobs(store.db, { key: "check:acme/app@abc", reason: "the merge group left the queue (dequeued)" }), 2);
    for (const job of [waiting, delayed]) {
      const after = await getJob(store.db, job.id);
      assert.deepEqual([after?.status, after?.lastError], ["superseded", "the merge group left the queue (dequeued)"]);
    }
    assert.equal((await getJob(store.db, running!.id))?.status, "running");
    assert.equal((await getJob(store.db, other.id))?.status, "queued");
  });

  it("runs one job per key at a time, in order, while other keys proceed", async () => {
    const a1 = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:a" }));
    const a2 = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:a" }));
    const b1 = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:b" }));

    const claimedA1 = await claimJob(store.db, { owner: "w1", ...lease });
    assert.equal(claimedA1?.id, a1.id);
    // a2 waits for a1; b1 has its own key.
    assert.equal((await claimJob(store.db, { owner: "w2", ...lease }))?.id, b1.id);
    assert.equal(await claimJob(store.db, { owner: "w3", ...lease }), null);

    assert.equal(await completeJob(store.db, fenceOf(claimedA1)), true);
    assert.equal((await claimJob(store.db, { owner: "w3", ...lease }))?.id, a2.id);
  });

  it("keeps a key in order while its oldest job waits out a retry backoff", async () => {
    const first = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:a" }));
    const second = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:a" }));
    const claimedFirst = await claimJob(store.db, { owner: "w1", ...lease });
    assert.equal(await failJob(store.db, fenceOf(claimedFirst), "cluster unreachable", { retryAfterMs: 150 }), "requeued");
    // The second job must not overtake: it would deploy before the first one's retry.
    assert.equal(await claimJob(store.db, { owner: "w1", ...lease }), null);
    await sleep(200);
    const retried = await claimJob(store.db, { owner: "w1", ...lease });
    assert.equal(retried?.id, first.id);
    assert.equal(retried?.fencingToken, 2, "every claim moves the fencing token on");
    await completeJob(store.db, fenceOf(retried));
    assert.equal((await claimJob(store.db, { owner: "w1", ...lease }))?.id, second.id);
  });

  it("claims only the kinds asked for, and honours a delay", async () => {
    await enqueueJob(store.db, { kind: "resync", key: "repo:acme/app", delayMs: 60_000 });
    const plan = await enqueued(enqueueJob(store.db, { kind: "plan", key: "pr:acme/app#1" }));
    assert.equal(await claimJob(store.db, { owner: "w1", ...lease, kinds: ["resync"] }), null);
    assert.equal((await claimJob(store.db, { owner: "w1", ...lease, kinds: ["resync", "plan"] }))?.id, plan.id);
  });

  it("never hands one key to two of many racing claimers", async () => {
    for (let i = 0; i < 30; i++) await enqueueJob(store.db, { kind: "deploy", key: `env:${i % 3}` });
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => claimJob(store.db, { owner: `w${i}`, ...lease })));
    const claimed = claims.filter((job): job is Job => job !== null);
    assert.deepEqual(claimed.map((job) => job.key).sort(), ["env:0", "env:1", "env:2"]);
    const running = await listJobs(store.db, { status: "running" });
    assert.equal(running.length, 3);
  });

  it("supersedes older queued jobs of the same kind and key, not running ones", async () => {
    const running = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:prod", payload: { sha: "a1" } }));
    await claimJob(store.db, { owner: "w1", ...lease });
    const older = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:prod", payload: { sha: "b2" } }));
    const otherKind = await enqueued(enqueueJob(store.db, { kind: "notify", key: "env:prod", payload: { sha: "b2" } }));
    const otherKey = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:staging", payload: { sha: "b2" } }));
    const older2 = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:prod", payload: { sha: "c3" } }));

    const newest = await enqueueJob(store.db, { kind: "deploy", key: "env:prod", payload: { sha: "d4" }, supersedeQueued: true });
    assert.equal(newest.status, "enqueued");
    assert.deepEqual(newest.superseded, [
      { id: older.id, payload: { sha: "b2" } },
      { id: older2.id, payload: { sha: "c3" } },
    ]);
    const byId = new Map((await listJobs(store.db)).map((job) => [job.id, job]));
    assert.equal(byId.get(running.id)?.status, "running");
    assert.equal(byId.get(older.id)?.status, "superseded");
    assert.equal(byId.get(older.id)?.lastError, `superseded by job ${newest.job.id}`);
    assert.equal(byId.get(older2.id)?.status, "superseded");
    assert.equal(byId.get(otherKind.id)?.status, "queued");
    assert.equal(byId.get(otherKey.id)?.status, "queued");
    assert.equal(byId.get(newest.job.id)?.status, "queued");

    // Without the flag, nothing is superseded.
    const plain = await enqueueJob(store.db, { kind: "deploy", key: "env:prod", payload: { sha: "e5" } });
    assert.equal(plain.status === "enqueued" && plain.superseded.length, 0);
    assert.equal(byId.get(newest.job.id)?.status, "queued");
  });

  it("collapses a job enqueued twice with the same dedupe key while it waits", async () => {
    const first = await enqueueJob(store.db, { kind: "plan", key: "pr:acme/app#3", payload: { sha: "abc" }, dedupeKey: "plan:pr:acme/app#3:abc" });
    const again = await enqueueJob(store.db, { kind: "plan", key: "pr:acme/app#3", payload: { sha: "abc" }, dedupeKey: "plan:pr:acme/app#3:abc" });
    assert.equal(first.status, "enqueued");
    assert.equal(again.status, "duplicate");
    assert.equal(again.job.id, first.job.id);
    assert.equal((await listJobs(store.db)).length, 1);

    // Once it runs, the same work may be queued again (e.g. a re-requested check).
    await claimJob(store.db, { owner: "w1", ...lease });
    const later = await enqueueJob(store.db, { kind: "plan", key: "pr:acme/app#3", payload: { sha: "abc" }, dedupeKey: "plan:pr:acme/app#3:abc" });
    assert.equal(later.status, "enqueued");
    assert.notEqual(later.job.id, first.job.id);
  });

  it("hands a job whose owner vanished to another worker, and ignores the old owner after that", async () => {
    const job = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:prod" }));
    const dead = fenceOf(await claimJob(store.db, { owner: "dead", leaseMs: 100 }));
    assert.equal(await claimJob(store.db, { owner: "alive", ...lease }), null, "the lease is still live");
    await sleep(150);
    const reclaimed = await claimJob(store.db, { owner: "alive", ...lease });
    assert.equal(reclaimed?.id, job.id);
    assert.equal(reclaimed?.attempts, 2);
    assert.equal(reclaimed?.leaseOwner, "alive");

    assert.equal(await completeJob(store.db, dead), false);
    assert.equal(await failJob(store.db, dead, "late", { retryAfterMs: 0 }), false);
    assert.equal(await renewLease(store.db, dead, 60_000), false);
    assert.equal((await getJob(store.db, job.id))?.status, "running");
    assert.equal(await completeJob(store.db, fenceOf(reclaimed)), true);
    assert.equal(await completeJob(store.db, fenceOf(reclaimed)), false, "only once");
  });

  it("keeps a lease alive by renewing it", async () => {
    const job = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:prod" }));
    const held = fenceOf(await claimJob(store.db, { owner: "w1", leaseMs: 150 }));
    assert.equal(held.jobId, job.id);
    for (let i = 0; i < 3; i++) {
      await sleep(75);
      assert.equal(await renewLease(store.db, held, 150), true);
    }
    assert.equal(await claimJob(store.db, { owner: "w2", ...lease }), null);
  });

  it("fails a job whose lease expired on its last attempt instead of running it again", async () => {
    const job = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:prod", maxAttempts: 1 }));
    await claimJob(store.db, { owner: "dead", leaseMs: 50 });
    await sleep(100);
    assert.equal(await claimJob(store.db, { owner: "alive", ...lease }), null);
    const failed = await getJob(store.db, job.id);
    assert.equal(failed?.status, "failed");
    assert.match(failed?.lastError ?? "", /lease expired after the last attempt \(owner dead\)/);
  });

  it("retries with a delay until max attempts, then fails with the last error", async () => {
    const job = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:prod", maxAttempts: 3 }));
    for (let attempt = 1; attempt <= 3; attempt++) {
      const claimed = await claimJob(store.db, { owner: "w1", ...lease });
      assert.equal(claimed?.attempts, attempt);
      const result = await failJob(store.db, fenceOf(claimed), `error ${attempt}`, { retryAfterMs: attempt < 3 ? 60 : 0 });
      assert.equal(result, attempt < 3 ? "requeued" : "failed");
      if (attempt < 3) {
        assert.equal(await claimJob(store.db, { owner: "w1", ...lease }), null, "waits out the backoff");
        await sleep(100);
      }
    }
    const failed = await getJob(store.db, job.id);
    assert.deepEqual(
      { status: failed?.status, attempts: failed?.attempts, lastError: failed?.lastError, leaseOwner: failed?.leaseOwner },
      { status: "failed", attempts: 3, lastError: "error 3", leaseOwner: null },
    );
  });

  it("fails a job at once when no retry is wanted", async () => {
    const job = await enqueued(enqueueJob(store.db, { kind: "deploy", key: "env:prod" }));
    const claimed = await claimJob(store.db, { owner: "w1", ...lease });
    assert.equal(await failJob(store.db, fenceOf(claimed), "invalid manifests", { retryAfterMs: null }), "failed");
    assert.equal((await getJob(store.db, job.id))?.attempts, 1);
  });

  it("lists jobs by status, kind and key", async () => {
    await enqueueJob(store.db, { kind: "plan", key: "pr:1" });
    await enqueueJob(store.db, { kind: "deploy", key: "env:a" });
    await enqueueJob(store.db, { kind: "plan", key: "pr:2" });
    await claimJob(store.db, { owner: "w1", ...lease });
    assert.deepEqual(
      (await listJobs(store.db, { kind: "plan" })).map((job) => job.key),
      ["pr:1", "pr:2"],
    );
    assert.deepEqual(
      (await listJobs(store.db, { status: "running" })).map((job) => job.key),
      ["pr:1"],
    );
    assert.deepEqual(
      (await listJobs(store.db, { status: ["queued"], key: "env:a" })).map((job) => job.kind),
      ["deploy"],
    );
    assert.equal((await listJobs(store.db, { limit: 2 })).length, 2);
  });
});
