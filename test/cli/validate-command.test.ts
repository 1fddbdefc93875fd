import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, "../../src/cli/main.ts");
const fixtures = join(here, "../fixtures/cli");
const schemas = join(here, "../fixtures/kubernetes-schemas");
const tsx = import.meta.resolve("tsx");

// Compiled schemas are cached in a folder of the test's own, not the user's.
const cacheHome = mkdtempSync(join(tmpdir(), "slipway-cli-cache-"));
after(() => rmSync(cacheHome, { recursive: true, force: true }));

function slipway(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", tsx, main, ...args], { cwd, encoding: "utf8", env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test("a valid repository exits 0 with a summary", () => {
  const run = slipway(join(fixtures, "valid"), "validate", "--schema-location", schemas);
  assert.deepEqual(run, { code: 0, stdout: "Summary: 5 objects, 0 errors, 0 warnings (Kubernetes 1.31)\n", stderr: "" });
});

test("an invalid repository exits 1 and names file:line and the object (kind and name) for each finding", () => {
  const run = slipway(join(fixtures, "invalid"), "validate", "--schema-location", schemas);
  assert.equal(run.code, 1, run.stderr);
  assert.equal(
    run.stdout,
    [
      "deploy/prod/apps/web.yaml:6: error: Deployment web: spec.replicas: must be integer [schema]",
      "deploy/prod/apps/web.yaml:14: warning: Deployment web: containers[0] (web): no readinessProbe [rule/readinessProbe]",
      "deploy/prod/apps/web.yaml:15: error: Deployment web: containers[0] (web): image nginx has no tag [rule/imageTag]",
      'deploy/prod/apps/web.yaml:16: error: Deployment web: spec.template.spec.containers[0].imagePullPolicy: must be one of "Always", "IfNotPresent", "Never" [schema]',
      'deploy/prod/broken.yml:5: error: duplicate key "name" [yaml]',
      "deploy/prod/secret.yaml:7: error: Secret db: stringData.port: must be string [schema]",
      "deploy/prod/secret.yaml:11: error: ConfigMap (no name): metadata.name is required [structure/missing-field]",
      "Summary: 3 objects, 6 errors, 1 warning (Kubernetes 1.31)",
      "",
    ].join("\n"),
  );
  assert.ok(!run.stdout.includes("s3cr3t"));
});

test("paths on the command line take precedence; JSON lists every result", () => {
  const run = slipway(join(fixtures, "invalid"), "validate", "--schema-location", schemas, "--format", "json", "deploy/prod/secret.yaml");
  assert.equal(run.code, 1);
  const output = JSON.parse(run.stdout);
  assert.deepEqual(output.summary, { objects: 2, errors: 2, warnings: 0 });
  assert.deepEqual(
    output.environments[0].results.map((r: { file: string; line: number; status: string; check: string }) => `${r.file}:${r.line} ${r.status} ${r.check}`),
    ["deploy/prod/secret.yaml:7 invalid schema", "deploy/prod/secret.yaml:11 invalid structure/missing-field"],
  );
  const valid = slipway(join(fixtures, "valid"), "validate", "--schema-location", schemas, "--format", "json", "deploy/staging/config.yaml");
  assert.equal(valid.code, 0);
  assert.deepEqual(JSON.parse(valid.stdout).environments[0].results[0], {
    status: "valid",
    severity: "info",
    file: "deploy/staging/config.yaml",
    line: 1,
    object: { apiVersion: "v1", kind: "ConfigMap", namespace: "web-staging", name: "settings" },
    check: "valid",
    message: "valid",
  });
});

test("an invalid config exits 2 with its errors", () => {
  const run = slipway(join(fixtures, "bad-config"), "validate", "--schema-location", schemas);
  assert.deepEqual(run, {
    code: 2,
    stdout: "",
    stderr: [
      ".github/slipway.yml:2: error: environments[0].cluster is required",
      ".github/slipway.yml:4: error: environments[0]: unknown property 'namspace' (did you mean 'namespace'?)",
      "",
    ].join("\n"),
  });
});

test("usage and input errors exit 2", () => {
  assert.equal(slipway(fixtures, "validate", "--schema-location", schemas).code, 2);
  assert.equal(slipway(fixtures, "validate", "--format", "xml", "valid").code, 2);
  assert.equal(slipway(fixtures, "validate", "--schema-location", schemas, "does-not-exist").code, 2);
  assert.equal(slipway(fixtures, "validate", "--schema-location", schemas, "../outside").code, 2);
  const missing = slipway(join(fixtures, "valid"), "validate", "--schema-location", schemas, "--kubernetes-version", "1.2");
  assert.deepEqual(missing, { code: 2, stdout: "", stderr: "slipway validate: no bundled schemas for Kubernetes 1.2 (bundled: 1.31)\n" });
  assert.equal(slipway(fixtures, "frobnicate").code, 2);
});

test("symlinks that leave the repository are rejected", () => {
  const root = mkdtempSync(join(tmpdir(), "slipway-cli-"));
  try {
    cpSync(join(fixtures, "valid", "deploy", "staging"), join(root, "env"), { recursive: true });
    writeFileSync(join(root, "..", `${root.split("/").pop()}-outside.yaml`), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside\n");
    symlinkSync(`../../${root.split("/").pop()}-outside.yaml`, join(root, "env", "escape.yaml"));
    const run = slipway(root, "validate", "--schema-location", schemas, "env");
    assert.deepEqual(run, {
      code: 1,
      stdout: `env/escape.yaml: error: symlink points outside the repository (../../${root.split("/").pop()}-outside.yaml) [yaml]\nSummary: 3 objects, 1 error, 0 warnings (Kubernetes 1.31)\n`,
      stderr: "",
    });
  } finally {
    rmSync(join(root, "..", `${root.split("/").pop()}-outside.yaml`), { force: true });
    rmSync(root, { recursive: true, force: true });
  }
});

test("without --schema-location the bundled schemas are used", () => {
  const bundled = join(here, "../../schema/kubernetes");
  let versions: string[] = [];
  try {
    versions = readdirSync(bundled)
      .filter((name) => /^v\d+\.\d+$/.test(name))
      .map((name) => name.slice(1));
  } catch {
    return;
  }
  for (const version of versions) {
    const run = slipway(join(fixtures, "valid"), "validate", "--kubernetes-version", version);
    assert.deepEqual(run, { code: 0, stdout: `Summary: 5 objects, 0 errors, 0 warnings (Kubernetes ${version})\n`, stderr: "" });
  }
});

test("with --clusters each environment is held to its alias's policy, as the App holds it", () => {
  const cwd = mkdtempSync(join(tmpdir(), "slipway-cli-clusters-"));
  cpSync(join(fixtures, "valid"), cwd, { recursive: true });
  writeFileSync(
    join(cwd, "deploy/prod/admin.yaml"),
    "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci\nroleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }\n",
  );
  writeFileSync(join(cwd, "clusters.yaml"), 'clusters:\n  main:\n    kubeconfig: ./main.kubeconfig\n    repositories: ["acme/*"]\n    namespaces: ["web"]\n');
  try {
    const run = slipway(cwd, "validate", "--clusters", "clusters.yaml", "--schema-location", schemas);
    assert.equal(run.code, 1, run.stderr);
    const errors = run.stdout.split("\n").filter((line) => line.includes(": error: "));
    assert.deepEqual(errors, [
      "deploy/staging/app.yml:3: error: Deployment web: namespace web-staging is not allowed for this cluster (allowed: web) [structure/namespace-not-allowed]",
      "deploy/staging/app.yml:22: error: Service web: namespace web-staging is not allowed for this cluster (allowed: web) [structure/namespace-not-allowed]",
      "deploy/staging/config.yaml:3: error: ConfigMap settings: namespace web-staging is not allowed for this cluster (allowed: web) [structure/namespace-not-allowed]",
      "deploy/prod/admin.yaml:2: error: ClusterRoleBinding ci: cluster-scoped kind not allowed: rbac.authorization.k8s.io/ClusterRoleBinding (clusterResources: none) [policy/cluster-resource]",
    ]);
    assert.equal(slipway(cwd, "validate", "--schema-location", schemas).code, 0, "without --clusters, no cluster's policy applies");
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

function inTemporaryFolder(files: Record<string, string>, run: (cwd: string) => void): void {
  const cwd = mkdtempSync(join(tmpdir(), "slipway-cli-"));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(cwd, path)), { recursive: true });
      writeFileSync(join(cwd, path), text);
    }
    run(cwd);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

test("a List with a name and an invalid item fails: its items are checked, each at its line", () => {
  const list =
    "apiVersion: v1\nkind: List\nmetadata:\n  name: bundle\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: good }\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: bad }\n    data: { size: 3 }\n";
  inTemporaryFolder({ "env/list.yaml": list }, (cwd) => {
    const run = slipway(cwd, "validate", "--schema-location", schemas, "env");
    assert.deepEqual(run, {
      code: 1,
      stdout: "env/list.yaml:12: error: ConfigMap bad: data.size: must be string [schema]\nSummary: 2 objects, 1 error, 0 warnings (Kubernetes 1.31)\n",
      stderr: "",
    });
  });
});

test("a CRD of a removed API version fails, and its nonsense custom resource is not passed as checked", () => {
  const crd =
    "apiVersion: apiextensions.k8s.io/v1beta1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  version: v1\n  scope: Namespaced\n  names: { kind: Widget, plural: widgets }\n";
  const widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec: nonsense\n";
  inTemporaryFolder({ "env/crd.yaml": crd, "env/widget.yaml": widget }, (cwd) => {
    const run = slipway(cwd, "validate", "--schema-location", schemas, "env");
    assert.equal(run.code, 1, run.stderr);
    assert.equal(
      run.stdout,
      [
        "env/crd.yaml:1: error: CustomResourceDefinition widgets.example.com: CustomResourceDefinition apiextensions.k8s.io/v1beta1 was removed in Kubernetes 1.22; use apiextensions.k8s.io/v1 (validating for Kubernetes 1.31) [schema/removed-api-version]",
        "env/widget.yaml:1: warning: Widget w: Widget example.com/v1 cannot be checked: its CustomResourceDefinition (env/crd.yaml:1) is apiextensions.k8s.io/v1beta1, which Kubernetes 1.31 does not serve [schema/definition-not-served]",
        "Summary: 2 objects, 1 error, 1 warning (Kubernetes 1.31)",
        "",
      ].join("\n"),
    );
  });
});

test("a second run loads the compiled schemas from the cache and says the same; --no-cache leaves none", () => {
  const explicit = join(cacheHome, "explicit");
  const first = slipway(join(fixtures, "invalid"), "validate", "--schema-location", schemas, "--cache-dir", explicit);
  const cached = slipway(join(fixtures, "invalid"), "validate", "--schema-location", schemas, "--cache-dir", explicit);
  try {
    assert.equal(readdirSync(join(explicit, "validators")).length > 0, true);
    assert.deepEqual(cached, first);
  } finally {
    rmSync(explicit, { recursive: true, force: true });
  }
  const uncached = slipway(join(fixtures, "invalid"), "validate", "--schema-location", schemas, "--no-cache", "--cache-dir", explicit);
  assert.deepEqual(uncached, first);
  assert.throws(() => readdirSync(explicit));
});
