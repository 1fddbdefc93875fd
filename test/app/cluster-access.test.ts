import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, type TestApp } from "../support/start-test-app.js";

// The server decides which repositories may use a cluster alias and in which namespaces.
let t: TestApp;
before(async () => {
  t = await startTestApp({
    clusters: [
      {
        alias: "staging",
        kubeconfig: "unused",
        context: undefined,
        repositories: ["slipway-test/*"],
        namespaces: ["web", "api-*"],
        clusterResources: [],
        deniedKinds: [],
      },
      {
        alias: "production",
        kubeconfig: "unused",
        context: undefined,
        repositories: ["slipway-test/payments"],
        namespaces: ["*"],
        clusterResources: [],
        deniedKinds: [],
      },
    ],
  });
});
after(async () => {
  await t?.close();
});

const config = `environments:
  - name: staging
    path: deploy/staging
    cluster: staging
    namespace: web
  - name: production
    path: deploy/production
    cluster: production
  - name: lab
    path: deploy/lab
    cluster: lab
`;

const configMap = (name: string, namespace?: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ""}data:\n  a: "1"\n`;

test("aliases a repository may not use, and namespaces an alias does not accept, are errors at their lines", async () => {
  const repo = await t.sim.createRepository({ name: "shop", files: { "README.md": "shop\n" } });
  const opened = await t.sim.openPullRequest({
    repo,
    head: "environments",
    author: "octocat",
    files: {
      ".github/slipway.yml": config,
      "deploy/staging/ok.yaml": configMap("ok"),
      "deploy/staging/api.yaml": configMap("api", "api-v2"),
      "deploy/staging/kube-system.yaml": configMap("sneaky", "kube-system"),
      "deploy/production/app.yaml": configMap("app"),
      "deploy/lab/app.yaml": configMap("app"),
    },
  });
  await t.settle();

  const [run] = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / validate" });
  assert.ok(run);
  assert.equal(run.conclusion, "failure");
  const failures = run.annotations.filter((a) => a.annotation_level === "failure").map((a) => `${a.path}:${a.start_line}: ${a.message}`);
  assert.deepEqual(failures.sort(), [
    '.github/slipway.yml:11: cluster "lab" is not a cluster this Slipway server knows (known: staging, production)',
    '.github/slipway.yml:8: cluster "production" does not accept deployments from slipway-test/shop; ask a Slipway admin to allow it in the clusters file',
    "deploy/staging/kube-system.yaml:5: namespace kube-system is not allowed for this cluster (allowed: web, api-*)",
  ]);
  t.sim.assertNoViolations();
});
