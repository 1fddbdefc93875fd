import type { GitHubClient } from "./github-client.js";

/**
 * The login a token acts as, asked of GitHub once per call: a person's login for a personal
 * token, `<slug>[bot]` for an App installation token (GitHub Actions' token included). GraphQL's
 * `viewer` answers for both, where `GET /user` refuses installation tokens.
 */
export async function authenticatedLogin(octokit: GitHubClient): Promise<string> {
  const { viewer } = await octokit.graphql<{ viewer: { login: string } }>("query { viewer { login } }");
  if (!viewer?.login) throw new Error("GitHub did not say whose token this is (GraphQL viewer)");
  return viewer.login;
}
