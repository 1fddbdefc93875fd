import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";

export interface WebhookReceiver {
  /** Checks `X-Hub-Signature-256` against the raw body with the App's webhook secret (in constant time). */
  verify(body: string, signature: string): Promise<boolean>;
  /** Hands a verified, parsed event to the handlers, which only enqueue jobs. */
  receive(event: { id: string; name: string; payload: unknown }): Promise<void>;
}

/** Bodies being read before their signature can be checked, shared by every request of one server. */
export interface PendingBodies {
  count: number;
  readonly max: number;
}

export interface ReceiveWebhookOptions {
  receiver: WebhookReceiver;
  maxBytes: number;
  pending: PendingBodies;
  log: Logger;
  /** How long a body may take to arrive; GitHub gives up on a delivery after 10 s anyway. */
  bodyTimeoutMs?: number;
}

// What GitHub sends: `sha256=` and 64 lower-case hex digits. Anything else cannot match.
const signatureFormat = /^sha256=[0-9a-f]{64}$/;

/**
 * The webhook endpoint. Order matters: headers, size bound and a cap on bodies read at once,
 * then the signature, then parsing, so an unauthenticated sender can neither make the server
 * buffer without limit nor reach the JSON parser.
 */
export async function receiveWebhook(req: IncomingMessage, res: ServerResponse, options: ReceiveWebhookOptions): Promise<void> {
  const { receiver, maxBytes, pending, log } = options;
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
  if (!signatureFormat.test(signature)) return reply(res, 401, "Signature does not match.", { connection: "close" });

  // Each body is held in memory until its signature is checked: only so many at once.
  if (pending.count >= pending.max) {
    log.warn({ delivery: id, event: name, pending: pending.count }, "Too many webhook bodies arriving at once; answered 503");
    return reply(res, 503, "Too many webhooks arriving at once; try again shortly.", { "retry-after": "5", connection: "close" });
  }
  pending.count++;
  let read: BodyRead;
  try {
    read = await readBounded(req, maxBytes, options.bodyTimeoutMs ?? 10_000);
  } finally {
    pending.count--;
  }
  if (read.status === "too-large") return reply(res, 413, `Webhook body over ${maxBytes} bytes.`, { connection: "close" });
  if (read.status === "incomplete") return reply(res, 400, "The body ended before it was complete.", { connection: "close" });
  if (read.status === "timeout") return reply(res, 408, "The body took too long to arrive.", { connection: "close" });
  const body = read.body;
  if (body.length === 0) return reply(res, 400, "Empty body.");

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

type BodyRead = { status: "read"; body: string } | { status: "too-large" } | { status: "incomplete" } | { status: "timeout" };

/**
 * Reads the body as UTF-8. Stops as soon as it grows past the bound, and treats a connection
 * that breaks off (a truncated body) or dawdles past the timeout as an expected outcome.
 */
function readBounded(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyRead) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      chunks.length = 0;
      resolve(result);
    };
    const timer = setTimeout(() => finish({ status: "timeout" }), timeoutMs);
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        req.resume();
        finish({ status: "too-large" });
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) finish({ status: "read", body: Buffer.concat(chunks).toString("utf8") });
    });
    req.on("error", () => finish({ status: "incomplete" }));
    req.on("close", () => finish({ status: "incomplete" }));
  });
}

function reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ message }));
}
