import type { GitHubClient } from "./github-client.js";
import { httpStatus } from "./http-status.js";

/** What Slipway reads of a repository: its default branch and its page on GitHub. */
export async function readRepository(octokit: GitHubClient, params: { owner: string; repo: string }): Promise<{ defaultBranch: string; htmlUrl: string }> {
  const { data } = await octokit.rest.repos.get({ owner: params.owner, repo: params.repo });
  return { defaultBranch: data.default_branch, htmlUrl: data.html_url };
}

/** The commit a branch points at now. */
export async function readBranchHead(octokit: GitHubClient, params: { owner: string; repo: string; branch: string }): Promise<string> {
  const { data } = await octokit.rest.repos.getBranch({ owner: params.owner, repo: params.repo, branch: params.branch });
  return data.commit.sha;
}

/** A file's text at a commit, or undefined when the commit has no such file. */
export async function readRepositoryFile(
  octokit: GitHubClient,
  params: { owner: string; repo: string; path: string; ref: string },
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent(params);
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
    return Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
}

/**
 * Paths changed between two commits of a push (renames count for both names), or undefined
 * when GitHub cannot say in one answer (a new branch, a force push, or 300 files and more):
 * then every environment counts as touched.
 */
export async function listChangedFiles(
  octokit: GitHubClient,
  params: { owner: string; repo: string; before: string; after: string },
): Promise<string[] | undefined> {
  if (!params.before || /^0+$/.test(params.before)) return undefined;
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: params.owner,
      repo: params.repo,
      basehead: `${params.before}...${params.after}`,
      per_page: 1,
    });
    const files = data.files ?? [];
    if (data.status === "diverged" || data.status === "behind" || files.length >= 300) return undefined;
    return files.flatMap((file) => (file.previous_filename ? [file.filename, file.previous_filename] : [file.filename]));
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
}

/** Where GitHub looks for CODEOWNERS, in its order; the first found is the one. */
const codeownersPaths = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/** The CODEOWNERS text at a commit (the default branch's head, the trusted one), or undefined. */
export async function readCodeowners(octokit: GitHubClient, params: { owner: string; repo: string; ref: string }): Promise<string | undefined> {
  for (const path of codeownersPaths) {
    const text = await readRepositoryFile(octokit, { ...params, path });
    if (text !== undefined) return text;
  }
  return undefined;
}

/**
 * Whether a branch's rulesets dismiss stale approvals when new commits are pushed (a rule an App
 * may read with metadata access). Classic branch protection is not readable without the
 * administration permission, so there it counts as not set; GitHub still marks the approvals it
 * dismisses as DISMISSED, which counts against them either way.
 */
export async function readDismissStaleReviews(octokit: GitHubClient, params: { owner: string; repo: string; branch: string }): Promise<boolean> {
  try {
    const rules = await octokit.paginate(octokit.rest.repos.getBranchRules, { owner: params.owner, repo: params.repo, branch: params.branch, per_page: 100 });
    return rules.some((rule) => rule.type === "pull_request" && rule.parameters?.dismiss_stale_reviews_on_push === true);
  } catch (error) {
    if (httpStatus(error) === 404) return false;
    throw error;
  }
}
