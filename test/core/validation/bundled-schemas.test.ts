import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { readSchemaSet } from "../../../src/schemas/read-schema-set.js";
import { createMemorySourceTree } from "../../../src/core/manifests/create-memory-source-tree.js";
import { loadManifests } from "../../../src/core/manifests/load-manifests.js";
import { createSchemaRegistry } from "../../../src/core/validation/create-schema-registry.js";
import { validateEnvironment } from "../../../src/core/validation/validate-environment.js";

// The schema sets generated from a real API server, checked with real-world manifests.
const root = join(dirname(fileURLToPath(import.meta.url)), "../../../schema/kubernetes");
const versions = (() => {
  try {
    return readdirSync(root)
      .filter((name) => /^v\d+\.\d+$/.test(name))
      .map((name) => name.slice(1));
  } catch {
    return [];
  }
})();
const limits = { maxFileBytes: 1_000_000, maxFiles: 100, maxDocumentsPerFile: 100, maxDepth: 64, maxAliases: 10 };
const rules = { imageTag: "off", resources: "off", privileged: "off", hostPath: "off", readinessProbe: "off" } as const;

const manifests = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: busybox:1.36
              resources: { requests: { cpu: 10m, memory: 1Gi }, limits: { cpu: 0.5, memory: 1Gi } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - host: example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: { name: web, port: { number: 80 } }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules:
  - apiGroups: [""]
    resources: [pods]
    verbs: [get]
---
apiVersion: apiextensions.k8s.io/v1
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
                size: { type: integer }
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: w }
spec: { size: 3 }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, creationTimestamp: null }
spec:
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers:
        - name: db
          image: postgres:16
          ports: [{ containerPort: 5432 }]
          env: [{ name: B, valueFrom: { secretKeyRef: { name: s, key: k } } }]
          readinessProbe: { tcpSocket: { port: 5432 } }
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`;

for (const version of versions) {
  test(`bundled Kubernetes ${version} schemas: real manifests validate, mistakes are found`, async () => {
    const read = await readSchemaSet(root, version);
    assert.ok(read.ok, read.ok ? "" : read.message);
    const schemas = createSchemaRegistry(read.set);
    assert.equal(schemas.scope("rbac.authorization.k8s.io/v1", "ClusterRole"), "Cluster");
    assert.equal(schemas.scope("v1", "Namespace"), "Cluster");
    assert.equal(schemas.scope("apps/v1", "Deployment"), "Namespaced");

    const validate = async (text: string) => {
      const loaded = await loadManifests({ tree: createMemorySourceTree({ "env/all.yaml": text }), path: "env", limits });
      const result = validateEnvironment({ environment: { name: "e", namespace: "web" }, manifests: loaded, schemas, unknownKinds: "error", rules });
      return result.results.filter((r) => r.status !== "valid").map((r) => `${r.line} ${r.check} ${r.message}`);
    };
    assert.deepEqual(await validate(manifests), []);

    const broken = manifests
      .replace("pathType: Prefix", "pathType: Prefix\n            pathKind: Exact")
      .replace("spec: { size: 3 }", "spec: { size: three }")
      .replace("serviceName: db", 'serviceName: db\n  replicas: "2"');
    assert.deepEqual(await validate(broken), [
      "28 schema spec.rules[0].http.paths[0].pathKind: unknown field",
      "65 schema spec.size: must be integer",
      "72 schema spec.replicas: must be integer",
    ]);
  });
}
