import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { readSchemaSet } from "../../../src/schemas/read-schema-set.js";
import { createMemorySourceTree } from "../../../src/core/manifests/create-memory-source-tree.js";
import { loadManifests } from "../../../src/core/manifests/load-manifests.js";
import { createSchemaRegistry, type SchemaRegistry } from "../../../src/core/validation/create-schema-registry.js";
import type { RuleLevels } from "../../../src/core/validation/check-rules.js";
import { validateEnvironment, type ValidateEnvironmentParams } from "../../../src/core/validation/validate-environment.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/kubernetes-schemas");
const limits = { maxFileBytes: 1_000_000, maxFiles: 100, maxDocumentsPerFile: 100, maxDepth: 64, maxAliases: 10 };
const offRules: RuleLevels = { imageTag: "off", resources: "off", privileged: "off", hostPath: "off", readinessProbe: "off" };

let registry: SchemaRegistry | undefined;
async function schemas(): Promise<SchemaRegistry> {
  if (registry) return registry;
  const read = await readSchemaSet(fixtures, "1.31");
  assert.ok(read.ok);
  return (registry = createSchemaRegistry(read.set));
}

async function validate(files: Record<string, string>, overrides: Partial<ValidateEnvironmentParams> = {}) {
  const manifests = await loadManifests({ tree: createMemorySourceTree(files), path: "env", limits });
  const result = validateEnvironment({
    environment: { name: "prod", namespace: "web" },
    manifests,
    schemas: await schemas(),
    unknownKinds: "warn",
    rules: offRules,
    ...overrides,
  });
  return result.results.filter((r) => r.status !== "valid").map((r) => `${r.file}:${r.line} ${r.severity} ${r.check} ${r.message}`);
}

const deployment = (extra = "", container = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
      creationTimestamp: null
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
          resources:
            requests: { cpu: 100m, memory: 64Mi }
            limits: { cpu: 1, memory: 128Mi }
${container}${extra}`;

test("a valid Deployment yields one valid result", async () => {
  const manifests = await loadManifests({ tree: createMemorySourceTree({ "env/d.yaml": deployment() }), path: "env", limits });
  const result = validateEnvironment({ environment: { name: "prod" }, manifests, schemas: await schemas(), unknownKinds: "warn", rules: offRules });
  assert.deepEqual(
    result.results,
    [
      {
        status: "valid",
        severity: "info",
        file: "env/d.yaml",
        line: 1,
        object: { apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "web" },
        check: "valid",
        message: "valid",
      },
    ].map((r) => ({ ...r, object: { ...r.object, namespace: undefined } })),
  );
});

test("schema errors point at the field's line, unknown fields like strict server validation", async () => {
  const bad = deployment()
    .replace("replicas: 2", 'replicas: "two"')
    .replace("          ports:", "          imagePullPolicy: Sometimes\n          imagePullPolcy: Always\n          ports:");
  assert.deepEqual(await validate({ "env/d.yaml": bad }), [
    "env/d.yaml:6 error schema spec.replicas: must be integer",
    'env/d.yaml:17 error schema spec.template.spec.containers[0].imagePullPolicy: must be one of "Always", "IfNotPresent", "Never"',
    "env/d.yaml:18 error schema spec.template.spec.containers[0].imagePullPolcy: unknown field (did you mean imagePullPolicy?)",
  ]);
  const missing = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - name: http\n      targetPort: 8080\n";
  assert.deepEqual(await validate({ "env/s.yaml": missing }), ["env/s.yaml:7 error schema spec.ports[0].port: required field is missing"]);
});

test("int-or-string and quantities accept both forms", async () => {
  const service =
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      targetPort: http\n    - port: 81\n      targetPort: 8081\n";
  assert.deepEqual(await validate({ "env/s.yaml": service, "env/d.yaml": deployment() }), []);
  const wrong = service.replace("targetPort: http", "targetPort: true");
  assert.deepEqual(await validate({ "env/s.yaml": wrong }), ["env/s.yaml:8 error schema spec.ports[0].targetPort: must be integer or string"]);
});

test("structure: missing fields, duplicates, namespaces", async () => {
  const files = {
    "env/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\nkind: ConfigMap\nmetadata: {}\n",
    "env/b/c.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: web\n",
    "env/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n  namespace: web\n",
    "env/elsewhere.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: kube-system\n",
  };
  assert.deepEqual(await validate(files, { policy: { namespaces: ["web"], clusterResources: ["Namespace"], deniedKinds: [] } }), [
    "env/a.yaml:6 error structure/missing-field apiVersion is required",
    "env/a.yaml:7 error structure/missing-field metadata.name is required",
    "env/b/c.yaml:4 error structure/duplicate ConfigMap web/settings is already defined at env/a.yaml:1",
    "env/elsewhere.yaml:5 error structure/namespace-not-allowed namespace kube-system is not allowed for this cluster (allowed: web)",
    "env/ns.yaml:4 error structure/namespace-not-allowed namespace other is not allowed for this cluster (allowed: web)",
    "env/ns.yaml:5 error structure/cluster-scoped-namespace Namespace is cluster-scoped: remove metadata.namespace",
  ]);
});

test("unknown kinds are skipped with a warning, or an error when configured", async () => {
  const widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n";
  assert.deepEqual(await validate({ "env/w.yaml": widget }), [
    "env/w.yaml:2 warning schema/unknown-kind no schema for Widget in example.com/v1 (Kubernetes 1.31); not validated",
  ]);
  assert.deepEqual(await validate({ "env/w.yaml": widget }, { unknownKinds: "error" }), [
    "env/w.yaml:2 error schema/unknown-kind no schema for Widget in example.com/v1 (Kubernetes 1.31); not validated",
  ]);
});

test("CRDs in the environment validate their custom resources", async () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Cluster
  names: { kind: Widget, plural: widgets }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: { type: integer, minimum: 1 }
                port: { x-kubernetes-int-or-string: true }
                extra: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;
  const good = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 2\n  port: http\n  extra: { anything: [1, 2] }\n";
  assert.deepEqual(await validate({ "env/crd.yaml": crd, "env/w.yaml": good }), []);
  const bad = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: web\nspec:\n  size: 0\n  colour: red\n";
  assert.deepEqual(await validate({ "env/crd.yaml": crd, "env/w.yaml": bad }), [
    "env/w.yaml:5 error structure/cluster-scoped-namespace Widget is cluster-scoped: remove metadata.namespace",
    "env/w.yaml:7 error schema spec.size: must be >= 1",
    "env/w.yaml:8 error schema spec.colour: unknown field",
  ]);
});

test("rules at their configured level", async () => {
  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: web
      image: nginx
      securityContext:
        privileged: true
    - name: sidecar
      image: registry.example.com:5000/envoy:latest
      readinessProbe:
        httpGet: { port: 8080 }
      resources:
        limits: { cpu: "1" }
    - name: pinned
      image: nginx@sha256:abc
      readinessProbe: { httpGet: { port: 80 } }
      resources: { limits: { cpu: 1 }, requests: { cpu: 1 } }
  volumes:
    - name: data
      hostPath:
        path: /var/lib/data
`;
  const rules: RuleLevels = { imageTag: "warn", resources: "warn", privileged: "error", hostPath: "warn", readinessProbe: "warn" };
  assert.deepEqual(await validate({ "env/p.yaml": pod }, { rules }), [
    "env/p.yaml:7 warning rule/resources containers[0] (web): no resource requests or limits",
    "env/p.yaml:7 warning rule/readinessProbe containers[0] (web): no readinessProbe",
    "env/p.yaml:8 warning rule/imageTag containers[0] (web): image nginx has no tag",
    "env/p.yaml:10 error rule/privileged containers[0] (web): runs privileged",
    "env/p.yaml:12 warning rule/imageTag containers[1] (sidecar): image registry.example.com:5000/envoy:latest uses the latest tag",
    "env/p.yaml:15 warning rule/resources containers[1] (sidecar): no resource requests",
    "env/p.yaml:23 warning rule/hostPath volumes[0] (data): mounts the node's path /var/lib/data (hostPath)",
  ]);
  assert.deepEqual(await validate({ "env/p.yaml": pod }, { rules: { ...offRules, privileged: "warn" } }), [
    "env/p.yaml:10 warning rule/privileged containers[0] (web): runs privileged",
  ]);
});

test("never echoes a Secret's values", async () => {
  const secret = `apiVersion: v1
kind: Secret
metadata:
  name: creds
data:
  password: 123456789
  token: [c3VwZXJzZWNyZXQ=]
stringData:
  apiKey: { nested: hunter2-value }
type: Opaque
unexpected: hunter3-value
`;
  const messages = await validate({ "env/s.yaml": secret });
  assert.ok(messages.length >= 3, messages.join("\n"));
  for (const message of messages) {
    for (const value of ["123456789", "c3VwZXJzZWNyZXQ", "hunter2", "hunter3"]) assert.ok(!message.includes(value), message);
  }
});

test("the cluster's policy: cluster-scoped kinds only when listed, denied kinds never, at the object's line", async () => {
  const files = {
    "env/admin.yaml":
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: take-over\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: default\n    namespace: web\n",
    "env/pv.yaml":
      "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: host\nspec:\n  capacity: { storage: 1Gi }\n  accessModes: [ReadWriteOnce]\n  hostPath: { path: / }\n",
    "env/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n",
    "env/role.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules: []\n",
  };
  const policy = { namespaces: ["web"], clusterResources: [], deniedKinds: ["rbac.authorization.k8s.io/Role"] };
  // The fixture schemas lack these kinds (warnings); the built-in cluster-scoped kinds are known all the same.
  const errors = (await validate(files, { policy })).filter((line) => line.includes(" error "));
  assert.deepEqual(errors, [
    "env/admin.yaml:2 error policy/cluster-resource cluster-scoped kind not allowed: rbac.authorization.k8s.io/ClusterRoleBinding (clusterResources: none)",
    "env/ns.yaml:2 error policy/cluster-resource cluster-scoped kind not allowed: Namespace (clusterResources: none)",
    "env/pv.yaml:2 error policy/cluster-resource cluster-scoped kind not allowed: PersistentVolume (clusterResources: none)",
    "env/role.yaml:2 error policy/denied-kind kind denied on this cluster: rbac.authorization.k8s.io/Role (deniedKinds: rbac.authorization.k8s.io/Role)",
  ]);
  assert.deepEqual(
    await validate(files, { policy: { ...policy, clusterResources: ["Namespace", "PersistentVolume"] } }).then((r) => r.filter((l) => l.includes("ns.yaml"))),
    [],
  );
});

test("generateName without name: says why a name is needed", async () => {
  const job = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: run-\n";
  assert.deepEqual(await validate({ "env/g.yaml": job }), [
    "env/g.yaml:4 error structure/missing-field metadata.name is required: Slipway applies with server-side apply, which needs a name (metadata.generateName is not enough)",
  ]);
});

test("a removed API version is an error naming when it went and what to use; custom resources of such a CRD can't be checked", async () => {
  const oldDeployment = "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: web\nspec: {}\n";
  assert.deepEqual(await validate({ "env/d.yaml": oldDeployment }), [
    "env/d.yaml:1 error schema/removed-api-version Deployment extensions/v1beta1 was removed in Kubernetes 1.16; use apps/v1 (validating for Kubernetes 1.31)",
  ]);
  const crd = `apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  version: v1
  versions: [{ name: v1, served: true, storage: true }]
  scope: Namespaced
  names: { kind: Widget, plural: widgets }
`;
  const nonsense = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec: 12\nbanana: true\n";
  assert.deepEqual(await validate({ "env/crd.yaml": crd, "env/w.yaml": nonsense }), [
    "env/crd.yaml:1 error schema/removed-api-version CustomResourceDefinition apiextensions.k8s.io/v1beta1 was removed in Kubernetes 1.22; use apiextensions.k8s.io/v1 (validating for Kubernetes 1.31)",
    "env/w.yaml:1 warning schema/definition-not-served Widget example.com/v1 cannot be checked: its CustomResourceDefinition (env/crd.yaml:1) is apiextensions.k8s.io/v1beta1, which Kubernetes 1.31 does not serve",
  ]);
});

test("an API version only a later bundled Kubernetes serves is named as such", async () => {
  const root = mkdtempSync(join(tmpdir(), "slipway-schemas-"));
  try {
    cpSync(join(fixtures, "v1.31"), join(root, "v1.31"), { recursive: true });
    mkdirSync(join(root, "v1.40"));
    writeFileSync(join(root, "v1.40", "index.json"), JSON.stringify({ groupVersions: [{ groupVersion: "batch/v1", file: "apis/batch/v1.json" }] }));
    const read = await readSchemaSet(root, "1.31");
    assert.ok(read.ok);
    const job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\n";
    assert.deepEqual(await validate({ "env/j.yaml": job }, { schemas: createSchemaRegistry(read.set) }), [
      "env/j.yaml:1 error schema/unserved-api-version batch/v1 is not served by Kubernetes 1.31: the bundled schemas first serve it in Kubernetes 1.40",
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
