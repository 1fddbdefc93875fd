import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { environmentLabelValue } from "../../src/core/plan/environment-label-value.js";
import { ENVIRONMENT_LABEL, MANAGED_BY_LABEL, SOURCE_SHA_ANNOTATION } from "../../src/core/plan/slipway-labels.js";
import { getEnvironmentPin } from "../../src/store/index.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";
import { createTestNamespace, testClusterAlias, testClusterClient, type TestNamespace } from "../support/test-cluster.js";
import { NotFoundError } from "../../src/cluster/cluster-error.js";

// End to end: the GitHub simulator, Slipway, and the real test cluster with kwok nodes.
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

async function namespace(prefix: string): Promise<string> {
  const ns = await createTestNamespace(prefix);
  namespaces.push(ns);
  return ns.name;
}

const deployment = (name: string, image: string, extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: main
          image: ${image}
          resources:
            requests: { cpu: 10m, memory: 16Mi }
            limits: { cpu: 100m, memory: 64Mi }
${extra}`;

const configMap = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

async function exists(ref: { apiVersion: string; kind: string; namespace: string; name: string }): Promise<boolean> {
  try {
    await cluster.get(ref);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

test("merging a pull request deploys: labelled objects, deployment statuses in order, a commit status per environment", async () => {
  const ns = await namespace("deploy-merge");
  const repo = await t.sim.createRepository({
    name: "deploy-merge",
    files: {
      ".github/slipway.yml": `environments:\n  - name: staging\n    path: deploy/staging\n    cluster: test\n    namespace: ${ns}\n    prune: true\n`,
      "deploy/staging/settings.yaml": configMap("settings", "1"),
    },
  });
  const opened = await t.sim.openPullRequest({
    repo,
    head: "add-web",
    author: "octocat",
    files: { "deploy/staging/web.yaml": deployment("web", "nginx:1.27") },
  });
  await t.settle();
  const merged = await t.sim.mergePullRequest({ repo, number: opened.number });
  await t.settle();

  const web = await cluster.get({ apiVersion: "apps/v1", kind: "Deployment", namespace: ns, name: "web" });
  assert.equal(web.metadata?.labels?.[MANAGED_BY_LABEL], "slipway");
  assert.equal(web.metadata?.labels?.[ENVIRONMENT_LABEL], environmentLabelValue("slipway-test", "deploy-merge", "staging"));
  assert.equal(web.metadata?.annotations?.[SOURCE_SHA_ANNOTATION], merged.sha);

  const deployments = t.sim.deployments(repo).filter((d) => d.sha === merged.sha);
  assert.equal(deployments.length, 1);
  assert.equal(deployments[0]!.environment, "staging");
  const states = t.sim
    .deploymentStatuses(repo, deployments[0]!.id)
    .sort((a, b) => a.id - b.id)
    .map((s) => s.state);
  assert.deepEqual(states, ["queued", "in_progress", "success"]);
  const statuses = t.sim
    .statuses(repo, merged.sha)
    .filter((s) => s.context === "slipway/deploy: staging")
    .sort((a, b) => a.id - b.id);
  assert.deepEqual(
    statuses.map((s) => s.state),
    ["pending", "pending", "success"],
  );

  // Remove a manifest and merge: prune deletes it.
  const removal = await t.sim.openPullRequest({ repo, head: "drop-settings", author: "octocat", files: { "deploy/staging/settings.yaml": null } });
  await t.settle();
  const removed = await t.sim.mergePullRequest({ repo, number: removal.number });
  await t.settle();
  assert.equal(await exists({ apiVersion: "v1", kind: "ConfigMap", namespace: ns, name: "settings" }), false);
  assert.equal(await exists({ apiVersion: "apps/v1", kind: "Deployment", namespace: ns, name: "web" }), true);
  assert.equal(
    t.sim
      .statuses(repo, removed.sha)
      .filter((s) => s.context === "slipway/deploy: staging")
      .at(-1)?.state,
    "success",
  );

  // Deleting everything is refused by the guard.
  const wipe = await t.sim.push({ repo, files: { "deploy/staging/web.yaml": null, "deploy/staging/README.md": "nothing here\n" } });
  await t.settle();
  const wiped = t.sim
    .statuses(repo, wipe.sha)
    .filter((s) => s.context === "slipway/deploy: staging")
    .at(-1);
  assert.equal(wiped?.state, "failure");
  assert.match(wiped?.description ?? "", /allowPruneAll|pruneMaxShare|every object|all/i);
  assert.equal(await exists({ apiVersion: "apps/v1", kind: "Deployment", namespace: ns, name: "web" }), true);
  t.sim.assertNoViolations();
});

test("staging then production: production starts only after staging is healthy at the same commit", async () => {
  const ns = await namespace("deploy-needs");
  const repo = await t.sim.createRepository({
    name: "deploy-needs",
    files: {
      ".github/slipway.yml": [
        "environments:",
        "  - name: production",
        "    path: deploy/production",
        "    cluster: test",
        `    namespace: ${ns}`,
        "    needs: [staging]",
        "  - name: staging",
        "    path: deploy/staging",
        "    cluster: test",
        `    namespace: ${ns}`,
        "",
      ].join("\n"),
    },
  });
  const pushed = await t.sim.push({
    repo,
    files: {
      "deploy/staging/web.yaml": deployment("web-staging", "nginx:1.27", "  minReadySeconds: 3\n".replace(/^/, "")),
      "deploy/production/web.yaml": deployment("web-production", "nginx:1.27"),
    },
  });
  await t.settle();
  const statusesOf = (environment: string) => {
    const [d] = t.sim.deployments(repo).filter((x) => x.sha === pushed.sha && x.environment === environment);
    assert.ok(d, `a deployment for ${environment}`);
    return t.sim.deploymentStatuses(repo, d.id).sort((a, b) => a.id - b.id);
  };
  const staging = statusesOf("staging");
  const production = statusesOf("production");
  assert.equal(staging.at(-1)?.state, "success");
  assert.equal(production.at(-1)?.state, "success");
  const stagingDone = staging.find((s) => s.state === "success")!.id;
  const productionStarted = production.find((s) => s.state === "in_progress")!.id;
  assert.ok(productionStarted > stagingDone, "production went in progress after staging succeeded");
  t.sim.assertNoViolations();
});

test("a rollout that never becomes ready fails, rolls back automatically to the previous commit, and pins the environment", async () => {
  const ns = await namespace("deploy-rollback");
  const repo = await t.sim.createRepository({
    name: "deploy-rollback",
    files: {
      ".github/slipway.yml": `environments:\n  - name: staging\n    path: deploy/staging\n    cluster: test\n    namespace: ${ns}\n    healthTimeout: 15s\n    rollbackOnFailure: true\n`,
    },
  });
  const good = await t.sim.push({ repo, files: { "deploy/staging/web.yaml": deployment("web", "nginx:1.27") } });
  await t.settle();
  assert.equal(
    t.sim
      .statuses(repo, good.sha)
      .filter((s) => s.context === "slipway/deploy: staging")
      .at(-1)?.state,
    "success",
  );

  const change = await t.sim.openPullRequest({
    repo,
    head: "bad-image",
    author: "octocat",
    files: { "deploy/staging/web.yaml": deployment("web", "nginx:never-ready") },
  });
  await t.settle();
  const bad = await t.sim.mergePullRequest({ repo, number: change.number });
  await t.settle();

  const badStatus = t.sim
    .statuses(repo, bad.sha)
    .filter((s) => s.context === "slipway/deploy: staging")
    .at(-1);
  assert.equal(badStatus?.state, "failure");
  const rollbacks = t.sim.deployments(repo).filter((d) => d.sha === good.sha && /Automatic rollback/.test(d.description ?? ""));
  assert.equal(rollbacks.length, 1);
  assert.equal(
    t.sim
      .deploymentStatuses(repo, rollbacks[0]!.id)
      .sort((a, b) => a.id - b.id)
      .at(-1)?.state,
    "success",
  );

  const web = await cluster.get({ apiVersion: "apps/v1", kind: "Deployment", namespace: ns, name: "web" });
  const containers = (web.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers;
  assert.equal(containers[0]!.image, "nginx:1.27");
  const pin = await getEnvironmentPin(t.app.db, `slipway-test/deploy-rollback/staging`);
  assert.equal(pin?.sha, good.sha);
  const comment = t.sim.comments(repo, change.number).find((c) => /rolled `staging` back/.test(c.body));
  assert.ok(comment, "the merged pull request hears what happened");
  t.sim.assertNoViolations();
});

test("three pushes in quick succession: deploys one at a time, the middle one superseded", async () => {
  const ns = await namespace("deploy-burst");
  const repo = await t.sim.createRepository({
    name: "deploy-burst",
    files: { ".github/slipway.yml": `environments:\n  - name: staging\n    path: deploy/staging\n    cluster: test\n    namespace: ${ns}\n` },
  });
  // The first deploy waits for health (minReadySeconds) long enough, even on a busy machine, for the next two to queue behind it.
  const first = await t.sim.push({ repo, files: { "deploy/staging/web.yaml": deployment("web", "nginx:1.27", "  minReadySeconds: 20\n") } });
  await t.sim.waitFor(() => t.sim.deployments(repo).some((d) => d.sha === first.sha && d.statuses.some((s) => s.state === "in_progress")), {
    timeoutMs: 30_000,
  });
  const second = await t.sim.push({ repo, files: { "deploy/staging/settings.yaml": configMap("settings", "2") } });
  await t.sim.waitFor(() => t.sim.deployments(repo).some((d) => d.sha === second.sha), { timeoutMs: 30_000 });
  const third = await t.sim.push({ repo, files: { "deploy/staging/settings.yaml": configMap("settings", "3") } });
  await t.settle();

  const last = (sha: string) => {
    const [d] = t.sim.deployments(repo).filter((x) => x.sha === sha);
    return t.sim
      .deploymentStatuses(repo, d!.id)
      .sort((a, b) => a.id - b.id)
      .at(-1);
  };
  // The first succeeded, then became inactive when the third succeeded (GitHub's auto_inactive).
  const [firstDeployment] = t.sim.deployments(repo).filter((x) => x.sha === first.sha);
  assert.deepEqual(
    t.sim
      .deploymentStatuses(repo, firstDeployment!.id)
      .sort((a, b) => a.id - b.id)
      .map((s) => s.state),
    ["queued", "in_progress", "success", "inactive"],
  );
  assert.equal(last(second.sha)?.state, "inactive");
  assert.ok(
    !t.sim.deploymentStatuses(repo, t.sim.deployments(repo).find((x) => x.sha === second.sha)!.id).some((s) => s.state === "in_progress"),
    "the middle one never ran",
  );
  assert.equal(last(second.sha)?.description, `Superseded by ${third.sha.slice(0, 7)}`);
  assert.equal(last(third.sha)?.state, "success");
  const settings = await cluster.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns, name: "settings" });
  assert.equal((settings as { data?: Record<string, string> }).data?.value, "3");
  t.sim.assertNoViolations();
});
