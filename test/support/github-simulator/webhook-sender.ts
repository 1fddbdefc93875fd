import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { WebhookCatalog } from "./webhook-catalog.js";

export type SignatureMode = "valid" | "invalid" | "missing";

export interface SendWebhookOptions {
  event: string;
  payload: Record<string, unknown>;
  /** Reuse an id to simulate a redelivery. */
  deliveryId?: string;
  signature?: SignatureMode;
  /** Only for tests of malformed deliveries: skip the schema check. */
  validate?: boolean;
}

export interface WebhookDelivery {
  deliveryId: string;
  event: string;
  action?: string;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
  /** The App's answer; 0 when the connection failed. */
  status: number;
  responseBody: string;
  error?: string;
}

/** Signs and posts deliveries exactly the way GitHub's "Hookshot" does for an App. */
export class WebhookSender {
  url: string | undefined;
  readonly deliveries: WebhookDelivery[] = [];
  private readonly hookId: number;
  private readonly userAgent = `GitHub-Hookshot/${randomBytes(4).toString("hex").slice(0, 7)}`;

  constructor(
    readonly secret: string,
    private readonly appId: number,
  ) {
    this.hookId = 400_000_000 + appId;
  }

  sign(body: string, secret = this.secret): string {
    return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  }

  async send(options: SendWebhookOptions): Promise<WebhookDelivery> {
    if (!this.url) throw new Error("GitHub simulator: no webhook URL set (pass webhookUrl or call setWebhookUrl)");
    if (options.validate !== false) {
      const problems = WebhookCatalog.shared().validate(options.event, options.payload);
      if (problems.length > 0) {
        const action = options.payload.action ? `.${String(options.payload.action)}` : "";
        throw new Error(`GitHub simulator built a ${options.event}${action} payload that GitHub's schema rejects:\n  ${problems.join("\n  ")}`);
      }
    }
    const body = JSON.stringify(options.payload);
    const deliveryId = options.deliveryId ?? randomUUID();
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": this.userAgent,
      accept: "*/*",
      "x-github-event": options.event,
      "x-github-delivery": deliveryId,
      "x-github-hook-id": String(this.hookId),
      "x-github-hook-installation-target-type": "integration",
      "x-github-hook-installation-target-id": String(this.appId),
    };
    const mode = options.signature ?? "valid";
    if (mode !== "missing") {
      const secret = mode === "valid" ? this.secret : `${this.secret}-wrong`;
      headers["x-hub-signature"] = `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`;
      headers["x-hub-signature-256"] = this.sign(body, secret);
    }
    const delivery: WebhookDelivery = {
      deliveryId,
      event: options.event,
      action: typeof options.payload.action === "string" ? options.payload.action : undefined,
      payload: options.payload,
      headers,
      status: 0,
      responseBody: "",
    };
    this.deliveries.push(delivery);
    try {
      const response = await fetch(this.url, { method: "POST", headers, body });
      delivery.status = response.status;
      delivery.responseBody = await response.text();
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    return delivery;
  }
}
