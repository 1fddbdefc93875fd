import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { checkHeadJob } from "../../src/jobs/job-request.js";
import { claimJob, completeJob, enqueueJob, getJob, listJobs, type Job } from "../../src/store/index.js";
import type { WebhookDelivery } from "../support/github-simulator/index.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";

// Two Slipway replicas on one PostgreSQL schema behind one round-robin forwarder (a stand-in for
// a load balancer; the simulator has one webhook URL). A burst of 200 deliveries, with
// redeliveries, must run each piece of work exactly once, one job per pull request at a time.

const postgresUrl = process.env.SLIPWAY_TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";
const schema = `slipway_burst_${process.pid}_${randomBytes(3).toString("hex")}`;

const repositories = 8;
const pullsPerRepository = 5; // 40 pull requests
const burstSize = 200;

let a: TestApp;
let b: TestApp;
let forwarder: Forwarder;
let audit: pg.Client;

before(async () => {
  const env = { DATABASE_URL: postgresUrl, DATABASE_SCHEMA: schema };
  a = await startTestApp({ env });
  b = await startTestApp({ env, sim: a.sim });
  forwarder = await startForwarder();
  a.sim.setWebhookUrl(forwarder.url);

  // Instrumentation: every status or owner change of a job row, stamped with the wall clock.
  audit = new pg.Client({ connectionString: postgresUrl, options: `-c search_path=${schema}` });
  await audit.connect();
  await audit.query(`
    CREATE TABLE job_transitions (job_id bigint, key text, status text, owner text, at timestamptz NOT NULL DEFAULT clock_timestamp());
    CREATE FUNCTION record_job_transition() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status OR NEW.lease_owner IS DISTINCT FROM OLD.lease_owner THEN
        INSERT INTO job_transitions (job_id, key, status, owner) VALUES (NEW.id, NEW.key, NEW.status, NEW.lease_owner);
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER jobs_audit AFTER INSERT OR UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION record_job_transition();
  `);
});

after(async () => {
  await b?.close();
  await a?.close();
  await forwarder?.close();
  if (audit) {
    await audit.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await audit.end();
  }
});

const config = `environments:
  - name: staging
    path: deploy/staging
    cluster: staging
    namespace: web
`;

const configMap = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: "${value}"\n`;

interface Chain {
  repo: string;
  number: number;
  finalHead: string;
  heads: string[];
  /** In the order GitHub sent them: opened, then push + synchronize per new commit. */
  deliveries: WebhookDelivery[];
}

test("a burst of 200 deliveries with redeliveries across two replicas runs each piece of work once", { timeout: 240_000 }, async () => {
  // 1. Set up 40 pull requests while the forwarder swallows the webhooks, keeping each delivery.
  forwarder.sink();
  const sim = a.sim;
  const chains: Chain[] = [];
  for (let r = 0; r < repositories; r++) {
    const repo = await sim.createRepository({ name: `burst-${r}`, files: { ".github/slipway.yml": config, "deploy/staging/settings.yaml": configMap("0") } });
    for (let p = 0; p < pullsPerRepository; p++) {
      const opened = await sim.openPullRequest({
        repo,
        head: `change-${p}`,
        author: "octocat",
        files: { "deploy/staging/settings.yaml": configMap(`${p}-a`) },
      });
      chains.push({ repo: repo.fullName, number: opened.number, finalHead: opened.headSha, heads: [opened.headSha], deliveries: [opened.delivery] });
    }
  }
  // One new commit on every pull request, a second one on half of them: 40 + 2 × 40 + 2 × 20 = 160 deliveries.
  for (const [index, chain] of chains.entries()) {
    for (let push = 0; push < (index % 2 === 0 ? 2 : 1); push++) {
      const before = sim.deliveries.length;
      const synced = await sim.synchronizePullRequest({
        repo: chain.repo,
        number: chain.number,
        files: { "deploy/staging/settings.yaml": configMap(`${index}-${push}`) },
      });
      chain.deliveries.push(...sim.deliveries.slice(before));
      chain.heads.push(synced.headSha);
      chain.finalHead = synced.headSha;
    }
  }
  const originals = chains.flatMap((chain) => chain.deliveries);
  const redeliveries = burstSize - originals.length;
  assert.equal(originals.length, 160);

  // 2. The burst: the chains concurrently, each in GitHub's order; 40 redeliveries of seeded
  //    random picks, each sent right after its original was answered (as a redelivery is).
  const random = mulberry32(8);
  const redeliver = new Set<string>();
  while (redeliver.size < redeliveries) redeliver.add(originals[Math.floor(random() * originals.length)]!.deliveryId);
  forwarder.toReplicas([a.webhookUrl, b.webhookUrl]);
  const answers: Array<Promise<WebhookDelivery>> = [];
  await Promise.all(
    chains.map(async (chain) => {
      for (const delivery of chain.deliveries) {
        const sent = sim.sendWebhook({ event: delivery.event, payload: delivery.payload, deliveryId: delivery.deliveryId });
        answers.push(sent);
        await sent;
        if (redeliver.has(delivery.deliveryId)) {
          answers.push(sim.sendWebhook({ event: delivery.event, payload: delivery.payload, deliveryId: delivery.deliveryId }));
        }
      }
    }),
  );
  const answered = await Promise.all(answers);
  assert.equal(answered.length, burstSize);
  assert.deepEqual(countBy(answered.map((delivery) => String(delivery.status))), { "202": burstSize });
  assert.deepEqual(forwarder.counts(), [burstSize / 2, burstSize / 2], "each replica received half of the burst");
  await a.settle();
  await b.settle();

  // 3. Every delivery id recorded once.
  const deliveryRows = await a.app.db.query<{ id: string; count: number }>(`SELECT id, count(*)::int AS count FROM webhook_deliveries GROUP BY id`);
  const burstIds = new Set(originals.map((delivery) => delivery.deliveryId));
  const recorded = deliveryRows.filter((row) => burstIds.has(row.id));
  assert.equal(recorded.length, originals.length);
  assert.ok(recorded.every((row) => row.count === 1));

  // 4. One job per (pull request, head); each ran at most once, and the newest head's ran.
  const jobs = await listJobs(a.app.db, { kind: "check-head" });
  assert.equal(
    jobs.length,
    chains.reduce((sum, chain) => sum + chain.heads.length, 0),
  );
  const byHead = new Map<string, Job[]>();
  for (const job of jobs) byHead.set(`${job.key}@${String(job.payload.headSha)}`, [...(byHead.get(`${job.key}@${String(job.payload.headSha)}`) ?? []), job]);
  assert.ok(
    [...byHead.values()].every((list) => list.length === 1),
    "never two jobs for one pull request head",
  );
  for (const job of jobs) {
    // A job for an older head may be superseded while it waits; a job that ran, ran once.
    assert.ok(
      (job.status === "succeeded" && job.attempts === 1) || (job.status === "superseded" && job.attempts === 0),
      `job ${job.id} ${job.key}: ${job.status} after ${job.attempts} attempts (${job.lastError ?? ""})`,
    );
  }
  const checked = [...a.logs, ...b.logs].filter((line) => line.msg === "Checked head");
  const ranIds = checked.map((line) => Number(line.job));
  assert.equal(new Set(ranIds).size, ranIds.length, "no job's handler finished twice");
  assert.deepEqual(new Set(ranIds), new Set(jobs.filter((job) => job.status === "succeeded").map((job) => job.id)));
  const perReplica = [a, b].map((t) => t.logs.filter((line) => line.msg === "Checked head").length);
  assert.ok(
    perReplica.every((count) => count > 0),
    `both replicas ran jobs (${perReplica.join(" + ")})`,
  );

  // 5. No two running jobs of one key overlapped (from the row transitions the trigger recorded).
  const transitions = (
    await audit.query<{ job_id: number; key: string; status: string; owner: string | null; at: Date }>(
      `SELECT job_id::int AS job_id, key, status, owner, at FROM job_transitions ORDER BY at, job_id`,
    )
  ).rows;
  assertNoOverlap(transitions);

  // 6. Every newest head has exactly one completed, successful `Slipway / validate` run; older heads at most one, completed.
  for (const chain of chains) {
    for (const head of chain.heads) {
      const runs = sim.checkRuns(chain.repo, { headSha: head, name: "Slipway / validate" });
      if (head === chain.finalHead) {
        assert.deepEqual(
          runs.map((run) => [run.status, run.conclusion]),
          [["completed", "success"]],
          `${chain.repo}#${chain.number} newest head`,
        );
      } else {
        assert.ok(runs.length <= 1 && runs.every((run) => run.status === "completed"), `${chain.repo}#${chain.number} older head ${head}`);
      }
    }
  }
  sim.assertNoViolations();
  const summary = countBy(jobs.map((job) => job.status));
  console.log(
    `burst: ${answered.length} deliveries (${redeliveries} redelivered), ${jobs.length} jobs ${JSON.stringify(summary)}, replicas ran ${perReplica.join(" + ")}`,
  );
});

test("a replica that dies mid-job loses nothing: the other runs the job once its lease expires", { timeout: 60_000 }, async () => {
  forwarder.sink();
  const sim = a.sim;
  const repo = await sim.createRepository({ name: "orphaned", files: { ".github/slipway.yml": config, "deploy/staging/settings.yaml": configMap("0") } });
  const opened = await sim.openPullRequest({ repo, head: "change", author: "octocat", files: { "deploy/staging/settings.yaml": configMap("1") } });
  const request = checkHeadJob({
    installationId: sim.installationId,
    owner: repo.owner,
    repo: repo.name,
    headSha: opened.headSha,
    pullNumber: opened.number,
    reason: "test",
  });

  // A third replica claims the job (short lease) in the same transaction as it is queued, so the
  // live replicas cannot take it first, and then dies: it never renews, completes or fails it.
  const dead = "dead-replica";
  const claimed = await a.app.db.transaction(async (tx) => {
    const queued = await enqueueJob(tx, { kind: request.kind, key: request.key, payload: { ...request.payload }, dedupeKey: request.dedupeKey });
    const job = await claimJob(tx, { owner: dead, leaseMs: 1_500, kinds: ["check-head"] });
    assert.equal(job?.id, queued.job.id);
    return job!;
  });
  assert.equal(claimed.leaseOwner, dead);

  const finished = await sim.waitFor(
    async () => {
      const job = await getJob(a.app.db, claimed.id);
      return job?.status === "succeeded" ? job : undefined;
    },
    { timeoutMs: 30_000 },
  );
  assert.equal(finished.attempts, 2, "the dead replica's attempt counts, the takeover is the second");
  assert.ok(finished.leaseOwner && finished.leaseOwner !== dead);
  assert.equal(
    await completeJob(a.app.db, { jobId: claimed.id, fencingToken: claimed.fencingToken }),
    false,
    "the dead replica, back from the dead, cannot record a result",
  );

  await a.settle();
  await b.settle();
  const runs = sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / validate" });
  assert.deepEqual(
    runs.map((run) => [run.status, run.conclusion]),
    [["completed", "success"]],
  );
  const owners = (
    await audit.query<{ owner: string | null }>(`SELECT owner FROM job_transitions WHERE job_id = $1 AND status = 'running' ORDER BY at`, [claimed.id])
  ).rows;
  assert.deepEqual(
    owners.map((row) => row.owner === dead),
    [true, false],
  );
  sim.assertNoViolations();
});

/** Each job's running intervals (claim to the next transition), checked pairwise per key. */
function assertNoOverlap(transitions: Array<{ job_id: number; key: string; status: string; owner: string | null; at: Date }>): void {
  const intervals = new Map<string, Array<{ job: number; from: number; to: number }>>();
  const open = new Map<number, { key: string; from: number }>();
  for (const row of transitions) {
    const at = row.at.getTime();
    const running = open.get(row.job_id);
    if (running) {
      intervals.set(running.key, [...(intervals.get(running.key) ?? []), { job: row.job_id, from: running.from, to: at }]);
      open.delete(row.job_id);
    }
    if (row.status === "running") open.set(row.job_id, { key: row.key, from: at });
  }
  assert.equal(open.size, 0, "no job is still running");
  let checkedPairs = 0;
  for (const [key, list] of intervals) {
    list.sort((x, y) => x.from - y.from);
    for (let i = 1; i < list.length; i++) {
      checkedPairs += 1;
      assert.ok(list[i]!.from >= list[i - 1]!.to, `${key}: job ${list[i]!.job} started before job ${list[i - 1]!.job} ended`);
    }
  }
  assert.ok(checkedPairs > 0, "some keys ran more than one job, so the check means something");
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Forwarder {
  url: string;
  /** Answer 202 and drop everything (test setup). */
  sink(): void;
  /** Forward each request to the next target in turn. */
  toReplicas(targets: string[]): void;
  /** Requests forwarded to each target since the last toReplicas. */
  counts(): number[];
  close(): Promise<void>;
}

/** A round-robin HTTP forwarder: the load balancer in front of the replicas. */
async function startForwarder(): Promise<Forwarder> {
  let targets: string[] = [];
  let counts: number[] = [];
  let next = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (targets.length === 0) {
      res.writeHead(202).end();
      return;
    }
    const index = next++ % targets.length;
    counts[index]! += 1;
    try {
      const response = await fetch(targets[index]!, { method: req.method, headers: forwardable(req.headers), body: Buffer.concat(chunks) });
      res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "text/plain" });
      res.end(await response.text());
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    sink() {
      targets = [];
    },
    toReplicas(urls) {
      targets = urls;
      counts = urls.map(() => 0);
      next = 0;
    },
    counts: () => [...counts],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function forwardable(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || ["host", "connection", "content-length", "transfer-encoding"].includes(name)) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
