import type { GitHubClient } from "./github-client.js";
import { codeSpan } from "../core/markdown/code-span.js";
import { rollbackBranch } from "./rollback-branch.js";
import { httpStatus } from "./http-status.js";

export interface OpenRevertPullRequestParams {
  owner: string;
  repo: string;
  /** The environment's branch: the revert pull request goes into it. */
  branch: string;
  environment: string;
  /** The environment's manifest folder, relative to the repository root. */
  path: string;
  /** The commit the environment was rolled back to. */
  targetSha: string;
  /** The commit rolled back from (what the environment ran before). */
  fromSha: string;
  requestedBy: string;
  /** Markdown added to the pull request body, such as a link to where `/rollback` was typed. */
  body?: string;
}

export type OpenRevertPullRequestResult =
  | { status: "opened" | "existing"; number: number; url: string; branch: string }
  | { status: "nothing-to-revert" }
  | { status: "tree-too-large"; message: string };

type Mode = "100644" | "100755" | "040000" | "160000" | "120000";
type TreeWrite = { path: string; mode: Mode; type: "blob" | "commit"; sha: string | null };

interface Entry {
  path: string;
  mode: string;
  type: string;
  sha: string;
}

const short = (sha: string) => sha.slice(0, 7);

/**
 * After `/rollback`, makes Git match what runs again: a commit on top of the environment's branch
 * whose manifest folder is exactly the rolled-back commit's (everything else as on the branch),
 * offered as a pull request. Only the git database API: one recursive tree per commit, however
 * many files the folder holds. The same rollback asked twice finds the pull request already open.
 *
 * 1. read the branch head and both trees;
 * 2. work out the changes under the folder (nothing to change: nothing to revert);
 * 3. an open revert pull request for this rollback already: return it;
 * 4. write the tree and the commit, point the rollback branch at it;
 * 5. open the pull request.
 */
export async function openRevertPullRequest(octokit: GitHubClient, params: OpenRevertPullRequestParams): Promise<OpenRevertPullRequestResult> {
  const { owner, repo, branch, environment, targetSha } = params;
  const folder = params.path
    .replace(/^(\.\/)+/, "")
    .replace(/^\/+|\/+$/g, "")
    .replace(/^\.$/, "");
  const headBranch = rollbackBranch(environment, targetSha);

  // 1. A tree read through a commit answers with the tree's own sha, which `base_tree` needs.
  const { data: ref } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
  const headSha = ref.object.sha;
  const [head, target] = await Promise.all([
    octokit.rest.git.getTree({ owner, repo, tree_sha: headSha, recursive: "true" }),
    octokit.rest.git.getTree({ owner, repo, tree_sha: targetSha, recursive: "true" }),
  ]);
  for (const [name, sha, tree] of [
    [branch, headSha, head.data],
    [short(targetSha), targetSha, target.data],
  ] as const) {
    if (tree.truncated) {
      return {
        status: "tree-too-large",
        message: `The repository tree at ${name} (${short(sha)}) is larger than GitHub lists in one request, so Slipway cannot write the revert pull request; revert ${folder || "the repository"} to ${short(targetSha)} by hand.`,
      };
    }
  }

  // 2.
  const changes = folderChanges(head.data.tree as Entry[], target.data.tree as Entry[], folder);
  if (changes.length === 0) return { status: "nothing-to-revert" };

  // 3.
  const existing = await findOpenPullRequest(octokit, { owner, repo, head: headBranch, base: branch });
  if (existing) return { status: "existing", ...existing, branch: headBranch };

  // 4. A branch left from an earlier, closed revert is moved: the new commit is the one that matches now.
  const { data: tree } = await octokit.rest.git.createTree({ owner, repo, base_tree: head.data.sha, tree: changes });
  const { data: commit } = await octokit.rest.git.createCommit({
    owner,
    repo,
    tree: tree.sha,
    parents: [headSha],
    message: `Roll back ${environment} to ${short(targetSha)}\n\n${commitBody(params, folder)}`,
  });
  const { data: refs } = await octokit.rest.git.listMatchingRefs({ owner, repo, ref: `heads/${headBranch}` });
  const moveBranch = () => octokit.rest.git.updateRef({ owner, repo, ref: `heads/${headBranch}`, sha: commit.sha, force: true });
  if (refs.some((found) => found.ref === `refs/heads/${headBranch}`)) {
    await moveBranch();
  } else {
    try {
      await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${headBranch}`, sha: commit.sha });
    } catch (error) {
      // Created in between by another replica answering the same rollback.
      if (!isValidationFailure(error)) throw error;
      await moveBranch();
    }
  }

  // 5. Two Slipway replicas asking at once: the loser finds the winner's pull request.
  try {
    const { data: pull } = await octokit.rest.pulls.create({
      owner,
      repo,
      head: headBranch,
      base: branch,
      title: `Roll back ${environment} to ${short(targetSha)}`,
      body: pullRequestBody(params, folder, headSha),
    });
    return { status: "opened", number: pull.number, url: pull.html_url, branch: headBranch };
  } catch (error) {
    if (!isValidationFailure(error)) throw error;
    const raced = await findOpenPullRequest(octokit, { owner, repo, head: headBranch, base: branch });
    if (!raced) throw error;
    return { status: "existing", ...raced, branch: headBranch };
  }
}

/**
 * The tree writes that make `folder` in the head equal to `folder` in the target: deletions
 * first, so a file that became a folder (or the other way round) writes cleanly.
 */
function folderChanges(head: Entry[], target: Entry[], folder: string): TreeWrite[] {
  const inFolder = (entry: Entry) => (folder === "" || entry.path === folder || entry.path.startsWith(`${folder}/`)) && entry.type !== "tree";
  const before = new Map(head.filter(inFolder).map((entry) => [entry.path, entry]));
  const after = new Map(target.filter(inFolder).map((entry) => [entry.path, entry]));
  const deletes: TreeWrite[] = [];
  const writes: TreeWrite[] = [];
  for (const [path, entry] of before) {
    if (!after.has(path)) deletes.push({ path, mode: entry.mode as Mode, type: entry.type as TreeWrite["type"], sha: null });
  }
  for (const [path, entry] of after) {
    const now = before.get(path);
    // Mode counts: an executable bit or a symlink is part of what was deployed.
    if (now && now.sha === entry.sha && now.mode === entry.mode) continue;
    writes.push({ path, mode: entry.mode as Mode, type: entry.type as TreeWrite["type"], sha: entry.sha });
  }
  return [...deletes, ...writes];
}

function commitBody(params: OpenRevertPullRequestParams, folder: string): string {
  const from = params.fromSha === params.targetSha ? "" : ` It ran ${params.fromSha} before.`;
  return `${params.requestedBy} rolled ${params.environment} back to ${params.targetSha} with /rollback.${from}\nThis commit makes ${folder || "the repository"} match what runs.\n`;
}

function pullRequestBody(params: OpenRevertPullRequestParams, folder: string, headSha: string): string {
  const { targetSha, fromSha, requestedBy } = params;
  const environment = codeSpan(params.environment);
  const branch = codeSpan(params.branch);
  const from = fromSha === targetSha ? "" : ` from ${codeSpan(short(fromSha))}`;
  // The requester is mentioned on purpose, but only a real login: anything else is shown as code.
  const who = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(requestedBy) ? `@${requestedBy}` : codeSpan(requestedBy);
  return [
    `${who} rolled ${environment} back${from} to ${codeSpan(short(targetSha))} with \`/rollback\`. ${environment} is now **pinned** to ${codeSpan(short(targetSha))}: new merges to ${branch} do not deploy it until the pin is lifted.`,
    "",
    `This pull request makes ${codeSpan(folder || "/")} on ${branch} (at ${codeSpan(short(headSha))}) match what runs. Nothing outside it changes.`,
    "",
    `- **Merge** it: ${branch} matches what runs again and the pin is lifted.`,
    `- **Close** it: the pin stays until a maintainer lifts it (${codeSpan(`/unlock ${params.environment}`)}).`,
    ...(params.body ? ["", params.body] : []),
  ].join("\n");
}

async function findOpenPullRequest(
  octokit: GitHubClient,
  params: { owner: string; repo: string; head: string; base: string },
): Promise<{ number: number; url: string } | undefined> {
  const { owner, repo, head, base } = params;
  const { data } = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${head}`, base, state: "open", per_page: 1 });
  const [pull] = data;
  return pull ? { number: pull.number, url: pull.html_url } : undefined;
}

/** GitHub answers 422 for a branch that exists already and for a pull request that does. */
function isValidationFailure(error: unknown): boolean {
  return httpStatus(error) === 422;
}
