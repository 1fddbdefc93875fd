import { commitJson, diffEntryJson, isoNow, pullRequestJson } from "../github-json.js";
import { notFound, validationFailed } from "../http-error.js";
import { json, jsonPage, type RouteTable } from "../route-types.js";
import type { PullRequestState, RepositoryState } from "../simulator-state.js";
import type { SimulatorCore } from "../simulator-core.js";

/** GitHub stops listing pull request files after 3000. */
const MAX_PULL_FILES = 3000;

export function pullRoutes(core: SimulatorCore): RouteTable {
  const ctx = core.ctx;

  const pull = (repo: RepositoryState, number: number): PullRequestState => {
    const pr = repo.pulls.get(number);
    if (!pr) throw notFound();
    return pr;
  };

  const render = async (repo: RepositoryState, pr: PullRequestState) => pullRequestJson(ctx, repo, pr, await core.pullStats(repo, pr));

  return {
    "pulls/list": async (request) => {
      const { params, query } = request;
      const repo = core.repo(params.owner, params.repo);
      let pulls = [...repo.pulls.values()];
      const state = query.state ?? "open";
      if (state !== "all") pulls = pulls.filter((pr) => pr.state === state);
      if (query.head) {
        const [owner, ref] = String(query.head).includes(":") ? String(query.head).split(":", 2) : [repo.owner.login, query.head];
        pulls = pulls.filter((pr) => pr.headRef === ref && (pr.forkOwner ?? repo.owner).login.toLowerCase() === String(owner).toLowerCase());
      }
      if (query.base) pulls = pulls.filter((pr) => pr.baseRef === query.base);
      const direction = query.direction ?? "desc";
      const key =
        query.sort === "updated"
          ? (pr: PullRequestState) => pr.updatedAt + String(pr.number).padStart(9, "0")
          : (pr: PullRequestState) => String(pr.number).padStart(9, "0");
      pulls.sort((a, b) => (direction === "asc" ? 1 : -1) * key(a).localeCompare(key(b)));
      const page = jsonPage(request, pulls);
      return { ...page, body: await Promise.all((page.body as PullRequestState[]).map((pr) => render(repo, pr))) };
    },

    "pulls/get": async ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      return json(await render(repo, pull(repo, params.pull_number)));
    },

    "pulls/list-files": async (request) => {
      const repo = core.repo(request.params.owner, request.params.repo);
      const pr = pull(repo, request.params.pull_number);
      const base = pr.merged ? pr.baseSha : await repo.git.mergeBase(pr.baseSha, pr.headSha);
      const files = (await repo.git.diffFiles(base, pr.headSha)).slice(0, MAX_PULL_FILES);
      return jsonPage(
        request,
        files.map((f) => diffEntryJson(ctx, repo, pr.headSha, f)),
      );
    },

    "pulls/list-commits": async (request) => {
      const repo = core.repo(request.params.owner, request.params.repo);
      const pr = pull(repo, request.params.pull_number);
      const base = (await repo.git.mergeBase(pr.baseSha, pr.headSha)) ?? pr.baseSha;
      const shas = await repo.git.commitsBetween(base, pr.headSha);
      const commits = await Promise.all(shas.map(async (sha) => commitJson(ctx, repo, await repo.git.readCommit(sha))));
      return jsonPage(request, commits);
    },

    "pulls/create": async ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      const head = String(body.head);
      const headRef = head.includes(":") ? head.split(":", 2)[1]! : head;
      const headOwner = head.includes(":") ? head.split(":", 2)[0]! : repo.owner.login;
      if (headOwner.toLowerCase() !== repo.owner.login.toLowerCase()) {
        throw validationFailed("Validation Failed", [{ resource: "PullRequest", field: "head", code: "invalid" }]);
      }
      const headSha = await repo.git.refSha(`refs/heads/${headRef}`);
      if (!headSha) throw validationFailed("Validation Failed", [{ resource: "PullRequest", field: "head", code: "invalid" }]);
      const baseSha = await repo.git.refSha(`refs/heads/${body.base}`);
      if (!baseSha) throw validationFailed("Validation Failed", [{ resource: "PullRequest", field: "base", code: "invalid" }]);
      if ((await repo.git.commitsBetween(baseSha, headSha)).length === 0) {
        throw validationFailed("Validation Failed", [{ resource: "PullRequest", code: "custom", message: `No commits between ${body.base} and ${headRef}` }]);
      }
      const existing = [...repo.pulls.values()].find((pr) => pr.state === "open" && pr.headRef === headRef && pr.baseRef === body.base && !pr.forkOwner);
      if (existing) {
        throw validationFailed("Validation Failed", [
          { resource: "PullRequest", code: "custom", message: `A pull request already exists for ${repo.owner.login}:${headRef}.` },
        ]);
      }
      const pr = await createPullRequest(core, repo, {
        title: body.title ?? headRef,
        body: body.body ?? null,
        author: core.bot,
        headRef,
        baseRef: body.base,
        draft: body.draft === true,
      });
      core.later(() => core.sendPullRequest(repo, pr, "opened", core.bot));
      return json(await render(repo, pr), 201);
    },

    "pulls/update": async ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      const pr = pull(repo, params.pull_number);
      if (body.title !== undefined) pr.title = body.title;
      if (body.body !== undefined) pr.body = body.body;
      let action: string | undefined;
      if (body.state && body.state !== pr.state && !pr.merged) {
        pr.state = body.state;
        pr.closedAt = body.state === "closed" ? isoNow() : null;
        action = body.state === "closed" ? "closed" : "reopened";
      }
      pr.updatedAt = isoNow();
      if (action) core.later(() => core.sendPullRequest(repo, pr, action!, core.bot));
      return json(await render(repo, pr));
    },
  };
}

/** Adds a pull request (and its issue number) to a repository. Shared with the test API. */
export async function createPullRequest(
  core: SimulatorCore,
  repo: RepositoryState,
  params: {
    title: string;
    body: string | null;
    author: PullRequestState["author"];
    headRef: string;
    baseRef: string;
    draft: boolean;
    forkOwner?: PullRequestState["author"];
  },
): Promise<PullRequestState> {
  const headSha = await repo.git.refSha(`refs/heads/${params.headRef}`);
  const baseSha = await repo.git.refSha(`refs/heads/${params.baseRef}`);
  if (!headSha || !baseSha) throw new Error(`Branches ${params.headRef} / ${params.baseRef} must exist in ${repo.fullName}`);
  const now = isoNow();
  const pr: PullRequestState = {
    id: core.state.newId(),
    number: repo.nextIssueNumber++,
    title: params.title,
    body: params.body,
    author: params.author,
    headRef: params.headRef,
    headSha,
    forkOwner: params.forkOwner,
    baseRef: params.baseRef,
    baseSha,
    state: "open",
    draft: params.draft,
    merged: false,
    mergeCommitSha: null,
    mergeable: null,
    mergedBy: null,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    mergedAt: null,
  };
  repo.pulls.set(pr.number, pr);
  await core.refreshMergeability(repo, pr);
  return pr;
}
