import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { SOURCE_SHA_ANNOTATION } from "../../src/core/plan/slipway-labels.js";
import { listDeployments, listJobs, openDatabase, renewLease, type Database, type JobFence } from "../../src/store/index.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";
import { createTestNamespace, testClusterAlias, testClusterClient } from "../support/test-cluster.js";

// Two replicas, one deploy. Replica A stalls in the middle of it (its lease renewals hang, as in a
// long pause or with its database connection cut) for longer than its lease, and replica B takes
// the job over. A must write nothing after that — no history, no GitHub status — so the
// deployment gets one final status, from B. On PostgreSQL (each replica its own pool) and on the
// embedded store (one PGlite shared by two in-process replicas).

const postgresUrl = process.env.SLIPWAY_TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";
const cluster = testClusterClient();
const clusters = [testClusterAlias()];

interface SharedStore {
  env: Record<string, string>;
  db?: Database;
  close(): Promise<void>;
}

const stores: Array<{ name: string; open(): Promise<SharedStore> }> = [
  {
    name: "embedded store",
    async open() {
      const db = await openDatabase("memory:");
      return { env: {}, db, close: () => db.close() };
    },
  },
  {
    name: "PostgreSQL",
    async open() {
      const schema = `slipway_takeover_${process.pid}_${randomBytes(3).toString("hex")}`;
      return {
        env: { DATABASE_URL: postgresUrl, DATABASE_SCHEMA: schema },
        async close() {
          const client = new pg.Client({ connectionString: postgresUrl });
          await client.connect();
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await client.end();
        },
      };
    },
  },
];

// minReadySeconds keeps the deploy in its health wait long enough to stall it there.
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  minReadySeconds: 10
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

/** Lease renewals the test can hold: while held they hang, like a replica that is stalled or cut off. */
function holdableRenewals(db: () => Database) {
  let release: (() => void) | undefined;
  let held: Promise<void> | undefined;
  return {
    renew: async (fence: JobFence, leaseMs: number) => {
      if (held) await held;
      return renewLease(db(), fence, leaseMs);
    },
    hold() {
      held = new Promise((resolve) => (release = resolve));
    },
    release() {
      held = undefined;
      release?.();
    },
  };
}

for (const [index, store] of stores.entries()) {
  test(
    `${store.name}: a replica stalled mid-deploy and taken over writes nothing more; the deployment gets one final status`,
    { timeout: 120_000 },
    async () => {
      const shared = await store.open();
      const ns = await createTestNamespace("takeover");
      let a: TestApp | undefined;
      let b: TestApp | undefined;
      const renewals = holdableRenewals(() => a!.app.db);
      try {
        // One job at a time on A, so A cannot take its own stalled job over.
        const env = { ...shared.env, JOB_LEASE_SECONDS: "3", WORKER_CONCURRENCY: "1", RESYNC_INTERVAL_SECONDS: "0" };
        a = await startTestApp({ env, clusters, renewLease: renewals.renew, ...(shared.db ? { db: shared.db } : {}) });
        const sim = a.sim;
        const repo = await sim.createRepository({
          name: `takeover-${index}`,
          files: {
            ".github/slipway.yml": `environments:\n  - name: staging\n    path: deploy/staging\n    cluster: test\n    namespace: ${ns.name}\n    healthTimeout: 60s\n`,
          },
        });
        const pushed = await sim.push({ repo, files: { "deploy/staging/web.yaml": deployment } });

        // 1. A applies and waits for health; then it stalls past its lease.
        const github = await sim.waitFor(() => sim.deployments(repo).find((d) => d.sha === pushed.sha && d.statuses.some((s) => s.state === "in_progress")), {
          timeoutMs: 60_000,
          message: "A's deploy in progress",
        });
        const [job] = await listJobs(a.app.db, { kind: "deploy-environment", status: "running" });
        assert.ok(job, "the deploy job runs on A");
        b = await startTestApp({ env, clusters, sim, ...(shared.db ? { db: shared.db } : {}) });
        renewals.hold();
        // The store's clock runs on while A is stalled: its lease ends there before A can notice.
        await a.app.db.query(`UPDATE jobs SET lease_expires_at = now() WHERE id = $1`, [job.id]);

        // 2. B takes the job over and finishes it.
        await sim.waitFor(() => sim.deploymentStatuses(repo, github.id).some((s) => s.state === "success"), { timeoutMs: 60_000, message: "B's final status" });
        await sim.waitFor(() => a!.logs.some((line) => line.msg === "Lost the lease on a running job; it stops before its next write"), {
          timeoutMs: 10_000,
          message: "A notices",
        });
        renewals.release();
        await b.settle();
        await a.settle();

        // 3. One final status, from the replica that holds the job; A wrote nothing after the takeover.
        const statuses = sim
          .deploymentStatuses(repo, github.id)
          .sort((x, y) => x.id - y.id)
          .map((s) => s.state);
        assert.deepEqual(
          statuses.filter((state) => !["queued", "in_progress"].includes(state)),
          ["success"],
          statuses.join(", "),
        );
        assert.deepEqual(statuses.filter((state) => state === "in_progress").length, 2, "A's in progress, then B's");
        const commitStatuses = sim
          .statuses(repo, pushed.sha)
          .filter((s) => s.context === "slipway/deploy: staging")
          .map((s) => s.state);
        assert.deepEqual(
          commitStatuses.filter((state) => state !== "pending"),
          ["success"],
          commitStatuses.join(", "),
        );

        const after = (await listJobs(a.app.db, { kind: "deploy-environment" })).find((j) => j.id === job.id);
        const lost = a.logs.find((line) => line.msg === "Lost the lease on a running job; it stops before its next write");
        assert.equal(after?.status, "succeeded");
        assert.equal(after?.fencingToken, 2, "claimed twice: by A, then by B");
        assert.notEqual(after?.leaseOwner, lost?.owner, "B finished it");
        assert.ok(a.logs.some((line) => line.msg === "Job failed after its lease was taken over; its result was not recorded"));
        assert.ok(!a.logs.some((line) => line.msg === "Deploy step done" && line.job === job.id), "A's deploy did not finish");

        const history = (await listDeployments(a.app.db, `${repo.owner}/${repo.name}/staging`)).filter((d) => d.githubDeploymentId === github.id).reverse();
        assert.deepEqual(
          history.map((d) => d.status),
          ["failed", "succeeded"],
          "A's row closed by B as interrupted, then B's",
        );
        assert.match(String(history[0]!.details.message), /interrupted/);

        const web = await cluster.get({ apiVersion: "apps/v1", kind: "Deployment", namespace: ns.name, name: "web" });
        assert.equal(web.metadata.annotations?.[SOURCE_SHA_ANNOTATION], pushed.sha);
        sim.assertNoViolations();
      } finally {
        renewals.release();
        await b?.close();
        await a?.close();
        await shared.close();
        await ns.cleanup();
      }
    },
  );
}
