import assert from "node:assert/strict";
import { test } from "node:test";
import { deferredNote } from "../../../src/core/plan/deferred-note.js";
import type { EnvironmentPlan } from "../../../src/core/plan/environment-plan.js";
import { planObjects, type DesiredObject } from "../../../src/core/plan/plan-objects.js";
import { planOffline } from "../../../src/core/plan/plan-offline.js";
import { withSlipwayMetadata } from "../../../src/core/plan/with-slipway-metadata.js";
import { githubMaxCommentLength, PLAN_COMMENT_MARKER, renderPlanComment } from "../../../src/core/report/render-plan-comment.js";
import { renderPlanCheck } from "../../../src/core/report/render-plan-check.js";
import { assertGolden } from "../../support/golden.js";
import { configMap, deployment, desired, environmentId, liveOf, secret } from "./plan-fixtures.js";

const headSha = "3f9a2c1d4e5b6a7980112233445566778899aabb";
const plannedAt = "2026-03-14T09:26:53Z";
const urls = { prod: "https://github.com/acme/shop/runs/101", staging: "https://github.com/acme/shop/runs/100" };

function golden(name: string, plans: EnvironmentPlan[]): { comment: string; checks: ReturnType<typeof renderPlanCheck>[] } {
  const comment = renderPlanComment({
    plans,
    headSha,
    plannedAt,
    checkRunUrls: urls,
    mergeRequirements: { prod: "approved-by-codeowners", production: "approved", staging: "none" },
  });
  assertGolden(`plan/${name}.comment.md`, comment);
  const checks = plans.map((plan) => renderPlanCheck(plan));
  const text = checks
    .map((check, i) =>
      [
        `# ${plans[i].environment}: ${check.title}`,
        "",
        `conclusion: ${check.conclusion}`,
        "",
        "## summary",
        "",
        check.summary,
        "",
        "## text",
        "",
        check.text ?? "(none)",
        "",
        "## annotations",
        "",
        JSON.stringify(check.annotations, null, 2),
        "",
      ].join("\n"),
    )
    .join("\n");
  assertGolden(`plan/${name}.check.md`, text);
  assert.ok(comment.startsWith(`${PLAN_COMMENT_MARKER}\n`));
  assert.ok(comment.length <= githubMaxCommentLength);
  for (const check of checks) {
    assert.ok(check.summary.length <= 65_535 && (check.text ?? "").length <= 65_535);
  }
  return { comment, checks };
}

test("small change", () => {
  const prod = planObjects({
    environment: "prod",
    environmentId,
    prune: false,
    desired: [
      desired(deployment("api", { replicas: 3, image: "ghcr.io/acme/api:1.5.0" }), "deploy/prod/api.yaml", 1, true),
      desired(configMap("api-settings", { LOG_LEVEL: "info", FEATURE_CART: "on" }), "deploy/prod/config.yaml", 1, true),
      desired(configMap("banner", { text: "Spring sale" }), "deploy/prod/config.yaml", 9),
    ],
    live: [
      liveOf(deployment("api", { replicas: 2, image: "ghcr.io/acme/api:1.4.2" })),
      liveOf(configMap("api-settings", { LOG_LEVEL: "info", FEATURE_CART: "on" })),
    ],
  });
  const staging = planObjects({
    environment: "staging",
    environmentId: "acme.shop.staging",
    prune: false,
    desired: [desired(configMap("api-settings", { LOG_LEVEL: "debug" }), "deploy/staging/config.yaml", 1, true, "acme.shop.staging")],
    live: [liveOf(configMap("api-settings", { LOG_LEVEL: "debug" }), "acme.shop.staging")],
  });
  const { checks } = golden("small-change", [staging, prod]);
  assert.equal(checks[1].conclusion, "success");
  assert.equal(checks[1].title, "1 to create, 1 to update");
  assert.equal(checks[0].title, "No changes");
});

test("large change past the size limit", () => {
  const desiredObjects: DesiredObject[] = [];
  const live: Record<string, unknown>[] = [];
  for (let i = 0; i < 400; i++) {
    const name = `catalog-${String(i).padStart(3, "0")}`;
    const lines = (version: number) =>
      Object.fromEntries(Array.from({ length: 12 }, (_, k) => [`item-${k}`, `sku-${i}-${k} price ${version * 100 + k} EUR, stock ${(i * k) % 97}`]));
    desiredObjects.push(desired(configMap(name, lines(2)), `deploy/prod/catalog/${name}.yaml`, 1, true));
    live.push(liveOf(configMap(name, lines(1))));
  }
  const plan = planObjects({ environment: "prod", environmentId, prune: false, desired: desiredObjects, live });
  const { comment, checks } = golden("large-change", [plan]);
  assert.equal(plan.counts.update, 400);
  assert.match(comment, /diffs are left out to fit GitHub's comment limit \(marked † in the table\)/);
  assert.match(comment, /catalog-399/, "the table still lists every object");
  assert.match(checks[0].text ?? "", /left out to fit GitHub's limit/);
});

test("a plan too large even for its tables still fits, and says so", () => {
  const desiredObjects = Array.from({ length: 3000 }, (_, i) => desired(configMap(`c-${i}-${"x".repeat(40)}`, { a: String(i) }), `deploy/prod/c${i}.yaml`, 1));
  const plan = planObjects({ environment: "prod", environmentId, prune: false, desired: desiredObjects, live: [] });
  const comment = renderPlanComment({ plans: [plan], headSha, plannedAt });
  assert.ok(comment.length <= githubMaxCommentLength, `${comment.length}`);
  assert.match(comment, /more changed objects; the full list is in the check run/);
  assert.match(comment, /Planned for `3f9a2c1d4e5b`/, "the footer survives");
  const check = renderPlanCheck(plan);
  assert.ok(check.summary.length <= 65_535 && (check.text ?? "").length <= 65_535);
});

const plantedNew = "hunter2-planted-N3w-value";
const plantedOld = "old-planted-Secret-9876";

function secretPlan(): EnvironmentPlan {
  const next = secret("db-credentials", { password: plantedNew, username: "shop", "api-token": "tok-unchanged-1234" });
  const old = secret("db-credentials", { password: plantedOld, username: "shop", "legacy-key": "legacy-value-5555", "api-token": "tok-unchanged-1234" });
  // An annotation that echoes the value, and a rejected object whose message quotes it.
  const leaky = configMap("leaky", { note: "rotated" });
  (leaky.metadata as Record<string, unknown>).annotations = { "example.com/debug": `password=${plantedNew}` };
  const rejected = secret("bad", { token: plantedNew });
  return planObjects({
    environment: "prod",
    environmentId,
    prune: true,
    desired: [
      desired(next, "deploy/prod/secrets.yaml", 1, true),
      desired(leaky, "deploy/prod/leaky.yaml", 1),
      {
        object: withSlipwayMetadata(rejected, { environmentId }),
        file: "deploy/prod/secrets.yaml",
        line: 12,
        dryRun: {
          status: "rejected",
          rejection: {
            reason: "invalid",
            message: `Secret "bad" is invalid: data[token]: Invalid value: "${plantedNew}"`,
            fields: [{ field: "data[token]", message: `Invalid value: "${plantedNew}"` }],
          },
        },
      },
    ],
    live: [liveOf(old), liveOf(secret("retired", { key: plantedOld }))],
  });
}

test("Secret change: keys only, values masked", () => {
  const plan = secretPlan();
  const db = plan.objects.find((o) => o.ref.name === "db-credentials")!;
  assert.equal(db.action, "update");
  assert.deepEqual(db.secretKeys, [
    { key: "api-token", change: "unchanged" },
    { key: "legacy-key", change: "removed" },
    { key: "password", change: "changed" },
    { key: "username", change: "unchanged" },
  ]);
  assert.match(db.diff, /^-  password: '\*\*\* \(old value\)'$/m);
  assert.match(db.diff, /^\+  password: '\*\*\* \(new value\)'$/m);
  golden("secret-change", [plan]);
});

test("a planted Secret value appears nowhere in the comment, the check run or the JSON", () => {
  const plan = secretPlan();
  const check = renderPlanCheck(plan);
  const outputs = {
    comment: renderPlanComment({ plans: [plan], headSha, plannedAt }),
    check: JSON.stringify(check),
    json: JSON.stringify(plan),
  };
  const forms = [plantedNew, plantedOld, "legacy-value-5555", "tok-unchanged-1234"].flatMap((v) => [v, Buffer.from(v).toString("base64")]);
  for (const [name, output] of Object.entries(outputs)) {
    for (const form of forms) assert.ok(!output.includes(form), `${name} contains ${form}`);
  }
  assert.match(outputs.comment, /password changed/);
});

test("deletion with prune", () => {
  const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "legacy" } };
  const pvc = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "uploads", namespace: "legacy" },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
  };
  const plan = planObjects({
    environment: "prod",
    environmentId,
    prune: true,
    desired: [desired(deployment("api"), "deploy/prod/api.yaml", 1, true)],
    live: [liveOf(deployment("api")), liveOf(ns), liveOf(pvc), liveOf(configMap("old-flags", { beta: "true" }, "legacy"))],
  });
  assert.deepEqual(
    plan.objects.map((o) => `${o.action} ${o.ref.kind}`),
    ["unchanged Deployment", "delete PersistentVolumeClaim", "delete ConfigMap", "delete Namespace"],
  );
  golden("deletion-with-prune", [plan]);
});

test("CRD and its resources in one change", () => {
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.acme.dev" },
    spec: {
      group: "acme.dev",
      names: { kind: "Widget", plural: "widgets", singular: "widget" },
      scope: "Namespaced",
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } }],
    },
  };
  const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "widgets" } };
  const widget = withSlipwayMetadata(
    { apiVersion: "acme.dev/v1", kind: "Widget", metadata: { name: "blue", namespace: "widgets" }, spec: { color: "blue" } },
    { environmentId },
  );
  const cm = withSlipwayMetadata(configMap("widget-config", { size: "L" }, "widgets"), { environmentId });
  const plan = planObjects({
    environment: "prod",
    environmentId,
    prune: false,
    desired: [
      {
        object: widget,
        file: "deploy/prod/widgets.yaml",
        line: 1,
        dryRun: { status: "deferred", note: deferredNote({ kind: "CustomResourceDefinition", name: "widgets.acme.dev" }) },
      },
      { object: cm, file: "deploy/prod/widgets.yaml", line: 8, dryRun: { status: "deferred", note: deferredNote({ kind: "Namespace", name: "widgets" }) } },
      desired(crd, "deploy/prod/crd.yaml", 1),
      desired(ns, "deploy/prod/namespace.yaml", 1),
    ],
    live: [],
  });
  assert.deepEqual(
    plan.objects.map((o) => o.ref.kind),
    ["Namespace", "CustomResourceDefinition", "ConfigMap", "Widget"],
  );
  assert.ok(plan.objects.every((o) => o.action === "create" && !o.rejection));
  golden("crd-and-resources", [plan]);
});

test("offline plan", () => {
  const plan = planOffline({
    environment: "prod",
    environmentId,
    namespace: "web",
    prune: true,
    reason: "the pull request comes from a fork",
    baseLabel: "main at 1a2b3c4",
    base: [
      { object: { ...deployment("api", { image: "ghcr.io/acme/api:1.4.2" }), metadata: { name: "api" } }, file: "deploy/prod/api.yaml", line: 1 },
      { object: configMap("old", { a: "b" }), file: "deploy/prod/old.yaml", line: 1 },
    ],
    head: [
      { object: { ...deployment("api", { image: "ghcr.io/acme/api:1.5.0" }), metadata: { name: "api" } }, file: "deploy/prod/api.yaml", line: 1 },
      { object: secret("token", { value: "offline-secret-value" }), file: "deploy/prod/token.yaml", line: 1 },
    ],
  });
  assert.equal(plan.mode, "offline");
  assert.deepEqual(
    plan.objects.map((o) => `${o.action} ${o.ref.kind} ${o.ref.namespace}/${o.ref.name}`),
    ["create Secret web/token", "update Deployment web/api", "delete ConfigMap web/old"],
  );
  assert.equal(plan.objects[2].file, "deploy/prod/old.yaml");
  const { comment, checks } = golden("offline", [plan]);
  assert.match(comment, /Offline plan: not compared with the live cluster/);
  assert.match(checks[0].title, /^Offline plan: /);
  assert.ok(!comment.includes("offline-secret-value"));
});

test("server rejection", () => {
  const bad = withSlipwayMetadata(deployment("api", { replicas: -1 }), { environmentId });
  const moved = withSlipwayMetadata(
    { ...deployment("worker"), spec: { ...(deployment("worker").spec as object), selector: { matchLabels: { app: "worker-v2" } } } },
    { environmentId },
  );
  const rbac = withSlipwayMetadata(
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "everything" },
      rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
    },
    { environmentId },
  );
  const plan = planObjects({
    environment: "prod",
    environmentId,
    prune: false,
    desired: [
      {
        object: bad,
        file: "deploy/prod/api.yaml",
        line: 1,
        lineOf: (path) => (path.join(".") === "spec.replicas" ? 7 : 1),
        dryRun: {
          status: "rejected",
          rejection: {
            reason: "invalid",
            message: 'apps/v1 Deployment web/api: Deployment.apps "api" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
            fields: [{ field: "spec.replicas", message: "Invalid value: -1: must be greater than or equal to 0" }],
          },
        },
      },
      {
        object: moved,
        file: "deploy/prod/worker.yaml",
        line: 1,
        dryRun: {
          status: "rejected",
          rejection: {
            reason: "immutable",
            message:
              'apps/v1 Deployment web/worker: Deployment.apps "worker" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"worker-v2"}}: field is immutable',
            fields: [{ field: "spec.selector", message: "field is immutable" }],
          },
        },
      },
      {
        object: rbac,
        file: "deploy/prod/rbac.yaml",
        line: 1,
        dryRun: {
          status: "rejected",
          rejection: {
            reason: "forbidden",
            message:
              'clusterroles.rbac.authorization.k8s.io "everything" is forbidden: user "slipway" is attempting to grant RBAC permissions not currently held',
            fields: [],
          },
        },
      },
      desired(configMap("fine", { a: "1" }), "deploy/prod/config.yaml", 1),
    ],
    live: [liveOf(deployment("worker"))],
  });
  const { checks } = golden("server-rejection", [plan]);
  assert.equal(checks[0].conclusion, "failure");
  assert.deepEqual(
    checks[0].annotations.map((a) => `${a.path}:${a.start_line} ${a.annotation_level}`),
    ["deploy/prod/rbac.yaml:1 failure", "deploy/prod/api.yaml:7 failure", "deploy/prod/worker.yaml:1 failure"],
  );
});

test("the footer names the head, the time and how to plan again", () => {
  const comment = renderPlanComment({ plans: [], headSha, plannedAt });
  assert.match(comment, /Planned for `3f9a2c1d4e5b` at 2026-03-14 09:26 UTC · a new push plans again · comment `\/plan` to plan again now/);
});
