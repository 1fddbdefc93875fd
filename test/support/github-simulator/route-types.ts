import type { IncomingHttpHeaders } from "node:http";
import type { InstallationToken } from "./app-credentials.js";
import type { OpenApiOperation } from "./openapi-catalog.js";
import { paginate } from "./paginate.js";

export interface RouteRequest {
  operation: OpenApiOperation;
  /** Path parameters, decoded and coerced by the OpenAPI schema. */
  params: Record<string, any>;
  /** Query parameters with the documented defaults applied. */
  query: Record<string, any>;
  body: any;
  url: URL;
  headers: IncomingHttpHeaders;
  token?: InstallationToken;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Non-JSON payloads (raw media types, tarballs); skips response validation. */
  raw?: { data: Buffer | string; contentType: string };
}

export type RouteHandler = (request: RouteRequest) => Promise<RouteResponse> | RouteResponse;

/** Handlers keyed by OpenAPI operationId. */
export type RouteTable = Record<string, RouteHandler>;

export function json(body: unknown, status = 200): RouteResponse {
  return { status, body };
}

export function jsonPage<T>(request: RouteRequest, items: T[]): RouteResponse {
  const page = paginate(request.url, items, request.query);
  return { status: 200, body: page.items, headers: page.link ? { link: page.link } : undefined };
}

/** True when the client asked for a raw media type (`application/vnd.github.raw` and friends). */
export function wantsRaw(request: RouteRequest): boolean {
  const accept = String(request.headers.accept ?? "");
  return /application\/vnd\.github(\.v3)?\.raw/.test(accept);
}
