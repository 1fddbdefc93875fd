// Objects as the API server returns them, for the pure plan tests: desired objects with a dry
// run's defaults, and live objects with the fields the server owns.
import type { DesiredObject } from "../../../src/core/plan/plan-objects.js";
import { withSlipwayMetadata } from "../../../src/core/plan/with-slipway-metadata.js";

export const environmentId = "acme.shop.prod";
type Obj = Record<string, unknown>;

export function deployment(name: string, options: { namespace?: string; replicas?: number; image?: string } = {}): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: options.namespace ?? "web" },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: options.image ?? "nginx:1.27" }] } },
    },
  };
}

export function configMap(name: string, data: Record<string, string>, namespace = "web"): Obj {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data };
}

export function secret(name: string, stringData: Record<string, string>, namespace = "web"): Obj {
  return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace }, type: "Opaque", stringData };
}

/** What a dry run answers: Slipway's labels, defaults, a Secret's stringData folded into data. */
export function dryRunOf(object: Obj, exists: boolean, id = environmentId): Obj {
  const result = structuredClone(withSlipwayMetadata(object, { environmentId: id, sourceSha: "f00d" })) as Obj;
  const metadata = result.metadata as Obj;
  metadata.uid = "0e3f6a5c-0000-4000-8000-000000000001";
  metadata.creationTimestamp = "2026-01-01T00:00:00Z";
  metadata.managedFields = [{ manager: "slipway", operation: "Apply" }];
  if (exists) metadata.resourceVersion = "1234";
  if (result.kind === "Deployment") {
    const spec = result.spec as Obj;
    spec.revisionHistoryLimit = 10;
    spec.progressDeadlineSeconds = 600;
    spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } };
    result.status = { observedGeneration: 3, replicas: spec.replicas };
  }
  if (result.kind === "Secret" && result.stringData) {
    const data = { ...((result.data ?? {}) as Record<string, string>) };
    for (const [key, value] of Object.entries(result.stringData as Record<string, string>)) data[key] = Buffer.from(value).toString("base64");
    delete result.stringData;
    result.data = data;
  }
  return result;
}

/** The object as a list call returns it: applied earlier, with server-owned fields. */
export function liveOf(object: Obj, id = environmentId): Obj {
  const result = dryRunOf(object, true, id);
  const metadata = result.metadata as Obj;
  metadata.resourceVersion = "999";
  metadata.generation = 3;
  metadata.annotations = {
    ...((metadata.annotations ?? {}) as Obj),
    "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(object),
    "slipway.dev/source-sha": "beef",
  };
  return result;
}

export function desired(object: Obj, file: string, line: number, live?: boolean, id = environmentId): DesiredObject {
  return { object, file, line, dryRun: { status: "applied", object: dryRunOf(object, live ?? false, id) } };
}
