import type { SqlSession } from "../database.js";
import { claimJob } from "./claim-job.js";
import { failAbandonedJobs } from "./fail-abandoned-jobs.js";
import { completeJob } from "./complete-job.js";
import { createJobLease } from "./create-job-lease.js";
import { failJob } from "./fail-job.js";
import type { AnyJobKinds, Job, JobKinds, JobOf } from "./job.js";
import type { JobFence, JobLease } from "./job-lease.js";
import { LeaseLostError } from "./lease-lost-error.js";
import { renewLease } from "./renew-lease.js";
import { retryDelay } from "./retry-delay.js";

/** What a handler reports; expected failures are data, a thrown error means "retry". */
export type JobOutcome = { status: "done" } | { status: "retry"; reason: string; afterMs: number } | { status: "failed"; reason: string };

export interface JobContext {
  /** This worker's hold on the job: its signal aborts when the lease is lost (another replica may now run it). */
  lease: JobLease;
}

/** Runs one job of one kind. */
export type JobHandler<Kinds extends JobKinds = AnyJobKinds, Kind extends keyof Kinds & string = keyof Kinds & string> = (
  job: JobOf<Kinds, Kind>,
  context: JobContext,
) => Promise<JobOutcome>;

/** One handler per kind, each given the jobs of its kind. */
export type JobHandlers<Kinds extends JobKinds = AnyJobKinds> = { [Kind in keyof Kinds & string]: JobHandler<Kinds, Kind> };

/** Why a job failed for good: the last reason, and the error its handler threw, if it threw. */
export interface JobFailure {
  reason: string;
  error?: unknown;
}

/** Pino-compatible subset, so Probot's logger fits. */
export interface WorkerLog {
  debug(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface JobWorkerOptions<Kinds extends JobKinds = AnyJobKinds> {
  db: SqlSession;
  /** Unique per worker: leases are checked against it. */
  owner: string;
  handlers: JobHandlers<Kinds>;
  /** Jobs run at once by this worker; defaults to 1. */
  concurrency?: number;
  /** Defaults to 60 s; renewed every third of it while the handler runs. */
  leaseMs?: number;
  /** How a lease is renewed; the store's renewLease by default. Tests delay it to stall a replica. */
  renewLease?: (fence: JobFence, leaseMs: number) => Promise<boolean>;
  /** How often to look for jobs when not woken; defaults to 1 s. */
  pollMs?: number;
  /** Backoff for thrown errors; defaults to 1 s doubling up to 5 min. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /**
   * Called once a job has failed for good (its last attempt threw, or its handler said
   * "failed"), so the failure ends visibly, e.g. as a failed check run. Errors are logged.
   */
  onFailed?: (job: Job<Kinds>, failure: JobFailure) => Promise<void>;
  log: WorkerLog;
}

export interface JobWorker {
  start(): void;
  /** Looks for work now, e.g. right after an in-process enqueue. */
  wake(): void;
  /** Stops claiming and resolves once the jobs in hand have finished. */
  stop(): Promise<void>;
  /** For tests: resolves when no job of this worker's kinds is queued or running. */
  drain(): Promise<void>;
}

/**
 * A small polling worker over the durable queue. The queue enforces one job per key across
 * all workers and replicas; the worker bounds how many run here at once.
 */
// Kinds are named by the caller (`createJobWorker<MyKinds>(...)`), never guessed from the handlers.
export function createJobWorker<Kinds extends JobKinds = AnyJobKinds>(options: JobWorkerOptions<NoInfer<Kinds>>): JobWorker {
  const { db, owner, handlers, log } = options;
  const concurrency = options.concurrency ?? 1;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1_000;
  const backoff = { baseMs: options.retryBaseMs ?? 1_000, maxMs: options.retryMaxMs ?? 300_000 };
  const kinds: Array<keyof Kinds & string> = Object.keys(handlers);
  const renew = options.renewLease ?? ((fence: JobFence, ms: number) => renewLease(db, fence, ms));

  const running = new Set<Promise<void>>();
  let started = false;
  let stopping = false;
  let filling: Promise<void> | null = null;
  let fillAgain = false;
  let timer: NodeJS.Timeout | null = null;
  const idleWaiters = new Set<() => void>();

  function schedule(delayMs: number): void {
    if (stopping || timer) return;
    timer = setTimeout(() => {
      timer = null;
      wake();
    }, delayMs);
  }

  function wake(): void {
    if (!started || stopping) return;
    if (filling) {
      fillAgain = true;
      return;
    }
    filling = fill()
      .catch((error: unknown) => log.error({ err: error, owner }, "Slipway could not claim jobs; the store may be unreachable"))
      .finally(() => {
        filling = null;
        if (fillAgain) {
          fillAgain = false;
          wake();
        } else {
          schedule(pollMs);
          notifyIdle();
        }
      });
  }

  // Claims until every slot is busy or nothing is runnable.
  async function fill(): Promise<void> {
    await reportAbandoned();
    while (!stopping && running.size < concurrency) {
      const claimedAt = Date.now();
      const job = await claimJob<Kinds>(db, { owner, leaseMs, kinds });
      if (!job) return;
      const run = runJob(job, claimedAt).finally(() => {
        running.delete(run);
        // A finished job may unblock the next one of its key.
        wake();
        notifyIdle();
      });
      running.add(run);
    }
  }

  // A job whose replica died on its last attempt ends visibly too, not only one whose handler gave up.
  async function reportAbandoned(): Promise<void> {
    for (const job of await failAbandonedJobs<Kinds>(db)) {
      log.warn({ jobId: job.id, key: job.key, attempts: job.attempts }, "A job was abandoned on its last attempt; it has failed");
      if (!options.onFailed) continue;
      try {
        await options.onFailed(job, { reason: `the replica running it stopped answering on attempt ${job.attempts} of ${job.maxAttempts}` });
      } catch (reportError) {
        log.error({ err: reportError, jobId: job.id, key: job.key }, "Could not report a failed job");
      }
    }
  }

  async function runJob(job: Job<Kinds>, claimedAt: number): Promise<void> {
    const details = { jobId: job.id, key: job.key, owner, fencingToken: job.fencingToken };
    const lease = createJobLease({
      db,
      fence: { jobId: job.id, fencingToken: job.fencingToken },
      leaseMs,
      claimedAt,
      renew,
      onLost: (lost) => log.warn({ ...details, reason: lost.message }, "Lost the lease on a running job; it stops before its next write"),
      onRenewalError: (error) => log.warn({ err: error, ...details }, "Could not renew a job lease; will try again before it expires"),
    });
    const { outcome, error } = await runHandler(job, lease);
    lease.release();
    let result: Awaited<ReturnType<typeof settle>>;
    try {
      result = await settle(job, outcome);
    } catch (settleError) {
      // The lease will expire and another claim retries the job.
      log.error({ err: settleError, jobId: job.id, key: job.key }, "Could not record a job outcome; the job will run again after its lease expires");
      return;
    }
    if (result === "failed" && outcome.status !== "done" && options.onFailed) {
      try {
        await options.onFailed(job, { reason: outcome.reason, ...(error !== undefined ? { error } : {}) });
      } catch (reportError) {
        log.error({ err: reportError, jobId: job.id, key: job.key }, "Could not report a failed job");
      }
    }
  }

  // Generic in the kind, so the handler looked up by a job's kind is the one that takes its payload.
  function handle<Kind extends keyof Kinds & string>(job: JobOf<Kinds, Kind>, context: JobContext): Promise<JobOutcome> | undefined {
    const handler: JobHandler<Kinds, Kind> | undefined = handlers[job.kind];
    return handler?.(job, context);
  }

  async function runHandler(job: Job<Kinds>, lease: JobLease): Promise<{ outcome: JobOutcome; error?: unknown }> {
    try {
      const outcome = handle(job, { lease });
      if (!outcome) return { outcome: { status: "failed", reason: `no handler for job kind "${job.kind}"` } };
      return { outcome: await outcome };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // Stopped for a lost lease: the new holder runs the job; if nobody took it, it is retried.
      if (lease.signal.aborted || error instanceof LeaseLostError)
        return { outcome: { status: "retry", reason, afterMs: retryDelay(job.attempts, backoff) }, error };
      const last = job.attempts >= job.maxAttempts;
      log.warn(
        { err: error, jobId: job.id, kind: job.kind, attempt: job.attempts },
        last ? "Job handler threw on its last attempt" : "Job handler threw; retrying with backoff",
      );
      return { outcome: { status: "retry", reason, afterMs: retryDelay(job.attempts, backoff) }, error };
    }
  }

  async function settle(job: Job<Kinds>, outcome: JobOutcome): Promise<"done" | "requeued" | "failed" | "lost"> {
    const details = { jobId: job.id, kind: job.kind, key: job.key, attempt: job.attempts };
    const fence = { jobId: job.id, fencingToken: job.fencingToken };
    if (outcome.status === "done") {
      if (await completeJob(db, fence)) {
        log.debug(details, "Job done");
        return "done";
      }
      log.warn(details, "Job finished after its lease was taken over; its result was not recorded");
      return "lost";
    }
    const retryAfterMs = outcome.status === "retry" ? outcome.afterMs : null;
    const result = await failJob(db, fence, outcome.reason, { retryAfterMs });
    if (result === false) {
      log.warn(details, "Job failed after its lease was taken over; its result was not recorded");
      return "lost";
    }
    if (result === "requeued") log.info({ ...details, retryAfterMs, reason: outcome.reason }, "Job will be retried");
    else log.error({ ...details, reason: outcome.reason }, "Job failed");
    return result;
  }

  function notifyIdle(): void {
    if (running.size > 0 || filling) return;
    for (const waiter of idleWaiters) waiter();
  }

  async function hasPendingJobs(): Promise<boolean> {
    const rows = await db.query<{ pending: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM jobs WHERE status IN ('queued', 'running') AND kind = ANY($1::text[])) AS pending`,
      [kinds],
    );
    return rows[0]?.pending === true;
  }

  return {
    start() {
      if (started) return;
      started = true;
      wake();
    },
    wake,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await filling;
      await Promise.all(running);
    },
    async drain() {
      if (!started) throw new Error("drain() needs a started worker");
      for (;;) {
        if (running.size === 0 && !filling && !(await hasPendingJobs())) return;
        // Wait for this worker to go idle, or poll: jobs may be delayed or running elsewhere.
        await new Promise<void>((resolve) => {
          const done = () => {
            idleWaiters.delete(done);
            clearTimeout(fallback);
            resolve();
          };
          const fallback = setTimeout(done, Math.min(pollMs, 50));
          idleWaiters.add(done);
        });
      }
    },
  };
}
