/** The HTTP status of a failed request (Octokit's `RequestError` carries one), if the error has one. */
export function httpStatus(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" ? error.status : undefined;
}
