import type { GitHubClient } from "../github/github-client.js";
import { readBranchHead, readRepository } from "../github/repositories.js";
import type { RepoConfigError } from "../config/parse-repo-config.js";
import type { RepoConfig } from "../core/config/repo-config-schema.js";
import { readRepoConfig } from "./read-repo-config.js";

/**
 * The configuration Slipway acts on: where (environments, branches, clusters, namespaces, paths,
 * prune), what (autoDeploy, rollbackOnFailure, needs, limits) and who (protected, commands).
 */
export type TrustedConfig =
  | { status: "trusted"; config: RepoConfig; defaultBranch: string; sha: string }
  /** The default branch has no `.github/slipway.yml`: Slipway plans and deploys nothing live. */
  | { status: "missing"; defaultBranch: string; sha: string }
  /** The default branch's config does not parse; Slipway acts on nothing until it is fixed. */
  | { status: "invalid"; defaultBranch: string; sha: string; errors: RepoConfigError[] };

/**
 * The one place Slipway reads the configuration it acts on: `.github/slipway.yml` at the head of
 * the repository's default branch, where only reviewed changes land. Never a pull request's head,
 * its base (the author picks it), a pushed branch or a commit named in a comment: each of those
 * could rewrite where, what and who. Every job that plans, deploys, rolls back or runs a command
 * reads its configuration here.
 */
export async function readTrustedConfig(octokit: GitHubClient, params: { owner: string; repo: string; defaultBranch?: string }): Promise<TrustedConfig> {
  const { owner, repo } = params;
  const defaultBranch = params.defaultBranch ?? (await readRepository(octokit, { owner, repo })).defaultBranch;
  // One commit for the whole read, so a merge landing meanwhile cannot mix two configs.
  const sha = await readBranchHead(octokit, { owner, repo, branch: defaultBranch });
  const parsed = await readRepoConfig(octokit, { owner, repo, ref: sha });
  if (parsed === undefined) return { status: "missing", defaultBranch, sha };
  if (!parsed.ok) return { status: "invalid", defaultBranch, sha, errors: parsed.errors };
  return { status: "trusted", config: parsed.config, defaultBranch, sha };
}
