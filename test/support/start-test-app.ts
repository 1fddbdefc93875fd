import { Writable } from "node:stream";
import { pino } from "pino";
import { ProbotOctokit } from "probot";
import type { ClusterAlias } from "../../src/config/parse-clusters-file.js";
import { readServerConfig, type AppCredentials, type ServerConfig } from "../../src/config/read-server-config.js";
import { startSlipway, type SlipwayServer, type StartSlipwayOptions } from "../../src/server/start-slipway.js";
import { startGitHubSimulator, type GitHubSimulator } from "./github-simulator/index.js";

export interface TestApp {
  sim: GitHubSimulator;
  app: SlipwayServer;
  webhookUrl: string;
  /** Every log line the App wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Waits until the App's queue has nothing left to run and the simulator has sent everything. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Slipway as it runs in production (its real entry wiring, store, worker and HTTP server),
 * talking to the GitHub simulator instead of api.github.com. Retries and throttling are off so a
 * bad request fails at once.
 */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    clusters?: ClusterAlias[];
    /** A simulator shared with another App instance (a second replica): this instance neither points its webhooks here nor closes it. */
    sim?: GitHubSimulator;
    /** First retry delay of a job whose handler threw (the worker's default is 1 s). */
    workerRetryBaseMs?: number;
    /** How this replica renews job leases (default: in the store); a test holds it to stall the replica. */
    renewLease?: StartSlipwayOptions["renewLease"];
    /** A store shared with another App instance in this process (an embedded store two replicas use). */
    db?: StartSlipwayOptions["db"];
    /** How often old delivery ids are pruned (the App's default is hourly). */
    deliveryPruneIntervalMs?: number;
  } = {},
): Promise<TestApp> {
  const sharedSim = options.sim;
  const sim = sharedSim ?? (await startGitHubSimulator());
  const result = readServerConfig({
    APP_ID: String(sim.appId),
    PRIVATE_KEY: sim.privateKey,
    WEBHOOK_SECRET: sim.webhookSecret,
    GITHUB_API_URL: sim.url,
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: "memory:",
    LOG_LEVEL: "debug",
    ...options.env,
  });
  if (!result.ok) throw new Error(result.problems.join("\n"));
  const config = result.config as ServerConfig & { credentials: AppCredentials };

  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const log = pino({ level: "debug" }, sink);
  // A function, so the settings survive Probot's own throttle options (an object would be replaced by them).
  const Octokit = ProbotOctokit.defaults((instance: { throttle?: object }) => ({
    ...instance,
    retry: { enabled: false },
    throttle: { ...instance.throttle, enabled: false },
  })) as typeof ProbotOctokit;
  const app = await startSlipway({
    config,
    log,
    Octokit,
    clusters: options.clusters,
    workerPollMs: 50,
    workerRetryBaseMs: options.workerRetryBaseMs,
    renewLease: options.renewLease,
    db: options.db,
    deliveryPruneIntervalMs: options.deliveryPruneIntervalMs,
    now: () => new Date("2026-11-22T12:00:00Z"),
  });
  const webhookUrl = `${app.url}${config.webhookPath}`;
  if (!sharedSim) sim.setWebhookUrl(webhookUrl);

  return {
    sim,
    app,
    webhookUrl,
    logs,
    async settle() {
      await sim.idle();
      await app.worker.drain();
      await sim.idle();
    },
    async close() {
      await app.close();
      if (!sharedSim) await sim.close();
    },
  };
}

/** GitHub's timestamps have whole seconds: what happens in a later second happened later. */
export async function nextSecond(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000) + 20));
}
