import { isoNow, repositoryJson, statusJson } from "../github-json.js";
import { validationFailed } from "../http-error.js";
import { json, jsonPage, type RouteTable } from "../route-types.js";
import type { StatusState } from "../simulator-state.js";
import type { SimulatorCore } from "../simulator-core.js";

/** GitHub keeps at most this many statuses per sha and context. */
const MAX_STATUSES_PER_CONTEXT = 1000;

export function statusRoutes(core: SimulatorCore): RouteTable {
  const ctx = core.ctx;
  return {
    "repos/create-commit-status": async ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      const sha = await repo.git.resolveCommit(params.sha);
      if (!sha || sha !== String(params.sha).toLowerCase()) {
        throw validationFailed(`No commit found for SHA: ${params.sha}`);
      }
      const context = body.context ?? "default";
      if (repo.statuses.filter((s) => s.sha === sha && s.context === context).length >= MAX_STATUSES_PER_CONTEXT) {
        throw validationFailed("Validation Failed", [
          { resource: "Status", code: "custom", message: `This SHA and context has reached the maximum number of statuses.` },
        ]);
      }
      const status: StatusState = {
        id: core.state.newId(),
        sha,
        state: body.state,
        context,
        description: body.description ?? null,
        targetUrl: body.target_url ?? null,
        creator: core.bot,
        createdAt: isoNow(),
      };
      repo.statuses.push(status);
      return json(statusJson(ctx, repo, status), 201);
    },

    "repos/list-commit-statuses-for-ref": async (request) => {
      const repo = core.repo(request.params.owner, request.params.repo);
      const sha = await repo.git.resolveCommit(request.params.ref);
      const statuses = sha ? repo.statuses.filter((s) => s.sha === sha).sort((a, b) => b.id - a.id) : [];
      return jsonPage(
        request,
        statuses.map((s) => statusJson(ctx, repo, s)),
      );
    },

    "repos/get-combined-status-for-ref": async ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      const sha = await repo.git.resolveCommit(params.ref);
      if (!sha) throw validationFailed(`No commit found for SHA: ${params.ref}`);
      const latest = new Map<string, StatusState>();
      for (const s of repo.statuses.filter((s) => s.sha === sha).sort((a, b) => b.id - a.id)) {
        if (!latest.has(s.context)) latest.set(s.context, s);
      }
      const list = [...latest.values()];
      const state = list.some((s) => s.state === "error" || s.state === "failure")
        ? "failure"
        : list.length === 0 || list.some((s) => s.state === "pending")
          ? "pending"
          : "success";
      return json({
        state,
        statuses: list.map((s) => {
          const { creator: _creator, ...rest } = statusJson(ctx, repo, s);
          return rest;
        }),
        sha,
        total_count: list.length,
        repository: repositoryJson(ctx, repo),
        commit_url: `${ctx.apiUrl}/repos/${repo.fullName}/commits/${sha}`,
        url: `${ctx.apiUrl}/repos/${repo.fullName}/commits/${sha}/status`,
      });
    },
  };
}
