import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv, ValidateFunction } from "ajv";
import { createWebhookAjv } from "./create-ajv.js";

const SPEC_ID = "https://slipway.test/webhooks.json";

/** GitHub's webhook schemas (@octokit/openapi-webhooks), loaded on first use. */
export class WebhookCatalog {
  private static instance: WebhookCatalog | undefined;

  static shared(): WebhookCatalog {
    WebhookCatalog.instance ??= new WebhookCatalog();
    return WebhookCatalog.instance;
  }

  private readonly webhooks: Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } } }>;
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  private constructor() {
    const require = createRequire(import.meta.url);
    const file = require.resolve("@octokit/openapi-webhooks/generated/api.github.com.json");
    const doc = JSON.parse(readFileSync(file, "utf8"));
    this.webhooks = doc.webhooks;
    this.ajv = createWebhookAjv();
    this.ajv.addSchema({ components: doc.components }, SPEC_ID);
  }

  /** Problems with a payload for `event` (e.g. `pull_request`); throws for unknown events. */
  validate(event: string, payload: unknown): string[] {
    const action = (payload as { action?: unknown })?.action;
    const keys = [typeof action === "string" ? `${event}-${action}` : undefined, event].filter((k): k is string => !!k).map((k) => k.replace(/_/g, "-"));
    const key = keys.find((k) => this.webhooks[k]);
    if (!key) throw new Error(`No webhook schema for ${keys.join(" / ")}`);
    let validate = this.cache.get(key);
    if (!validate) {
      const ref = this.webhooks[key]?.post?.requestBody?.content?.["application/json"]?.schema?.$ref;
      if (!ref) throw new Error(`Webhook ${key} has no JSON schema`);
      validate = this.ajv.getSchema(SPEC_ID + ref);
      if (!validate) throw new Error(`Cannot compile webhook schema ${ref}`);
      this.cache.set(key, validate);
    }
    if (validate(payload)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
  }
}
