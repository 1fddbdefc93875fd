import type { ProbotOctokit } from "probot";

/**
 * Creates the one comment by `author` (the App's bot login, `<slug>[bot]`) that starts with
 * `marker`, or edits it in place. Another App's comment with the same marker is not ours and is
 * left alone. Jobs for one pull request run one at a time, so two plans never race to create it;
 * if an earlier race left two, the oldest is kept and edited.
 */
export async function upsertStickyComment(
  octokit: ProbotOctokit,
  params: { owner: string; repo: string; issueNumber: number; marker: string; body: string; author: string },
): Promise<{ id: number; action: "created" | "updated" | "unchanged" }> {
  const { owner, repo, issueNumber, marker, body, author } = params;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  const existing = comments.find((comment) => comment.user?.type === "Bot" && comment.user.login === author && (comment.body ?? "").startsWith(marker));
  if (existing) {
    if (existing.body === body) return { id: existing.id, action: "unchanged" };
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { id: existing.id, action: "updated" };
  }
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return { id: data.id, action: "created" };
}
