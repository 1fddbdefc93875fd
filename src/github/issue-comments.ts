import type { GitHubClient } from "./github-client.js";

export interface IssueCommentTarget {
  owner: string;
  repo: string;
  /** A pull request's number: its conversation is an issue's. */
  issueNumber: number;
}

/** A new comment on a pull request or issue. */
export async function createIssueComment(octokit: GitHubClient, target: IssueCommentTarget, body: string): Promise<{ id: number; url: string }> {
  const { data } = await octokit.rest.issues.createComment({ owner: target.owner, repo: target.repo, issue_number: target.issueNumber, body });
  return { id: data.id, url: data.html_url };
}

/** A reaction on a comment, such as 👀 for "seen, working on it". */
export async function reactToComment(octokit: GitHubClient, params: { owner: string; repo: string; commentId: number; content: "eyes" }): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({ owner: params.owner, repo: params.repo, comment_id: params.commentId, content: params.content });
}

/**
 * Creates the one comment by `author` that starts with `marker`, or edits it in place. `author`
 * is the login of whoever writes: the App's bot user (`<slug>[bot]`), or on the command line the
 * user of the token. A comment with the same marker by anyone else is not ours and is left alone
 * (a user's login cannot end in `[bot]`, so the login alone tells them apart). Jobs for one pull
 * request run one at a time, so two plans never race to create it; if an earlier race left two,
 * the oldest is kept and edited.
 */
export async function upsertStickyComment(
  octokit: GitHubClient,
  params: IssueCommentTarget & { marker: string; body: string; author: string },
): Promise<{ id: number; url: string; action: "created" | "updated" | "unchanged" }> {
  const { owner, repo, issueNumber, marker, body, author } = params;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  const existing = comments.find((comment) => comment.user?.login === author && (comment.body ?? "").startsWith(marker));
  if (existing) {
    if (existing.body === body) return { id: existing.id, url: existing.html_url, action: "unchanged" };
    const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { id: existing.id, url: data.html_url, action: "updated" };
  }
  const created = await createIssueComment(octokit, { owner, repo, issueNumber }, body);
  return { ...created, action: "created" };
}
