import type { RouteResponse } from "./route-types.js";

const DOCS = "https://docs.github.com/rest";

export interface FaultRule {
  /** Only requests with this method (default: any). */
  method?: string;
  /** Matched against the request's path (without the query); a string must equal it. */
  pathPattern: RegExp | string;
  /**
   * The answer: a 5xx is a server error; 403 or 429 with `retryAfter` is GitHub's secondary
   * rate limit (message and `retry-after` header as GitHub sends them).
   */
  status: number;
  /** How many matching requests fail (default 1); later ones pass through. */
  times?: number;
  /** Seconds, sent as `retry-after`. */
  retryAfter?: number;
}

/**
 * Outages on demand: the next matching requests get an error instead of reaching the simulated
 * route. Rules are consumed in the order they were added.
 */
export class FaultInjector {
  private readonly rules: Array<FaultRule & { left: number }> = [];
  /** Requests answered with a fault, for assertions. */
  readonly injected: Array<{ method: string; path: string; status: number }> = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The fault for this request, or undefined to let it through. */
  take(method: string, path: string): RouteResponse | undefined {
    const rule = this.rules.find(
      (r) =>
        r.left > 0 &&
        (r.method === undefined || r.method.toUpperCase() === method) &&
        (typeof r.pathPattern === "string" ? r.pathPattern === path : r.pathPattern.test(path)),
    );
    if (!rule) return undefined;
    rule.left -= 1;
    this.injected.push({ method, path, status: rule.status });
    return faultResponse(rule);
  }
}

function faultResponse(rule: FaultRule): RouteResponse {
  const headers = rule.retryAfter !== undefined ? { "retry-after": String(rule.retryAfter) } : undefined;
  if ((rule.status === 403 || rule.status === 429) && rule.retryAfter !== undefined) {
    return {
      status: rule.status,
      headers,
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
        status: String(rule.status),
      },
    };
  }
  const message = rule.status === 502 ? "Server Error" : rule.status === 503 ? "Service Unavailable" : "Internal Server Error";
  return { status: rule.status, headers, body: { message, documentation_url: DOCS, status: String(rule.status) } };
}
