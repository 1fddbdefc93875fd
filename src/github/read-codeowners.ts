import type { ProbotOctokit } from "probot";
import { readRepositoryFile } from "./read-repository-file.js";

/** Where GitHub looks for CODEOWNERS, in its order; the first found is the one. */
const codeownersPaths = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/** The CODEOWNERS text at a commit (the default branch's head, the trusted one), or undefined. */
export async function readCodeowners(octokit: ProbotOctokit, params: { owner: string; repo: string; ref: string }): Promise<string | undefined> {
  for (const path of codeownersPaths) {
    const text = await readRepositoryFile(octokit, { ...params, path });
    if (text !== undefined) return text;
  }
  return undefined;
}
