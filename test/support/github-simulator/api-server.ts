import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { InstallationToken } from "./app-credentials.js";
import type { FaultInjector } from "./fault-injector.js";
import { HttpError } from "./http-error.js";
import { OpenApiCatalog, type OpenApiOperation } from "./openapi-catalog.js";
import type { RouteResponse, RouteTable } from "./route-types.js";
import type { RequestRecord, SimulatorCore, ViolationKind } from "./simulator-core.js";

const DOCS = "https://docs.github.com/rest";
const MAX_BODY_BYTES = 25 * 1024 * 1024;

/** Routes that GitHub authenticates with the App's JWT rather than an installation token. */
const JWT_ROUTES = new Set(["/repos/{owner}/{repo}/installation", "/orgs/{org}/installation", "/users/{username}/installation"]);

/** Routes GitHub answers without any credentials (the manifest flow's one-time code is the credential). */
const UNAUTHENTICATED_ROUTES = new Set(["/app-manifests/{code}/conversions"]);

/**
 * The loopback HTTP server that plays api.github.com: checks each request against the
 * OpenAPI document, authenticates it, runs the simulated handler and checks the answer.
 */
export async function startApiServer(params: {
  core: SimulatorCore;
  routes: RouteTable;
  /** Non-API paths (e.g. codeload downloads), served without validation. */
  extra?: (request: IncomingMessage, url: URL) => Promise<RouteResponse | undefined>;
  validateResponses: boolean;
  /** Injected outages, answered before any route runs. */
  faults?: FaultInjector;
}): Promise<{ server: Server; url: string }> {
  const { core, routes } = params;
  const catalog = OpenApiCatalog.shared();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { message: String(error) } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", baseUrl);
    const rawPath = url.pathname;
    const record: RequestRecord = { method, path: `${url.pathname}${url.search}`, status: 0, at: Date.now() };
    core.requests.push(record);
    const reply = (response: RouteResponse, violation?: { kind: ViolationKind; message: string }) => {
      record.status = response.status;
      if (violation) {
        core.violations.push({ ...violation, method, path: record.path, operationId: record.operationId, status: response.status });
      }
      send(res, response);
    };

    const rawBody = await readBody(req);
    if (rawBody === undefined) {
      reply({ status: 413, body: { message: "Request body too large" } }, { kind: "rejected", message: "request body over 25 MB" });
      return;
    }

    const fault = params.faults?.take(method, rawPath);
    if (fault) {
      reply(fault);
      return;
    }

    const extra = await params.extra?.(req, url);
    if (extra) {
      reply(extra);
      return;
    }

    const match = catalog.match(method, rawPath);
    if (match.kind === "unknown") {
      reply(notFoundResponse(), { kind: "unknown-route", message: `${method} ${rawPath} is not a route of api.github.com` });
      return;
    }
    if (match.kind === "method-not-allowed") {
      reply(notFoundResponse(), {
        kind: "method-not-allowed",
        message: `${method} is not documented for ${match.template} (allowed: ${match.allowed.join(", ").toUpperCase()})`,
      });
      return;
    }
    const operation = match.operation;
    record.operationId = operation.operationId;

    const auth = authenticate(operation, req.headers.authorization);
    if (!auth.ok) {
      reply({ status: 401, body: { message: auth.message, documentation_url: DOCS, status: "401" } }, { kind: "auth", message: auth.message });
      return;
    }

    const pathCheck = catalog.validateParameters(operation, "path", match.pathParams);
    const query = Object.fromEntries(
      [...new Set(url.searchParams.keys())].map((k) => {
        const all = url.searchParams.getAll(k);
        return [k, all.length > 1 ? all : all[0]];
      }),
    );
    const queryCheck = catalog.validateParameters(operation, "query", query);
    if (pathCheck.problems.length > 0) {
      reply(notFoundResponse(), { kind: "invalid-parameters", message: pathCheck.problems.join("; ") });
      return;
    }
    if (queryCheck.problems.length > 0) {
      reply(
        { status: 422, body: { message: "Validation Failed", errors: queryCheck.problems, documentation_url: DOCS, status: "422" } },
        { kind: "invalid-parameters", message: queryCheck.problems.join("; ") },
      );
      return;
    }

    let body: unknown;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString("utf8"));
      } catch {
        reply(
          { status: 400, body: { message: "Problems parsing JSON", documentation_url: DOCS, status: "400" } },
          {
            kind: "invalid-body",
            message: "body is not valid JSON",
          },
        );
        return;
      }
    }
    if (method === "GET" || method === "HEAD") body = undefined;
    record.body = body;
    const bodyProblems = catalog.validateBody(operation, body);
    if (bodyProblems.length > 0) {
      reply(
        {
          status: 422,
          body: { message: `Invalid request.\n\n${bodyProblems.join("\n")}`, documentation_url: DOCS, status: "422" },
        },
        { kind: "invalid-body", message: bodyProblems.join("; ") },
      );
      return;
    }

    const handler = routes[operation.operationId];
    if (!handler) {
      reply(
        { status: 501, body: { message: `${operation.operationId} is not simulated`, documentation_url: DOCS } },
        { kind: "not-simulated", message: `${operation.operationId} (${method} ${operation.template}) is documented but not simulated` },
      );
      return;
    }

    let response: RouteResponse;
    try {
      response = await handler({
        operation,
        params: pathCheck.values,
        query: queryCheck.values,
        body: body ?? {},
        url,
        headers: req.headers,
        token: auth.token,
      });
    } catch (error) {
      if (error instanceof HttpError) {
        reply(
          { status: error.status, body: error.body },
          error.rejects ? { kind: "rejected", message: `${error.status} ${String(error.body.message)}${formatErrors(error.body.errors)}` } : undefined,
        );
        return;
      }
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      reply({ status: 500, body: { message: "Simulator error", detail: message } }, { kind: "simulator-error", message });
      return;
    }

    if (params.validateResponses && !response.raw && response.status < 300) {
      const problems = catalog.validateResponse(operation, response.status, response.body);
      if (problems.length > 0) {
        core.violations.push({
          kind: "response-schema",
          method,
          path: record.path,
          operationId: operation.operationId,
          status: response.status,
          message: `simulator answered off-schema: ${problems.slice(0, 8).join("; ")}`,
        });
      }
    }
    reply(response);
  }

  type AuthResult = { ok: true; token?: InstallationToken } | { ok: false; message: string };

  function authenticate(operation: OpenApiOperation, header: string | undefined): AuthResult {
    if (UNAUTHENTICATED_ROUTES.has(operation.template)) return { ok: true };
    const [scheme, credential] = (header ?? "").split(/\s+/, 2);
    const wantsJwt = operation.template === "/app" || operation.template.startsWith("/app/") || JWT_ROUTES.has(operation.template);
    if (!credential || !/^(bearer|token)$/i.test(scheme ?? "")) {
      return { ok: false, message: "Requires authentication" };
    }
    const looksLikeJwt = credential.split(".").length === 3;
    if (wantsJwt) {
      if (!looksLikeJwt) {
        return { ok: false, message: `A JSON web token could not be decoded (${operation.template} needs the App's JWT)` };
      }
      const check = core.credentials.verifyJwt(credential);
      return check.ok ? { ok: true } : { ok: false, message: check.message };
    }
    if (looksLikeJwt) {
      return { ok: false, message: `Bad credentials (${operation.template} needs an installation token, not the App JWT)` };
    }
    const token = core.credentials.findToken(credential);
    return token ? { ok: true, token } : { ok: false, message: "Bad credentials" };
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url: baseUrl };
}

function notFoundResponse(): RouteResponse {
  return { status: 404, body: { message: "Not Found", documentation_url: DOCS, status: "404" } };
}

function formatErrors(errors: unknown): string {
  if (!Array.isArray(errors) || errors.length === 0) return "";
  return ` (${errors.map((e) => (typeof e === "string" ? e : JSON.stringify(e))).join(", ")})`;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, response: RouteResponse): void {
  const headers: Record<string, string> = {
    "x-github-media-type": "github.v3; format=json",
    "x-github-api-version-selected": "2022-11-28",
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
    "x-ratelimit-used": "1",
    "x-ratelimit-resource": "core",
    "x-github-request-id": randomBytes(8)
      .toString("hex")
      .toUpperCase()
      .replace(/(.{4})(.{4})(.{4})(.{4})/, "$1:$2:$3:$4"),
    ...response.headers,
  };
  if (response.raw) {
    headers["content-type"] = response.raw.contentType;
    res.writeHead(response.status, headers);
    res.end(response.raw.data);
    return;
  }
  if (response.body === undefined) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  headers["content-type"] = "application/json; charset=utf-8";
  res.writeHead(response.status, headers);
  res.end(JSON.stringify(response.body));
}
