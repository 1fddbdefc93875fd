import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { environmentLabelValue } from "../../src/core/plan/environment-label-value.js";
import { withSlipwayMetadata } from "../../src/core/plan/with-slipway-metadata.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";
import { createTestNamespace, testClusterAlias, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

// Secret data never leaves the cluster in clear. Known values are planted in the cluster and in
// the repository; after a pull request is validated and planned live, commands run, it is merged
// and deployed (one Secret the server refuses), every byte the App sent to GitHub, every log line
// and every page it served is searched for them.
const cluster = testClusterClient();
let t: TestApp;
let ns: TestNamespace;
before(async () => {
  ns = await createTestNamespace("secrets");
  t = await startTestApp({
    clusters: [testClusterAlias()],
  });
});
after(async () => {
  await t?.close();
  await ns?.cleanup();
});

const planted = {
  live: "planted-live-value-7f3e21",
  repoBefore: "planted-repo-before-91ac44",
  repoAfter: "planted-repo-after-0b7d55",
  dataField: "planted-data-field-5e2c99",
  refused: "planted-refused-value-3a8f10",
  // Short, multi-line and quoted values, each also embedded in a ConfigMap and a Deployment's env.
  four: "Zq7x",
  seven: "Kv9mWqz",
  pem: "-----BEGIN TEST KEY-----\nQm9ndXNLZXlMaW5lT25lWFla\nQm9ndXNLZXlMaW5lVHdvWFla\n-----END TEST KEY-----",
  quote: "it'sQv8-secret",
  tab: "tab\tQv9-secret",
  unicode: "pässQv7-wörd☃",
};

// Every form a value could take in what Slipway sends: as is, each line, base64, and as JSON
// and YAML quote it.
function forms(value: string): string[] {
  const lines = value.split("\n").filter((line) => line.length >= 4 && line !== value);
  const base64 = Buffer.from(value).toString("base64");
  return [...new Set([value, ...lines, base64, base64.replace(/=+$/, ""), JSON.stringify(value).slice(1, -1), value.replace(/'/g, "''")])];
}

const secret = (name: string, stringData: Record<string, string>, data: Record<string, string> = {}) =>
  [
    "apiVersion: v1",
    "kind: Secret",
    "metadata:",
    `  name: ${name}`,
    "type: Opaque",
    ...(Object.keys(stringData).length > 0 ? ["stringData:", ...Object.entries(stringData).map(([k, v]) => `  ${k}: ${v}`)] : []),
    ...(Object.keys(data).length > 0 ? ["data:", ...Object.entries(data).map(([k, v]) => `  ${k}: ${v}`)] : []),
    "",
  ].join("\n");

test("no planted Secret value appears in any request to GitHub, log line or served page", async () => {
  const repo = await t.sim.createRepository({
    name: "secrets",
    files: {
      ".github/slipway.yml": `environments:\n  - name: staging\n    path: deploy/staging\n    cluster: test\n    namespace: ${ns.name}\n    prune: true\n`,
      "deploy/staging/db.yaml": secret("db", { password: planted.repoBefore }, { token: Buffer.from(planted.dataField).toString("base64") }),
    },
  });
  t.sim.setPermission(repo, "octocat", "admin");

  // What runs in the cluster: the repository's Secret as deployed, plus a live-only Secret Slipway manages.
  const environmentId = environmentLabelValue("slipway-test", "secrets", "staging");
  const live = { apiVersion: "v1", kind: "Secret", metadata: { name: "live-only", namespace: ns.name }, stringData: { key: planted.live } };
  await cluster.apply(withSlipwayMetadata(live, { environmentId }) as never, { dryRun: false, force: true });

  const opened = await t.sim.openPullRequest({
    repo,
    head: "rotate",
    author: "octocat",
    files: {
      "deploy/staging/db.yaml": secret("db", { password: planted.repoAfter }, { token: Buffer.from(planted.dataField).toString("base64") }),
      // Not base64: the server refuses it, and its error must not echo the value.
      "deploy/staging/refused.yaml": secret("refused", {}, { value: `${planted.refused}!!` }),
      "deploy/staging/extra.yaml": secret("extra", {
        four: JSON.stringify(planted.four),
        seven: JSON.stringify(planted.seven),
        "tls.key": JSON.stringify(planted.pem),
        quote: JSON.stringify(planted.quote),
        tab: JSON.stringify(planted.tab),
        unicode: JSON.stringify(planted.unicode),
      }),
      // Other objects of the same change that hold the values: not Secrets, so shown in the diff.
      "deploy/staging/config.yaml": [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: app-config",
        "data:",
        `  app.properties: ${JSON.stringify(`user=app\npassword=${planted.seven}\npin=${planted.four}\nkey=${planted.pem}\n`)}`,
        `  settings.json: ${JSON.stringify(JSON.stringify({ quote: planted.quote, tab: planted.tab, unicode: planted.unicode }))}`,
        `  settings.yaml: ${JSON.stringify(`quote: '${planted.quote.replace(/'/g, "''")}'\n`)}`,
        "",
      ].join("\n"),
      "deploy/staging/web.yaml": [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  name: web",
        "spec:",
        "  replicas: 1",
        "  selector: { matchLabels: { app: web } }",
        "  template:",
        "    metadata: { labels: { app: web } }",
        "    spec:",
        "      containers:",
        "        - name: web",
        "          image: nginx:1.27",
        `          args: [${JSON.stringify(`--token=${planted.tab}`)}]`,
        "          env:",
        ...(["four", "seven", "pem", "quote", "unicode"] as const).map(
          (k) => `            - { name: ${k.toUpperCase()}, value: ${JSON.stringify(planted[k])} }`,
        ),
        "",
      ].join("\n"),
    },
  });
  await t.settle();
  await t.sim.comment({ repo, issueNumber: opened.number, author: "octocat", body: "/plan" });
  await t.sim.comment({ repo, issueNumber: opened.number, author: "octocat", body: "/help" });
  await t.settle();
  assert.ok(
    t.sim.comments(repo, opened.number).some((c) => c.body.includes("password")),
    "the plan names the changed key",
  );
  assert.ok(
    t.sim.comments(repo, opened.number).some((c) => c.body.includes("password=***")),
    "the ConfigMap's diff is shown, its Secret values masked",
  );
  const [planRun] = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / plan: staging" }).slice(-1);
  assert.equal(planRun?.conclusion, "failure", "the refused Secret failed the plan: the error path ran");
  const merged = await t.sim.mergePullRequest({ repo, number: opened.number });
  await t.settle();
  const deployStatus = t.sim
    .statuses(repo, merged.sha)
    .filter((s) => s.context === "slipway/deploy: staging")
    .sort((a, b) => a.id - b.id)
    .at(-1);
  assert.equal(deployStatus?.state, "failure", "the refused Secret failed the deploy: its error path ran too");

  const pages = await Promise.all(["/healthz", "/readyz", "/", "/api/github/webhooks"].map(async (path) => (await fetch(`${t.app.url}${path}`)).text()));
  const haystacks = [
    ...t.sim.requests.map((request) => `${request.method} ${request.path} ${JSON.stringify(request.body ?? "")}`),
    ...t.logs.map((line) => JSON.stringify(line)),
    ...pages,
  ];
  assert.ok(t.sim.requests.length > 20 && t.logs.length > 20, "there was plenty to search");
  for (const [name, value] of Object.entries(planted)) {
    for (const form of forms(value)) {
      const found = haystacks.find((text) => text.includes(form));
      assert.equal(found, undefined, `the ${name} Secret value leaked (as ${form === value ? "clear text" : "base64"}) in: ${found?.slice(0, 300)}`);
    }
  }
  t.sim.assertNoViolations();
});
