import { nodeId, userJson, authorAssociation } from "../github-json.js";
import { notFound } from "../http-error.js";
import { json, jsonPage, type RouteTable } from "../route-types.js";
import type { SimulatorCore } from "../simulator-core.js";

const HTML = "https://github.com";

/** Pull request reviews, the branch rules that say whether stale approvals are dismissed, and team membership. */
export function reviewRoutes(core: SimulatorCore): RouteTable {
  const ctx = core.ctx;

  return {
    "pulls/list-reviews": (request) => {
      const repo = core.repo(request.params.owner, request.params.repo);
      const number = Number(request.params.pull_number);
      if (!repo.pulls.has(number)) throw notFound();
      const reviews = repo.reviews.filter((r) => r.pullNumber === number).sort((a, b) => a.id - b.id);
      return jsonPage(
        request,
        reviews.map((review) => ({
          id: review.id,
          node_id: nodeId("PullRequestReview", review.id),
          user: userJson(ctx, review.user),
          body: review.body,
          state: review.state,
          html_url: `${HTML}/${repo.fullName}/pull/${number}#pullrequestreview-${review.id}`,
          pull_request_url: `${ctx.apiUrl}/repos/${repo.fullName}/pulls/${number}`,
          _links: {
            html: { href: `${HTML}/${repo.fullName}/pull/${number}#pullrequestreview-${review.id}` },
            pull_request: { href: `${ctx.apiUrl}/repos/${repo.fullName}/pulls/${number}` },
          },
          submitted_at: review.submittedAt,
          commit_id: review.commitId,
          author_association: authorAssociation(repo, review.user),
        })),
      );
    },

    "repos/get-branch-rules": (request) => {
      const repo = core.repo(request.params.owner, request.params.repo);
      const branch = String(request.params.branch);
      const rules = repo.dismissStaleReviewsOn.has(branch)
        ? [
            {
              type: "pull_request",
              parameters: {
                dismiss_stale_reviews_on_push: true,
                require_code_owner_review: false,
                require_last_push_approval: false,
                required_approving_review_count: 1,
                required_review_thread_resolution: false,
              },
              ruleset_source_type: "Repository",
              ruleset_source: repo.fullName,
              ruleset_id: repo.id,
            },
          ]
        : [];
      return jsonPage(request, rules);
    },

    "teams/get-membership-for-user-in-org": ({ params }) => {
      const members = core.state.teams.get(`${params.org}/${params.team_slug}`.toLowerCase());
      if (!members?.has(String(params.username).toLowerCase())) throw notFound();
      return json({ url: `${ctx.apiUrl}/teams/${params.team_slug}/memberships/${params.username}`, role: "member", state: "active" });
    },
  };
}
