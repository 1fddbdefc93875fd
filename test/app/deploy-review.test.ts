import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { NotFoundError } from "../../src/cluster/cluster-error.js";
import { environmentKey } from "../../src/jobs/environment-key.js";
import { listDeployments } from "../../src/store/index.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";
import { createTestNamespace, testClusterAlias, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

// End to end: a protected environment deploys only what came through an approved pull request.
const cluster = testClusterClient();
let t: TestApp;
const namespaces: TestNamespace[] = [];
before(async () => {
  t = await startTestApp({
    clusters: [testClusterAlias()],
  });
});
after(async () => {
  await t?.close();
  await Promise.all(namespaces.map((ns) => ns.cleanup()));
});

async function setUp(name: string, extra = ""): Promise<{ repo: Awaited<ReturnType<TestApp["sim"]["createRepository"]>>; ns: string }> {
  const ns = await createTestNamespace(name);
  namespaces.push(ns);
  const repo = await t.sim.createRepository({
    name,
    files: {
      ".github/slipway.yml": `environments:\n  - name: production\n    path: deploy/production\n    cluster: test\n    namespace: ${ns.name}\n    protected: true\n${extra}`,
      "deploy/production/settings.yaml": configMap("settings", "1"),
      ".github/CODEOWNERS": "* @lead\n/deploy/production/ @slipway-test/sre\n",
    },
  });
  return { repo, ns: ns.name };
}

const configMap = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

async function liveValue(ns: string, name: string): Promise<string | undefined> {
  try {
    const object = await cluster.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns, name });
    return (object as { data?: Record<string, string> }).data?.value;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

function lastDeployStatus(repo: { fullName: string }, sha: string) {
  return t.sim
    .statuses(repo.fullName, sha)
    .filter((s) => s.context === "slipway/deploy: production")
    .sort((a, b) => a.id - b.id)
    .at(-1);
}

function deploymentStates(repo: { fullName: string }, sha: string) {
  const [deployment] = t.sim.deployments(repo.fullName).filter((d) => d.sha === sha);
  return deployment ? t.sim.deploymentStatuses(repo.fullName, deployment.id).sort((a, b) => a.id - b.id) : [];
}

test("a direct push to a protected environment's branch does not deploy, and says why; a maintainer's /deploy overrides, recorded", async () => {
  const { repo, ns } = await setUp("review-direct");
  const pushed = await t.sim.push({ repo, author: "octocat", files: { "deploy/production/web.yaml": configMap("web", "direct") } });
  await t.settle();

  assert.equal(await liveValue(ns, "web"), undefined);
  const reason = "Not deployed: pushed directly by @octocat, not through an approved pull request. A maintainer's /deploy production overrides";
  assert.deepEqual(
    deploymentStates(repo, pushed.sha).map((s) => [s.state, s.description]),
    [
      ["queued", "Waiting for its turn"],
      ["error", reason],
    ],
  );
  assert.equal(lastDeployStatus(repo, pushed.sha)?.state, "error");
  assert.equal(lastDeployStatus(repo, pushed.sha)?.description, reason);
  const [blocked] = await listDeployments(t.app.db, environmentKey("slipway-test", "review-direct", "production"), { limit: 1 });
  assert.equal(blocked?.status, "failed");
  assert.deepEqual(blocked?.details, { blocked: "pushed directly by @octocat, not through an approved pull request" });

  // A write collaborator may not override; a maintainer may, on any pull request.
  const discussion = await t.sim.openPullRequest({ repo, head: "discuss", author: "octocat", files: { "notes.md": "why\n" } });
  await t.settle();
  t.sim.setPermission(repo, "octocat", "write");
  t.sim.setPermission(repo, "maintainer", "maintain");
  await t.sim.comment({ repo, issueNumber: discussion.number, author: "octocat", body: "/deploy production" });
  await t.settle();
  assert.match(t.sim.comments(repo, discussion.number).at(-1)?.body ?? "", /maintain/);
  assert.equal(await liveValue(ns, "web"), undefined);

  await t.sim.comment({ repo, issueNumber: discussion.number, author: "maintainer", body: "/deploy production" });
  await t.settle();
  assert.match(
    t.sim.comments(repo, discussion.number).at(-1)?.body ?? "",
    /^Deploying `[0-9a-f]{12}` \(the head of `main`\) to `production`, asked by maintainer/,
  );
  assert.equal(await liveValue(ns, "web"), "direct");
  const overridden = t.sim
    .deployments(repo)
    .filter((d) => d.sha === pushed.sha)
    .at(-1)!;
  assert.match(overridden.description ?? "", /review overridden by @maintainer on #\d+/);
  const states = t.sim.deploymentStatuses(repo, overridden.id).sort((a, b) => a.id - b.id);
  assert.equal(states.at(-1)?.state, "success");
  assert.match(states.at(-1)?.description ?? "", /\(review overridden by @maintainer on #\d+\)$/);
  assert.match(lastDeployStatus(repo, pushed.sha)?.description ?? "", /review overridden by @maintainer/);
  const [recorded] = await listDeployments(t.app.db, environmentKey("slipway-test", "review-direct", "production"), { limit: 1 });
  assert.equal(recorded?.status, "succeeded");
  assert.equal(recorded?.requestedBy, "maintainer");
  const override = (recorded?.details as { reviewOverride?: { by: string; at: string; pullNumber: number } }).reviewOverride;
  assert.equal(override?.by, "maintainer");
  assert.equal(override?.pullNumber, discussion.number);
  assert.ok(!Number.isNaN(Date.parse(override?.at ?? "")));
  t.sim.assertNoViolations();
});

test("an approved merge deploys; a dismissed approval blocks", async () => {
  const { repo, ns } = await setUp("review-merge");
  const approved = await t.sim.openPullRequest({
    repo,
    head: "approved",
    author: "octocat",
    files: { "deploy/production/settings.yaml": configMap("settings", "2") },
  });
  await t.settle();
  // The plan says what the merge will have to meet.
  const sticky = t.sim.comments(repo, approved.number).find((c) => c.body.startsWith("<!-- slipway:plan -->"))?.body ?? "";
  assert.match(
    sticky,
    /\*\*After merge:\*\* deploys only if this pull request was approved on its final head, with no approval dismissed and no changes requested \(`requireReview: approved`\)\./,
  );
  t.sim.review({ repo, number: approved.number, user: "reviewer", state: "APPROVED" });
  const merged = await t.sim.mergePullRequest({ repo, number: approved.number });
  await t.settle();
  assert.equal(await liveValue(ns, "settings"), "2");
  assert.equal(lastDeployStatus(repo, merged.sha)?.state, "success");
  const [recorded] = await listDeployments(t.app.db, environmentKey("slipway-test", "review-merge", "production"), { limit: 1 });
  assert.equal((recorded?.details as { review?: string }).review, `#${approved.number} approved by @reviewer`);

  const dismissed = await t.sim.openPullRequest({
    repo,
    head: "dismissed",
    author: "octocat",
    files: { "deploy/production/settings.yaml": configMap("settings", "3") },
  });
  await t.settle();
  const review = t.sim.review({ repo, number: dismissed.number, user: "reviewer", state: "APPROVED" });
  t.sim.dismissReview({ repo, reviewId: review });
  const blocked = await t.sim.mergePullRequest({ repo, number: dismissed.number });
  await t.settle();
  assert.equal(await liveValue(ns, "settings"), "2");
  assert.equal(lastDeployStatus(repo, blocked.sha)?.state, "error");
  assert.equal(
    lastDeployStatus(repo, blocked.sha)?.description,
    `Not deployed: #${dismissed.number}'s approval by @reviewer was dismissed. A maintainer's /deploy production overrides`,
  );
  assert.equal(deploymentStates(repo, blocked.sha).at(-1)?.state, "error");
  t.sim.assertNoViolations();
});

test("with stale approvals dismissed on push, an approval of an earlier head blocks; code owners' approval is checked per path, teams included", async () => {
  const { repo, ns } = await setUp("review-owners", "    requireReview: approved-by-codeowners\n");
  t.sim.dismissStaleReviewsOn({ repo, branch: "main" });
  t.sim.addTeamMember({ team: "slipway-test/sre", user: "sre-oncall" });

  const stale = await t.sim.openPullRequest({
    repo,
    head: "stale",
    author: "octocat",
    files: { "deploy/production/settings.yaml": configMap("settings", "4") },
  });
  await t.settle();
  t.sim.review({ repo, number: stale.number, user: "sre-oncall", state: "APPROVED" });
  await t.sim.synchronizePullRequest({ repo, number: stale.number, files: { "deploy/production/settings.yaml": configMap("settings", "5") } });
  await t.settle();
  const staleMerge = await t.sim.mergePullRequest({ repo, number: stale.number });
  await t.settle();
  assert.equal(await liveValue(ns, "settings"), undefined);
  assert.match(
    lastDeployStatus(repo, staleMerge.sha)?.description ?? "",
    new RegExp(`^Not deployed: #${stale.number} has no approval on its final head [0-9a-f]{7}`),
  );

  const owned = await t.sim.openPullRequest({
    repo,
    head: "owned",
    author: "octocat",
    files: { "deploy/production/settings.yaml": configMap("settings", "6") },
  });
  await t.settle();
  t.sim.review({ repo, number: owned.number, user: "lead", state: "APPROVED" });
  const notOwner = await t.sim.mergePullRequest({ repo, number: owned.number });
  await t.settle();
  assert.match(
    lastDeployStatus(repo, notOwner.sha)?.description ?? "",
    new RegExp(`^Not deployed: #${owned.number} has no approval from a code owner of deploy/production/settings\\.yaml \\(@slipway-test/sre\\)`),
  );

  const byTeam = await t.sim.openPullRequest({
    repo,
    head: "by-team",
    author: "octocat",
    files: { "deploy/production/settings.yaml": configMap("settings", "7") },
  });
  await t.settle();
  t.sim.review({ repo, number: byTeam.number, user: "sre-oncall", state: "APPROVED" });
  const teamMerge = await t.sim.mergePullRequest({ repo, number: byTeam.number });
  await t.settle();
  assert.equal(lastDeployStatus(repo, teamMerge.sha)?.state, "success");
  assert.equal(await liveValue(ns, "settings"), "7");
  t.sim.assertNoViolations();
});
