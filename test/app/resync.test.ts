import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { enqueueFollowUp } from "../../src/jobs/enqueue-job-request.js";
import { resyncJob } from "../../src/jobs/job-request.js";
import { setEnvironmentPin } from "../../src/store/index.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";
import { createTestNamespace, testClusterAlias, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

// GitHub never redelivers a webhook by itself: the resync sweep finds what was missed.
const cluster = testClusterClient();
let t: TestApp;
let ns: TestNamespace;
before(async () => {
  ns = await createTestNamespace("resync");
  t = await startTestApp({
    clusters: [testClusterAlias()],
  });
});
after(async () => {
  await t?.close();
  await ns?.cleanup();
});

const settings = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

async function resync() {
  await enqueueFollowUp(t.app.db, () => t.app.worker.wake())(resyncJob("test"));
  await t.settle();
}

test("a pull request and a push whose webhooks were lost get their check and their deploy; a pinned environment does not", async () => {
  const config = (env: string) => `  - name: ${env}\n    path: deploy/${env}\n    cluster: test\n    namespace: ${ns.name}\n`;
  const repo = await t.sim.createRepository({
    name: "resync",
    files: {
      ".github/slipway.yml": `environments:\n${config("staging")}${config("pinned")}`,
      "deploy/staging/base.yaml": settings("base", "0"),
      "deploy/pinned/base.yaml": settings("pinned-base", "0"),
    },
  });
  t.sim.setPermission(repo, "octocat", "write");

  // Lose the webhooks: nothing listens at this address.
  t.sim.setWebhookUrl("http://127.0.0.1:9/lost");
  const opened = await t.sim.openPullRequest({ repo, head: "lost", author: "octocat", files: { "deploy/staging/a.yaml": settings("a", "pr") } });
  const pushed = await t.sim.push({ repo, files: { "deploy/staging/b.yaml": settings("b", "1"), "deploy/pinned/c.yaml": settings("c", "1") } });
  t.sim.setWebhookUrl(t.webhookUrl);
  await setEnvironmentPin(t.app.db, { environmentKey: "slipway-test/resync/pinned", sha: "0".repeat(40), pinnedBy: "octocat", reason: "test" });
  assert.equal(t.sim.checkRuns(repo, { headSha: opened.headSha }).length, 0);

  await resync();
  const [check] = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / validate" });
  assert.equal(check?.conclusion, "success");
  const deployed = t.sim.deployments(repo).filter((d) => d.sha === pushed.sha);
  assert.deepEqual(
    deployed.map((d) => d.environment),
    ["staging"],
  );
  const b = await cluster.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns.name, name: "b" });
  assert.equal((b as { data?: Record<string, string> }).data?.value, "1");

  // A second sweep finds nothing more to do.
  const before = { runs: t.sim.checkRuns(repo).length, deployments: t.sim.deployments(repo).length };
  await resync();
  assert.deepEqual({ runs: t.sim.checkRuns(repo).length, deployments: t.sim.deployments(repo).length }, before);
  t.sim.assertNoViolations();
});
