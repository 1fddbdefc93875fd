import assert from "node:assert/strict";
import { test } from "node:test";
import { collectSecretValues } from "../../../src/core/plan/collect-secret-values.js";
import { createSecretMasker } from "../../../src/core/plan/create-secret-masker.js";
import { planObjects } from "../../../src/core/plan/plan-objects.js";
import { planOffline } from "../../../src/core/plan/plan-offline.js";
import { renderPlanText } from "../../../src/core/plan/render-plan-text.js";
import { renderPlanCheck } from "../../../src/core/report/render-plan-check.js";
import { renderPlanComment } from "../../../src/core/report/render-plan-comment.js";
import { configMap, deployment, desired, environmentId, liveOf, secret } from "./plan-fixtures.js";

// Secret values are masked by what they are, not by searching rendered text: wherever a value of
// a Secret in the plan shows up in another object (a ConfigMap, an env var, an annotation that
// holds a JSON document), it is masked in the data before any diff is rendered, whatever its
// length (from 4), its lines, or the quoting YAML and JSON give it.
const pem = ["-----BEGIN PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG9w0BAQEF", "AASCBKcwggSjAgEAAoIBAQC7VJTU", "-----END PRIVATE KEY-----"].join("\n");
const values = {
  four: "k9Zq",
  seven: "hunter2",
  quote: "it's-0pen",
  tab: "tab\tsep9",
  unicode: "pässwörd☃x",
  pem,
  // Only in `data`, base64: its decoded form must be found too.
  decoded: "from-data-77",
};

// Every form a value could take in rendered output: itself, each line, base64, and quoted.
function forms(value: string): string[] {
  const lines = value.split("\n").filter((line) => line.trim().length >= 4);
  return [value, ...lines, Buffer.from(value).toString("base64"), JSON.stringify(value).slice(1, -1), value.replace(/'/g, "''"), value.replace(/\t/g, "\\t")];
}

function assertNoValue(name: string, output: string): void {
  for (const [which, value] of Object.entries(values)) {
    for (const form of forms(value)) assert.ok(!output.includes(form), `${name} shows the ${which} value as ${JSON.stringify(form)}:\n${output}`);
  }
}

function leakyObjects() {
  const creds = secret("creds", {
    four: values.four,
    seven: values.seven,
    quote: values.quote,
    tab: values.tab,
    unicode: values.unicode,
    "tls.key": values.pem,
  });
  (creds as Record<string, unknown>).data = { decoded: Buffer.from(values.decoded).toString("base64") };
  // A ConfigMap that embeds values: in a file, as JSON, as YAML, one PEM line.
  const config = configMap("app-config", {
    "app.properties": `user=admin\npassword=${values.seven}\nkey=${values.four}\n`,
    "settings.json": JSON.stringify({ token: values.tab, name: values.unicode, other: values.decoded }),
    "settings.yaml": `quoted: '${values.quote.replace(/'/g, "''")}'\n`,
    "cert-line": pem.split("\n")[1],
  });
  const web = deployment("web");
  const container = ((web.spec as any).template.spec.containers as Array<Record<string, unknown>>)[0];
  container.env = [
    { name: "DB_PASSWORD", value: values.seven },
    { name: "SHORT", value: values.four },
    { name: "KEY", value: values.pem },
  ];
  container.args = [`--password=${values.quote}`];
  return { creds, config, web };
}

test("a Secret's values are masked in every other object of the plan, before the diff is rendered", () => {
  const { creds, config, web } = leakyObjects();
  const plan = planObjects({
    environment: "prod",
    environmentId,
    prune: false,
    desired: [desired(creds, "deploy/creds.yaml", 1), desired(config, "deploy/config.yaml", 1), desired(web, "deploy/web.yaml", 1)],
    live: [],
  });
  assert.deepEqual(
    plan.objects.map((o) => o.action),
    ["create", "create", "create"],
  );
  const web1 = plan.objects.find((o) => o.ref.name === "web")!;
  assert.match(web1.diff, /value: '\*\*\*'/, "the env var is still there, masked");
  assert.match(plan.objects.find((o) => o.ref.name === "app-config")!.diff, /password=\*\*\*/);
  assertNoValue("the plan as JSON", JSON.stringify(plan));
  assertNoValue("the comment", renderPlanComment({ plans: [plan], headSha: "3f9a2c1d4e5b", plannedAt: "2026-03-14T09:26:53Z" }));
  assertNoValue("the check run", JSON.stringify(renderPlanCheck(plan)));
  assertNoValue("the terminal plan", renderPlanText(plan));
});

test("a value that changes from one Secret value to another still shows as a change, never what to", () => {
  const keys = secret("keys", { old: "abcd-1", next: "wxyz-2" });
  const before = configMap("uses", { key: "abcd-1" });
  const after = configMap("uses", { key: "wxyz-2" });
  const plan = planObjects({
    environmentId,
    prune: false,
    desired: [desired(keys, "deploy/keys.yaml", 1, true), desired(after, "deploy/uses.yaml", 1, true)],
    live: [liveOf(keys), liveOf(before)],
  });
  const uses = plan.objects.find((o) => o.ref.name === "uses")!;
  assert.equal(uses.action, "update");
  assert.match(uses.diff, /^-  key: '\*\*\* \(old value\)'$/m);
  assert.match(uses.diff, /^\+  key: '\*\*\* \(new value\)'$/m);
  assert.ok(!JSON.stringify(plan).includes("abcd-1") && !JSON.stringify(plan).includes("wxyz-2"));
});

test("values in a live object's last-applied configuration and in risks are masked too", () => {
  const creds = secret("creds", { token: values.seven });
  const oldWeb = deployment("web", { image: `registry.example/app:${values.seven}` });
  const newWeb = deployment("web", { image: "registry.example/app:2.0" });
  const live = liveOf(oldWeb);
  // An annotation that kubectl or a person left, holding the whole object as JSON.
  (live.metadata as Record<string, unknown>).annotations = {
    ...((live.metadata as any).annotations ?? {}),
    "example.com/snapshot": JSON.stringify({ creds: { stringData: { token: values.tab } } }),
  };
  const plan = planObjects({
    environmentId,
    prune: false,
    desired: [
      desired(secret("creds2", { t: values.tab }), "deploy/c2.yaml", 1),
      desired(creds, "deploy/c.yaml", 1, true),
      desired(newWeb, "deploy/web.yaml", 1, true),
    ],
    live: [liveOf(creds), live],
  });
  const web = plan.objects.find((o) => o.ref.name === "web")!;
  assert.equal(web.risks[0]?.kind, "image");
  assertNoValue("the plan as JSON", JSON.stringify(plan));
});

test("an offline plan masks the same way", () => {
  const { creds, config, web } = leakyObjects();
  const plan = planOffline({
    environmentId,
    base: [],
    head: [creds, config, web].map((object, i) => ({ object, file: `deploy/${i}.yaml`, line: 1 })),
    prune: false,
    namespace: "web",
    reason: "the pull request comes from a fork",
  });
  assertNoValue("the offline plan", JSON.stringify(plan));
});

test("the values collected: every line, decoded data, and the quoted forms, from 4 characters", () => {
  const collected = collectSecretValues([secret("s", { a: "abc", b: "abcd", c: "x'y\tz1", d: "line-one\nline-two" })]);
  for (const expected of ["abcd", "x'y\tz1", "x''y\tz1", "x'y\\tz1", "line-one", "line-two", "line-one\\nline-two", Buffer.from("abcd").toString("base64")]) {
    assert.ok(collected.includes(expected), `${JSON.stringify(expected)} in ${JSON.stringify(collected)}`);
  }
  assert.ok(!collected.includes("abc"), "shorter than 4: left out");
});

test("the masker: one pass, overlapping values masked as one, the longest at a position", () => {
  const mask = createSecretMasker(["abcdef", "defghi", "abcd", "zzzz"]);
  assert.equal(mask("xxabcdefghixx"), "xx***xx");
  assert.equal(mask("abcd-abcdef"), "***-***");
  assert.equal(mask("zzzzzz"), "***");
  assert.equal(mask("nothing here"), "nothing here");
  assert.equal(createSecretMasker([])("abcd"), "abcd");
});

test("a value only in a live Secret's last-applied configuration is masked elsewhere too", () => {
  const live = liveOf(secret("rotated", { token: "new-tok-1" }));
  (live.metadata as Record<string, Record<string, string>>).annotations["kubectl.kubernetes.io/last-applied-configuration"] = JSON.stringify(
    secret("rotated", { token: "old-tok-9" }),
  );
  const plan = planObjects({
    environmentId,
    prune: false,
    desired: [desired(secret("rotated", { token: "new-tok-1" }), "deploy/s.yaml", 1, true), desired(configMap("c", { x: "old-tok-9" }), "deploy/c.yaml", 1)],
    live: [live],
  });
  assert.ok(!JSON.stringify(plan).includes("old-tok-9"));
});
