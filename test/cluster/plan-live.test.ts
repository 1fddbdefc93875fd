import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { planLive } from "../../src/reconcile/plan-live.js";
import type { KubeObject } from "../../src/cluster/cluster-client.js";
import { createMemorySourceTree } from "../../src/core/manifests/create-memory-source-tree.js";
import { loadManifests } from "../../src/core/manifests/load-manifests.js";
import type { EnvironmentPlan, PlannedObject } from "../../src/core/plan/environment-plan.js";
import { withSlipwayMetadata } from "../../src/core/plan/with-slipway-metadata.js";
import { renderPlanCheck } from "../../src/core/report/render-plan-check.js";
import { renderPlanComment } from "../../src/core/report/render-plan-comment.js";
import { createTestNamespace, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

const limits = { maxFileBytes: 1_000_000, maxFiles: 100, maxDocumentsPerFile: 100, maxDepth: 64, maxAliases: 10 };
const oldSecret = "old-Planted-secret-4711";
const newSecret = "new-Planted-secret-0815";

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
`;

describe("planLive against the test cluster", () => {
  const client = testClusterClient();
  let ns: TestNamespace;
  let environmentId: string;
  let plan: EnvironmentPlan;
  const suffix = randomBytes(3).toString("hex");
  const group = `plan${suffix}.slipway.dev`;
  const newNamespace = `plan-new-${suffix}`;
  const find = (kind: string, name: string): PlannedObject => {
    const found = plan.objects.find((o) => o.ref.kind === kind && o.ref.name === name);
    assert.ok(found, `${kind} ${name} is in the plan: ${plan.objects.map((o) => `${o.ref.kind}/${o.ref.name}`).join(", ")}`);
    return found;
  };

  before(async () => {
    ns = await createTestNamespace("plan-live");
    environmentId = `test.plan.${ns.name}`;
    // What an earlier deploy left: applied with Slipway's labels.
    const applied: KubeObject[] = [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "api", namespace: ns.name },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: "api" } },
          template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
        },
      },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "steady", namespace: ns.name }, data: { a: "1" } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "retired", namespace: ns.name }, data: { a: "1" } },
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "creds", namespace: ns.name },
        stringData: { password: oldSecret, user: "shop", legacy: "legacy-value-1" },
      },
      { apiVersion: "v1", kind: "Service", metadata: { name: "api", namespace: ns.name }, spec: { selector: { app: "api" }, ports: [{ port: 80 }] } },
    ];
    for (const object of applied) await client.apply(withSlipwayMetadata(object, { environmentId, sourceSha: "aaaa" }), { dryRun: false });

    const files = {
      "env/api.yaml": deployment("api", 2),
      "env/worker.yaml": deployment("worker", 1),
      "env/config.yaml": 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: steady\ndata:\n  a: "1"\n',
      "env/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: { app: api }\n  ports:\n    - port: 80\n",
      "env/secret.yaml": `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: ${newSecret}\n  user: shop\n  token: added-token-value\n`,
      "env/invalid.yaml":
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: broken\nspec:\n  ports:\n    - port: 70000\n",
      "env/crd.yaml": `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: { kind: Widget, plural: widgets, singular: widget, listKind: WidgetList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
---
apiVersion: ${group}/v1
kind: Widget
metadata:
  name: blue
spec:
  color: blue
`,
      "env/namespace.yaml": `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${newNamespace}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inside\n  namespace: ${newNamespace}\ndata:\n  a: "1"\n`,
    };
    const manifests = await loadManifests({ tree: createMemorySourceTree(files), path: "env", limits });
    assert.deepEqual(manifests.errors, []);
    plan = await planLive({
      cluster: client,
      environment: "test",
      environmentId,
      namespace: ns.name,
      manifests: manifests.objects,
      prune: true,
      sourceSha: "bbbb",
    });
  });
  after(() => ns?.cleanup());

  it("a replicas change is an update whose diff shows the replicas line", () => {
    const api = find("Deployment", "api");
    assert.equal(api.action, "update");
    assert.match(api.diff, /^-  replicas: 1$/m);
    assert.match(api.diff, /^\+  replicas: 2$/m);
    assert.doesNotMatch(api.diff, /resourceVersion|managedFields|uid:|status:|source-sha|generation/);
  });

  it("objects applied as they are in Git are unchanged", () => {
    assert.equal(find("ConfigMap", "steady").action, "unchanged");
    assert.equal(find("Service", "api").action, "unchanged");
  });

  it("a new Deployment is a creation", () => {
    const worker = find("Deployment", "worker");
    assert.equal(worker.action, "create");
    assert.equal(worker.file, "env/worker.yaml");
    assert.match(worker.diff, /^\+  revisionHistoryLimit: 10$/m, "with the server defaults from the dry run");
  });

  it("a manifest removed from Git is a deletion with prune", () => {
    const retired = find("ConfigMap", "retired");
    assert.equal(retired.action, "delete");
    assert.equal(retired.file, undefined);
  });

  it("a Secret change shows keys only", () => {
    const creds = find("Secret", "creds");
    assert.equal(creds.action, "update");
    // Server-side apply owns stringData keys, never data: a key dropped from stringData stays in
    // the Secret. The plan shows what the server will do, not what the manifest suggests.
    assert.deepEqual(creds.secretKeys, [
      { key: "legacy", change: "unchanged" },
      { key: "password", change: "changed" },
      { key: "token", change: "added" },
      { key: "user", change: "unchanged" },
    ]);
    const outputs = [
      JSON.stringify(plan),
      renderPlanComment({ plans: [plan], headSha: "bbbb", plannedAt: "2026-01-01T00:00:00Z" }),
      JSON.stringify(renderPlanCheck(plan)),
    ];
    for (const value of [oldSecret, newSecret, "legacy-value-1", "added-token-value"]) {
      for (const form of [value, Buffer.from(value).toString("base64")]) {
        for (const output of outputs) assert.ok(!output.includes(form), `${form} leaked`);
      }
    }
  });

  it("an invalid object is a rejection at its file and line", () => {
    const broken = find("Service", "broken");
    assert.equal(broken.rejection?.reason, "invalid");
    assert.equal(broken.file, "env/invalid.yaml");
    assert.equal(broken.line, 6);
    assert.equal(broken.rejection?.line, 12, "the line of spec.ports[0].port");
    assert.match(broken.rejection!.message, /70000/);
    assert.equal(find("ConfigMap", "fine").action, "create", "its neighbour in the same file is planned");
    const check = renderPlanCheck(plan);
    assert.equal(check.conclusion, "failure");
    assert.deepEqual(
      check.annotations.filter((a) => a.annotation_level === "failure").map((a) => `${a.path}:${a.start_line}`),
      ["env/invalid.yaml:12"],
    );
  });

  it("a CRD and its custom resource in one change are planned in order", () => {
    const crd = find("CustomResourceDefinition", `widgets.${group}`);
    const widget = find("Widget", "blue");
    assert.equal(crd.action, "create");
    assert.equal(crd.rejection, undefined);
    assert.equal(widget.action, "create");
    assert.equal(widget.rejection, undefined);
    assert.equal(widget.ref.namespace, ns.name, "the default namespace, as the CRD is namespaced");
    assert.match(widget.notes[0], new RegExp(`CustomResourceDefinition widgets\\.${group.replace(/\./g, "\\.")}, created by this change`));
    assert.ok(plan.objects.indexOf(crd) < plan.objects.indexOf(widget));
  });

  it("an object in a namespace the change creates is planned after it", () => {
    const inside = find("ConfigMap", "inside");
    assert.equal(inside.action, "create");
    assert.equal(inside.rejection, undefined);
    assert.match(inside.notes[0], new RegExp(`namespace ${newNamespace} is created by this change`));
    assert.equal(find("Namespace", newNamespace).action, "create");
  });

  it("counts", () => {
    assert.deepEqual(plan.counts, { create: 6, update: 2, delete: 1, unchanged: 2, rejected: 1 });
  });
});
