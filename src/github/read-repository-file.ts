import type { ProbotOctokit } from "probot";

/** A file's text at a commit, or undefined when the commit has no such file. */
export async function readRepositoryFile(
  octokit: ProbotOctokit,
  params: { owner: string; repo: string; path: string; ref: string },
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent(params);
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
    return Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}
