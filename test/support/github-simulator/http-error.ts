const DOCS = "https://docs.github.com/rest";

/**
 * A response GitHub would send instead of the resource. `rejects` marks answers that mean
 * "GitHub refused this request" (422, 409 on writes...), which are recorded as violations.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly rejects = false,
  ) {
    super(String(body.message ?? status));
  }
}

export function notFound(): HttpError {
  return new HttpError(404, { message: "Not Found", documentation_url: DOCS, status: "404" });
}

export function validationFailed(message: string, errors: Array<Record<string, unknown> | string> = []): HttpError {
  return new HttpError(422, { message, errors, documentation_url: DOCS, status: "422" }, true);
}

export function conflict(message: string): HttpError {
  return new HttpError(409, { message, documentation_url: DOCS, status: "409" }, true);
}
