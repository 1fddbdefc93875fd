import assert from "node:assert/strict";
import { it } from "node:test";
import type { Database } from "../../src/store/database.js";
import { claimJob } from "../../src/store/jobs/claim-job.js";
import { createJobWorker, type JobHandler, type JobWorker, type WorkerLog } from "../../src/store/jobs/create-job-worker.js";
import { enqueueJob } from "../../src/store/jobs/enqueue-job.js";
import { getJob } from "../../src/store/jobs/get-job.js";
import { listJobs } from "../../src/store/jobs/list-jobs.js";
import { forEachBackend, sleep, useStore } from "./support/store-backends.js";

interface LogLine {
  level: string;
  message: string;
  details: Record<string, unknown>;
}

function memoryLog(): WorkerLog & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (details: Record<string, unknown>, message: string) => lines.push({ level, message, details });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

function worker(
  db: Database,
  owner: string,
  handlers: Record<string, JobHandler>,
  extra: { concurrency?: number; leaseMs?: number; retryBaseMs?: number } = {},
): JobWorker {
  const log = memoryLog();
  const created = createJobWorker({ db, owner, handlers, pollMs: 20, log, ...extra });
  created.start();
  return created;
}

forEachBackend((backend) => {
  const store = useStore(backend);

  it("runs jobs through their handlers and records the outcome", async () => {
    const seen: unknown[] = [];
    const w = worker(store.db, "w1", {
      plan: async (job) => {
        seen.push(job.payload);
        return { status: "done" };
      },
    });
    try {
      const a = await enqueueJob(store.db, { kind: "plan", key: "pr:1", payload: { sha: "a" } });
      const b = await enqueueJob(store.db, { kind: "plan", key: "pr:1", payload: { sha: "b" } });
      w.wake();
      await w.drain();
      assert.deepEqual(seen, [{ sha: "a" }, { sha: "b" }]);
      assert.equal((await getJob(store.db, a.job.id))?.status, "succeeded");
      assert.equal((await getJob(store.db, b.job.id))?.status, "succeeded");
    } finally {
      await w.stop();
    }
  });

  it("runs every job exactly once, never two of one key at a time, with two workers", async () => {
    // On PostgreSQL each worker has its own connection pool, like two replicas.
    const secondDb = backend.sharedByReplicas ? await store.location.openBare() : store.db;
    const runs = new Map<number, number>();
    const runningByKey = new Map<string, number>();
    const orderByKey = new Map<string, number[]>();
    const byWorker = { w1: 0, w2: 0 };
    let overlap = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const handler =
      (name: "w1" | "w2"): JobHandler =>
      async (job) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        const busy = (runningByKey.get(job.key) ?? 0) + 1;
        runningByKey.set(job.key, busy);
        if (busy > 1) overlap++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        orderByKey.set(job.key, [...(orderByKey.get(job.key) ?? []), job.id]);
        byWorker[name]++;
        await sleep(Math.random() * 3);
        runningByKey.set(job.key, busy - 1);
        inFlight--;
        return { status: "done" };
      };
    const jobIds: number[] = [];
    for (let i = 0; i < 200; i++) {
      const result = await enqueueJob(store.db, { kind: "deploy", key: `env:${i % 20}`, payload: { i } });
      jobIds.push(result.job.id);
    }
    const w1 = worker(store.db, "w1", { deploy: handler("w1") }, { concurrency: 4 });
    const w2 = worker(secondDb, "w2", { deploy: handler("w2") }, { concurrency: 4 });
    try {
      await Promise.all([w1.drain(), w2.drain()]);
      assert.equal(overlap, 0, "two jobs of one key ran at once");
      assert.deepEqual(
        [...runs.keys()].sort((a, b) => a - b),
        jobIds,
      );
      assert.ok(
        [...runs.values()].every((count) => count === 1),
        "a job ran twice",
      );
      for (const [key, ids] of orderByKey)
        assert.deepEqual(
          ids,
          [...ids].sort((a, b) => a - b),
          `order of ${key}`,
        );
      assert.ok(maxInFlight <= 8, `at most 4 per worker, saw ${maxInFlight} at once`);
      assert.ok(byWorker.w1 > 0 && byWorker.w2 > 0, `both workers ran jobs: ${JSON.stringify(byWorker)}`);
      assert.equal((await listJobs(store.db, { status: "succeeded" })).length, 200);
    } finally {
      await Promise.all([w1.stop(), w2.stop()]);
      if (secondDb !== store.db) await secondDb.close();
    }
  });

  it("never runs more than its concurrency at once", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const w = worker(
      store.db,
      "w1",
      {
        plan: async () => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          // Long enough for three claims in a row on a busy machine.
          await sleep(100);
          inFlight--;
          return { status: "done" };
        },
      },
      { concurrency: 3 },
    );
    try {
      for (let i = 0; i < 12; i++) await enqueueJob(store.db, { kind: "plan", key: `pr:${i}` });
      w.wake();
      await w.drain();
      assert.equal(maxInFlight, 3);
    } finally {
      await w.stop();
    }
  });

  it("retries a handler that throws with backoff, then fails the job with its error", async () => {
    const attemptsAt: number[] = [];
    const w = worker(
      store.db,
      "w1",
      {
        deploy: async () => {
          attemptsAt.push(Date.now());
          throw new Error("cluster unreachable");
        },
      },
      { retryBaseMs: 40 },
    );
    try {
      const { job } = await enqueueJob(store.db, { kind: "deploy", key: "env:prod", maxAttempts: 3 });
      w.wake();
      await w.drain();
      const failed = await getJob(store.db, job.id);
      assert.deepEqual(
        { status: failed?.status, attempts: failed?.attempts, lastError: failed?.lastError },
        { status: "failed", attempts: 3, lastError: "cluster unreachable" },
      );
      assert.equal(attemptsAt.length, 3);
      // Backoff of at least half of 40 ms, then of 80 ms.
      assert.ok(attemptsAt[1]! - attemptsAt[0]! >= 20, `first backoff ${attemptsAt[1]! - attemptsAt[0]!} ms`);
      assert.ok(attemptsAt[2]! - attemptsAt[1]! >= 40, `second backoff ${attemptsAt[2]! - attemptsAt[1]!} ms`);
    } finally {
      await w.stop();
    }
  });

  it("treats outcomes as data: retry after the given delay, or fail at once", async () => {
    let calls = 0;
    const w = worker(store.db, "w1", {
      deploy: async () => (++calls === 1 ? { status: "retry", reason: "rollout in progress", afterMs: 30 } : { status: "done" }),
      validate: async () => ({ status: "failed", reason: "invalid manifests" }),
    });
    try {
      const deploy = await enqueueJob(store.db, { kind: "deploy", key: "env:prod" });
      const validate = await enqueueJob(store.db, { kind: "validate", key: "pr:1" });
      w.wake();
      await w.drain();
      const deployed = await getJob(store.db, deploy.job.id);
      assert.deepEqual({ status: deployed?.status, attempts: deployed?.attempts }, { status: "succeeded", attempts: 2 });
      const rejected = await getJob(store.db, validate.job.id);
      assert.deepEqual(
        { status: rejected?.status, attempts: rejected?.attempts, lastError: rejected?.lastError },
        { status: "failed", attempts: 1, lastError: "invalid manifests" },
      );
    } finally {
      await w.stop();
    }
  });

  it("runs again a job whose worker vanished, once its lease expires", async () => {
    const { job } = await enqueueJob(store.db, { kind: "deploy", key: "env:prod" });
    // A replica claimed the job and died without a word.
    assert.equal((await claimJob(store.db, { owner: "dead", leaseMs: 100 }))?.id, job.id);
    const ran: number[] = [];
    const w = worker(store.db, "w1", {
      deploy: async (claimed) => {
        ran.push(claimed.attempts);
        return { status: "done" };
      },
    });
    try {
      await w.drain();
      assert.deepEqual(ran, [2]);
      assert.equal((await getJob(store.db, job.id))?.status, "succeeded");
    } finally {
      await w.stop();
    }
  });

  it("renews the lease of a long job so nobody else takes it", async () => {
    const { job } = await enqueueJob(store.db, { kind: "deploy", key: "env:prod" });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const w = worker(store.db, "w1", { deploy: async () => (await released, { status: "done" }) }, { leaseMs: 300 });
    try {
      w.wake();
      while ((await getJob(store.db, job.id))?.status !== "running") await sleep(10);
      // Over twice the lease in all; each renewal comes every 100 ms, with room for a busy machine.
      for (let i = 0; i < 5; i++) {
        await sleep(150);
        assert.equal(await claimJob(store.db, { owner: "thief", leaseMs: 1_000 }), null, "the lease stays live");
      }
      release();
      await w.drain();
      const done = await getJob(store.db, job.id);
      assert.deepEqual({ status: done?.status, attempts: done?.attempts, owner: done?.leaseOwner }, { status: "succeeded", attempts: 1, owner: "w1" });
    } finally {
      release();
      await w.stop();
    }
  });

  it("stops claiming on stop() and waits for the jobs in hand", async () => {
    let finished = 0;
    const w = worker(store.db, "w1", { plan: async () => (await sleep(80), finished++, { status: "done" }) }, { concurrency: 2 });
    await enqueueJob(store.db, { kind: "plan", key: "pr:1" });
    await enqueueJob(store.db, { kind: "plan", key: "pr:2" });
    await enqueueJob(store.db, { kind: "plan", key: "pr:3" });
    w.wake();
    while ((await listJobs(store.db, { status: "running" })).length < 2) await sleep(5);
    await w.stop();
    assert.equal(finished, 2);
    assert.deepEqual(
      (await listJobs(store.db)).map((job) => job.status),
      ["succeeded", "succeeded", "queued"],
    );
  });
});
