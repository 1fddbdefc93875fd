import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { receiveWebhook, type PendingBodies, type WebhookReceiver } from "./receive-webhook.js";

export interface RequestHandlerOptions {
  webhookPath: string;
  receiver: WebhookReceiver;
  maxWebhookBytes: number;
  /** Webhook bodies read at once before their signature is checked; more get 503. */
  maxPendingWebhooks: number;
  /** Resolves to the reasons the replica is not ready; empty when it is. */
  readiness: () => Promise<string[]>;
  log: Logger;
}

/** Routes the App's HTTP surface: the webhook endpoint and the two probes. */
export function createRequestHandler(options: RequestHandlerOptions) {
  const { webhookPath, receiver, maxWebhookBytes, readiness, log } = options;
  const pending: PendingBodies = { count: 0, max: options.maxPendingWebhooks };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0];
    try {
      if (path === webhookPath) return await receiveWebhook(req, res, { receiver, maxBytes: maxWebhookBytes, pending, log });
      if (path === "/healthz" && req.method === "GET") return json(res, 200, { status: "ok" });
      if (path === "/readyz" && req.method === "GET") {
        const reasons = await readiness();
        return json(res, reasons.length === 0 ? 200 : 503, reasons.length === 0 ? { status: "ready" } : { status: "not ready", reasons });
      }
      json(res, 404, { message: "Not found." });
    } catch (error) {
      log.error({ err: error, path }, "Request failed");
      if (!res.headersSent) json(res, 500, { message: "Internal error." });
      else res.end();
    }
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
