import { test } from "node:test";
import assert from "node:assert/strict";
import { createMemorySourceTree, type MemoryFile } from "../../../src/core/manifests/create-memory-source-tree.js";
import { loadManifests, type LoadManifestsResult, type ManifestLimits } from "../../../src/core/manifests/load-manifests.js";

// Random and mutated YAML through the manifest loader, with a fixed seed and a bounded count:
// the loader never throws, always returns a result, every error names a file and a line >= 0,
// every object a line >= 1 (and lineOf answers), and each input finishes (the test's timeout
// bounds the whole run). A failure prints the seed and iteration to replay it.

// Fixed in the suite; SLIPWAY_FUZZ_SEED and SLIPWAY_FUZZ_COUNT explore further by hand.
const seed = Number(process.env.SLIPWAY_FUZZ_SEED ?? 0x5eed_2026);
const count = Number(process.env.SLIPWAY_FUZZ_COUNT ?? 3_000);
const limits: ManifestLimits = { maxFileBytes: 256 * 1024, maxFiles: 20, maxDocumentsPerFile: 200, maxDepth: 64, maxAliases: 50, maxAliasExpansion: 200_000 };

const seeds = [
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: &labels { app: web, tier: "front" }
spec:
  replicas: 2
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels:
        <<: *labels
    spec:
      containers:
        - name: web
          image: nginx:1.27
          args: ["--port", '8080']
          env:
            - { name: A, value: "1" }
`,
  `# a comment
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: web}
data:
  script: |
    #!/bin/sh
    echo "hello"
  folded: >-
    one
    two
  binary: !!binary aGVsbG8=
  empty: ""
  unicode: "café ✓ \\u00e9"
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  password: hunter2
...
`,
  `---
- just
- a
- list
---
plain scalar
---
? complex key
: value
---
%YAML 1.2
---
apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  ports:
    - port: 80
      targetPort: 8080
`,
];

const tokens = [
  "&a ",
  "*a",
  "&b ",
  "*b",
  "<<: *a\n",
  "---\n",
  "...\n",
  "\t",
  ": ",
  "- ",
  "[",
  "]",
  "{",
  "}",
  ",",
  '"',
  "'",
  "|",
  ">",
  "!!str ",
  "!!map ",
  "!custom ",
  "%YAML 1.1\n",
  "%TAG ! tag:x,2000:\n",
  "#",
  "? ",
  "\n",
  "\r\n",
  "  ",
  "\u00e9",
  "\u2028",
  "\ufeff",
  "\u{1F680}",
  "\u0000",
  "\\",
  "@",
  "`",
  "~",
  "null",
  "0x1F",
  ".inf",
  "2001-12-14",
];

test(`the manifest loader survives ${count} random and mutated inputs (seed ${seed.toString(16)})`, { timeout: 240_000 }, async () => {
  const random = mulberry32(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  let slowest = { ms: 0, iteration: -1, kind: "" };
  const outcomes = { objects: 0, errors: 0, clean: 0 };

  for (let iteration = 0; iteration < count; iteration++) {
    const kind = pick(["mutate", "mutate", "mutate", "truncate", "nest", "aliases", "documents", "binary", "tokens"] as const);
    const files: Record<string, MemoryFile> = { [`env/${pick(["a", "b", "deep/c"])}.yaml`]: generate(kind) };
    if (random() < 0.2) files[`env/extra-${int(3)}.yml`] = generate("mutate");
    if (random() < 0.1) files["env/link.yaml"] = { symlink: pick(["../../etc/passwd", "a.yaml", "../env/b.yaml", "/abs", "link.yaml", "missing.yaml"]) };
    if (random() < 0.05) files[pick(["env/../escape.yaml", "env//double.yaml", "env/./dot.yaml"])] = seeds[0]!;

    const started = performance.now();
    let result: LoadManifestsResult;
    try {
      result = await loadManifests({ tree: createMemorySourceTree(files), path: pick(["env", "env", "env", "./env/", "env/deep", "env/a.yaml"]), limits });
    } catch (error) {
      assert.fail(`iteration ${iteration} (${kind}, seed ${seed}) threw: ${error instanceof Error ? error.stack : String(error)}\ninput: ${preview(files)}`);
    }
    assert.ok(result && Array.isArray(result.objects) && Array.isArray(result.errors), `iteration ${iteration}: no result`);
    for (const error of result.errors) {
      assert.ok(typeof error.file === "string" && error.file.length > 0, `iteration ${iteration}: error without a file: ${JSON.stringify(error)}`);
      assert.ok(Number.isInteger(error.line) && error.line >= 0, `iteration ${iteration}: error line ${error.line}`);
      assert.ok(typeof error.message === "string" && error.message.length > 0, `iteration ${iteration}: error without a message`);
    }
    for (const object of result.objects) {
      assert.ok(Number.isInteger(object.line) && object.line >= 1, `iteration ${iteration}: object line ${object.line}`);
      let line: number;
      try {
        line = object.lineOf(["metadata", "name"]);
      } catch (error) {
        assert.fail(`iteration ${iteration} (${kind}): lineOf threw: ${error instanceof Error ? error.stack : String(error)}\ninput: ${preview(files)}`);
      }
      assert.ok(Number.isInteger(line) && line >= 1, `iteration ${iteration}: lineOf gave ${line}`);
    }
    outcomes.objects += result.objects.length;
    outcomes.errors += result.errors.length;
    if (result.errors.length === 0) outcomes.clean += 1;
    const ms = performance.now() - started;
    if (ms > slowest.ms) slowest = { ms, iteration, kind };
  }
  console.log(
    `${count} inputs: ${outcomes.clean} loaded clean, ${outcomes.objects} objects, ${outcomes.errors} errors; slowest: iteration ${slowest.iteration} (${slowest.kind}), ${slowest.ms.toFixed(1)} ms`,
  );

  function generate(kind: "mutate" | "truncate" | "nest" | "aliases" | "documents" | "binary" | "tokens"): MemoryFile {
    switch (kind) {
      case "mutate": {
        let text = pick(seeds);
        for (let edits = 1 + int(8); edits > 0; edits--) {
          const at = int(text.length + 1);
          const op = int(3);
          if (op === 0) text = text.slice(0, at) + pick(tokens) + text.slice(at);
          else if (op === 1) text = text.slice(0, at) + text.slice(at + 1 + int(10));
          else text = text.slice(0, at) + text.slice(int(text.length), int(text.length)) + text.slice(at);
        }
        return random() < 0.15 ? withBadBytes(text) : text;
      }
      case "truncate": {
        const text = pick(seeds);
        return text.slice(0, int(text.length));
      }
      case "nest": {
        const depth = 1 + int(3_000);
        const style = int(3);
        if (style === 0) return `a: ${"[".repeat(depth)}${random() < 0.5 ? "]".repeat(depth) : ""}\n`;
        if (style === 1) return `a: ${"{k: ".repeat(depth)}1${"}".repeat(random() < 0.5 ? depth : int(depth))}\n`;
        return Array.from({ length: Math.min(depth, 400) }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " leaf\n";
      }
      case "aliases": {
        const width = 2 + int(12);
        const levels = 1 + int(10);
        const lines = [`l0: &l0 [${Array(width).fill("x").join(", ")}]`];
        for (let i = 1; i < levels; i++)
          lines.push(
            `l${i}: &l${i} [${Array(width)
              .fill(`*l${i - 1}`)
              .join(", ")}]`,
          );
        if (random() < 0.3) lines.push(`self: &self { me: *self }`);
        if (random() < 0.3) lines.push(`undefined: *nowhere`);
        return `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: bomb }\ndata:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
      }
      case "documents": {
        const n = int(4_000);
        const body = random() < 0.5 ? "" : "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n";
        return Array.from({ length: n }, () => `---\n${body}`).join("");
      }
      case "binary": {
        const bytes = new Uint8Array(int(4_096));
        for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
        return bytes;
      }
      case "tokens":
        return Array.from({ length: int(400) }, () => pick(tokens)).join("");
    }
  }

  function withBadBytes(text: string): Uint8Array {
    const bytes = new TextEncoder().encode(text);
    const out = new Uint8Array(bytes.length + 3);
    const at = int(bytes.length + 1);
    out.set(bytes.subarray(0, at));
    out.set([pick([0xc3, 0xe2, 0xf0, 0xff, 0x80]), int(256), int(256)], at);
    out.set(bytes.subarray(at), at + 3);
    return out;
  }
});

function preview(files: Record<string, MemoryFile>): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(files).map(([path, content]) => [
        path,
        typeof content === "string" ? content.slice(0, 400) : content instanceof Uint8Array ? `<${content.length} bytes>` : content,
      ]),
    ),
  );
}

function mulberry32(seedValue: number): () => number {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
