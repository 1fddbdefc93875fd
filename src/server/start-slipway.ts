import { createServer, type Server } from "node:http";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Probot, ProbotOctokit } from "probot";
import type { Logger } from "pino";
import type { ServerConfig, AppCredentials } from "../config/read-server-config.js";
import { createJobWorker, openDatabase, type Database, type Job, type JobFailure, type JobOutcome, type JobWorker } from "../store/index.js";
import { jobsForEvent } from "../handlers/jobs-for-event.js";
import { enqueueEventJobs } from "../handlers/enqueue-event-jobs.js";
import { repoConfigPath, runCheckHead, validateCheckName } from "../jobs/run-check-head.js";
import type { CheckHeadPayload } from "../jobs/job-request.js";
import { createJobHandlers } from "./create-job-handlers.js";
import { resyncJob } from "../jobs/job-request.js";
import { enqueueFollowUp } from "../jobs/enqueue-follow-up.js";
import { createRequestHandler } from "./create-request-handler.js";
import type { ClusterAlias } from "../config/parse-clusters-file.js";
import { createClusterConnections } from "../cluster/create-cluster-connections.js";
import { ClusterError } from "../cluster/cluster-error.js";
import { readRepositoryFile } from "../github/read-repository-file.js";
import { bundledSchemaRoot } from "../schemas/bundled-schema-root.js";
import { createSchemaRegistryCache } from "../schemas/create-schema-registry-cache.js";

export interface StartSlipwayOptions {
  config: ServerConfig & { credentials: AppCredentials };
  log: Logger;
  /** Tests turn Octokit's retries and throttling off; production keeps Probot's defaults. */
  Octokit?: typeof ProbotOctokit;
  /** The server's clusters file, parsed at start; undefined when the server has none. */
  clusters: readonly ClusterAlias[] | undefined;
  /** Where the bundled Kubernetes schemas live (default: the package's schema/kubernetes). */
  schemaRoot?: string;
  /** The clock for plan footers; tests fix it so comment bodies compare with golden files. */
  now?: () => Date;
  /** Poll interval of the job worker; a webhook wakes it at once anyway. */
  workerPollMs?: number;
  /** First retry delay of a job whose handler threw (doubling each time); default 1 s. */
  workerRetryBaseMs?: number;
}

export interface SlipwayServer {
  url: string;
  db: Database;
  worker: JobWorker;
  probot: Probot;
  close(): Promise<void>;
}

/** Wires the store, the Probot instance, the job worker and the HTTP server, and starts them. */
export async function startSlipway(options: StartSlipwayOptions): Promise<SlipwayServer> {
  const { config, log } = options;
  const db = await openDatabase(config.databaseUrl, config.databaseSchema ? { schema: config.databaseSchema } : {});
  const schemas = createSchemaRegistryCache(options.schemaRoot ?? bundledSchemaRoot());
  const connect = options.clusters ? createClusterConnections(options.clusters) : undefined;

  const probot = new Probot({
    appId: config.credentials.appId,
    privateKey: config.credentials.privateKey,
    secret: config.credentials.webhookSecret,
    baseUrl: config.githubApiUrl,
    log: log.child({ name: "probot" }),
    Octokit: options.Octokit ?? honoringSecondaryRateLimits(log),
  });
  await probot.ready();

  const worker = createJobWorker({
    db,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    concurrency: config.workerConcurrency,
    pollMs: options.workerPollMs ?? 1_000,
    leaseMs: config.jobLeaseSeconds * 1_000,
    ...(options.workerRetryBaseMs !== undefined ? { retryBaseMs: options.workerRetryBaseMs } : {}),
    log: log.child({ name: "worker" }),
    // A job that keeps failing ends visibly: its check runs complete as failures that say why.
    onFailed: async (job, failure) => {
      if (job.kind !== "check-head") return;
      const payload = job.payload as unknown as CheckHeadPayload;
      const octokit = await probot.auth(payload.installationId);
      await failUnfinishedChecks(octokit, payload, Number(config.credentials.appId), describeJobFailure(job, failure));
    },
    handlers: createJobHandlers({
      probot,
      appId: Number(config.credentials.appId),
      db,
      log,
      clusters: options.clusters,
      schemas,
      connect,
      now: options.now ?? (() => new Date()),
      wake: () => worker.wake(),
    }),
  });

  // Handlers only turn events into jobs; the worker runs them after the webhook is answered.
  probot.onAny(async (event) => {
    const jobs = jobsForEvent(event.name, event.payload);
    const outcome = await enqueueEventJobs(db, { id: event.id, event: event.name }, jobs);
    log.info({ delivery: event.id, event: event.name, outcome: outcome.status, jobs: jobs.length }, "Webhook received");
    if (outcome.status === "enqueued" && jobs.length > 0) worker.wake();
  });

  const handler = createRequestHandler({
    webhookPath: config.webhookPath,
    maxWebhookBytes: config.maxWebhookBytes,
    log,
    receiver: {
      verify: (body, signature) => probot.webhooks.verify(body, signature),
      receive: (event) => probot.receive(event as Parameters<Probot["receive"]>[0]),
    },
    readiness: async () => {
      try {
        await db.query("SELECT 1");
        return [];
      } catch {
        return ["the store does not answer"];
      }
    },
  });
  const server = createServer((req, res) => void handler(req, res));
  await listen(server, config.port, config.host);
  worker.start();
  // GitHub never redelivers a missed webhook: a periodic sweep queues what is missing.
  const resync =
    config.resyncIntervalSeconds > 0
      ? setInterval(() => {
          enqueueFollowUp(db, () => worker.wake())(resyncJob("interval")).catch((error: unknown) => log.warn({ err: error }, "Could not queue a resync"));
        }, config.resyncIntervalSeconds * 1_000)
      : undefined;
  resync?.unref();

  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${address.port}`;
  log.info({ url, webhookPath: config.webhookPath, store: db.dialect }, "Slipway is listening");

  return {
    url,
    db,
    worker,
    probot,
    async close() {
      if (resync) clearInterval(resync);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await worker.stop();
      await db.close();
    },
  };
}

type InstallationOctokit = Awaited<ReturnType<Probot["auth"]>>;

/**
 * Probot's Octokit (retries for 5xx, throttling) with one change: Probot's instance only logs a
 * secondary rate limit, so the request fails; here it waits out GitHub's `retry-after` and
 * tries again, twice at most, before the job's own backoff takes over.
 */
function honoringSecondaryRateLimits(log: Logger): typeof ProbotOctokit {
  return ProbotOctokit.defaults((instance: { throttle?: Record<string, unknown> }) => ({
    ...instance,
    throttle: {
      ...instance.throttle,
      onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        log.warn({ method: request.method, url: request.url, retryAfter, retryCount }, "GitHub secondary rate limit; waiting for retry-after");
        return retryCount < 2;
      },
    },
  })) as typeof ProbotOctokit;
}

/**
 * Completes the App's unfinished check runs on the head as failures that say why; without any,
 * opens a failed `Slipway / validate` run, but only where the repository has a config (no noise).
 */
async function failUnfinishedChecks(octokit: InstallationOctokit, payload: CheckHeadPayload, appId: number, summary: string): Promise<void> {
  const { owner, repo, headSha } = payload;
  const output = { title: "Slipway could not finish this check", summary };
  const done = { status: "completed" as const, conclusion: "failure" as const, completed_at: new Date().toISOString(), output };
  const { data } = await octokit.rest.checks.listForRef({ owner, repo, ref: headSha, app_id: appId, filter: "all", per_page: 100 });
  const unfinished = data.check_runs.filter((run) => run.status !== "completed" && run.name.startsWith("Slipway /"));
  for (const run of unfinished) await octokit.rest.checks.update({ owner, repo, check_run_id: run.id, ...done });
  if (unfinished.length > 0) return;
  if ((await readRepositoryFile(octokit, { owner, repo, path: repoConfigPath, ref: headSha })) === undefined) return;
  await octokit.rest.checks.create({ owner, repo, head_sha: headSha, name: validateCheckName, started_at: new Date().toISOString(), ...done });
}

/** One sentence for people; never the raw error, which could echo a token or a Secret. */
function describeJobFailure(job: Job, failure: JobFailure): string {
  const status = (failure.error as { status?: unknown } | undefined)?.status;
  let cause: string;
  if (failure.error instanceof ClusterError) {
    cause = typeof status === "number" ? `the cluster kept answering HTTP ${status}` : "the cluster did not answer";
  } else if (status === 403 || status === 429) {
    cause = `GitHub kept refusing requests with HTTP ${status} (rate limited)`;
  } else if (typeof status === "number" && status >= 500) {
    cause = `GitHub kept answering HTTP ${status} (a GitHub outage)`;
  } else if (typeof status === "number") {
    cause = `GitHub answered HTTP ${status} to a request Slipway needed`;
  } else {
    cause = "an unexpected error";
  }
  const attempts = `${job.attempts} attempt${job.attempts === 1 ? "" : "s"}`;
  return `Slipway gave up on this commit after ${attempts}: ${cause}. Re-run this check once that is resolved; the server log has the details under job ${job.id}.`;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
