import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { readSchemaSet } from "../../../src/schemas/read-schema-set.js";
import { createMemorySourceTree } from "../../../src/core/manifests/create-memory-source-tree.js";
import { loadManifests } from "../../../src/core/manifests/load-manifests.js";
import { renderValidationCheck, type CheckOutput } from "../../../src/core/report/render-validation-check.js";
import { createSchemaRegistry } from "../../../src/core/validation/create-schema-registry.js";
import { validateEnvironment } from "../../../src/core/validation/validate-environment.js";
import type { EnvironmentValidation, ValidationResult } from "../../../src/core/validation/validation-result.js";
import { assertGolden } from "../../support/golden.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/kubernetes-schemas");
const limits = { maxFileBytes: 1_000_000, maxFiles: 100, maxDocumentsPerFile: 100, maxDepth: 64, maxAliases: 10 };
const rules = { imageTag: "warn", resources: "warn", privileged: "error", hostPath: "warn", readinessProbe: "off" } as const;

async function environment(name: string, files: Record<string, string>): Promise<EnvironmentValidation> {
  const read = await readSchemaSet(fixtures, "1.31");
  assert.ok(read.ok);
  const manifests = await loadManifests({ tree: createMemorySourceTree(files), path: name, limits });
  return validateEnvironment({ environment: { name, namespace: "web" }, manifests, schemas: createSchemaRegistry(read.set), unknownKinds: "warn", rules });
}

function golden(name: string, output: CheckOutput): void {
  const { annotations, ...rest } = output;
  const markdown = [
    `# ${rest.title}`,
    "",
    `conclusion: ${rest.conclusion}`,
    "",
    "## summary",
    "",
    rest.summary,
    "",
    "## text",
    "",
    rest.text ?? "(none)",
    "",
  ].join("\n");
  assertGolden(`validate/${name}.md`, markdown);
  assertGolden(`validate/${name}.annotations.json`, `${JSON.stringify(annotations, null, 2)}\n`);
}

const pod = (name: string, image: string, extra = "") =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: app\n      image: ${image}\n      resources:\n        requests: { cpu: 10m }\n        limits: { cpu: 100m }\n${extra}`;

test("clean", async () => {
  const output = renderValidationCheck([
    await environment("staging", { "staging/app.yaml": pod("a", "nginx:1.27"), "staging/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n" }),
    await environment("prod", { "prod/app.yaml": pod("a", "nginx:1.27") }),
  ]);
  assert.equal(output.conclusion, "success");
  golden("clean", output);
});

test("warnings only", async () => {
  const output = renderValidationCheck([
    await environment("prod", {
      "prod/app.yaml": pod("a", "nginx") + `---\n${pod("b", "nginx:latest")}`,
      "prod/widget.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n",
    }),
  ]);
  assert.equal(output.conclusion, "success");
  golden("warnings-only", output);
});

test("errors in several files", async () => {
  const output = renderValidationCheck([
    await environment("prod", {
      "prod/app.yaml": pod("a", "nginx:1.27", "      securityContext: { privileged: true }\n"),
      "prod/broken.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n",
      "prod/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: Internal\n  ports:\n    - name: http\n",
      "prod/dup.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: []\n  hostNetwork: maybe\n",
    }),
    await environment("staging", { "staging/app.yaml": pod("a", "nginx") }),
  ]);
  assert.equal(output.conclusion, "failure");
  golden("errors-in-several-files", output);
});

test("over the annotation cap", () => {
  const results: ValidationResult[] = [];
  for (let i = 0; i < 620; i++) {
    const severity = i % 3 === 0 ? "error" : "warning";
    results.push({
      status: "invalid",
      severity,
      file: `prod/app-${String(Math.floor(i / 10)).padStart(2, "0")}.yaml`,
      line: (i % 10) * 7 + 1,
      object: { apiVersion: "v1", kind: "ConfigMap", name: `c${i}` },
      check: severity === "error" ? "schema" : "rule/imageTag",
      message: severity === "error" ? "data.key: must be string" : "containers[0] (app): image nginx has no tag",
    });
  }
  const output = renderValidationCheck([{ environment: "prod", objects: 620, results }]);
  assert.equal(output.annotations.length, 500);
  assert.ok(output.annotations.slice(0, 207).every((a) => a.annotation_level === "failure"));
  assert.match(output.summary, /Showing 500 of 620 annotations; 120 more are listed below\./);
  golden("over-annotation-cap", output);
});

test("summary and text stay within GitHub's limit", () => {
  const results: ValidationResult[] = Array.from({ length: 5000 }, (_, i) => ({
    status: "invalid",
    severity: "error",
    file: `prod/file-${i}.yaml`,
    line: 3,
    check: "schema",
    message: `spec.field${i}: ${"must be a very long explanation ".repeat(3)}`,
  }));
  const output = renderValidationCheck([{ environment: "prod", objects: 5000, results }]);
  assert.ok(output.text!.length <= 65_535);
  assert.match(output.text!, /more lines cut to fit GitHub's limit/);
});

test("no environments is neutral", () => {
  assert.equal(renderValidationCheck([]).conclusion, "neutral");
});
