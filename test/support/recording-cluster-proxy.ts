// A plain-HTTP front for the test cluster that forwards every request with the test cluster's
// credentials and records it: what it recorded is exactly what reached the API server. (The
// client library wants skip-verify before it speaks plain HTTP; there is no TLS to verify.)
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testKubeConfig } from "./test-cluster.js";

export interface RecordedRequest {
  method: string;
  /** Path and query, decoded, e.g. `/api/v1/namespaces/web/configmaps/x?dryRun=All`. */
  url: string;
}

export interface RecordingClusterProxy {
  /** A kubeconfig file whose current context talks to the proxy. */
  kubeconfigPath: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingClusterProxy(): Promise<RecordingClusterProxy> {
  const kubeConfig = testKubeConfig();
  const upstream = new URL(kubeConfig.getCurrentCluster()!.server);
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? "GET", url: decodeURIComponent(req.url ?? "") });
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const headers = { ...req.headers, host: upstream.host };
        const options: https.RequestOptions = { method: req.method, headers };
        await kubeConfig.applyToHTTPSOptions(options);
        const forward = https.request(new URL(req.url ?? "/", upstream), options, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        forward.on("error", (error) => {
          res.writeHead(502);
          res.end(String(error));
        });
        forward.end(Buffer.concat(chunks));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const kubeconfigPath = join(mkdtempSync(join(tmpdir(), "slipway-proxy-")), "kubeconfig");
  writeFileSync(
    kubeconfigPath,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{ name: proxy, cluster: { server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]`,
      "users: [{ name: proxy, user: {} }]",
      "contexts: [{ name: proxy, context: { cluster: proxy, user: proxy } }]",
      "current-context: proxy",
      "",
    ].join("\n"),
  );
  return {
    kubeconfigPath,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
