import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";

export interface WebhookReceiver {
  /** Checks `X-Hub-Signature-256` against the raw body with the App's webhook secret. */
  verify(body: string, signature: string): Promise<boolean>;
  /** Hands a verified, parsed event to the handlers, which only enqueue jobs. */
  receive(event: { id: string; name: string; payload: unknown }): Promise<void>;
}

export interface ReceiveWebhookOptions {
  receiver: WebhookReceiver;
  maxBytes: number;
  log: Logger;
}

/**
 * The webhook endpoint. Order matters: size bound, then signature, then parsing, so an
 * unauthenticated sender can neither make the server buffer without limit nor reach the JSON parser.
 */
export async function receiveWebhook(req: IncomingMessage, res: ServerResponse, options: ReceiveWebhookOptions): Promise<void> {
  const { receiver, maxBytes, log } = options;
  if (req.method !== "POST") return reply(res, 405, "Webhooks are POSTed.", { allow: "POST" });

  const contentType = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (contentType !== "application/json") {
    return reply(res, 415, "Set the App's webhook content type to application/json.");
  }
  const name = header(req, "x-github-event");
  const id = header(req, "x-github-delivery");
  const signature = header(req, "x-hub-signature-256");
  if (!name || !id) return reply(res, 400, "Missing X-GitHub-Event or X-GitHub-Delivery header.");
  if (!signature) return reply(res, 401, "Missing X-Hub-Signature-256: the App must have a webhook secret.");

  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) return reply(res, 413, `Webhook body over ${maxBytes} bytes.`, { connection: "close" });

  const body = await readBounded(req, maxBytes);
  if (body === undefined) return reply(res, 413, `Webhook body over ${maxBytes} bytes.`, { connection: "close" });

  if (!(await receiver.verify(body, signature))) {
    log.warn({ delivery: id, event: name }, "Rejected a webhook whose signature does not match: check WEBHOOK_SECRET against the App's settings");
    return reply(res, 401, "Signature does not match.");
  }

  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return reply(res, 400, "Body is not JSON.");
  }

  try {
    await receiver.receive({ id, name, payload });
  } catch (error) {
    // Nothing was queued for this delivery; a 500 lets the operator redeliver it from GitHub.
    log.error({ err: error, delivery: id, event: name }, "Could not queue the work for a webhook");
    return reply(res, 500, "Could not queue this delivery; redeliver it later.");
  }
  reply(res, 202, "Accepted.");
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the body as UTF-8, or undefined as soon as it grows past the bound. */
function readBounded(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        chunks.length = 0;
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", (error) => {
      if (!done) reject(error);
    });
  });
}

function reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ message }));
}
