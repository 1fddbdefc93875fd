import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { UnavailableError, type ClusterErrorTarget } from "./cluster-error.js";
import { toClusterError } from "./to-cluster-error.js";

export interface KubeRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Server-relative path, e.g. `/apis/apps/v1/namespaces/web/deployments/api`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** What the request is about, for error messages. */
  target?: ClusterErrorTarget;
}

export interface KubeResponse {
  status: number;
  contentType: string;
  body: unknown;
}

/** Sends requests to the API server; throws a ClusterError for any non-2xx answer. */
export interface KubeTransport {
  request(request: KubeRequest): Promise<KubeResponse>;
}

export interface RetryOptions {
  /** Retries after the first attempt, for 429 and 5xx only. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface KubeTransportOptions {
  retry?: Partial<RetryOptions>;
  timeoutMs?: number;
  /** Replaceable so tests need not wait out the backoff. */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_RETRY: RetryOptions = { retries: 4, baseDelayMs: 250, maxDelayMs: 8000 };

/**
 * A JSON transport on the kubeconfig's current context. Authentication (certificates, tokens,
 * exec plugins) is @kubernetes/client-node's; the request, the retries and the error mapping
 * are ours, so every write can carry fieldManager, fieldValidation, force and dryRun.
 */
export function createKubeTransport(kubeConfig: KubeConfig, options: KubeTransportOptions = {}): KubeTransport {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error("the kubeconfig has no current cluster");
  const server = new URL(cluster.server);
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const agents = new AgentCache(server.protocol === "https:" && !cluster.proxyUrl);

  async function once(request: KubeRequest): Promise<KubeResponse & { retryAfterSeconds?: number }> {
    const url = new URL(server.href.replace(/\/$/, "") + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
    const opts: https.RequestOptions = {
      method: request.method,
      headers: {
        Accept: request.accept ?? "application/json",
        ...(payload ? { "Content-Type": request.contentType ?? "application/json", "Content-Length": payload.length } : {}),
      },
      timeout: timeoutMs,
    };
    await kubeConfig.applyToHTTPSOptions(opts);
    opts.agent = agents.get(opts);
    const transport = url.protocol === "https:" ? https : http;

    return new Promise((resolve, reject) => {
      const req = transport.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const contentType = String(res.headers["content-type"] ?? "");
          let body: unknown = text;
          // Some JSON comes as text/plain (the /openapi/v3 index), so the body decides too.
          if (contentType.includes("json") || /^\s*[{[]/.test(text)) {
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
          }
          const retryAfter = Number(res.headers["retry-after"]);
          resolve({
            status: res.statusCode ?? 0,
            contentType,
            body,
            retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
          });
        });
      });
      req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on("error", (error) =>
        reject(
          new UnavailableError(`${cluster!.server} is unreachable: ${error.message}`, {
            ...request.target,
            cause: error,
          }),
        ),
      );
      req.end(payload);
    });
  }

  return {
    async request(request) {
      for (let attempt = 0; ; attempt++) {
        const response = await once(request);
        if (response.status >= 200 && response.status < 300) {
          return { status: response.status, contentType: response.contentType, body: response.body };
        }
        const error = toClusterError({
          status: response.status,
          body: response.body,
          retryAfterSeconds: response.retryAfterSeconds,
          target: request.target,
          sent: request.body,
        });
        // Only 429 and 5xx become UnavailableError, and only those are worth another try.
        if (!(error instanceof UnavailableError) || attempt >= retry.retries) throw error;
        await sleep(backoffMs(attempt, retry, response.retryAfterSeconds));
      }
    },
  };
}

// Exponential with full jitter; a Retry-After from the server wins, within the cap.
function backoffMs(attempt: number, retry: RetryOptions, retryAfterSeconds: number | undefined): number {
  if (retryAfterSeconds !== undefined) return Math.min(retryAfterSeconds * 1000, retry.maxDelayMs);
  const ceiling = Math.min(retry.baseDelayMs * 2 ** attempt, retry.maxDelayMs);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * client-node builds a fresh agent per request; one keep-alive agent per distinct TLS identity
 * saves a handshake on every call. With a proxy, its agent is kept as is.
 */
class AgentCache {
  private agent: https.Agent | undefined;
  private identity: Buffer[] = [];

  constructor(private readonly enabled: boolean) {}

  get(opts: https.RequestOptions): http.Agent | undefined {
    if (!this.enabled) return opts.agent instanceof http.Agent ? opts.agent : undefined;
    const identity = [opts.ca, opts.cert, opts.key].map((v) => toBuffer(v));
    if (this.agent === undefined || !identity.every((b, i) => b.equals(this.identity[i]))) {
      this.agent?.destroy();
      this.identity = identity;
      this.agent = new https.Agent({
        keepAlive: true,
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        servername: opts.servername,
        ...(opts.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: opts.rejectUnauthorized }),
      });
    }
    return this.agent;
  }
}

function toBuffer(value: unknown): Buffer {
  if (value === undefined || value === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return Buffer.concat(value.map(toBuffer));
  return Buffer.from(String(value));
}
