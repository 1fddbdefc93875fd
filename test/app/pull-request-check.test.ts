import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { listJobs } from "../../src/store/index.js";
import { assertGolden } from "../support/golden.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});

const validConfig = `environments:
  - name: staging
    path: deploy/staging
    cluster: staging
    namespace: web
`;

const brokenConfig = `environments:
  - name: staging
    path: deploy/staging
    cluster: staging
    namspace: web
`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests: { cpu: 10m, memory: 16Mi }
            limits: { cpu: 100m, memory: 64Mi }
`;

test("a pull request on a configured repository becomes a job and a completed check run", async () => {
  const repo = await t.sim.createRepository({
    name: "shop",
    files: { ".github/slipway.yml": validConfig, "deploy/staging/web.yaml": deployment },
  });
  const opened = await t.sim.openPullRequest({
    repo,
    head: "more-replicas",
    author: "octocat",
    files: { "deploy/staging/web.yaml": deployment.replace("replicas: 2", "replicas: 3") },
  });
  assert.equal(opened.delivery.status, 202);
  await t.settle();

  const jobs = await listJobs(t.app.db, { kind: "check-head" });
  const mine = jobs.filter((job) => job.key === `check:${repo.fullName}#${opened.number}`);
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.status, "succeeded");
  assert.equal(mine[0]!.payload.headSha, opened.headSha);

  const runs = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / validate" });
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.status, "completed");
  assert.equal(runs[0]!.conclusion, "success");
  t.sim.assertNoViolations();
});

test("a broken config becomes a failing check run whose message names the line", async () => {
  const repo = await t.sim.createRepository({ name: "broken", files: { "deploy/staging/web.yaml": deployment } });
  const opened = await t.sim.openPullRequest({
    repo,
    head: "add-config",
    author: "octocat",
    files: { ".github/slipway.yml": brokenConfig },
  });
  await t.settle();

  const runs = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / validate" });
  assert.equal(runs.length, 1);
  const run = runs[0]!;
  assert.equal(run.conclusion, "failure");
  assert.deepEqual(
    run.annotations.map((a) => [a.path, a.start_line, a.annotation_level, a.message]),
    [[".github/slipway.yml", 5, "failure", "environments[0]: unknown property 'namspace' (did you mean 'namespace'?)"]],
  );
  assertGolden("app/broken-config-check.md", `# ${run.output.title}\n\n${run.output.summary}\n`);
  t.sim.assertNoViolations();
});

test("a repository without .github/slipway.yml gets no check run and no comment", async () => {
  const repo = await t.sim.createRepository({ name: "unrelated", files: { "README.md": "hello\n" } });
  const opened = await t.sim.openPullRequest({ repo, head: "docs", author: "octocat", files: { "README.md": "hello again\n" } });
  await t.settle();
  assert.deepEqual(t.sim.checkRuns(repo), []);
  assert.deepEqual(t.sim.comments(repo, opened.number), []);
  t.sim.assertNoViolations();
});

test("an unsigned or wrongly signed webhook gets 401 and queues nothing", async () => {
  const repo = await t.sim.createRepository({ name: "guarded", files: { ".github/slipway.yml": validConfig } });
  const opened = await t.sim.openPullRequest({ repo, head: "x", author: "octocat", files: { "a.txt": "a\n" } });
  await t.settle();
  const before = await listJobs(t.app.db, {});
  const deliveriesBefore = await countDeliveries();
  const payload = opened.delivery.payload;

  for (const signature of ["missing", "invalid"] as const) {
    const delivery = await t.sim.sendWebhook({ event: "pull_request", payload, signature });
    assert.equal(delivery.status, 401, `signature ${signature}`);
  }
  await t.settle();
  assert.equal((await listJobs(t.app.db, {})).length, before.length);
  assert.equal(await countDeliveries(), deliveriesBefore);
  t.sim.assertNoViolations();
});

test("a redelivered delivery id runs once", async () => {
  const repo = await t.sim.createRepository({ name: "redelivered", files: { ".github/slipway.yml": validConfig } });
  const opened = await t.sim.openPullRequest({ repo, head: "y", author: "octocat", files: { "b.txt": "b\n" } });
  await t.settle();
  const again = await t.sim.sendWebhook({ event: "pull_request", payload: opened.delivery.payload, deliveryId: opened.delivery.deliveryId });
  assert.equal(again.status, 202);
  await t.settle();

  const jobs = (await listJobs(t.app.db, {})).filter((job) => job.key === `check:${repo.fullName}#${opened.number}`);
  assert.equal(jobs.length, 1);
  assert.equal(t.sim.checkRuns(repo, { headSha: opened.headSha }).length, 1);
  t.sim.assertNoViolations();
});

test("a body over the bound gets 413 before its signature is even checked", async () => {
  const response = await fetch(t.webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "big", "x-hub-signature-256": "sha256=00" },
    body: JSON.stringify({ padding: "x".repeat(26 * 1024 * 1024) }),
  });
  assert.equal(response.status, 413);
});

test("the probes answer", async () => {
  assert.equal((await fetch(`${t.app.url}/healthz`)).status, 200);
  const ready = await fetch(`${t.app.url}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: "ready" });
});

async function countDeliveries(): Promise<number> {
  const rows = await t.app.db.query<{ count: string }>("SELECT count(*)::text AS count FROM webhook_deliveries");
  return Number(rows[0]!.count);
}

test("broken manifests fail the validate check with annotations at their files and lines", async () => {
  const repo = await t.sim.createRepository({
    name: "manifests",
    files: { ".github/slipway.yml": validConfig, "deploy/staging/web.yaml": deployment },
  });
  const opened = await t.sim.openPullRequest({
    repo,
    head: "typo",
    author: "octocat",
    files: {
      "deploy/staging/web.yaml": deployment.replace("replicas: 2", "replicas: two"),
      "deploy/staging/cache.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cache\ndata:\n  size: 1Gi\n  size: 2Gi\n",
    },
  });
  await t.settle();

  const [run] = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / validate" });
  assert.ok(run);
  assert.equal(run.conclusion, "failure");
  const failures = run.annotations.filter((a) => a.annotation_level === "failure").map((a) => `${a.path}:${a.start_line}: ${a.message}`);
  assert.deepEqual(failures.sort(), ['deploy/staging/cache.yaml:7: duplicate key "size"', "deploy/staging/web.yaml:6: spec.replicas: must be integer"]);
  assertGolden("app/broken-manifests-check.md", `# ${run.output.title}\n\n${run.output.summary}\n\n${run.output.text ?? ""}\n`);
  t.sim.assertNoViolations();
});
