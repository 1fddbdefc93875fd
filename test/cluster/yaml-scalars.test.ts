// A differential test of Slipway's YAML reading against the real oracle: each tricky document goes
// to the test cluster's API server as YAML (a dry-run create), and what the server read is compared
// with what Slipway's loader produced, and the verdicts with Slipway's validation.
import assert from "node:assert/strict";
import https from "node:https";
import { after, before, describe, it } from "node:test";
import { createMemorySourceTree } from "../../src/core/manifests/create-memory-source-tree.js";
import { loadManifests } from "../../src/core/manifests/load-manifests.js";
import { createSchemaRegistry, type SchemaRegistry } from "../../src/core/validation/create-schema-registry.js";
import { validateEnvironment } from "../../src/core/validation/validate-environment.js";
import { loadYamlDocuments } from "../../src/core/yaml/load-yaml-documents.js";
import { bundledSchemaRoot } from "../../src/schemas/bundled-schema-root.js";
import { newestBundledVersion } from "../../src/schemas/newest-bundled-version.js";
import { readSchemaSet } from "../../src/schemas/read-schema-set.js";
import { createTestNamespace, testKubeConfig, type TestNamespace } from "../support/test-cluster.js";

const limits = { maxFileBytes: 1_000_000, maxFiles: 10, maxDocumentsPerFile: 10, maxDepth: 64, maxAliases: 100 };
const rulesOff = { imageTag: "off", resources: "off", privileged: "off", hostPath: "off", readinessProbe: "off" } as const;

// Unquoted unless quoted here: every YAML 1.1 corner go-yaml v2 and a YAML 1.2 reader may disagree on.
const scalars = [
  "0644",
  "-0644",
  "0o644",
  "0x1A4",
  "-0x1F",
  "0b1010",
  "420",
  "+420",
  "-0",
  "0",
  "08",
  "0_644",
  "1_200",
  "1__2",
  "_1",
  "1_",
  "1e3",
  "1E3",
  "1e+3",
  "0.1e1",
  "1.0",
  "1.5",
  ".5",
  "+.5",
  "-.5",
  "1_000.5",
  "1e999",
  ".inf",
  "-.Inf",
  ".nan",
  "~",
  "null",
  "Null",
  "''",
  "y",
  "Y",
  "n",
  "N",
  "yes",
  "Yes",
  "no",
  "on",
  "On",
  "off",
  "OFF",
  "true",
  "True",
  "FALSE",
  "yES",
  "oN",
  "2001-12-14",
  "2001-12-14T21:59:43.10-05:00",
  "2001-12-14 21:59:43.10",
  "12:30:00",
  "1:20",
  "9007199254740991",
  "9007199254740993",
  "9223372036854775807",
  "9223372036854775808",
  "18446744073709551616",
  "123456789012345678901234567890",
  "0xFFFFFFFF",
  "0o",
  "0x",
  "abc",
  "1 2",
  "'0644'",
  '"yes"',
  "'1e3'",
  "'~'",
  '"1_200"',
  "!!str 0644",
  '!!int "0644"',
];

// Keys resolve too: go-yaml turns a boolean or number key into its JSON text.
const keys = ["on", "y", "n", "0644", "1_0", "1e3", "1.5", "yes", "true", "0x1F"];

interface Case {
  name: string;
  /** The server keeps what it read as it is (a ConfigMap's data), so it can be compared with what Slipway loaded. */
  kept?: boolean;
  yaml: (name: string, namespace: string) => string;
  path: string;
  /** The part of the object the case is about. */
  pick: (object: Record<string, unknown>) => unknown;
}

const configMap = (body: string) => (name: string, namespace: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n${body}`;
const pod = (spec: string) => (name: string, namespace: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  containers: [{ name: c, image: 'registry.invalid/c:1' }]\n${spec}`;
const at =
  (...path: string[]) =>
  (object: Record<string, unknown>) =>
    path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], object);

const cases: Case[] = [
  ...scalars.map((scalar): Case => ({
    name: `ConfigMap data value ${scalar}`,
    kept: true,
    yaml: configMap(`data:\n  value: ${scalar}\n`),
    path: "configmaps",
    pick: at("data"),
  })),
  ...scalars.map((scalar): Case => ({
    name: `Pod terminationGracePeriodSeconds ${scalar}`,
    yaml: pod(`  terminationGracePeriodSeconds: ${scalar}\n`),
    path: "pods",
    pick: at("spec", "terminationGracePeriodSeconds"),
  })),
  ...scalars.map((scalar): Case => ({
    name: `volume defaultMode ${scalar}`,
    yaml: pod(`  volumes:\n    - name: v\n      configMap:\n        name: c\n        defaultMode: ${scalar}\n`),
    path: "pods",
    pick: (object) => ((object.spec as { volumes?: Array<{ configMap?: { defaultMode?: unknown } }> }).volumes ?? [])[0]?.configMap?.defaultMode,
  })),
  ...keys.map((key): Case => ({
    name: `ConfigMap data key ${key}`,
    kept: true,
    yaml: configMap(`data:\n  ${key}: "x"\n`),
    path: "configmaps",
    pick: at("data"),
  })),
  {
    name: "merge keys: a merge, then a key that overrides it",
    kept: true,
    yaml: configMap('data:\n  <<: { a: "1", b: "2" }\n  b: "3"\n'),
    path: "configmaps",
    pick: at("data"),
  },
  {
    name: "merge keys in metadata: override order and lists of merges",
    kept: true,
    yaml: (name, namespace) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels: &l\n    a: "1"\n    b: "2"\n  annotations:\n    a: "0"\n    <<: *l\n    b: "3"\ndata:\n  <<: [{ x: "1" }, { x: "2", y: "3" }]\n  z: "4"\n`,
    path: "configmaps",
    pick: (object) => ({ labels: at("metadata", "labels")(object), annotations: at("metadata", "annotations")(object), data: at("data")(object) }),
  },
];

// Integers past 2^53 that an int64 field holds exactly: a JavaScript number cannot, so Slipway
// refuses them (saying why) rather than send another number. The only difference, by design.
const refusedByDesign = new Set(["Pod terminationGracePeriodSeconds 9007199254740993", "Pod terminationGracePeriodSeconds 9223372036854775807"]);

interface ServerAnswer {
  status: number;
  body: Record<string, unknown>;
}

describe("YAML scalars: Slipway reads them as the API server does", () => {
  let namespace: TestNamespace;
  let schemas: SchemaRegistry;
  let post: (path: string, body: string, contentType: string) => Promise<ServerAnswer>;

  before(async () => {
    namespace = await createTestNamespace("yaml-scalars");
    const root = bundledSchemaRoot();
    const read = await readSchemaSet(root, newestBundledVersion(root)!);
    assert.ok(read.ok);
    schemas = createSchemaRegistry(read.set);
    const kubeConfig = testKubeConfig();
    const server = kubeConfig.getCurrentCluster()!.server;
    post = async (path, body, contentType) => {
      const options: https.RequestOptions = { method: "POST", headers: { "Content-Type": contentType, Accept: "application/json" } };
      await kubeConfig.applyToHTTPSOptions(options);
      const url = `${server}/api/v1/namespaces/${namespace.name}/${path}?dryRun=All`;
      return new Promise((resolve, reject) => {
        const request = https.request(url, options, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
          response.on("error", reject);
        });
        request.on("error", reject);
        request.end(body);
      });
    };
  });
  after(() => namespace?.cleanup());

  cases.forEach((testCase, index) => {
    it(testCase.name, async () => {
      const name = `scalar-${index}`;
      const yaml = testCase.yaml(name, namespace.name);
      const server = await post(testCase.path, yaml, "application/yaml");
      // 400: the server could not read the document into its types; 201 or 422: it read it (422 judges the value).
      const serverRead = server.status !== 400;
      assert.ok([201, 400, 422].includes(server.status), `unexpected answer ${server.status}: ${JSON.stringify(server.body)}`);

      const loaded = loadYamlDocuments(yaml, { file: "case.yaml", limits });
      const manifests = await loadManifests({ tree: createMemorySourceTree({ "env/case.yaml": yaml }), path: "env", limits });
      const validation = validateEnvironment({
        environment: { name: "e", namespace: namespace.name },
        manifests,
        schemas,
        unknownKinds: "error",
        rules: rulesOff,
      });
      const slipwayRead = validation.results.every((result) => result.severity !== "error");
      if (refusedByDesign.has(testCase.name)) {
        assert.equal(server.status, 201);
        assert.ok(!loaded.ok && loaded.error.message.includes("beyond 2^53"), JSON.stringify(loaded));
        return;
      }
      assert.equal(
        slipwayRead,
        serverRead,
        `the API server ${serverRead ? "read" : "refused"} it (${server.status} ${String(server.body.message ?? "")}), Slipway ${slipwayRead ? "read" : "refused"} it: ${validation.results.map((result) => result.message).join("; ")}`,
      );
      if (!serverRead || !loaded.ok) return;

      const object = loaded.documents[0]!.value as Record<string, unknown>;
      // The same object as Slipway would send it (JSON), read by the same server: the same answer.
      const twin = await post(testCase.path, JSON.stringify(object), "application/json");
      assert.equal(
        twin.status,
        server.status,
        `as YAML: ${server.status} ${String(server.body.message ?? "")}; as Slipway's JSON: ${twin.status} ${String(twin.body.message ?? "")}`,
      );
      if (server.status === 201) {
        assert.deepEqual(testCase.pick(twin.body), testCase.pick(server.body));
        // What Slipway loaded is what the server read (a null aside: decoded into a string map, it becomes "").
        const sent = testCase.pick(object);
        if (testCase.kept && !JSON.stringify(sent).includes("null")) assert.deepEqual(sent, testCase.pick(server.body));
      } else {
        assert.equal(twin.body.message, server.body.message);
      }
    });
  });
});
