import type { GitHubClient } from "../github/github-client.js";
import { parseRepoConfig, type ParseRepoConfigResult } from "../config/parse-repo-config.js";
import { readRepositoryFile } from "../github/repositories.js";

/** Where a repository keeps its Slipway configuration. */
export const repoConfigPath = ".github/slipway.yml";

/** `.github/slipway.yml` at a ref, parsed; undefined when the ref has no such file. */
export async function readRepoConfig(octokit: GitHubClient, params: { owner: string; repo: string; ref: string }): Promise<ParseRepoConfigResult | undefined> {
  const text = await readRepositoryFile(octokit, { ...params, path: repoConfigPath });
  return text === undefined ? undefined : parseRepoConfig(text, repoConfigPath);
}
