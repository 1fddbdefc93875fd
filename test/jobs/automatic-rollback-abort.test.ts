import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { pino } from "pino";
import { ProbotOctokit } from "probot";
import type { ClusterClient } from "../../src/cluster/cluster-client.js";
import { SOURCE_SHA_ANNOTATION } from "../../src/core/plan/slipway-labels.js";
import { createDeployment } from "../../src/github/deployments.js";
import { runDeployEnvironment } from "../../src/jobs/run-deploy-environment.js";
import { bundledSchemaRoot } from "../../src/schemas/bundled-schema-root.js";
import { createSchemaRegistryCache } from "../../src/schemas/create-schema-registry-cache.js";
import { createWorkPool, type WorkPool } from "../../src/work/create-work-pool.js";
import {
  claimJob,
  createJobLease,
  enqueueJob,
  LeaseLostError,
  listDeployments,
  openDatabase,
  renewLease,
  type Database,
  type HeldJobLease,
} from "../../src/store/index.js";
import { startGitHubSimulator, type GitHubSimulator, type RepositoryHandle } from "../support/github-simulator/index.js";
import { createTestNamespace, FAIL_READINESS_ANNOTATION, testClusterAlias, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

// A deploy fails and its automatic rollback starts; meanwhile another replica takes the job over.
// The rollback must stop before its next write: no apply, no history, no status on GitHub.

let sim: GitHubSimulator;
let receiver: Server;
let octokit: ProbotOctokit;
let db: Database;
let ns: TestNamespace;
let work: WorkPool;
const real = testClusterClient();

before(async () => {
  sim = await startGitHubSimulator();
  work = createWorkPool({ schemaRoot: bundledSchemaRoot(), threads: 1 });
  // Pushes send webhooks, as on GitHub; nobody here needs them.
  receiver = createServer((req, res) => req.resume().on("end", () => res.writeHead(202).end()));
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  sim.setWebhookUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`);
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const Octokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });
  octokit = new Octokit({ auth: { token: sim.createInstallationToken() }, baseUrl: sim.url, log: quiet });
  db = await openDatabase("memory:");
  ns = await createTestNamespace("rollback-abort");
});

after(async () => {
  await sim?.close();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  await db?.close();
  await work?.close();
  await ns?.cleanup();
});

const deployment = (templateAnnotations: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
      annotations: { ${templateAnnotations} }
    spec:
      containers:
        - name: main
          image: nginx:1.27
          resources:
            requests: { cpu: 10m, memory: 16Mi }
            limits: { cpu: 100m, memory: 64Mi }
`;

/** Runs one deploy as a job of its own, with a real lease over the store. */
async function deploy(repo: RepositoryHandle, sha: string, client: ClusterClient, onLease: (lease: HeldJobLease) => void = () => {}) {
  const deploymentId = await createDeployment(octokit as never, {
    owner: repo.owner,
    repo: repo.name,
    sha,
    environment: "staging",
    description: "test",
    payload: {},
  });
  const payload = {
    installationId: sim.installationId,
    owner: repo.owner,
    repo: repo.name,
    environment: "staging",
    sha,
    deploymentId,
    waitFor: [],
    kind: "deploy" as const,
    requestedBy: "octocat",
  };
  await enqueueJob(db, { kind: "deploy-environment", key: `env:${sha}`, payload });
  const claimedAt = Date.now();
  const job = await claimJob(db, { owner: "replica-a", leaseMs: 6_000 });
  assert.ok(job);
  const lease = createJobLease({
    db,
    fence: { jobId: job.id, fencingToken: job.fencingToken },
    leaseMs: 6_000,
    claimedAt,
    renew: (fence, ms) => renewLease(db, fence, ms),
    onLost() {},
    onRenewalError() {},
  });
  onLease(lease);
  const run = runDeployEnvironment(payload, {
    octokit: octokit as never,
    log: pino({ level: "silent" }),
    db,
    clusters: [testClusterAlias()],
    connect: () => ({ ok: true, client }),
    schemas: createSchemaRegistryCache(bundledSchemaRoot()),
    work,
    // The server's default maximums of repository limits.
    limitMaximums: { maxFileBytes: 20_971_520, maxFiles: 20_000, maxDocumentsPerFile: 4_000, maxDepth: 256, maxAliases: 400 },
    attempt: 1,
    lease,
  });
  return { deploymentId, job, lease, run: run.finally(() => lease.release()) };
}

test("the automatic rollback stops before its next write once another replica has taken the job over", { timeout: 120_000 }, async () => {
  const repo = await sim.createRepository({
    name: "rollback-abort",
    files: {
      ".github/slipway.yml": `environments:\n  - name: staging\n    path: deploy/staging\n    cluster: test\n    namespace: ${ns.name}\n    healthTimeout: 5s\n    rollbackOnFailure: true\n`,
    },
  });
  const good = await sim.push({ repo, files: { "deploy/staging/web.yaml": deployment("") } });
  assert.deepEqual(await (await deploy(repo, good.sha, real)).run, { status: "done" });

  // The next commit never becomes ready: the deploy fails and rolls back to the good commit. The
  // rollback's first request to the cluster is where another replica takes the job over.
  const bad = await sim.push({ repo, files: { "deploy/staging/web.yaml": deployment(`${FAIL_READINESS_ANNOTATION}: "true"`) } });
  let lease!: HeldJobLease;
  let takenOver = false;
  const writesAfterTakeover: string[] = [];
  const watched: ClusterClient = {
    ...real,
    async apply(object, options) {
      const rollingBack = sim.deployments(repo).some((d) => /Automatic rollback/.test(d.description ?? ""));
      if (rollingBack && !takenOver) {
        takenOver = true;
        await db.query(`UPDATE jobs SET fencing_token = fencing_token + 1, lease_owner = 'replica-b' WHERE id = $1`, [lease.jobId]);
        // The request is on its way while the lease renewal finds the job taken.
        await once(lease.signal, "abort");
      } else if (takenOver && !options.dryRun) writesAfterTakeover.push(`apply ${object.kind}/${object.metadata.name}`);
      return real.apply(object, options);
    },
    async delete(ref, options) {
      if (takenOver && !options.dryRun) writesAfterTakeover.push(`delete ${ref.kind}/${ref.name}`);
      return real.delete(ref, options);
    },
  };
  const failing = await deploy(repo, bad.sha, watched, (held) => (lease = held));
  await assert.rejects(failing.run, LeaseLostError);
  assert.ok(takenOver, "the rollback started");

  assert.deepEqual(writesAfterTakeover, [], "no cluster write after the takeover");
  const web = await real.get({ apiVersion: "apps/v1", kind: "Deployment", namespace: ns.name, name: "web" });
  assert.equal(web.metadata.annotations?.[SOURCE_SHA_ANNOTATION], bad.sha, "the rollback applied nothing");

  // The failed deploy got its final status before the takeover; the rollback's stopped at in progress.
  const badStatuses = sim.deploymentStatuses(repo, failing.deploymentId).map((s) => s.state);
  assert.equal(badStatuses.filter((state) => state === "failure").length, 1, badStatuses.join(", "));
  const rollback = sim.deployments(repo).find((d) => d.sha === good.sha && /Automatic rollback/.test(d.description ?? ""));
  assert.ok(rollback, "the rollback's GitHub Deployment was created before the takeover");
  assert.deepEqual(
    sim.deploymentStatuses(repo, rollback.id).map((s) => s.state),
    ["in_progress"],
  );
  const history = await listDeployments(db, `${repo.owner}/${repo.name}/staging`);
  assert.deepEqual(
    history.map((d) => [d.kind, d.status]),
    [
      ["rollback", "in_progress"],
      ["deploy", "failed"],
      ["deploy", "succeeded"],
    ],
  );
  sim.assertNoViolations();
});
