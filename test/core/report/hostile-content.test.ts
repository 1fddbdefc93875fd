import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { renderDeployFailureComment } from "../../../src/core/deploy/render-deploy-failure-comment.js";
import { createMemorySourceTree } from "../../../src/core/manifests/create-memory-source-tree.js";
import { loadManifests } from "../../../src/core/manifests/load-manifests.js";
import { planOffline } from "../../../src/core/plan/plan-offline.js";
import { renderConfigErrorCheck } from "../../../src/core/report/render-config-error-check.js";
import { renderPlanCheck } from "../../../src/core/report/render-plan-check.js";
import { renderPlanComment } from "../../../src/core/report/render-plan-comment.js";
import { renderValidationCheck } from "../../../src/core/report/render-validation-check.js";
import { createSchemaRegistry } from "../../../src/core/validation/create-schema-registry.js";
import { validateEnvironment } from "../../../src/core/validation/validate-environment.js";
import { readSchemaSet } from "../../../src/schemas/read-schema-set.js";
import { assertGolden } from "../../support/golden.js";
import { renderMarkdown } from "../../support/render-markdown.js";

// Names, keys, images, file names and messages come from pull requests and clusters: hostile.
// Whatever they hold, the comment and check runs GitHub renders from them must show them as
// text: no image, link, mention, HTML, formatting, or a table row or code span broken open.
const hostileName = "web`\n| x | y |\n</code></summary> @acme/security-team ``";
const hostileKey = "<img src=x>";
const hostileImage = "evil@acme/security-team [x](http://e)";
const hostileFile = "prod/a`b``c.yaml";

/** What GitHub would show: HTML of the Markdown, checked for anything the text could have made. */
function assertInert(name: string, markdown: string): void {
  const html = renderMarkdown(markdown);
  assert.doesNotMatch(html, /<img|<a |<script|<em>|<del>|<iframe/i, `${name}: an element from the text itself:\n${html}`);
  // Mentions and links: GitHub makes them from text outside code; none is left to make one of.
  const text = html.replace(/<pre>[\s\S]*?<\/pre>|<code>[\s\S]*?<\/code>/g, "");
  assert.doesNotMatch(text, /@[A-Za-z0-9]/, `${name}: a mention outside code:\n${text}`);
  assert.doesNotMatch(text, /https?:\/\//, `${name}: a bare link:\n${text}`);
  // Every row of every table has as many cells as its header.
  for (const table of html.split("<table>").slice(1)) {
    const header = table.split("</thead>")[0].match(/<th[ >]/g)?.length ?? 0;
    for (const row of table.split("</thead>")[1].split("</table>")[0].split("<tr>").slice(1)) {
      assert.equal(row.match(/<td[ >]/g)?.length ?? 0, header, `${name}: a row broken open:\n${row}`);
    }
  }
  // Every `<details>` closes where Slipway closed it: nothing the text holds ends it early.
  assert.equal(html.match(/<details>/g)?.length ?? 0, html.match(/<\/details>/g)?.length ?? 0, `${name}: details`);
}

function hostilePlan() {
  const deployment = (image: string) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: hostileName, namespace: "web" },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c@acme/x", image }] } },
    },
  });
  const secret = (data: Record<string, string>) => ({ apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "web" }, stringData: data });
  // A diff whose content holds a longer run of backticks than the fence it would get by default.
  const config = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "notes", namespace: "web" },
    data: { readme: "````\n</details>\n@acme/security-team" },
  };
  return planOffline({
    environment: "prod",
    environmentId: "acme.shop.prod",
    base: [
      { object: deployment("nginx:1.27"), file: hostileFile, line: 1 },
      { object: secret({ user: "admin-user" }), file: "prod/creds.yaml", line: 1 },
    ],
    head: [
      { object: deployment(hostileImage), file: hostileFile, line: 1 },
      { object: secret({ user: "admin-user", [hostileKey]: "v@l-u3!" }), file: "prod/creds.yaml", line: 1 },
      { object: config, file: "prod/notes.yaml", line: 1 },
    ],
    prune: false,
    namespace: "web",
    reason: "the pull request comes from a fork @acme/security-team [x](http://e)",
    baseLabel: "main at 1a2b3c4",
  });
}

test("a plan of hostile names, keys and images renders as text", () => {
  const plan = hostilePlan();
  const comment = renderPlanComment({ plans: [plan], headSha: "3f9a2c1d4e5b6a7980112233445566778899aabb", plannedAt: "2026-03-14T09:26:53Z" });
  const check = renderPlanCheck(plan);
  assertGolden("plan/hostile.comment.md", comment);
  assertGolden("plan/hostile.check.md", [check.summary, "", "## text", "", check.text ?? ""].join("\n"));
  assertInert("comment", comment);
  assertInert("check summary", check.summary);
  assertInert("check text", check.text ?? "");
  assert.match(comment, /evil@\u200bacme\/security-team \\\[x\\\]\(http:\u200b\/\/e\)/, "the image is shown, as text");
  assert.match(comment, /keys: \\<img src=x\\> added/, "the key is shown, as text");
});

test("a diff cannot close its fence, whatever backticks it holds", () => {
  const plan = hostilePlan();
  assert.match(plan.objects.find((o) => o.ref.name === "notes")!.diff, /````/);
  const html = renderMarkdown(renderPlanComment({ plans: [plan], headSha: "3f9a2c1d4e5b", plannedAt: "2026-03-14T09:26:53Z" }));
  const block =
    /<pre><code class="language-diff">([\s\S]*?)<\/code><\/pre>/.exec(html.slice(html.indexOf("<summary>➕ create <code>ConfigMap web/notes")))?.[1] ?? "";
  assert.match(block, /````/);
  assert.match(block, /&lt;\/details&gt;/);
});

test("a validate check of a hostile file name and object renders as text", async () => {
  const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/kubernetes-schemas");
  const read = await readSchemaSet(fixtures, "1.31");
  assert.ok(read.ok);
  const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x\`y @acme/security-team"\nspec:\n  containers:\n    - name: app\n      image: "${hostileImage}"\n`;
  const manifests = await loadManifests({
    tree: createMemorySourceTree({ [hostileFile]: pod, "prod/`\n|.yaml": "kind: [" }),
    path: "prod",
    limits: { maxFileBytes: 1_000_000, maxFiles: 100, maxDocumentsPerFile: 100, maxDepth: 64, maxAliases: 10 },
  });
  const rules = { imageTag: "warn", resources: "warn", privileged: "error", hostPath: "warn", readinessProbe: "off" } as const;
  const validation = validateEnvironment({
    environment: { name: "prod", namespace: "web" },
    manifests,
    schemas: createSchemaRegistry(read.set),
    unknownKinds: "warn",
    rules,
  });
  const output = renderValidationCheck([validation]);
  assertGolden("validate/hostile.md", [output.summary, "", "## text", "", output.text ?? ""].join("\n"));
  assertInert("validate summary", output.summary);
  assertInert("validate text", output.text ?? "");
  assert.match(output.text ?? "", /``prod\/a`b``c\.yaml/, "the file name is shown whole, in code");
});

test("a config error check of a hostile message renders as text", () => {
  const output = renderConfigErrorCheck([
    { file: ".github/slipway.yml", line: 3, message: `environment "${hostileName}" has an unknown key <img src=x> | @acme/security-team` },
  ]);
  assertGolden("app/hostile-config-error-check.md", output.summary);
  assertInert("config error", output.summary);
});

test("a failed deploy's comment shows the cluster's message as text", () => {
  const body = renderDeployFailureComment({
    sha: "3f9a2c1d4e5b6a7980112233445566778899aabb",
    environment: "prod",
    failure: `Deployment web/${hostileName}: admission webhook denied: image ${hostileImage} <img src=x>`,
    rollback: { status: "rolled-back", sha: "1a2b3c4d5e6f", message: "applied 3 objects **all** healthy @acme/x" },
  });
  assertGolden("app/hostile-deploy-failure.comment.md", body);
  assertInert("deploy failure", body);
});
