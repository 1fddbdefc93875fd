import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { getEnvironmentPin, listDeployments } from "../../src/store/index.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";
import { createTestNamespace, testClusterAlias, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

// /rollback end to end: the GitHub simulator, Slipway, and the real test cluster.
const cluster = testClusterClient();
let t: TestApp;
let ns: TestNamespace;
before(async () => {
  ns = await createTestNamespace("rollback");
  t = await startTestApp({
    clusters: [testClusterAlias()],
  });
});
after(async () => {
  await t?.close();
  await ns?.cleanup();
});

const settings = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: "${value}"\n`;

async function liveValue(): Promise<string | undefined> {
  const object = await cluster.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns.name, name: "settings" });
  return (object as { data?: Record<string, string> }).data?.value;
}

async function mergeChange(repo: Parameters<TestApp["sim"]["mergePullRequest"]>[0]["repo"], head: string, value: string, file = "settings") {
  const body = settings(value).replace("name: settings", `name: ${file}`);
  const opened = await t.sim.openPullRequest({ repo, head, author: "octocat", files: { [`deploy/staging/${file}.yaml`]: body } });
  await t.settle();
  const merged = await t.sim.mergePullRequest({ repo, number: opened.number });
  await t.settle();
  return { number: opened.number, sha: merged.sha };
}

test("/rollback restores the previous deploy, records it, pins the environment and opens the revert pull request", async () => {
  const repo = await t.sim.createRepository({
    name: "rollback",
    files: { ".github/slipway.yml": `environments:\n  - name: staging\n    path: deploy/staging\n    cluster: test\n    namespace: ${ns.name}\n` },
  });
  t.sim.setPermission(repo, "octocat", "write");
  t.sim.setPermission(repo, "reader", "read");
  const v1 = await mergeChange(repo, "v1", "one");
  const v2 = await mergeChange(repo, "v2", "two");
  assert.equal(await liveValue(), "two");

  // A read-only commenter is refused and nothing changes.
  const { commentId: refusedId } = await t.sim.comment({ repo, issueNumber: v2.number, author: "reader", body: "/rollback staging" });
  await t.settle();
  const refusal = t.sim.comments(repo, v2.number).find((c) => c.id > refusedId && c.user.login === t.sim.botLogin);
  assert.match(refusal?.body ?? "", /needs the write permission or higher; reader has read/);
  assert.equal(await liveValue(), "two");
  assert.equal(await getEnvironmentPin(t.app.db, "slipway-test/rollback/staging"), null);

  // A maintainer's rollback.
  const { commentId } = await t.sim.comment({ repo, issueNumber: v2.number, author: "octocat", body: "/rollback staging" });
  await t.settle();
  assert.deepEqual(
    t.sim.reactions(repo, commentId).map((r) => r.content),
    ["eyes"],
  );
  const reply = t.sim.comments(repo, v2.number).find((c) => c.id > commentId && c.user.login === t.sim.botLogin);
  assert.match(reply?.body ?? "", /Rolling back `staging`/);
  assert.equal(await liveValue(), "one");

  const rollback = t.sim.deployments(repo).find((d) => d.sha === v1.sha && /Rollback to/.test(d.description ?? ""));
  assert.ok(rollback, "a deployment of v1 recorded as a rollback");
  assert.equal(
    t.sim
      .deploymentStatuses(repo, rollback.id)
      .sort((a, b) => a.id - b.id)
      .at(-1)?.state,
    "success",
  );
  const [latest] = await listDeployments(t.app.db, "slipway-test/rollback/staging", { limit: 1 });
  assert.deepEqual(
    { kind: latest?.kind, sha: latest?.sha, by: latest?.requestedBy, status: latest?.status },
    { kind: "rollback", sha: v1.sha, by: "octocat", status: "succeeded" },
  );
  assert.equal((await getEnvironmentPin(t.app.db, "slipway-test/rollback/staging"))?.sha, v1.sha);

  const revert = t.sim.pullRequests(repo).find((pr) => pr.headRef.startsWith("slipway/rollback/staging/") && pr.state === "open");
  assert.ok(revert, "a revert pull request is open");
  assert.match(reply?.body ?? "", new RegExp(`#${revert.number}`));
  assert.equal(await t.sim.readFile(repo, revert.headRef, "deploy/staging/settings.yaml"), settings("one"));

  // While pinned, a new merge is held, not deployed.
  const v3 = await mergeChange(repo, "v3", "three", "extra");
  assert.equal(await liveValue(), "one");
  assert.equal(
    t.sim
      .statuses(repo, v3.sha)
      .filter((s) => s.context === "slipway/deploy: staging")
      .at(-1)?.state,
    "error",
  );

  // Merging the revert pull request lifts the pin; Git and the cluster agree again.
  await t.sim.mergePullRequest({ repo, number: revert.number });
  await t.settle();
  assert.equal(await getEnvironmentPin(t.app.db, "slipway-test/rollback/staging"), null);
  assert.equal(await liveValue(), "one");
  const extra = await cluster.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns.name, name: "extra" });
  assert.equal((extra as { data?: Record<string, string> }).data?.value, "three", "the merge after the revert deploys again");
  t.sim.assertNoViolations();
});
