import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-simulator/index.js";
import { createTestNamespace, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

// A replica killed with SIGKILL in the middle of a deploy loses nothing: started again, it takes
// the job over once its lease expires, the environment converges and the deployment gets its
// final status, with no comment written twice. The real entry point, on PostgreSQL.
const databaseUrl = process.env.SLIPWAY_TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const schema = `slipway_crash_${randomBytes(4).toString("hex")}`;
const entry = resolve(import.meta.dirname, "../../src/index.ts");
const cluster = testClusterClient();
let sim: GitHubSimulator;
let ns: TestNamespace;
let app: ChildProcess | undefined;
let output = "";

before(async () => {
  sim = await startGitHubSimulator();
  ns = await createTestNamespace("crash");
});
after(async () => {
  app?.kill("SIGKILL");
  await sim?.close();
  await ns?.cleanup();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function startApp(port: number, clustersFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), entry], {
    cwd: mkdtempSync(join(tmpdir(), "slipway-crash-")),
    env: {
      PATH: process.env.PATH ?? "",
      APP_ID: String(sim.appId),
      PRIVATE_KEY: sim.privateKey,
      WEBHOOK_SECRET: sim.webhookSecret,
      GITHUB_API_URL: sim.url,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      CLUSTERS_FILE: clustersFile,
      JOB_LEASE_SECONDS: "4",
      RESYNC_INTERVAL_SECONDS: "0",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  await sim.waitFor(
    async () =>
      await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      ),
    { timeoutMs: 30_000, message: "the App answers /readyz" },
  );
  return child;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  minReadySeconds: 6
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: main
          image: nginx:1.27
          resources:
            requests: { cpu: 10m, memory: 16Mi }
            limits: { cpu: 100m, memory: 64Mi }
`;

test("SIGKILL during a deploy: after a restart the environment converges and the deployment gets its final status", async () => {
  const folder = mkdtempSync(join(tmpdir(), "slipway-crash-config-"));
  const clustersFile = join(folder, "clusters.yaml");
  writeFileSync(
    clustersFile,
    `clusters:\n  test:\n    kubeconfig: ${resolve(process.env.SLIPWAY_TEST_KUBECONFIG ?? "")}\n    repositories: ["slipway-test/*"]\n    namespaces: ["*"]\n`,
  );
  const port = await freePort();
  sim.setWebhookUrl(`http://127.0.0.1:${port}/api/github/webhooks`);
  app = await startApp(port, clustersFile);

  const repo = await sim.createRepository({
    name: "crash",
    files: { ".github/slipway.yml": `environments:\n  - name: staging\n    path: deploy/staging\n    cluster: test\n    namespace: ${ns.name}\n` },
  });
  const opened = await sim.openPullRequest({ repo, head: "web", author: "octocat", files: { "deploy/staging/web.yaml": deployment } });
  await sim.waitFor(() => sim.comments(repo, opened.number).length === 1, { timeoutMs: 60_000, message: "the plan comment" });
  const merged = await sim.mergePullRequest({ repo, number: opened.number });

  // Kill the App while the deploy waits for health (minReadySeconds keeps it there).
  await sim.waitFor(() => sim.deployments(repo).some((d) => d.sha === merged.sha && d.statuses.some((s) => s.state === "in_progress")), {
    timeoutMs: 60_000,
    message: "the deploy in progress",
  });
  app.kill("SIGKILL");
  await new Promise((done) => app!.once("exit", done));
  const [deploymentRecord] = sim.deployments(repo).filter((d) => d.sha === merged.sha);
  assert.ok(!deploymentRecord!.statuses.some((s) => s.state === "success"), "killed before it finished");

  app = await startApp(port, clustersFile);
  await sim
    .waitFor(() => sim.deploymentStatuses(repo, deploymentRecord!.id).some((s) => s.state === "success"), {
      timeoutMs: 90_000,
      message: "the final status after the restart",
    })
    .catch((error: unknown) => {
      const states = sim.deploymentStatuses(repo, deploymentRecord!.id).map((s) => `${s.state}: ${s.description}`);
      throw new Error(`${String(error)}\nStatuses: ${states.join(" | ")}\nThe App wrote:\n${output.slice(-4000)}`);
    });

  const web = await cluster.get({ apiVersion: "apps/v1", kind: "Deployment", namespace: ns.name, name: "web" });
  assert.equal((web as { status?: { availableReplicas?: number } }).status?.availableReplicas, 1);
  // The commit status follows the deployment status.
  await sim.waitFor(() => sim.statuses(repo, merged.sha).some((s) => s.context === "slipway/deploy: staging" && s.state !== "pending"), { timeoutMs: 10_000 });
  const commitStatuses = sim
    .statuses(repo, merged.sha)
    .filter((s) => s.context === "slipway/deploy: staging")
    .sort((a, b) => a.id - b.id);
  assert.equal(commitStatuses.at(-1)?.state, "success", commitStatuses.map((s) => `${s.state}: ${s.description}`).join(" | "));
  assert.equal(sim.comments(repo, opened.number).length, 1, "no comment written twice");
  sim.assertNoViolations();
});
