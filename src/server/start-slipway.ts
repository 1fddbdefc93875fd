import { createServer, type Server } from "node:http";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Probot, ProbotOctokit } from "probot";
import type { Logger } from "pino";
import type { ServerConfig, AppCredentials } from "../config/read-server-config.js";
import { createJobWorker, openDatabase, pruneDeliveries, type Database, type JobWorker, type JobWorkerOptions } from "../store/index.js";
import { jobsForEvent } from "../handlers/jobs-for-event.js";
import { enqueueEventJobs } from "../handlers/enqueue-event-jobs.js";
import { createJobHandlers } from "./create-job-handlers.js";
import { createRequestHandler } from "./create-request-handler.js";
import { reportFailedJob } from "../jobs/report-failed-job.js";
import type { JobPayloads } from "../jobs/job-request.js";
import { resyncJob } from "../jobs/job-request.js";
import { enqueueFollowUp } from "../jobs/enqueue-job-request.js";
import type { ClusterAlias } from "../config/parse-clusters-file.js";
import { createClusterConnections } from "../cluster/create-cluster-connections.js";
import { bundledSchemaRoot } from "../schemas/bundled-schema-root.js";
import { createSchemaRegistryCache } from "../schemas/create-schema-registry-cache.js";
import { createWorkPool, type WorkPoolOptions } from "../work/create-work-pool.js";
import { appBotLogin } from "../github/app-bot-login.js";

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
  /** How the worker renews job leases (default: in the store); tests hold it to stall a replica. */
  renewLease?: JobWorkerOptions["renewLease"];
  /** A store the caller opened and closes (tests share one embedded store between two replicas); default: the configured one. */
  db?: Database;
  /** Threads and budgets of the pool that parses, validates and plans (defaults: createWorkPool's). */
  work?: Omit<WorkPoolOptions, "schemaRoot">;
  /** How often delivery ids past DELIVERY_RETENTION_HOURS are pruned; default hourly. */
  deliveryPruneIntervalMs?: number;
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
  const db = options.db ?? (await openDatabase(config.databaseUrl, config.databaseSchema ? { schema: config.databaseSchema } : {}));
  const schemaRoot = options.schemaRoot ?? bundledSchemaRoot();
  const schemas = createSchemaRegistryCache(schemaRoot);
  // Parsing, validating and diffing a repository's files run here, off the thread that answers webhooks.
  const work = createWorkPool({ timeoutMs: config.workTimeoutSeconds * 1_000, memoryMb: config.workMemoryMb, ...options.work, schemaRoot });
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

  const worker = createJobWorker<JobPayloads>({
    db,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    concurrency: config.workerConcurrency,
    pollMs: options.workerPollMs ?? 1_000,
    leaseMs: config.jobLeaseSeconds * 1_000,
    ...(options.workerRetryBaseMs !== undefined ? { retryBaseMs: options.workerRetryBaseMs } : {}),
    ...(options.renewLease ? { renewLease: options.renewLease } : {}),
    log: log.child({ name: "worker" }),
    // A job that keeps failing ends visibly: its check runs complete as failures that say why.
    onFailed: (job, failure) => reportFailedJob(job, failure, { probot, appId: Number(config.credentials.appId) }),
    handlers: createJobHandlers({
      probot,
      appId: Number(config.credentials.appId),
      db,
      log,
      clusters: options.clusters,
      schemas,
      work,
      connect,
      now: options.now ?? (() => new Date()),
      limitMaximums: config.limitMaximums,
      botLogin: appBotLogin(probot),
      replyIntervalSeconds: config.replyIntervalSeconds,
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
    maxPendingWebhooks: config.maxPendingWebhooks,
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
  // Delivery ids only catch redeliveries, which GitHub allows for a few days: older ones go.
  const pruneOldDeliveries = () =>
    pruneDeliveries(db, config.deliveryRetentionHours * 3_600_000).then(
      (pruned) => pruned > 0 && log.info({ pruned }, "Pruned old webhook delivery ids"),
      (error: unknown) => log.warn({ err: error }, "Could not prune old webhook delivery ids"),
    );
  let pruningNow: Promise<unknown> = pruneOldDeliveries();
  const pruning = setInterval(() => {
    pruningNow = pruneOldDeliveries();
  }, options.deliveryPruneIntervalMs ?? 3_600_000);
  pruning.unref();

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
      clearInterval(pruning);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await worker.stop();
      await pruningNow;
      await work.close();
      if (!options.db) await db.close();
    },
  };
}

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

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
