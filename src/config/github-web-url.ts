/**
 * GitHub's web address for an API root: github.com for api.github.com, the host for GitHub
 * Enterprise Server's `https://HOST/api/v3`, and the API's own origin otherwise.
 */
export function githubWebUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === "api.github.com") return "https://github.com";
  return url.origin;
}
