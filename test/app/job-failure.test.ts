import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { pino } from "pino";
import { readServerConfig, type AppCredentials, type ServerConfig } from "../../src/config/read-server-config.js";
import { startSlipway } from "../../src/server/start-slipway.js";
import { listJobs } from "../../src/store/index.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";

// Transient failures retry with backoff; a job that keeps failing ends as a failed check run
// that says why. Octokit's own retries are off here (as in every App test), so each injected
// fault reaches the job worker.

let t: TestApp;
before(async () => {
  t = await startTestApp({ workerRetryBaseMs: 20 });
});
after(async () => {
  await t?.close();
});

const config = `environments:
  - name: staging
    path: deploy/staging
    cluster: staging
    namespace: web
`;

const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n";

async function openOnNewRepository(name: string) {
  const repo = await t.sim.createRepository({ name, files: { ".github/slipway.yml": config, "deploy/staging/settings.yaml": configMap } });
  return {
    repo,
    open: () =>
      t.sim.openPullRequest({ repo, head: "change", author: "octocat", files: { "deploy/staging/settings.yaml": configMap.replace("fast", "slow") } }),
  };
}

async function jobsOf(key: string) {
  return (await listJobs(t.app.db, { kind: "check-head" })).filter((job) => job.key === key);
}

test("GitHub answering 502 twice: the job retries with backoff and the check completes", async () => {
  const { repo, open } = await openOnNewRepository("flaky");
  t.sim.failNext({ method: "GET", pathPattern: /^\/repos\/[^/]+\/flaky\/pulls\/\d+$/, status: 502, times: 2 });
  const opened = await open();
  await t.settle();

  const [job] = await jobsOf(`check:${repo.fullName}#${opened.number}`);
  assert.equal(job?.status, "succeeded");
  assert.equal(job?.attempts, 3, "two failed attempts, then one that worked");
  assert.equal(t.sim.injectedFaults.filter((f) => f.path.includes("/flaky/")).length, 2);
  const retried = t.logs.filter((line) => line.msg === "Job will be retried" && line.jobId === job?.id);
  assert.equal(retried.length, 2);
  assert.ok(
    retried.every((line) => typeof line.retryAfterMs === "number" && line.retryAfterMs > 0),
    "each retry waits",
  );

  const runs = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / validate" });
  assert.deepEqual(
    runs.map((run) => [run.status, run.conclusion]),
    [["completed", "success"]],
  );
  t.sim.assertNoViolations();
});

test("a job that fails on every attempt before its check opened ends as a failed check that says why", async () => {
  const { repo, open } = await openOnNewRepository("down");
  // Every attempt reads the config and gets 502; the report afterwards reads it again and succeeds.
  t.sim.failNext({ method: "GET", pathPattern: /^\/repos\/[^/]+\/down\/contents\//, status: 502, times: 5 });
  const opened = await open();
  await t.settle();

  const [job] = await jobsOf(`check:${repo.fullName}#${opened.number}`);
  assert.equal(job?.status, "failed");
  assert.equal(job?.attempts, job?.maxAttempts);

  const runs = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / validate" });
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.status, "completed");
  assert.equal(runs[0]!.conclusion, "failure");
  assert.equal(runs[0]!.output.title, "Slipway could not finish this check");
  assert.equal(
    runs[0]!.output.summary,
    `Slipway gave up on this commit after 5 attempts: GitHub kept answering HTTP 502 (a GitHub outage). Re-run this check once that is resolved; the server log has the details under job ${job!.id}.`,
  );
  t.sim.assertNoViolations();
});

test("a job that fails after opening its check completes every run it left in progress as a failure", async () => {
  const { repo, open } = await openOnNewRepository("half");
  t.sim.failNext({ method: "GET", pathPattern: /^\/repos\/[^/]+\/half\/git\/trees\//, status: 503, times: 5 });
  const opened = await open();
  await t.settle();

  const runs = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / validate" });
  assert.ok(runs.length >= 1);
  for (const run of runs) {
    assert.equal(run.status, "completed", `run ${run.id} is not left in progress`);
    assert.equal(run.conclusion, "failure");
    assert.match(run.output.summary ?? "", /after 5 attempts: GitHub kept answering HTTP 503/);
    assert.doesNotMatch(run.output.summary ?? "", /Service Unavailable|https?:\/\//, "never the raw error");
  }
  t.sim.assertNoViolations();
});

test("a repository without a config gets no failed check, however often GitHub fails", async () => {
  const repo = await t.sim.createRepository({ name: "quiet", files: { "README.md": "hi\n" } });
  t.sim.failNext({ method: "GET", pathPattern: /^\/repos\/[^/]+\/quiet\/pulls\/\d+$/, status: 500, times: 5 });
  const opened = await t.sim.openPullRequest({ repo, head: "docs", author: "octocat", files: { "README.md": "hello\n" } });
  await t.settle();
  const [job] = await jobsOf(`check:${repo.fullName}#${opened.number}`);
  assert.equal(job?.status, "failed");
  assert.deepEqual(t.sim.checkRuns(repo), []);
  t.sim.assertNoViolations();
});

test("in production, Octokit waits out a secondary rate limit's retry-after and retries a 502 before the job has to", async () => {
  // The App as src/index.ts starts it (no Octokit override: Probot's retries and throttling on).
  const sim = t.sim;
  const result = readServerConfig({
    APP_ID: String(sim.appId),
    PRIVATE_KEY: sim.privateKey,
    WEBHOOK_SECRET: sim.webhookSecret,
    GITHUB_API_URL: sim.url,
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: "memory:",
  });
  assert.ok(result.ok);
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const production = await startSlipway({
    config: result.config as ServerConfig & { credentials: AppCredentials },
    log: pino({ level: "info" }, sink),
    clusters: undefined,
    workerPollMs: 50,
  });
  sim.setWebhookUrl(`${production.url}/api/github/webhooks`);
  try {
    const { repo, open } = await openOnNewRepository("limited");
    sim.failNext({ method: "GET", pathPattern: /^\/repos\/[^/]+\/limited\/pulls\/\d+$/, status: 403, retryAfter: 1 });
    sim.failNext({ method: "GET", pathPattern: /^\/repos\/[^/]+\/limited\/contents\//, status: 502 });
    const opened = await open();
    await sim.idle();
    await production.worker.drain();

    const [job] = (await listJobs(production.db, { kind: "check-head" })).filter((j) => j.key === `check:${repo.fullName}#${opened.number}`);
    assert.equal(job?.status, "succeeded");
    assert.equal(job?.attempts, 1, "Octokit absorbed both faults; the job did not need a retry");
    assert.equal(sim.injectedFaults.filter((f) => f.path.includes("/limited/")).length, 2);
    assert.ok(logs.some((line) => line.msg === "GitHub secondary rate limit; waiting for retry-after" && line.retryAfter === 1));
    const runs = sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / validate" });
    assert.deepEqual(
      runs.map((run) => [run.status, run.conclusion]),
      [["completed", "success"]],
    );
    sim.assertNoViolations();
  } finally {
    sim.setWebhookUrl(t.webhookUrl);
    await production.close();
  }
});
