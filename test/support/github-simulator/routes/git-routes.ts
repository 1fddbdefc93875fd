import { gitCommitJson, gitRefJson } from "../github-json.js";
import { notFound, validationFailed } from "../http-error.js";
import { json, type RouteTable } from "../route-types.js";
import type { RepositoryState } from "../simulator-state.js";
import type { SimulatorCore } from "../simulator-core.js";
import type { GitIdentity, TreeWrite } from "../git-repository.js";

const ZERO_SHA = "0".repeat(40);

/** Git database endpoints; writes go into the real repository and fire the webhooks GitHub would. */
export function gitRoutes(core: SimulatorCore): RouteTable {
  const ctx = core.ctx;

  const refJson = async (repo: RepositoryState, fullRef: string, sha: string) => {
    const type = (await repo.git.objectType(sha)) ?? "commit";
    return gitRefJson(ctx, repo, fullRef, sha, type);
  };

  /** After the App moves a branch, GitHub sends `push` and, for PR heads, `synchronize`. */
  const announceRefChange = (repo: RepositoryState, fullRef: string, before: string, after: string) => {
    core.later(async () => {
      if (!fullRef.startsWith("refs/heads/") && !fullRef.startsWith("refs/tags/")) return;
      const moved = fullRef.startsWith("refs/heads/") ? await core.branchMoved(repo, fullRef.slice("refs/heads/".length)) : [];
      await core.sendPush(repo, fullRef, before, after, core.bot);
      for (const { pr, before: prBefore } of moved) await core.sendPullRequest(repo, pr, "synchronize", core.bot, prBefore);
    });
  };

  const identity = (value: { name?: string; email?: string; date?: string } | undefined): GitIdentity | undefined =>
    value?.name && value.email ? { name: value.name, email: value.email, date: value.date } : undefined;

  return {
    "git/get-ref": async ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      const fullRef = `refs/${params.ref}`;
      const sha = await repo.git.refSha(fullRef);
      if (!sha || !/^(heads|tags|pull)\//.test(params.ref)) throw notFound();
      return json(await refJson(repo, fullRef, sha));
    },

    "git/list-matching-refs": async ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      const refs = await repo.git.listRefs(`refs/${params.ref}`);
      const matching = refs.filter((r) => r.ref.startsWith(`refs/${params.ref}`));
      return json(await Promise.all(matching.map((r) => refJson(repo, r.ref, r.sha))));
    },

    "git/create-ref": async ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      const fullRef = String(body.ref);
      if (!fullRef.startsWith("refs/") || fullRef.split("/").length < 3) {
        throw validationFailed("Reference name must start with 'refs/' and have at least two slashes.");
      }
      if (await repo.git.refSha(fullRef)) throw validationFailed("Reference already exists");
      if (!(await repo.git.objectType(body.sha))) throw validationFailed("Object does not exist");
      await repo.git.updateRef(fullRef, body.sha, "");
      announceRefChange(repo, fullRef, ZERO_SHA, body.sha);
      return json(await refJson(repo, fullRef, body.sha), 201);
    },

    "git/update-ref": async ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      const fullRef = `refs/${params.ref}`;
      const current = await repo.git.refSha(fullRef);
      if (!current) throw validationFailed("Reference does not exist");
      if ((await repo.git.objectType(body.sha)) !== "commit") throw validationFailed("Object does not exist");
      if (!body.force && !(await repo.git.isAncestor(current, body.sha))) throw validationFailed("Update is not a fast forward");
      await repo.git.updateRef(fullRef, body.sha, current);
      if (current !== body.sha) announceRefChange(repo, fullRef, current, body.sha);
      return json(await refJson(repo, fullRef, body.sha));
    },

    "git/delete-ref": async ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      const fullRef = `refs/${params.ref}`;
      const current = await repo.git.refSha(fullRef);
      if (!current) throw validationFailed("Reference does not exist");
      await repo.git.deleteRef(fullRef);
      announceRefChange(repo, fullRef, current, ZERO_SHA);
      return { status: 204 };
    },

    "git/create-blob": async ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      const data = body.encoding === "base64" ? Buffer.from(body.content, "base64") : Buffer.from(String(body.content), "utf8");
      const sha = await repo.git.writeBlob(data);
      return json({ url: `${ctx.apiUrl}/repos/${repo.fullName}/git/blobs/${sha}`, sha }, 201);
    },

    "git/create-tree": async ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      let baseTree: string | undefined;
      if (body.base_tree) {
        baseTree = await repo.git.resolveTree(body.base_tree);
        if (!baseTree) throw validationFailed("base_tree is not a valid tree oid");
      }
      const writes: TreeWrite[] = [];
      for (const entry of body.tree as Array<Record<string, any>>) {
        if (entry.content !== undefined && entry.sha !== undefined) {
          throw validationFailed("Must supply either tree.sha or tree.content. Request will fail if both are supplied.");
        }
        if (entry.sha) {
          const type = await repo.git.objectType(entry.sha);
          if (type !== entry.type) throw validationFailed(`tree.sha ${entry.sha} is not a valid ${entry.type}`);
        }
        writes.push({ path: entry.path, mode: entry.mode, type: entry.type, sha: entry.sha, content: entry.content });
      }
      const sha = await repo.git.writeTree(baseTree, writes);
      const entries = await repo.git.listTree(sha);
      return json(
        {
          sha,
          url: `${ctx.apiUrl}/repos/${repo.fullName}/git/trees/${sha}`,
          tree: entries.map((e) => ({
            path: e.path,
            mode: e.mode,
            type: e.type,
            sha: e.sha,
            ...(e.type === "blob" ? { size: e.size ?? 0 } : {}),
            url: `${ctx.apiUrl}/repos/${repo.fullName}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
          })),
          truncated: false,
        },
        201,
      );
    },

    "git/create-commit": async ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      if ((await repo.git.objectType(body.tree)) !== "tree") throw validationFailed("Tree SHA does not exist");
      const parents = (body.parents ?? []) as string[];
      for (const parent of parents) {
        if ((await repo.git.objectType(parent)) !== "commit") throw validationFailed("Parent SHA does not exist or is not a commit object");
      }
      const author = identity(body.author) ?? core.botIdentity();
      const sha = await repo.git.writeCommit({
        tree: body.tree,
        parents,
        message: body.message,
        author,
        committer: identity(body.committer) ?? (identity(body.author) ? author : core.botIdentity()),
      });
      return json(gitCommitJson(ctx, repo, await repo.git.readCommit(sha)), 201);
    },

    "git/get-commit": async ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      if ((await repo.git.objectType(params.commit_sha)) !== "commit") throw notFound();
      return json(gitCommitJson(ctx, repo, await repo.git.readCommit(params.commit_sha)));
    },
  };
}
