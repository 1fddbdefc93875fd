import type { GitHubClient } from "./github-client.js";

/** The ids of every installation of the App (the client must be the App's own, not an installation's). */
export async function listInstallations(app: GitHubClient): Promise<number[]> {
  const installations = await app.paginate(app.rest.apps.listInstallations, { per_page: 100 });
  return installations.map((installation) => installation.id);
}

/** The repositories an installation may act on. */
export async function listInstallationRepositories(
  octokit: GitHubClient,
): Promise<Array<{ owner: string; repo: string; fullName: string; defaultBranch: string }>> {
  const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
  return repositories.map((repository) => {
    const [owner, repo] = repository.full_name.split("/") as [string, string];
    return { owner, repo, fullName: repository.full_name, defaultBranch: repository.default_branch };
  });
}
