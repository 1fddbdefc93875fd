import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import yaml from "js-yaml";
import { environmentLabelValue } from "../../src/core/plan/environment-label-value.js";
import { withSlipwayMetadata } from "../../src/core/plan/with-slipway-metadata.js";
import { assertGolden } from "../support/golden.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";
import { createTestNamespace, testClusterAlias, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

// End to end: the GitHub simulator, Slipway, and the real test cluster.
const cluster = testClusterClient();
let t: TestApp;
let ns: TestNamespace;
before(async () => {
  ns = await createTestNamespace("app-plan");
  t = await startTestApp({
    clusters: [testClusterAlias()],
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
    prune: true
`;

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests: { cpu: 10m, memory: 16Mi }
            limits: { cpu: 100m, memory: 64Mi }
`;

const secret = (password: string) => `apiVersion: v1
kind: Secret
metadata:
  name: db
type: Opaque
stringData:
  username: shop
  password: ${password}
`;

const plantedPassword = "hunter2-planted-3f9a";

/** What a previous deploy of `files` left in the cluster: the objects with Slipway's labels. */
async function deployed(repo: string, objects: Array<Record<string, unknown>>) {
  const environmentId = environmentLabelValue("slipway-test", repo, "staging");
  for (const object of objects) {
    const metadata = { ...(object.metadata as object), namespace: ns.name };
    await cluster.apply(withSlipwayMetadata({ ...object, metadata }, { environmentId }) as never, { dryRun: false, force: true });
  }
}

function normalize(text: string): string {
  return text.replaceAll(ns.name, "<namespace>").replace(/\b[0-9a-f]{7,40}\b/g, "<sha>");
}

test("a pull request that changes replicas shows the replicas line in a live plan, with one sticky comment", async () => {
  const repo = await t.sim.createRepository({
    name: "plan-replicas",
    files: { ".github/slipway.yml": config(ns.name), "deploy/staging/web.yaml": deployment("web", 2) },
  });
  t.sim.setPermission(repo, "octocat", "write");
  await deployed(repo.name, [yaml.load(deployment("web", 2)) as Record<string, unknown>]);

  const opened = await t.sim.openPullRequest({
    repo,
    head: "scale",
    author: "octocat",
    files: { "deploy/staging/web.yaml": deployment("web", 3) },
  });
  await t.settle();

  const [run] = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / plan: staging" });
  assert.ok(run, "a plan check run for the environment");
  assert.equal(run.conclusion, "success");
  const comments = t.sim.comments(repo, opened.number);
  assert.equal(comments.length, 1);
  const body = comments[0]!.body;
  assert.ok(body.startsWith("<!-- slipway:plan -->"));
  assert.match(body, /^-\s+replicas: 2$/m);
  assert.match(body, /^\+\s+replicas: 3$/m);
  assert.doesNotMatch(body, /offline/i);
  assertGolden("app/plan-replicas.comment.md", normalize(body));

  // A new push edits the same comment instead of adding one.
  const pushed = await t.sim.synchronizePullRequest({ repo, number: opened.number, files: { "deploy/staging/web.yaml": deployment("web", 4) } });
  await t.settle();
  const after = t.sim.comments(repo, opened.number);
  assert.equal(after.length, 1);
  assert.equal(after[0]!.id, comments[0]!.id);
  assert.match(after[0]!.body, /^\+\s+replicas: 4$/m);
  assert.ok(after[0]!.body.includes(pushed.headSha.slice(0, 7)));
  t.sim.assertNoViolations();
});

test("a new Deployment is a create, a removed manifest a delete, a Secret change shows keys only", async () => {
  const repo = await t.sim.createRepository({
    name: "plan-mixed",
    files: {
      ".github/slipway.yml": config(ns.name),
      "deploy/staging/old.yaml": deployment("old", 1),
      "deploy/staging/secret.yaml": secret("before-password-1234"),
    },
  });
  t.sim.setPermission(repo, "octocat", "write");
  await deployed(repo.name, [yaml.load(deployment("old", 1)) as Record<string, unknown>, yaml.load(secret("before-password-1234")) as Record<string, unknown>]);

  const opened = await t.sim.openPullRequest({
    repo,
    head: "mixed",
    author: "octocat",
    files: {
      "deploy/staging/old.yaml": null,
      "deploy/staging/new.yaml": deployment("new", 1),
      "deploy/staging/secret.yaml": secret(plantedPassword),
    },
  });
  await t.settle();

  const [run] = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / plan: staging" });
  assert.ok(run);
  const body = t.sim.comments(repo, opened.number)[0]!.body;
  assert.match(body, /create[^\n]*Deployment[^\n]*new|Deployment[^\n]*new[^\n]*create/i);
  assert.match(body, /delete[^\n]*Deployment[^\n]*old|Deployment[^\n]*old[^\n]*delete/i);
  assert.match(body, /password/);
  for (const text of [body, run.output.summary ?? "", run.output.text ?? "", JSON.stringify(run.annotations)]) {
    assert.ok(!text.includes(plantedPassword), "the Secret's new value appears nowhere");
    assert.ok(!text.includes("before-password-1234"), "the Secret's old value appears nowhere");
    assert.ok(!text.includes(Buffer.from(plantedPassword).toString("base64")), "nor its base64");
  }
  t.sim.assertNoViolations();
});

test("an author without write permission gets an offline plan, labelled as such", async () => {
  const repo = await t.sim.createRepository({
    name: "plan-outsider",
    files: { ".github/slipway.yml": config(ns.name), "deploy/staging/web.yaml": deployment("outsider", 1) },
  });
  t.sim.setPermission(repo, "stranger", "read");
  const opened = await t.sim.openPullRequest({
    repo,
    head: "scale",
    author: "stranger",
    files: { "deploy/staging/web.yaml": deployment("outsider", 2) },
  });
  await t.settle();
  const [run] = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / plan: staging" });
  assert.ok(run);
  assert.match(run.output.title ?? "", /^Offline plan/);
  const body = t.sim.comments(repo, opened.number)[0]!.body;
  assert.match(body, /cannot write to this repository/);
  assert.match(body, /^\+\s+replicas: 2$/m);
  t.sim.assertNoViolations();
});
