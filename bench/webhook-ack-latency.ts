import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { pino } from "pino";
import { Probot, ProbotOctokit, createNodeMiddleware } from "probot";
import { readServerConfig, type AppCredentials, type ServerConfig } from "../src/config/read-server-config.js";
import { startSlipway } from "../src/server/start-slipway.js";
import { startGitHubSimulator, type GitHubSimulator, type WebhookDelivery } from "../test/support/github-simulator/index.js";
import type { Benchmark, BenchResult } from "./bench-types.js";

const postgresUrl = process.env.SLIPWAY_TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";
const pullRequests = 40;
const burstSize = 200;
const rounds = 3;

/**
 * Webhook acknowledgement latency under a burst: the time from sending a delivery to its 202,
 * which is what GitHub waits for (it gives up after 10 s).
 * 1. a GitHub simulator with 40 pull requests on configured repositories; their deliveries
 *    (opened, then push + synchronize) are kept, 160 in all;
 * 2. one Slipway replica, on PostgreSQL and on the embedded store (a folder, the default),
 *    worker running, so jobs compete with acknowledgements as in production;
 * 3. per round, the 160 deliveries under new ids plus 40 redeliveries, all 200 sent at once;
 *    p50 / p99 / max of send-to-answer, and deliveries per second until the last answer;
 * 4. the same burst against Probot's own webhook middleware with a handler that does nothing:
 *    a floor (no durable queue, no dedupe), not a competitor.
 */
export const benchmark: Benchmark = {
  name: "webhook-ack-latency",
  async run(log) {
    const notes: string[] = [];
    const results: BenchResult[] = [];
    const sim = await startGitHubSimulator();
    const sink = await listenOn((_req, res) => res.writeHead(202).end());
    sim.setWebhookUrl(sink.url);
    const quiet = pino({ level: "silent" });
    try {
      // 1. Deliveries.
      const deliveries = await recordDeliveries(sim);
      log(`${deliveries.length} deliveries recorded from ${pullRequests} pull requests`);

      // 2 and 3. Slipway on each store.
      const dataDir = mkdtempSync(join(tmpdir(), "slipway-bench-store-"));
      const schema = `slipway_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
      const stores = [
        { subject: "Slipway, PostgreSQL", env: { DATABASE_URL: postgresUrl, DATABASE_SCHEMA: schema } },
        { subject: "Slipway, embedded store (folder)", env: { DATABASE_URL: join(dataDir, "data") } },
      ];
      try {
        for (const store of stores) {
          const result = readServerConfig({
            APP_ID: String(sim.appId),
            PRIVATE_KEY: sim.privateKey,
            WEBHOOK_SECRET: sim.webhookSecret,
            GITHUB_API_URL: sim.url,
            HOST: "127.0.0.1",
            PORT: "0",
            ...store.env,
          });
          if (!result.ok) throw new Error(result.problems.join(" "));
          const app = await startSlipway({
            config: result.config as ServerConfig & { credentials: AppCredentials },
            log: quiet,
            // Throttling off: the simulator does not rate limit, and the bench measures Slipway, not pacing.
            Octokit: ProbotOctokit.defaults((instance: { throttle?: object }) => ({
              ...instance,
              throttle: { ...instance.throttle, enabled: false },
            })) as typeof ProbotOctokit,
            clusters: undefined,
            workerPollMs: 200,
          });
          sim.setWebhookUrl(`${app.url}/api/github/webhooks`);
          try {
            const measured = await measureRounds(`${app.url}/api/github/webhooks`, deliveries, log, store.subject, async () => {
              await sim.idle();
              await app.worker.drain();
            });
            results.push(row(store.subject, measured));
          } finally {
            sim.setWebhookUrl(sink.url);
            await app.close();
          }
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
        await dropSchema(schema).catch(() => undefined);
      }

      // 4. Probot's own middleware, for a floor.
      const probot = new Probot({ appId: sim.appId, privateKey: sim.privateKey, secret: sim.webhookSecret, baseUrl: sim.url, log: quiet });
      const middleware = await createNodeMiddleware((app) => app.onAny(async () => {}), { probot, webhooksPath: "/api/github/webhooks" });
      const bare = await listenOn((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
      try {
        const measured = await measureRounds(`${bare.url}api/github/webhooks`, deliveries, log, "Probot middleware", async () => {});
        results.push(row("Probot 14 middleware, empty handler (floor)", measured));
      } finally {
        await bare.close();
      }

      const [postgres, embedded, floor] = results.map((r) => Number(r.values["p99 (ms)"]));
      notes.push(
        `Each row: ${rounds} rounds of ${burstSize} deliveries sent at once (${burstSize - deliveries.length} redelivered ids), one replica, worker running; ` +
          "latency is send to answer (202 from Slipway, 200 from Probot), measured in the same process as the simulator.",
        `p99: PostgreSQL ${postgres} ms, embedded ${embedded} ms, Probot's empty handler ${floor} ms; ` +
          "Slipway's answer waits for the delivery id and its jobs to be committed (a redelivery runs once, a crash loses nothing); Probot's empty handler stores nothing.",
        "No GitOps tool that takes GitHub webhooks (Atlantis, Argo CD's webhook receiver) is installed here, so there is no like-for-like comparison; " +
          "Probot's own middleware is the floor for any Probot app.",
      );
      return { results, notes };
    } finally {
      await sink.close();
      await sim.close();
    }
  },
};

interface Measured {
  latencies: number[];
  seconds: number[];
  statuses: Record<string, number>;
}

async function measureRounds(
  url: string,
  deliveries: WebhookDelivery[],
  log: (line: string) => void,
  subject: string,
  settle: () => Promise<void>,
): Promise<Measured> {
  const measured: Measured = { latencies: [], seconds: [], statuses: {} };
  for (let round = 0; round < rounds; round++) {
    // New ids each round, so every round is new work; the last 40 repeat ids of the round.
    const fresh = deliveries.map((delivery) => ({ delivery, id: randomUUID() }));
    const burst = [...fresh];
    for (let i = 0; burst.length < burstSize; i++) burst.push(fresh[(i * 7) % fresh.length]!);
    const started = performance.now();
    const answered = await Promise.all(
      burst.map(async ({ delivery, id }) => {
        const sent = performance.now();
        const response = await fetch(url, {
          method: "POST",
          headers: { ...delivery.headers, "x-github-delivery": id },
          body: JSON.stringify(delivery.payload),
        });
        await response.arrayBuffer();
        return { status: response.status, ms: performance.now() - sent };
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    measured.seconds.push(seconds);
    for (const { status, ms } of answered) {
      measured.latencies.push(ms);
      measured.statuses[status] = (measured.statuses[status] ?? 0) + 1;
    }
    const sorted = answered.map((a) => a.ms).sort((x, y) => x - y);
    log(
      `${subject}, round ${round + 1}: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, ${(burst.length / seconds).toFixed(0)} deliveries/s`,
    );
    await settle();
  }
  return measured;
}

function row(subject: string, measured: Measured): BenchResult {
  const sorted = [...measured.latencies].sort((x, y) => x - y);
  const totalSeconds = measured.seconds.reduce((sum, s) => sum + s, 0);
  return {
    benchmark: "webhook-ack-latency",
    subject,
    values: {
      deliveries: sorted.length,
      "p50 (ms)": percentile(sorted, 50).toFixed(1),
      "p99 (ms)": percentile(sorted, 99).toFixed(1),
      "max (ms)": sorted.at(-1)!.toFixed(1),
      "deliveries/s": (sorted.length / totalSeconds).toFixed(0),
      answers: Object.entries(measured.statuses)
        .map(([status, n]) => `${n}×${status}`)
        .join(" "),
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** 40 pull requests on 8 configured repositories; every delivery GitHub sent for them, in order. */
async function recordDeliveries(sim: GitHubSimulator): Promise<WebhookDelivery[]> {
  const config = "environments:\n  - name: staging\n    path: deploy/staging\n    cluster: staging\n    namespace: web\n";
  const configMap = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: "${value}"\n`;
  const first = sim.deliveries.length;
  const pulls: Array<{ repo: string; number: number }> = [];
  for (let r = 0; r < 8; r++) {
    const repo = await sim.createRepository({ name: `bench-${r}`, files: { ".github/slipway.yml": config, "deploy/staging/settings.yaml": configMap("0") } });
    for (let p = 0; p < pullRequests / 8; p++) {
      const opened = await sim.openPullRequest({ repo, head: `change-${p}`, author: "octocat", files: { "deploy/staging/settings.yaml": configMap(`${p}`) } });
      pulls.push({ repo: repo.fullName, number: opened.number });
    }
  }
  for (const [index, pull] of pulls.entries()) {
    for (let push = 0; push < (index % 2 === 0 ? 2 : 1); push++) {
      await sim.synchronizePullRequest({ repo: pull.repo, number: pull.number, files: { "deploy/staging/settings.yaml": configMap(`${index}-${push}`) } });
    }
  }
  return sim.deliveries.slice(first);
}

async function listenOn(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
