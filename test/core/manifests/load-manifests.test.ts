import assert from "node:assert/strict";
import { test } from "node:test";
import { createMemorySourceTree } from "../../../src/core/manifests/create-memory-source-tree.js";
import { loadManifests, type ManifestLimits } from "../../../src/core/manifests/load-manifests.js";

const limits: ManifestLimits = { maxFileBytes: 100_000, maxFiles: 100, maxDocumentsPerFile: 100, maxDepth: 64, maxAliases: 10 };
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

test("loads yaml and yml files below the folder, in path order, with file and line", async () => {
  const tree = createMemorySourceTree({
    "deploy/prod/b.yml": cm("b"),
    "deploy/prod/a.yaml": `${cm("a1")}---\n${cm("a2")}`,
    "deploy/prod/nested/c.YAML": cm("c"),
    "deploy/prod/README.md": "# not a manifest",
    "deploy/staging/x.yaml": cm("x"),
  });
  const result = await loadManifests({ tree, path: "./deploy/prod/", limits });
  assert.deepEqual(result.errors, []);
  assert.equal(result.files, 3);
  assert.deepEqual(
    result.objects.map((o) => [o.file, o.line, o.documentIndex, (o.object.metadata as { name: string }).name]),
    [
      ["deploy/prod/a.yaml", 1, 0, "a1"],
      ["deploy/prod/a.yaml", 6, 1, "a2"],
      ["deploy/prod/b.yml", 1, 0, "b"],
      ["deploy/prod/nested/c.YAML", 1, 0, "c"],
    ],
  );
  assert.equal(result.objects[1].lineOf(["metadata", "name"]), 9);
});

test("rejects paths outside the repository", async () => {
  const tree = createMemorySourceTree({ "a.yaml": cm("a") });
  for (const path of ["../other", "/etc", "deploy/../../x"]) {
    const result = await loadManifests({ tree, path, limits });
    assert.deepEqual(
      result.errors.map((e) => e.message),
      ["the environment path must be relative to the repository and stay inside it"],
      path,
    );
  }
  const missing = await loadManifests({ tree, path: "nope", limits });
  assert.deepEqual(missing.errors, [{ file: "nope", line: 0, message: "the environment folder does not exist" }]);
});

test("follows symlinks inside the repository and rejects those that leave it", async () => {
  const tree = createMemorySourceTree({
    "shared/base.yaml": cm("base"),
    "env/link.yaml": { symlink: "../shared/base.yaml" },
    "env/escape.yaml": { symlink: "../../etc/passwd" },
    "env/absolute.yaml": { symlink: "/etc/passwd" },
    "env/dir-escape": { symlink: "../../.." },
  });
  const result = await loadManifests({ tree, path: "env", limits });
  assert.deepEqual(
    result.objects.map((o) => [o.file, (o.object.metadata as { name: string }).name]),
    [["env/link.yaml", "base"]],
  );
  assert.deepEqual(result.errors, [
    { file: "env/escape.yaml", line: 0, message: "symlink points outside the repository (../../etc/passwd)" },
    { file: "env/absolute.yaml", line: 0, message: "symlink points outside the repository (/etc/passwd)" },
    { file: "env/dir-escape", line: 0, message: "symlink points outside the repository (../../..)" },
  ]);
});

test("file count and size limits, YAML errors and non-object documents are errors", async () => {
  const many = createMemorySourceTree({ "e/a.yaml": cm("a"), "e/b.yaml": cm("b"), "e/c.yaml": cm("c") });
  const tooMany = await loadManifests({ tree: many, path: "e", limits: { ...limits, maxFiles: 2 } });
  assert.deepEqual(tooMany.errors, [{ file: "e", line: 0, message: "3 manifest files, more than 2 (validation.limits.maxFiles)" }]);

  const tree = createMemorySourceTree({
    "e/big.yaml": `# ${"x".repeat(200)}\n`,
    "e/dup.yaml": "a: 1\na: 2\n",
    "e/list.yaml": "- 1\n- 2\n",
    "e/ok.yaml": cm("ok"),
  });
  const result = await loadManifests({ tree, path: "e", limits: { ...limits, maxFileBytes: 100 } });
  assert.deepEqual(result.errors, [
    { file: "e/big.yaml", line: 0, message: "file is larger than 100 bytes (validation.limits.maxFileBytes)" },
    { file: "e/dup.yaml", line: 2, message: 'duplicate key "a"' },
    { file: "e/list.yaml", line: 1, message: "document is not a Kubernetes object (expected a mapping with apiVersion and kind)" },
  ]);
  assert.equal(result.objects.length, 1);
});

test("a List (kind: List or any *List with items) is unpacked; each item keeps its own lines", async () => {
  const list = `apiVersion: v1
kind: List
metadata:
  name: bundle
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: first
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: second
    data:
      key: value
  - just a string
---
apiVersion: v1
kind: ConfigMapList
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: third }
`;
  const tree = createMemorySourceTree({ "e/list.yaml": list });
  const result = await loadManifests({ tree, path: "e", limits });
  assert.deepEqual(
    result.objects.map((o) => [o.line, o.documentIndex, o.listIndex, (o.object.metadata as { name: string }).name]),
    [
      [6, 0, 0, "first"],
      [10, 0, 1, "second"],
      [21, 1, 0, "third"],
    ],
  );
  assert.equal(result.objects[1].lineOf(["data", "key"]), 15);
  assert.equal(result.objects[1].lineOf(["metadata", "name"]), 13);
  assert.deepEqual(result.errors, [
    { file: "e/list.yaml", line: 16, message: "items[2] of the List is not a Kubernetes object (expected a mapping with apiVersion and kind)" },
  ]);
});
