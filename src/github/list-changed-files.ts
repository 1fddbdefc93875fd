import type { ProbotOctokit } from "probot";

/**
 * Paths changed between two commits of a push (renames count for both names), or undefined
 * when GitHub cannot say in one answer (a new branch, a force push, or 300 files and more):
 * then every environment counts as touched.
 */
export async function listChangedFiles(
  octokit: ProbotOctokit,
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
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}
