import assert from "node:assert/strict";
import { test } from "node:test";
import { createMemorySourceTree } from "../../../src/core/manifests/create-memory-source-tree.js";
import { loadManifests } from "../../../src/core/manifests/load-manifests.js";
import { findRefusedPatterns } from "../../../src/core/validation/find-refused-patterns.js";
import { linearRegExp } from "../../../src/core/validation/linear-reg-exp.js";
import { validateEnvironment } from "../../../src/core/validation/validate-environment.js";

const limits = { maxFileBytes: 1_000_000, maxFiles: 100, maxDocumentsPerFile: 100, maxDepth: 64, maxAliases: 10 };
const offRules = { imageTag: "off", resources: "off", privileged: "off", hostPath: "off", readinessProbe: "off" } as const;

const crd = (pattern: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
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
              properties:
                name: { type: string, pattern: ${JSON.stringify(pattern)} }
                size: { type: integer, minimum: 1 }
`;
const widget = (name: string, size = 1) =>
  `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  name: ${JSON.stringify(name)}\n  size: ${size}\n`;

async function validate(pattern: string, name: string, size?: number): Promise<string[]> {
  const manifests = await loadManifests({
    tree: createMemorySourceTree({ "env/crd.yaml": crd(pattern), "env/w.yaml": widget(name, size) }),
    path: "env",
    limits,
  });
  const result = validateEnvironment({ environment: { name: "prod", namespace: "web" }, manifests, schemas: undefined, unknownKinds: "warn", rules: offRules });
  return result.results
    .filter((r) => r.status !== "valid" && r.file !== "env/crd.yaml")
    .map((r) => `${r.file}:${r.line} ${r.severity} ${r.check} ${r.message}`);
}

test("a catastrophic pattern on a long input answers in linear time", () => {
  // JavaScript's engine needs seconds for 27 characters of this, four times more per two more.
  const started = process.cpuUsage();
  assert.equal(linearRegExp("^(a+)+$", "u").test(`${"a".repeat(100_000)}!`), false);
  assert.equal(linearRegExp("^(a+)+$", "u").test("a".repeat(100_000)), true);
  const elapsed = cpuMs(started);
  assert.ok(elapsed < 1_000, `took ${Math.round(elapsed)} ms`);
});

test("a CRD's catastrophic pattern rejects a hostile value at once, as a schema error at its line", async () => {
  const started = process.cpuUsage();
  const found = await validate("^(a+)+$", `${"a".repeat(40)}!`);
  const elapsed = cpuMs(started);
  assert.deepEqual(found, ['env/w.yaml:6 error schema spec.name: must match pattern "^(a+)+$"']);
  assert.ok(elapsed < 1_000, `took ${Math.round(elapsed)} ms`);
  assert.deepEqual(await validate("^(a+)+$", "aaaa"), []);
});

test("a pattern RE2 cannot run is a warning, and the rest of the schema is still checked", async () => {
  assert.deepEqual(await validate("^(a)\\1$", "ab", 0), [
    'env/w.yaml:1 warning schema/pattern-not-checked pattern "^(a)\\\\1$" in the CustomResourceDefinition\'s schema is not checked: RE2, the engine the API server uses, refuses it (invalid escape sequence: `\\1`)',
    "env/w.yaml:7 error schema spec.size: must be >= 1",
  ]);
  assert.deepEqual(
    findRefusedPatterns({ properties: { pattern: { type: "string", pattern: "(?=x)" }, ok: { pattern: "^[a-z]+$" } } }).map((r) => r.pattern),
    ["(?=x)"],
  );
});

/** CPU time since `started`, in ms: steadier than the wall clock on a busy machine. */
function cpuMs(started: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1_000;
}
