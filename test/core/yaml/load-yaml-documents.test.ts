import assert from "node:assert/strict";
import { test } from "node:test";
import { loadYamlDocuments, type YamlLimits } from "../../../src/core/yaml/load-yaml-documents.js";
import { pathFromJsonPointer } from "../../../src/core/yaml/path-from-json-pointer.js";

const limits: YamlLimits = { maxFileBytes: 1_000_000, maxDocumentsPerFile: 100, maxDepth: 64, maxAliases: 100 };

function load(text: string | Uint8Array, overrides: Partial<YamlLimits> = {}) {
  return loadYamlDocuments(text, { file: "app/deploy.yaml", limits: { ...limits, ...overrides } });
}

const deployment = `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: web
          image: nginx
          ports:
            - containerPort: 80
        -
          name: sidecar
          image: "envoy:1.0"
---
---
apiVersion: v1
kind: Service
metadata: { name: web, labels: { app: web } }
`;

test("loads every non-empty document with its start line and index", () => {
  const result = load(deployment);
  assert.ok(result.ok);
  assert.deepEqual(
    result.documents.map((d) => [d.index, d.line]),
    [
      [0, 2],
      [2, 20],
    ],
  );
  assert.equal((result.documents[1].value as { kind: string }).kind, "Service");
});

test("lineOf points at the field, or the nearest known ancestor", () => {
  const result = load(deployment);
  assert.ok(result.ok);
  const [doc, service] = result.documents;
  assert.equal(doc.lineOf([]), 2);
  assert.equal(doc.lineOf(["kind"]), 3);
  assert.equal(doc.lineOf(["spec", "replicas"]), 7);
  assert.equal(doc.lineOf(["spec", "template", "spec", "containers", 0, "image"]), 12);
  assert.equal(doc.lineOf(["spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"]), 14);
  assert.equal(doc.lineOf(["spec", "template", "spec", "containers", 1, "image"]), 17);
  assert.equal(doc.lineOf(["spec", "template", "spec", "containers", 1]), 16);
  assert.equal(doc.lineOf(["spec", "replicas", "nope"]), 7);
  assert.equal(doc.lineOf(["spec", "missing", "deeper"]), 6);
  assert.equal(service.lineOf(["metadata", "labels", "app"]), 22);
});

test("keeps Kubernetes scalars as JSON would: timestamps stay strings, merge keys work", () => {
  const result = load("base: &b {a: 1}\nwhen: 2024-01-01\nm:\n  <<: *b\n  c: 2\n");
  assert.ok(result.ok);
  assert.deepEqual(result.documents[0].value, { base: { a: 1 }, when: "2024-01-01", m: { a: 1, c: 2 } });
});

test("YAML 1.1 booleans, as the API server reads them (go-yaml v2: y and n too, even as keys)", () => {
  const result = load("a: yes\nb: off\nc: 'on'\nd: true\ne: n\nf: nope\ny: 1\ng: Y\nh: yES\n");
  assert.ok(result.ok);
  assert.deepEqual(result.documents[0].value, { a: true, b: false, c: "on", d: true, e: false, f: "nope", true: 1, g: true, h: "yES" });
});

test("YAML 1.1 numbers, as go-yaml v2 resolves them", () => {
  const cases: Array<[string, unknown]> = [
    ["0644", 420],
    ["-0644", -420],
    ["0o17", 15],
    ["1_200", 1200],
    ["0x1F", 31],
    ["-0x1F", -31],
    ["0b101", 5],
    ["+1", 1],
    ["08", 8],
    ["0", 0],
    ["1e3", 1000],
    ["1.5", 1.5],
    [".5", 0.5],
    ["-.5", -0.5],
    ["1_000.5", 1000.5],
    ["1e999", "1e999"],
    ["+.5e1", 5],
    ["0x", "0x"],
    ["0xG", "0xG"],
    ["1.2.3", "1.2.3"],
    ["1:20", "1:20"],
    ["2001-12-14", "2001-12-14"],
    ["2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"],
    ["~", null],
    ["Null", null],
    ["9007199254740991", 9007199254740991],
    ["123456789012345678901234567890", 1.2345678901234568e29],
    ["+", "+"],
    [".", "."],
    ["'0644'", "0644"],
    ['"1_200"', "1_200"],
  ];
  for (const [scalar, expected] of cases) {
    const result = load(`v: ${scalar}\n`);
    assert.ok(result.ok, scalar);
    assert.deepEqual((result.documents[0].value as { v: unknown }).v, expected, scalar);
  }
});

test("keys resolve as scalars first: an octal or boolean key becomes its JSON text", () => {
  const result = load("0644: a\non: b\n1_0: c\n");
  assert.ok(result.ok);
  assert.deepEqual(result.documents[0].value, { 420: "a", true: "b", 10: "c" });
});

test("infinities, NaN and integers past 2^53 are refused with the line, not sent changed", () => {
  for (const scalar of [".inf", "-.Inf", ".nan", "9007199254740993", "12345678901234567890"]) {
    const result = load(`a: 1\nv: ${scalar}\n`);
    assert.equal(result.ok, false, scalar);
    assert.ok(!result.ok && result.error.line === 2, scalar);
  }
});

test("merge keys apply in go-yaml's order: a merge overrides keys before it, keys after it override the merge", () => {
  const result = load("a: &a {x: 1, w: 2}\nb: &b {x: 3, z: 4}\nm:\n  x: 0\n  <<: *a\n  w: 9\nl:\n  <<: [*a, *b]\nv: <<\nq: '<<'\n");
  assert.ok(result.ok);
  const value = result.documents[0].value as Record<string, unknown>;
  assert.deepEqual(value.m, { x: 1, w: 9 });
  assert.deepEqual(value.l, { x: 1, w: 2, z: 4 });
  assert.equal(value.v, "<<");
  assert.equal(value.q, "<<");
});

test("a merge key needs a mapping", () => {
  const result = load("a: 1\nm:\n  <<: 5\n");
  assert.equal(result.ok, false);
});

test("duplicate keys are errors at the duplicate's line", () => {
  const result = load("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n");
  assert.deepEqual(result, { ok: false, error: { file: "app/deploy.yaml", line: 5, message: 'duplicate key "name"' } });
});

test("syntax errors name the line", () => {
  const result = load("a: 1\nb: [1, 2\nc: 3\n");
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.error.message.startsWith("invalid YAML:"));
});

test("invalid UTF-8 is rejected with its line", () => {
  const bytes = new Uint8Array([...new TextEncoder().encode("a: 1\nb: "), 0xc3, 0x28, 0x0a]);
  assert.deepEqual(load(bytes), { ok: false, error: { file: "app/deploy.yaml", line: 2, message: "invalid UTF-8 at byte 8" } });
  const ok = load(new TextEncoder().encode("a: é\n"));
  assert.ok(ok.ok && (ok.documents[0].value as { a: string }).a === "é");
});

test("file size limit", () => {
  const result = load("a: 1234567890\n", { maxFileBytes: 10 });
  assert.deepEqual(result, {
    ok: false,
    error: { file: "app/deploy.yaml", line: 0, message: "file is larger than 10 bytes (validation.limits.maxFileBytes)" },
  });
  assert.equal(load(new TextEncoder().encode("a: 1234567890\n"), { maxFileBytes: 10 }).ok, false);
  assert.equal(load("é".repeat(6), { maxFileBytes: 10 }).ok, false);
});

test("document count limit", () => {
  const result = load("a: 1\n---\nb: 2\n---\nc: 3\n", { maxDocumentsPerFile: 2 });
  assert.deepEqual(result, {
    ok: false,
    error: { file: "app/deploy.yaml", line: 5, message: "more than 2 YAML documents in one file (validation.limits.maxDocumentsPerFile)" },
  });
});

test("depth limit, directly and through aliases", () => {
  const deep = load("a:\n  b:\n    c:\n      d: 1\n", { maxDepth: 3 });
  assert.ok(!deep.ok && deep.error.message === "nesting deeper than 3 levels (validation.limits.maxDepth)", JSON.stringify(deep));
  const viaAlias = load("a: &a [[[1]]]\nb: &b [*a]\nc: [*b]\n", { maxDepth: 5 });
  assert.ok(!viaAlias.ok && viaAlias.error.message.includes("through aliases"), JSON.stringify(viaAlias));
});

test("a YAML alias bomb is an error, not a hang", () => {
  const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
  }
  const started = Date.now();
  const result = load(levels.join("\n") + "\n");
  assert.ok(!result.ok && /expand to more than/.test(result.error.message), JSON.stringify(result));
  assert.ok(Date.now() - started < 2000);
});

test("alias amplification under the node bound stops at the character bound, at once", () => {
  // 390 bytes that used to expand to 10 MB of YAML: few nodes, each a long string.
  const rows = [`a: &a [${Array(9).fill("xxxxxxxxxxxxxx").join(",")}]`];
  for (let i = 1; i < 6; i++)
    rows.push(
      `${"abcdef"[i]}: &${"abcdef"[i]} [${Array(9)
        .fill(`*${"abcdef"[i - 1]}`)
        .join(",")}]`,
    );
  const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${rows.map((row) => `  ${row}`).join("\n")}\n`;
  assert.ok(bomb.length < 410);
  const started = process.cpuUsage();
  assert.deepEqual(load(bomb), {
    ok: false,
    error: { file: "app/deploy.yaml", line: 10, message: "YAML aliases expand to more than 1048576 characters (alias bomb?)" },
  });
  assert.ok(cpuMs(started) < 1_000);

  const long = `s: &s "${"x".repeat(60_000)}"\nlist: [${Array(20).fill("*s").join(", ")}]\n`;
  const scalar = load(long);
  assert.ok(!scalar.ok && scalar.error.message === "YAML aliases expand to more than 1048576 characters (alias bomb?)", JSON.stringify(scalar).slice(0, 300));
  assert.ok(load(long, { maxAliasExpansionBytes: 2_000_000 }).ok);
});

test("alias expansion is bounded to 100,000 nodes by default", () => {
  const rows = ["a: &a [0, 0, 0, 0, 0, 0, 0, 0, 0]"];
  for (let i = 1; i < 6; i++)
    rows.push(
      `${"abcdef"[i]}: &${"abcdef"[i]} [${Array(9)
        .fill(`*${"abcdef"[i - 1]}`)
        .join(", ")}]`,
    );
  const result = load(`${rows.join("\n")}\n`);
  assert.ok(!result.ok && result.error.message === "YAML aliases expand to more than 100000 nodes (alias bomb?)", JSON.stringify(result).slice(0, 300));
});

test("alias use limit", () => {
  const result = load("a: &a 1\nb: *a\nc: *a\nd: *a\n", { maxAliases: 2 });
  assert.deepEqual(result, {
    ok: false,
    error: { file: "app/deploy.yaml", line: 4, message: "more than 2 YAML aliases in one file (validation.limits.maxAliases)" },
  });
});

test("recursive aliases are rejected", () => {
  const result = load("a: &a\n  b: *a\n");
  assert.ok(!result.ok && result.error.message.includes("recursive"), JSON.stringify(result));
});

test("empty files and documents yield no documents", () => {
  const result = load("---\n# only a comment\n---\n");
  assert.deepEqual(result.ok && result.documents, []);
});

test("pathFromJsonPointer", () => {
  assert.deepEqual(pathFromJsonPointer(""), []);
  assert.deepEqual(pathFromJsonPointer("/spec/containers/0/image"), ["spec", "containers", 0, "image"]);
  assert.deepEqual(pathFromJsonPointer("/metadata/annotations/a~1b~0c"), ["metadata", "annotations", "a/b~c"]);
});

/** CPU time since `started`, in ms: steadier than the wall clock on a busy machine. */
function cpuMs(started: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1_000;
}
