import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRepoConfig } from "../../../src/config/parse-repo-config.js";
import type { RepoConfig } from "../../../src/core/config/repo-config-schema.js";
import { diffRepoConfigs } from "../../../src/core/config/diff-repo-configs.js";
import { renderConfigChange } from "../../../src/core/report/render-config-change.js";
import { assertGolden } from "../../support/golden.js";

function config(text: string): RepoConfig {
  const parsed = parseRepoConfig(text, ".github/slipway.yml");
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors));
  return parsed.config;
}

const trusted = config(`environments:
  - name: staging
    path: deploy/staging
    cluster: staging
    namespace: web
  - name: production
    path: deploy/production
    cluster: production
    namespace: web
    protected: true
    needs: [staging]
  - name: preview
    path: deploy/preview
    cluster: staging
    namespace: preview
`);

test("the same settings written differently (defaults spelled out, order, comments) are no change", () => {
  const same = config(`# reordered, defaults written out
commands:
  rollback: write
environments:
  - name: staging
    cluster: staging
    path: deploy/staging
    namespace: web
    prune: false
  - name: production
    path: deploy/production
    cluster: production
    namespace: web
    protected: true
    needs: [staging]
  - name: preview
    path: deploy/preview
    cluster: staging
    namespace: preview
`);
  assert.deepEqual(diffRepoConfigs(trusted, same), { items: [] });
});

test("a change moving production, widening prune and lowering the bar is data, each risk named", () => {
  const proposed = config(`environments:
  - name: staging
    path: deploy/staging
    cluster: staging
    namespace: web
    prune: true
    pruneMaxShare: 1
  - name: production
    path: evil
    cluster: production
    namespace: kube-system
    branch: feature/x
    protected: false
    needs: [staging]
  - name: canary
    path: deploy/canary
    cluster: production
    namespace: canary
commands:
  rollback: read
validation:
  limits:
    maxFiles: 90000
  rules:
    privileged: "off"
`);
  const change = diffRepoConfigs(trusted, proposed);
  assert.deepEqual(
    change.items.map((item) =>
      item.kind === "setting-changed"
        ? `${item.environment ?? "*"} ${item.setting}: ${JSON.stringify(item.before)} -> ${JSON.stringify(item.after)}${item.risk ? ` (${item.risk})` : ""}`
        : `${item.kind} ${item.environment}`,
    ),
    [
      "staging prune: false -> true (lets Slipway delete more)",
      "staging pruneMaxShare: 0.5 -> 1 (lets Slipway delete more)",
      'production branch: undefined -> "feature/x" (changes where or what this environment deploys)',
      'production namespace: "web" -> "kube-system" (changes where or what this environment deploys)',
      'production path: "deploy/production" -> "evil" (changes where or what this environment deploys)',
      "production protected: true -> false (lowers who may roll it back)",
      "environment-added canary",
      "environment-removed preview",
      '* commands.rollback: "write" -> "read" (lowers who may run it)',
      "* validation.limits.maxFiles: 5000 -> 90000 (lets Slipway read more)",
      '* validation.rules.privileged: "error" -> "off" (turns a check off)',
    ],
  );
  assertGolden(
    "plan/config-change.section.md",
    renderConfigChange({ change, defaultBranch: "main", trustedSha: "3f9a2c1d4e5b6a7980112233445566778899aabb", configPath: ".github/slipway.yml" }) + "\n",
  );
});

test("what the pull request wrote cannot break out of its table cell, mention anyone or run long", () => {
  const proposed = config(`environments:
  - name: staging
    path: "deploy/x | @org/team \`**b**\` ${"y".repeat(200)}"
    cluster: staging
    namespace: web
  - name: production
    path: deploy/production
    cluster: production
    namespace: web
    protected: true
    needs: [staging]
  - name: preview
    path: deploy/preview
    cluster: staging
    namespace: preview
`);
  const text = renderConfigChange({
    change: diffRepoConfigs(trusted, proposed),
    defaultBranch: "main",
    trustedSha: "3f9a2c1d4e5b",
    configPath: ".github/slipway.yml",
  });
  const row = text.split("\n").find((line) => line.includes("`path`"))!;
  assert.equal(row.split(/(?<!\\)\|/).length, 6, row);
  assert.doesNotMatch(text, /@org/);
  assert.ok(row.length < 300, row);
});
