import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv, ValidateFunction, ErrorObject } from "ajv";
import { createAjv, createResponseAjv } from "./create-ajv.js";

type Json = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Json;
  "x-multi-segment"?: boolean;
}

export interface OpenApiOperation {
  operationId: string;
  method: string;
  template: string;
  parameters: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> };
  responses: Record<string, Json>;
}

export type RouteMatch =
  | { kind: "operation"; operation: OpenApiOperation; pathParams: Record<string, string> }
  | { kind: "method-not-allowed"; template: string; allowed: string[] }
  | { kind: "unknown" };

interface CompiledTemplate {
  template: string;
  pattern: RegExp;
  names: string[];
  /** Literal characters, so `/issues/comments` beats `/issues/{issue_number}`. */
  literalWeight: number;
  operations: Map<string, OpenApiOperation>;
}

const SPEC_ID = "https://slipway.test/api.github.com.json";
const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

/**
 * GitHub's REST description (@octokit/openapi), loaded once per process and queried for
 * route matching and for request/response validation. Validators are compiled on first use.
 */
export class OpenApiCatalog {
  private static instance: OpenApiCatalog | undefined;

  static shared(): OpenApiCatalog {
    OpenApiCatalog.instance ??= new OpenApiCatalog();
    return OpenApiCatalog.instance;
  }

  private readonly doc: Json;
  private readonly templates: CompiledTemplate[] = [];
  private readonly byOperationId = new Map<string, OpenApiOperation>();
  private readonly ajv: Ajv;
  private readonly responseAjv: Ajv;
  private readonly paramAjv: Ajv;
  private readonly cache = new Map<string, ValidateFunction | null>();

  private constructor() {
    const require = createRequire(import.meta.url);
    const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
    this.doc = JSON.parse(readFileSync(file, "utf8")) as Json;
    // OpenAPI 3.0 `nullable` has no JSON Schema meaning; rewrite it once for the whole document.
    rewriteNullable(this.doc);
    this.ajv = createAjv();
    this.responseAjv = createResponseAjv();
    const components = { components: { schemas: (this.doc.components as Json).schemas } };
    this.ajv.addSchema(components, SPEC_ID);
    this.responseAjv.addSchema(components, SPEC_ID);
    // Query and path values arrive as strings; GitHub coerces them. Defaults are left to the
    // handlers: the document gives some filters a literal "none" default.
    this.paramAjv = createAjv({ coerceTypes: "array" });
    this.indexPaths();
  }

  operation(operationId: string): OpenApiOperation | undefined {
    return this.byOperationId.get(operationId);
  }

  match(method: string, rawPath: string): RouteMatch {
    const candidates: Array<{ t: CompiledTemplate; values: string[] }> = [];
    for (const t of this.templates) {
      const m = t.pattern.exec(rawPath);
      if (m) candidates.push({ t, values: m.slice(1) });
    }
    if (candidates.length === 0) return { kind: "unknown" };
    candidates.sort((a, b) => b.t.literalWeight - a.t.literalWeight);
    const lower = method.toLowerCase();
    for (const { t, values } of candidates) {
      const operation = t.operations.get(lower);
      if (!operation) continue;
      const pathParams: Record<string, string> = {};
      t.names.forEach((name, i) => {
        pathParams[name] = safeDecode(values[i] ?? "");
      });
      return { kind: "operation", operation, pathParams };
    }
    const best = candidates[0]!.t;
    return { kind: "method-not-allowed", template: best.template, allowed: [...best.operations.keys()] };
  }

  /** Validates path and query parameters; returns coerced values and problems. */
  validateParameters(
    operation: OpenApiOperation,
    where: "path" | "query",
    values: Record<string, unknown>,
  ): { values: Record<string, unknown>; problems: string[] } {
    const params = operation.parameters.filter((p) => p.in === where);
    const key = `${operation.operationId}:${where}`;
    let validate = this.cache.get(key);
    if (validate === undefined) {
      const schema = {
        type: "object",
        properties: Object.fromEntries(params.map((p) => [p.name, p.schema ?? {}])),
        required: params.filter((p) => p.required).map((p) => p.name),
      };
      validate = this.paramAjv.compile(schema);
      this.cache.set(key, validate);
    }
    const copy = { ...values };
    const ok = validate!(copy);
    return { values: copy, problems: ok ? [] : formatErrors(validate!.errors, where) };
  }

  /** Validates a JSON request body. `undefined` means the request carried no body. */
  validateBody(operation: OpenApiOperation, body: unknown): string[] {
    const requestBody = operation.requestBody;
    if (!requestBody) return [];
    if (body === undefined) return requestBody.required ? ["request body is required"] : [];
    const schema = jsonSchemaOf(requestBody.content);
    if (!schema) return [];
    const validate = this.compile(this.ajv, `${operation.operationId}:body`, schema);
    return validate(body) ? [] : formatErrors(validate.errors, "body");
  }

  /** Checks a simulated response against the documented schema for that status. */
  validateResponse(operation: OpenApiOperation, status: number, body: unknown): string[] {
    const response = this.resolve(operation.responses[String(status)] ?? operation.responses["default"]);
    if (!response) return [`status ${status} is not documented for ${operation.operationId}`];
    const documented = jsonSchemaOf(response.content as Record<string, { schema?: Json }> | undefined);
    if (!documented || body === undefined) return [];
    const schema = correctResponseSchema(operation.operationId, documented);
    const validate = this.compile(this.responseAjv, `${operation.operationId}:${status}`, schema);
    return validate(body) ? [] : formatErrors(validate.errors, "response");
  }

  private compile(ajv: Ajv, key: string, schema: Json): ValidateFunction {
    let validate = this.cache.get(key);
    if (!validate) {
      validate = ajv.compile(pointRefsAtSpec(schema) as Json);
      this.cache.set(key, validate);
    }
    return validate;
  }

  private resolve(node: unknown): Json | undefined {
    let current = node as Json | undefined;
    while (current && typeof current.$ref === "string") {
      current = lookupPointer(this.doc, current.$ref) as Json | undefined;
    }
    return current;
  }

  private indexPaths(): void {
    for (const [template, item] of Object.entries(this.doc.paths as Record<string, Json>)) {
      const shared = ((item.parameters as unknown[]) ?? []).map((p) => this.resolve(p) as unknown as OpenApiParameter);
      const operations = new Map<string, OpenApiOperation>();
      for (const method of HTTP_METHODS) {
        const raw = item[method] as Json | undefined;
        if (!raw) continue;
        const own = ((raw.parameters as unknown[]) ?? []).map((p) => this.resolve(p) as unknown as OpenApiParameter);
        const operation: OpenApiOperation = {
          operationId: raw.operationId as string,
          method,
          template,
          parameters: [...shared, ...own],
          requestBody: this.resolve(raw.requestBody) as OpenApiOperation["requestBody"],
          responses: (raw.responses as Record<string, Json>) ?? {},
        };
        operations.set(method, operation);
        this.byOperationId.set(operation.operationId, operation);
      }
      const multi = new Set([...operations.values()].flatMap((op) => op.parameters.filter((p) => p.in === "path" && p["x-multi-segment"]).map((p) => p.name)));
      const names: string[] = [];
      let literalWeight = 0;
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const name = /^\{([^}]+)\}$/.exec(part)?.[1];
          if (!name) {
            literalWeight += part.length;
            return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          }
          names.push(name);
          // Octokit escapes "/" inside values as %2F, but plain clients send it raw.
          return multi.has(name) ? "(.*?)" : "([^/]+?)";
        })
        .join("");
      this.templates.push({ template, pattern: new RegExp(`^${source}/?$`), names, literalWeight, operations });
    }
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function jsonSchemaOf(content: Record<string, { schema?: Json }> | undefined): Json | undefined {
  if (!content) return undefined;
  const key =
    Object.keys(content).find((k) => k === "application/json") ?? Object.keys(content).find((k) => k.includes("json") || k === "application/vnd.github.object");
  return key ? content[key]?.schema : undefined;
}

function formatErrors(errors: ErrorObject[] | null | undefined, where: string): string[] {
  return (errors ?? []).map((e) => {
    const extra =
      e.keyword === "enum"
        ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")})`
        : e.keyword === "additionalProperties"
          ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
          : "";
    return `${where}${e.instancePath || ""} ${e.message ?? e.keyword}${extra}`;
  });
}

function lookupPointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = (node as Json | undefined)?.[key];
  }
  return node;
}

function pointRefsAtSpec(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(pointRefsAtSpec);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/") ? SPEC_ID + v : pointRefsAtSpec(v);
  }
  return out;
}

/** Rewrites OpenAPI 3.0 `nullable: true` into JSON Schema, in place. */
function rewriteNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteNullable(item);
    return;
  }
  if (!node || typeof node !== "object") return;
  const schema = node as Json;
  for (const value of Object.values(schema)) rewriteNullable(value);
  if (schema.nullable !== true) return;
  delete schema.nullable;
  if (typeof schema.type === "string") {
    schema.type = [schema.type, "null"];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
    return;
  }
  // No `type` (allOf/anyOf/$ref): wrap the whole schema as "this or null".
  const inner: Json = { ...schema };
  for (const key of Object.keys(schema)) delete schema[key];
  schema.anyOf = [inner, { type: "null" }];
}

/**
 * Known mistakes of the published description in response schemas, corrected so the simulator's
 * own answers can be checked at all. `apps/list-installations` documents an installation's
 * `account` as `allOf` [simple-user, enterprise] (both at once, which no account can be), where
 * `apps/get-installation` says `anyOf`, as GitHub answers.
 */
function correctResponseSchema(operationId: string, schema: Json): Json {
  if (operationId !== "apps/list-installations") return schema;
  const copy = structuredClone(schema) as { items?: { properties?: { account?: Json } } };
  const account = copy.items?.properties?.account;
  if (!account) return schema;
  // Nullable was already rewritten at load time, so the allOf may sit inside an anyOf with null.
  const alternatives = Array.isArray(account.anyOf) ? (account.anyOf as Json[]) : [account];
  const fixed = alternatives.flatMap((alternative) => (Array.isArray(alternative.allOf) ? (alternative.allOf as Json[]) : [alternative]));
  for (const key of Object.keys(account)) delete account[key];
  account.anyOf = fixed;
  return copy as Json;
}
