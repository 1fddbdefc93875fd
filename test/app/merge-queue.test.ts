import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { listJobs } from "../../src/store/index.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";
import { createTestNamespace, testClusterAlias, type TestNamespace } from "../support/test-cluster.js";

// End to end: a merge queue's group gets the checks its pull requests got, under the same names.
let t: TestApp;
let ns: TestNamespace;
before(async () => {
  ns = await createTestNamespace("merge-queue");
  t = await startTestApp({
    clusters: [testClusterAlias()],
    // A check that fails waits long enough in the queue for the test to destroy its group meanwhile.
    workerRetryBaseMs: 600_000,
  });
});
after(async () => {
  await t?.close();
  await ns?.cleanup();
});

const config = (namespace: string) => `environments:
  - name: staging
    path: deploy/staging
    cluster: test
    namespace: ${namespace}
  - name: production
    path: deploy/production
    cluster: test
    namespace: ${namespace}
    protected: true
  - name: qa
    path: deploy/qa
    cluster: test
    namespace: ${namespace}
`;

const configMap = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

test("a queue with two pull requests gets validate and a live plan per touched environment on the group's head, and no comment", async () => {
  const repo = await t.sim.createRepository({
    name: "merge-queue",
    files: {
      ".github/slipway.yml": config(ns.name),
      "deploy/staging/settings.yaml": configMap("settings", "1"),
      "deploy/production/settings.yaml": configMap("settings", "1"),
      "deploy/qa/settings.yaml": configMap("settings", "1"),
    },
  });
  const first = await t.sim.openPullRequest({
    repo,
    head: "staging-change",
    author: "octocat",
    files: { "deploy/staging/settings.yaml": configMap("settings", "2") },
  });
  const second = await t.sim.openPullRequest({
    repo,
    head: "production-change",
    author: "octocat",
    files: { "deploy/production/settings.yaml": configMap("settings", "2") },
  });
  await t.settle();
  const commentsBefore = [first.number, second.number].map((n) => t.sim.comments(repo, n).length);

  const group = await t.sim.enqueueMergeGroup({ repo, pullNumbers: [first.number, second.number] });
  await t.settle();

  const runs = t.sim.checkRuns(repo, { headSha: group.headSha });
  assert.deepEqual(runs.map((r) => r.name).sort(), ["Slipway / plan: production", "Slipway / plan: staging", "Slipway / validate"]);
  for (const run of runs) {
    assert.equal(run.status, "completed", run.name);
    assert.equal(run.conclusion, "success", `${run.name}: ${run.output.summary}`);
  }
  // The plans compare the group with the cluster (live), one change each, and say nothing of qa.
  for (const environment of ["staging", "production"]) {
    const run = runs.find((r) => r.name === `Slipway / plan: ${environment}`)!;
    assert.equal(run.output.title, "1 to create", environment);
  }
  // A group has no pull request of its own: no comment anywhere.
  assert.deepEqual(
    [first.number, second.number].map((n) => t.sim.comments(repo, n).length),
    commentsBefore,
  );
  t.sim.assertNoViolations();
});

test("a destroyed merge group drops its waiting check and ends its open check runs as cancelled", async () => {
  const repo = await t.sim.createRepository({
    name: "merge-queue-destroyed",
    files: { ".github/slipway.yml": config(ns.name), "deploy/staging/settings.yaml": configMap("settings", "1") },
  });
  const pull = await t.sim.openPullRequest({ repo, head: "change", author: "octocat", files: { "deploy/staging/settings.yaml": configMap("settings", "3") } });
  await t.settle();

  // Reading the group's manifests fails once: the check leaves its validate run open and waits to retry.
  t.sim.failNext({ method: "GET", pathPattern: /\/git\/trees\//, status: 502 });
  const group = await t.sim.enqueueMergeGroup({ repo, pullNumbers: [pull.number] });
  const key = `check:${repo.fullName}@${group.headSha}`;
  await t.sim.waitFor(async () => (await listJobs(t.app.db, { key, status: "queued" })).some((job) => job.attempts === 1));
  assert.equal(t.sim.checkRuns(repo, { headSha: group.headSha, name: "Slipway / validate" })[0]?.status, "in_progress");

  await t.sim.destroyMergeGroup({ repo, headSha: group.headSha, reason: "dequeued" });
  await t.settle();

  const [job] = await listJobs(t.app.db, { key });
  assert.equal(job?.status, "superseded");
  assert.match(job?.lastError ?? "", /left the queue \(dequeued\)/);
  const runs = t.sim.checkRuns(repo, { headSha: group.headSha });
  assert.deepEqual(
    runs.map((r) => [r.name, r.status, r.conclusion]),
    [["Slipway / validate", "completed", "cancelled"]],
  );
  assert.match(runs[0]!.output.summary ?? "", /left the queue \(dequeued\)/);
  t.sim.assertNoViolations({ ignore: (v) => v.status === 502 });
});
