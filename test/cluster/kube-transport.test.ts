// The transport's retries and error mapping, against a local HTTP server playing the API server
// (the test cluster cannot be made to answer 503 or 429 on demand).
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { KubeConfig } from "@kubernetes/client-node";
import {
  ClusterError,
  ConflictError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  UnauthorizedError,
  UnavailableError,
} from "../../src/cluster/cluster-error.js";
import { createKubeTransport } from "../../src/cluster/create-kube-transport.js";

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

describe("kube transport", () => {
  let server: http.Server;
  let replies: Reply[] = [];
  let requests: { method: string; url: string; body: string; contentType?: string }[] = [];
  let kubeConfig: KubeConfig;
  const sleeps: number[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        requests.push({ method: req.method!, url: req.url!, body: Buffer.concat(chunks).toString(), contentType: req.headers["content-type"] });
        const reply = replies.shift() ?? { status: 200, body: { kind: "ConfigMap" } };
        res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: "fake", server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
      users: [{ name: "fake" }],
      contexts: [{ name: "fake", cluster: "fake", user: "fake" }],
      currentContext: "fake",
    });
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function transport() {
    replies = [];
    requests = [];
    sleeps.length = 0;
    return createKubeTransport(kubeConfig, {
      retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  }

  const status = (code: number, reason: string, message: string, causes?: unknown[]) => ({
    status: code,
    body: { kind: "Status", apiVersion: "v1", status: "Failure", code, reason, message, ...(causes ? { details: { causes } } : {}) },
  });

  it("retries 503 and 429 with backoff, honouring Retry-After, then succeeds", async () => {
    const t = transport();
    replies.push(status(503, "ServiceUnavailable", "etcd is busy"));
    replies.push({ ...status(429, "TooManyRequests", "slow down"), headers: { "retry-after": "1" } });
    replies.push({ status: 200, body: { kind: "ConfigMap", metadata: { name: "x" } } });
    const response = await t.request({ method: "GET", path: "/api/v1/namespaces/a/configmaps/x" });
    assert.deepEqual(response.body, { kind: "ConfigMap", metadata: { name: "x" } });
    assert.equal(requests.length, 3);
    assert.equal(sleeps.length, 2);
    assert.ok(sleeps[0] >= 50 && sleeps[0] <= 100, `first backoff ${sleeps[0]}`);
    assert.equal(sleeps[1], 1000, "Retry-After wins");
  });

  it("gives up after the configured retries with an UnavailableError", async () => {
    const t = transport();
    for (let i = 0; i < 4; i++) replies.push(status(500, "InternalError", "boom"));
    await assert.rejects(t.request({ method: "GET", path: "/version" }), (error) => {
      assert.ok(error instanceof UnavailableError);
      assert.equal(error.status, 500);
      return true;
    });
    assert.equal(requests.length, 4);
  });

  it("does not retry 4xx, and maps each to its error type", async () => {
    const cases: [Reply, new (...args: never[]) => ClusterError][] = [
      [status(404, "NotFound", 'configmaps "x" not found'), NotFoundError],
      [status(409, "AlreadyExists", "already exists"), ConflictError],
      [status(422, "Invalid", "bad", [{ reason: "FieldValueInvalid", field: "spec.replicas", message: "must be >= 0" }]), InvalidError],
      [status(400, "BadRequest", 'unknown field "spec.replicaz"'), InvalidError],
      [status(401, "Unauthorized", "Unauthorized"), UnauthorizedError],
      [status(403, "Forbidden", "configmaps is forbidden"), ForbiddenError],
      [status(405, "MethodNotAllowed", "no"), ClusterError],
    ];
    for (const [reply, type] of cases) {
      const t = transport();
      replies.push(reply);
      await assert.rejects(t.request({ method: "GET", path: "/x" }), type);
      assert.equal(requests.length, 1, `${reply.status} is not retried`);
    }
    const t = transport();
    replies.push(status(403, "Forbidden", "forbidden"));
    await assert.rejects(t.request({ method: "GET", path: "/x" }), (error) => !(error instanceof UnauthorizedError) && error instanceof ForbiddenError);
  });

  it("does not retry a 500 that is a schema error of an apply, and names the field", async () => {
    const t = transport();
    replies.push(
      status(500, "InternalError", "failed to create typed patch object (a/d; apps/v1, Kind=Deployment): .spec.replicaz: field not declared in schema"),
    );
    await assert.rejects(
      t.request({ method: "PATCH", path: "/x", body: {}, target: { apiVersion: "apps/v1", kind: "Deployment", namespace: "a", name: "d" } }),
      (error) => {
        assert.ok(error instanceof InvalidError);
        assert.deepEqual(error.fields, [{ field: "spec.replicaz", reason: "FieldValueInvalid", message: "field not declared in schema" }]);
        assert.match(error.message, /^apps\/v1 Deployment a\/d: /);
        return true;
      },
    );
    assert.equal(requests.length, 1);
  });

  it("parses field managers out of an apply conflict", async () => {
    const t = transport();
    replies.push(
      status(409, "Conflict", "Apply failed with 2 conflicts", [
        { reason: "FieldManagerConflict", message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: ".spec.replicas" },
        { reason: "FieldManagerConflict", message: 'conflict with "argocd-controller"', field: '.spec.template.spec.containers[name="web"].image' },
      ]),
    );
    await assert.rejects(t.request({ method: "PATCH", path: "/x", body: {} }), (error) => {
      assert.ok(error instanceof ConflictError);
      assert.deepEqual(error.managers, ["kubectl-client-side-apply", "argocd-controller"]);
      assert.deepEqual(
        error.conflicts.map((c) => c.field),
        ["spec.replicas", 'spec.template.spec.containers[name="web"].image'],
      );
      return true;
    });
  });

  it("redacts Secret values, plain and base64, from error messages and fields", async () => {
    const t = transport();
    const value = "correct-horse-battery-staple";
    const encoded = Buffer.from(value).toString("base64");
    replies.push(
      status(422, "Invalid", `Secret "s" is invalid: data[password]: Invalid value: "${value}": too long; saw ${encoded}`, [
        { reason: "FieldValueInvalid", field: "data[password]", message: `Invalid value: "${value}"` },
      ]),
    );
    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "a" }, data: { password: encoded } };
    await assert.rejects(
      t.request({ method: "PATCH", path: "/x", body: secret, target: { apiVersion: "v1", kind: "Secret", name: "s", namespace: "a" } }),
      (error) => {
        assert.ok(error instanceof InvalidError);
        const text = `${error.message} ${JSON.stringify(error.fields)}`;
        assert.ok(!text.includes(value), text);
        assert.ok(!text.includes(encoded), text);
        assert.match(error.message, /\*\*\*/);
        return true;
      },
    );
  });

  it("sends the body as JSON with the content type asked for and the query", async () => {
    const t = transport();
    await t.request({
      method: "PATCH",
      path: "/apis/apps/v1/namespaces/a/deployments/d",
      query: { fieldManager: "slipway", force: true, dryRun: undefined },
      contentType: "application/apply-patch+yaml",
      body: { kind: "Deployment" },
    });
    assert.deepEqual(requests[0], {
      method: "PATCH",
      url: "/apis/apps/v1/namespaces/a/deployments/d?fieldManager=slipway&force=true",
      body: '{"kind":"Deployment"}',
      contentType: "application/apply-patch+yaml",
    });
  });

  it("reports an unreachable server as UnavailableError without retrying", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: "gone", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: "u" }],
      contexts: [{ name: "gone", cluster: "gone", user: "u" }],
      currentContext: "gone",
    });
    await assert.rejects(createKubeTransport(config).request({ method: "GET", path: "/version" }), (error) => {
      assert.ok(error instanceof UnavailableError);
      assert.equal(error.status, undefined);
      assert.match(error.message, /unreachable/);
      return true;
    });
  });
});
