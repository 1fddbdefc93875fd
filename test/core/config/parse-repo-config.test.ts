import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRepoConfig } from "../../../src/config/parse-repo-config.js";

const file = ".github/slipway.yml";

test("a minimal config gets every default", () => {
  const result = parseRepoConfig("environments:\n  - name: prod\n    path: deploy/prod\n    cluster: main\n", file);
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.config.version, 1);
  assert.deepEqual(result.config.environments[0], {
    name: "prod",
    path: "deploy/prod",
    cluster: "main",
    namespace: "default",
    needs: [],
    autoDeploy: true,
    prune: false,
    pruneMaxShare: 0.5,
    allowPruneAll: false,
    adopt: false,
    healthTimeout: "5m",
    rollbackOnFailure: false,
    protected: false,
  });
  assert.equal(result.config.validation.rules.privileged, "error");
  assert.equal(result.config.validation.limits.maxDepth, 64);
  assert.equal(result.config.commands.rollback, "write");
});

test("schema errors name the line and say what to do", () => {
  const text = [
    "environments:", // 1
    "  - name: prod", // 2
    "    path: deploy/prod", // 3
    "    namspace: web", // 4
    "  - name: Staging", // 5
    "    path: deploy/staging", // 6
    "    cluster: main", // 7
    "    healthTimeout: 5 minutes", // 8
    "validation:", // 9
    "  rules:", // 10
    "    imageTag: strict", // 11
  ].join("\n");
  const result = parseRepoConfig(text, file);
  assert.deepEqual(result, {
    ok: false,
    errors: [
      { file, line: 2, message: "environments[0].cluster is required" },
      { file, line: 4, message: "environments[0]: unknown property 'namspace' (did you mean 'namespace'?)" },
      { file, line: 5, message: "environments[1].name must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit" },
      { file, line: 8, message: "environments[1].healthTimeout must be a duration such as 90s, 5m or 1h" },
      { file, line: 11, message: "validation.rules.imageTag must be one of: off, warn, error" },
    ],
  });
});

test("needs must name other environments, without cycles; names are unique", () => {
  const env = (name: string, needs: string[]) => `  - name: ${name}\n    path: ${name}\n    cluster: c\n    needs: [${needs.join(", ")}]\n`;
  const missing = parseRepoConfig(`environments:\n${env("staging", [])}${env("prod", ["stagin"])}`, file);
  assert.deepEqual(missing, {
    ok: false,
    errors: [{ file, line: 9, message: "environments[1].needs: no environment is named 'stagin' (did you mean 'staging'?)" }],
  });
  const cycle = parseRepoConfig(`environments:\n${env("a", ["b"])}${env("b", ["c"])}${env("c", ["a"])}`, file);
  assert.deepEqual(cycle, { ok: false, errors: [{ file, line: 5, message: "environments depend on each other in a cycle: a → b → c → a" }] });
  const duplicate = parseRepoConfig(`environments:\n${env("a", [])}${env("a", [])}`, file);
  assert.deepEqual(duplicate, {
    ok: false,
    errors: [{ file, line: 6, message: "environments[1].name: 'a' is already the name of environments[0]" }],
  });
  const self = parseRepoConfig(`environments:\n${env("a", ["a"])}`, file);
  assert.deepEqual(self, { ok: false, errors: [{ file, line: 5, message: "environments[0].needs: 'a' cannot need itself" }] });
});

test("YAML problems and empty files are errors too", () => {
  assert.deepEqual(parseRepoConfig("", file), { ok: false, errors: [{ file, line: 0, message: "the file is empty; it needs at least `environments`" }] });
  assert.deepEqual(parseRepoConfig("environments: []\nenvironments: []\n", file), {
    ok: false,
    errors: [{ file, line: 2, message: 'duplicate key "environments"' }],
  });
  assert.deepEqual(parseRepoConfig("just text\n", file), {
    ok: false,
    errors: [{ file, line: 1, message: "the file must be a mapping of settings (key: value), with at least `environments`" }],
  });
  const unknownTop = parseRepoConfig("enviroments: []\n", file);
  assert.ok(!unknownTop.ok);
  assert.deepEqual(
    unknownTop.errors.map((e) => e.message),
    ["environments is required", "unknown property 'enviroments' (did you mean 'environments'?)"],
  );
});

test("YAML 1.1 booleans are read as the word where a setting takes one: imageTag: off", () => {
  const result = parseRepoConfig(
    "environments: [{ name: prod, path: deploy, cluster: main }]\nvalidation:\n  rules:\n    imageTag: off\n    resources: 'off'\n",
    file,
  );
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.config.validation.rules.imageTag, "off");
  assert.equal(result.config.validation.rules.resources, "off");
  const boolean = parseRepoConfig("environments: [{ name: prod, path: deploy, cluster: main, autoDeploy: off }]\n", file);
  assert.ok(boolean.ok, JSON.stringify(boolean));
  assert.equal(boolean.config.environments[0].autoDeploy, false);
});
