import { isoNow, issueCommentJson, reactionJson } from "../github-json.js";
import { notFound, validationFailed } from "../http-error.js";
import { json, jsonPage, type RouteTable } from "../route-types.js";
import type { CommentState, RepositoryState } from "../simulator-state.js";
import type { SimulatorCore } from "../simulator-core.js";
import { issueJson } from "../webhook-payloads.js";

/** GitHub rejects issue comment bodies longer than this. */
export const MAX_COMMENT_CHARS = 65536;

export function issueRoutes(core: SimulatorCore): RouteTable {
  const ctx = core.ctx;

  const render = (repo: RepositoryState, comment: CommentState) =>
    issueCommentJson(
      ctx,
      repo,
      comment,
      repo.reactions.filter((r) => r.commentId === comment.id),
    );

  const findComment = (repo: RepositoryState, id: number) => {
    const comment = repo.comments.find((c) => c.id === id);
    if (!comment) throw notFound();
    return comment;
  };

  const requireIssue = (repo: RepositoryState, number: number) => {
    if (!repo.pulls.has(number) && !repo.issues.has(number)) throw notFound();
  };

  const checkBody = (body: string) => {
    if ([...body].length > MAX_COMMENT_CHARS) {
      throw validationFailed("Validation Failed", [
        { resource: "IssueComment", code: "custom", field: "body", message: `body is too long (maximum is ${MAX_COMMENT_CHARS} characters)` },
      ]);
    }
  };

  return {
    "issues/get": ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      const pr = repo.pulls.get(params.issue_number);
      const issue =
        repo.issues.get(params.issue_number) ??
        (pr ? { number: pr.number, id: pr.id, title: pr.title, author: pr.author, state: pr.state, createdAt: pr.createdAt } : undefined);
      if (!issue) throw notFound();
      const count = repo.comments.filter((c) => c.issueNumber === issue.number).length;
      return json(issueJson(ctx, repo, issue, pr, count));
    },

    "issues/list-comments": (request) => {
      const { params, query } = request;
      const repo = core.repo(params.owner, params.repo);
      requireIssue(repo, params.issue_number);
      let comments = repo.comments.filter((c) => c.issueNumber === params.issue_number);
      if (query.since) comments = comments.filter((c) => c.updatedAt >= String(query.since));
      const page = jsonPage(request, comments);
      return { ...page, body: (page.body as CommentState[]).map((c) => render(repo, c)) };
    },

    "issues/create-comment": ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      requireIssue(repo, params.issue_number);
      checkBody(body.body);
      const now = isoNow();
      const comment: CommentState = {
        id: core.state.newId(),
        issueNumber: params.issue_number,
        body: body.body,
        user: core.bot,
        viaApp: true,
        createdAt: now,
        updatedAt: now,
      };
      repo.comments.push(comment);
      return json(render(repo, comment), 201);
    },

    "issues/get-comment": ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      return json(render(repo, findComment(repo, params.comment_id)));
    },

    "issues/update-comment": ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      const comment = findComment(repo, params.comment_id);
      checkBody(body.body);
      if (comment.user.id !== core.bot.id) {
        throw validationFailed("Resource not accessible by integration");
      }
      comment.body = body.body;
      comment.updatedAt = isoNow();
      return json(render(repo, comment));
    },

    "issues/delete-comment": ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      const comment = findComment(repo, params.comment_id);
      repo.comments.splice(repo.comments.indexOf(comment), 1);
      return { status: 204 };
    },

    "reactions/create-for-issue-comment": ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      const comment = findComment(repo, params.comment_id);
      const existing = repo.reactions.find((r) => r.commentId === comment.id && r.content === body.content && r.user.id === core.bot.id);
      if (existing) return json(reactionJson(ctx, existing), 200);
      const reaction = { id: core.state.newId(), commentId: comment.id, content: body.content, user: core.bot, createdAt: isoNow() };
      repo.reactions.push(reaction);
      return json(reactionJson(ctx, reaction), 201);
    },

    "reactions/list-for-issue-comment": (request) => {
      const repo = core.repo(request.params.owner, request.params.repo);
      const comment = findComment(repo, request.params.comment_id);
      let reactions = repo.reactions.filter((r) => r.commentId === comment.id);
      if (request.query.content) reactions = reactions.filter((r) => r.content === request.query.content);
      return jsonPage(
        request,
        reactions.map((r) => reactionJson(ctx, r)),
      );
    },
  };
}
