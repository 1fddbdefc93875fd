import assert from "node:assert/strict";
import { test } from "node:test";
import { parseClustersFile } from "../../src/config/parse-clusters-file.js";

test("a clusters file reads each alias's policy; kinds default to none", () => {
  const parsed = parseClustersFile(
    `clusters:
  staging:
    kubeconfig: ./staging.kubeconfig
    repositories: ["acme/*"]
    namespaces: ["web"]
    clusterResources: ["Namespace", "rbac.authorization.k8s.io/ClusterRole", "example.dev/*"]
    deniedKinds: ["Secret"]
  lab:
    kubeconfig: ./lab.kubeconfig
    repositories: ["acme/lab"]
    namespaces: ["*"]
`,
    "clusters.yaml",
  );
  assert.ok(parsed.ok);
  assert.deepEqual(
    parsed.clusters.map(({ alias, namespaces, clusterResources, deniedKinds }) => ({ alias, namespaces, clusterResources, deniedKinds })),
    [
      {
        alias: "staging",
        namespaces: ["web"],
        clusterResources: ["Namespace", "rbac.authorization.k8s.io/ClusterRole", "example.dev/*"],
        deniedKinds: ["Secret"],
      },
      { alias: "lab", namespaces: ["*"], clusterResources: [], deniedKinds: [] },
    ],
  );
});

test("an alias without namespaces no longer means any namespace: the file is refused with what to add", () => {
  const parsed = parseClustersFile(`clusters:\n  staging:\n    kubeconfig: ./k\n    repositories: ["acme/*"]\n`, "clusters.yaml");
  assert.deepEqual(parsed, {
    ok: false,
    problems: [
      'clusters.yaml: cluster "staging" has no namespaces: add `namespaces: ["web"]` with the namespaces repositories may deploy to there (`["*"]` for any), and `clusterResources: ["Namespace"]` if they may create Namespaces.',
    ],
  });
});

test("a kind written in another form is refused", () => {
  const parsed = parseClustersFile(
    `clusters:\n  staging:\n    kubeconfig: ./k\n    repositories: ["acme/*"]\n    namespaces: ["web"]\n    clusterResources: ["clusterrole"]\n`,
    "clusters.yaml",
  );
  assert.equal(parsed.ok, false);
  assert.match(parsed.ok ? "" : parsed.problems.join("\n"), /clusters\.staging\.clusterResources\.0 must match pattern/);
});
