import type { ProbotOctokit } from "probot";

/**
 * Paths a pull request changes (a rename counts for both names). GitHub lists at most 3,000
 * files; past that the caller must treat every environment as touched.
 */
export async function listPullRequestFiles(
  octokit: ProbotOctokit,
  params: { owner: string; repo: string; pullNumber: number },
): Promise<{ files: string[]; complete: boolean }> {
  const entries = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: params.owner,
    repo: params.repo,
    pull_number: params.pullNumber,
    per_page: 100,
  });
  const files = entries.flatMap((entry) => (entry.previous_filename ? [entry.filename, entry.previous_filename] : [entry.filename]));
  return { files, complete: entries.length < 3000 };
}
