import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { NotFoundError } from "../../src/cluster/cluster-error.js";
import { getEnvironmentPin } from "../../src/store/index.js";
import type { RepositoryHandle } from "../support/github-simulator/index.js";
import { assertGolden } from "../support/golden.js";
import { nextSecond, startTestApp, type TestApp } from "../support/start-test-app.js";
import { createTestNamespace, testClusterAlias, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

// Issue 11, "Reviewed Git is the only truth": where, what and who come from .github/slipway.yml on
// the default branch, never from a pushed branch, a pull request's base or head, or a commit named
// in a comment. End to end: the GitHub simulator, Slipway, and the real test cluster.
const cluster = testClusterClient();
let t: TestApp;
const namespaces: TestNamespace[] = [];
before(async () => {
  t = await startTestApp({
    clusters: [testClusterAlias()],
    // The fork test holds a /plan back with one failed GitHub request; its retry comes after this.
    workerRetryBaseMs: 3_000,
  });
});
after(async () => {
  await t?.close();
  await Promise.all(namespaces.map((ns) => ns.cleanup()));
});

async function namespace(prefix: string): Promise<string> {
  const ns = await createTestNamespace(prefix);
  namespaces.push(ns);
  return ns.name;
}

const configMap = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

const environment = (name: string, ns: string, extra = "") => `  - name: ${name}\n    path: deploy/${name}\n    cluster: test\n    namespace: ${ns}\n${extra}`;

async function exists(ns: string, name: string): Promise<boolean> {
  try {
    await cluster.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns, name });
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

async function liveValue(ns: string, name: string): Promise<string | undefined> {
  const object = await cluster.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns, name });
  return (object as { data?: Record<string, string> }).data?.value;
}

async function command(repo: RepositoryHandle, issueNumber: number, author: string, body: string): Promise<string[]> {
  const { commentId } = await t.sim.comment({ repo, issueNumber, author, body });
  await t.settle();
  return t.sim
    .comments(repo, issueNumber)
    .filter((c) => c.id > commentId && c.user.login === t.sim.botLogin)
    .map((c) => c.body);
}

async function mergeChange(repo: RepositoryHandle, head: string, files: Record<string, string | null>) {
  const opened = await t.sim.openPullRequest({ repo, head, author: "octocat", files });
  await t.settle();
  const merged = await t.sim.mergePullRequest({ repo, number: opened.number });
  await t.settle();
  return { number: opened.number, sha: merged.sha };
}

test("attack 1: a branch whose own config names itself production's branch deploys nothing", async () => {
  const ns = await namespace("trust-push");
  const repo = await t.sim.createRepository({
    name: "trust-push",
    files: {
      ".github/slipway.yml": `environments:\n${environment("production", ns, "    prune: true\n")}`,
      "deploy/production/app.yaml": configMap("app", "reviewed"),
    },
  });
  const pushed = await t.sim.push({
    repo,
    branch: "feature/x",
    files: {
      ".github/slipway.yml": `environments:\n  - name: production\n    branch: feature/x\n    path: evil\n    cluster: test\n    namespace: ${ns}\n    prune: true\n`,
      "evil/backdoor.yaml": configMap("backdoor", "unreviewed"),
    },
  });
  await t.settle();

  assert.deepEqual(
    t.sim.deployments(repo).filter((d) => d.sha === pushed.sha),
    [],
    "no GitHub Deployment for the branch",
  );
  assert.deepEqual(t.sim.statuses(repo, pushed.sha), [], "no deploy status either");
  assert.equal(await exists(ns, "backdoor"), false, "nothing of the branch reached the cluster");
  assert.equal(await exists(ns, "app"), false);

  // The default branch, reviewed, deploys as its config says.
  const merged = await mergeChange(repo, "touch", { "deploy/production/app.yaml": configMap("app", "merged") });
  assert.equal(
    t.sim
      .statuses(repo, merged.sha)
      .filter((s) => s.context === "slipway/deploy: production")
      .at(-1)?.state,
    "success",
  );
  assert.equal(await liveValue(ns, "app"), "merged");
  assert.equal(await exists(ns, "backdoor"), false);
  t.sim.assertNoViolations();
});

test("attack 2: /rollback to a commit the environment never ran is refused, listing the commits it may go back to", async () => {
  const ns = await namespace("trust-rollback");
  const repo = await t.sim.createRepository({ name: "trust-rollback", files: { ".github/slipway.yml": `environments:\n${environment("staging", ns)}` } });
  t.sim.setPermission(repo, "octocat", "write");
  const v1 = await mergeChange(repo, "v1", { "deploy/staging/settings.yaml": configMap("settings", "one") });
  const v2 = await mergeChange(repo, "v2", { "deploy/staging/settings.yaml": configMap("settings", "two") });
  // An unmerged branch whose config would move staging and prune it: never reviewed, never deployed.
  const unmerged = await t.sim.commit({
    repo,
    branch: "sneaky",
    files: {
      ".github/slipway.yml": `environments:\n  - name: staging\n    path: elsewhere\n    cluster: test\n    namespace: ${ns}\n    prune: true\n    allowPruneAll: true\n`,
      "elsewhere/x.yaml": configMap("sneaky", "unreviewed"),
    },
  });

  const deploymentsBefore = t.sim.deployments(repo).length;
  const [reply] = await command(repo, v2.number, "octocat", `/rollback staging to ${unmerged.slice(0, 10)}`);
  const normalized = (reply ?? "")
    .replaceAll(unmerged.slice(0, 10), "<unmerged>")
    .replaceAll(v2.sha.slice(0, 12), "<v2>")
    .replaceAll(v1.sha.slice(0, 12), "<v1>")
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/g, "<time>");
  assertGolden("app/rollback-not-deployed.reply.md", normalized);
  assert.equal(t.sim.deployments(repo).length, deploymentsBefore, "no deployment was created");
  assert.equal(await getEnvironmentPin(t.app.db, "slipway-test/trust-rollback/staging"), null);
  assert.equal(await liveValue(ns, "settings"), "two");
  assert.equal(await exists(ns, "sneaky"), false);

  // A commit it did run is a fine target.
  const [accepted] = await command(repo, v2.number, "octocat", `/rollback staging to ${v1.sha.slice(0, 7)}`);
  assert.match(accepted ?? "", /Rolling back `staging`/);
  assert.equal(await liveValue(ns, "settings"), "one");
  t.sim.assertNoViolations();
});

test("attack 3: a pull request into a branch whose config lowers the bar still needs maintain for a protected environment", async () => {
  const ns = await namespace("trust-rules");
  const repo = await t.sim.createRepository({
    name: "trust-rules",
    files: {
      ".github/slipway.yml": `environments:\n${environment("production", ns, "    protected: true\n")}`,
      "deploy/production/app.yaml": configMap("app", "1"),
    },
  });
  t.sim.setPermission(repo, "writer", "write");
  await t.sim.commit({
    repo,
    branch: "lax",
    files: { ".github/slipway.yml": `environments:\n${environment("production", ns, "    protected: false\n")}commands:\n  rollback: read\n  lock: read\n` },
  });
  const opened = await t.sim.openPullRequest({
    repo,
    head: "into-lax",
    base: "lax",
    author: "writer",
    files: { "deploy/production/app.yaml": configMap("app", "2") },
  });
  await t.settle();

  const [rollback] = await command(repo, opened.number, "writer", "/rollback production");
  assert.match(rollback ?? "", /needs the maintain permission or higher, because `production` is a protected environment; writer has write/);
  t.sim.setPermission(repo, "reader", "read");
  const [lock] = await command(repo, opened.number, "reader", "/lock production");
  assert.match(lock ?? "", /needs the write permission or higher; reader has read/);
  t.sim.assertNoViolations();
});

test("a fork's /plan makes live the head the maintainer saw; a head pushed after the comment needs its own /plan", async () => {
  const ns = await namespace("trust-fork");
  const repo = await t.sim.createRepository({
    name: "trust-fork",
    files: { ".github/slipway.yml": `environments:\n${environment("staging", ns)}`, "deploy/staging/settings.yaml": configMap("settings", "1") },
  });
  t.sim.setPermission(repo, "maintainer", "maintain");
  const opened = await t.sim.openPullRequest({
    repo,
    head: "fork-change",
    author: "forker",
    fromFork: true,
    files: { "deploy/staging/settings.yaml": configMap("settings", "2") },
  });
  await t.settle();
  const stickyBody = () => t.sim.comments(repo, opened.number).find((c) => c.body.startsWith("<!-- slipway:plan -->"))?.body ?? "";
  assert.match(stickyBody(), /offline, from Git only/);

  // The maintainer comments /plan having seen the first head; GitHub is slow to answer the job's
  // first request, and meanwhile the fork pushes a new head.
  await nextSecond();
  t.sim.failNext({ method: "GET", pathPattern: `/repos/${repo.owner}/${repo.name}/pulls/${opened.number}`, status: 502 });
  const { commentId } = await t.sim.comment({ repo, issueNumber: opened.number, author: "maintainer", body: "/plan" });
  await nextSecond();
  const later = await t.sim.synchronizePullRequest({ repo, number: opened.number, files: { "deploy/staging/evil.yaml": configMap("evil", "unseen") } });
  await t.settle();

  const [moved] = t.sim
    .comments(repo, opened.number)
    .filter((c) => c.id > commentId && c.user.login === t.sim.botLogin)
    .map((c) => c.body);
  assert.match(moved ?? "", new RegExp(`head is now \`${later.headSha.slice(0, 12)}\`, pushed after the \`/plan\` comment`));
  assert.ok(stickyBody().includes(later.headSha.slice(0, 12)));
  assert.match(stickyBody(), /offline, from Git only/, "the later head is not planned live");
  assert.doesNotMatch(stickyBody(), /· compared with the live cluster/);

  // A /plan written after the maintainer saw it plans it live.
  await nextSecond();
  const [queued] = await command(repo, opened.number, "maintainer", "/plan");
  assert.match(queued ?? "", /Slipway now plans it live/);
  assert.match(stickyBody(), /· compared with the live cluster/);
  assert.ok(stickyBody().includes(later.headSha.slice(0, 12)));
  t.sim.assertNoViolations();
});

test("a config change in a pull request is shown in its own plan section and takes effect only after merge", async () => {
  const ns = await namespace("trust-change");
  const moved = await namespace("trust-change-moved");
  const repo = await t.sim.createRepository({
    name: "trust-change",
    files: { ".github/slipway.yml": `environments:\n${environment("staging", ns)}`, "deploy/staging/settings.yaml": configMap("settings", "1") },
  });
  t.sim.setPermission(repo, "octocat", "write");
  const opened = await t.sim.openPullRequest({
    repo,
    head: "move-staging",
    author: "octocat",
    files: {
      ".github/slipway.yml": `environments:\n${environment("staging", moved, "    branch: move-staging\n    prune: true\n")}${environment("canary", moved)}`,
      "deploy/staging/settings.yaml": configMap("settings", "2"),
      "deploy/canary/canary.yaml": configMap("canary", "1"),
    },
  });
  await t.settle();

  const [validate] = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / validate" });
  assert.equal(validate?.conclusion, "success", `the proposed config is validated: ${validate?.output.summary}\n${validate?.output.text}`);
  const body = t.sim.comments(repo, opened.number).find((c) => c.body.startsWith("<!-- slipway:plan -->"))?.body ?? "";
  const normalized = body
    .replaceAll(moved, "<moved>")
    .replaceAll(ns, "<namespace>")
    .replace(/\b[0-9a-f]{7,40}\b/g, "<sha>");
  assertGolden("app/plan-config-change.comment.md", normalized);
  assert.match(body, new RegExp(`ConfigMap ${ns}/settings`), "planned where the trusted config says");

  // The pull request names its own branch as staging's: its pushes still deploy nothing.
  const pushed = await t.sim.synchronizePullRequest({ repo, number: opened.number, files: { "deploy/staging/settings.yaml": configMap("settings", "3") } });
  await t.settle();
  assert.deepEqual(
    t.sim.deployments(repo).filter((d) => d.sha === pushed.headSha),
    [],
  );
  assert.equal(await exists(moved, "settings"), false, "nothing in the proposed namespace before the merge");

  // Once merged, it is the trusted config.
  const merged = await t.sim.mergePullRequest({ repo, number: opened.number });
  await t.settle();
  assert.deepEqual(
    t.sim
      .deployments(repo)
      .filter((d) => d.sha === merged.sha)
      .map((d) => d.environment),
    ["canary"],
    "staging now follows the branch move-staging, not main; canary, new, deploys from main",
  );
  const followed = await t.sim.push({ repo, branch: "move-staging", files: { "deploy/staging/settings.yaml": configMap("settings", "4") } });
  await t.settle();
  const status = t.sim
    .statuses(repo, followed.sha)
    .filter((s) => s.context === "slipway/deploy: staging")
    .at(-1);
  assert.equal(status?.state, "success", status?.description ?? "");
  assert.equal(await liveValue(moved, "settings"), "4");
  t.sim.assertNoViolations();
});

test("only the revert pull request Slipway opened lifts a rollback pin, not any branch named like one", async () => {
  const ns = await namespace("trust-pin");
  const repo = await t.sim.createRepository({ name: "trust-pin", files: { ".github/slipway.yml": `environments:\n${environment("staging", ns)}` } });
  t.sim.setPermission(repo, "octocat", "write");
  const v1 = await mergeChange(repo, "v1", { "deploy/staging/settings.yaml": configMap("settings", "one") });
  const v2 = await mergeChange(repo, "v2", { "deploy/staging/settings.yaml": configMap("settings", "two") });
  const [started] = await command(repo, v2.number, "octocat", "/rollback staging");
  assert.match(started ?? "", /Rolling back `staging`/);
  const key = "slipway-test/trust-pin/staging";
  const pin = await getEnvironmentPin(t.app.db, key);
  assert.equal(pin?.sha, v1.sha);
  const revert = t.sim.pullRequests(repo).find((pr) => pr.headRef.startsWith("slipway/rollback/staging/") && pr.state === "open");
  assert.ok(revert);
  assert.equal(pin?.revertPullNumber, revert.number, "the pin records the pull request Slipway opened");

  // Someone opens and merges their own pull request from a branch named like a rollback branch.
  const impostor = await t.sim.openPullRequest({
    repo,
    head: `slipway/rollback/staging/${"0".repeat(7)}`,
    author: "octocat",
    files: { "deploy/staging/other.yaml": configMap("other", "x") },
  });
  await t.settle();
  const impostorMerge = await t.sim.mergePullRequest({ repo, number: impostor.number });
  await t.settle();
  assert.equal((await getEnvironmentPin(t.app.db, key))?.sha, v1.sha, "the pin stays");
  assert.equal(
    t.sim
      .statuses(repo, impostorMerge.sha)
      .filter((s) => s.context === "slipway/deploy: staging")
      .at(-1)?.state,
    "error",
    "held by the pin",
  );
  assert.equal(await exists(ns, "other"), false);

  // Slipway's own revert pull request lifts it.
  await t.sim.mergePullRequest({ repo, number: revert.number });
  await t.settle();
  assert.equal(await getEnvironmentPin(t.app.db, key), null);
  assert.equal(await liveValue(ns, "settings"), "one");
  t.sim.assertNoViolations();
});
