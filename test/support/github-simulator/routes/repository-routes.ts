import { commitJson, nodeId, repositoryJson, userJson } from "../github-json.js";
import { HttpError, notFound } from "../http-error.js";
import { json, jsonPage, wantsRaw, type RouteRequest, type RouteTable } from "../route-types.js";
import type { RepositoryState, RepositoryRole } from "../simulator-state.js";
import type { SimulatorCore } from "../simulator-core.js";
import type { TreeEntry } from "../git-repository.js";

const HTML = "https://github.com";
/** GitHub's contents API stops inlining file content above 1 MB. */
const INLINE_CONTENT_LIMIT = 1024 * 1024;

const LEGACY_PERMISSION: Record<RepositoryRole, "admin" | "write" | "read" | "none"> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};

/** Read-side repository endpoints backed by the real git repository. */
export function repositoryRoutes(core: SimulatorCore): RouteTable {
  const ctx = core.ctx;

  const commitOr = async (repo: RepositoryState, ref: string, fail: () => HttpError) => {
    const sha = await repo.git.resolveCommit(ref);
    if (!sha) throw fail();
    return sha;
  };

  const contentEntry = (repo: RepositoryState, ref: string, entry: TreeEntry, name: string) => {
    const encoded = entry.path.split("/").map(encodeURIComponent).join("/");
    const api = `${ctx.apiUrl}/repos/${repo.fullName}/contents/${encoded}?ref=${encodeURIComponent(ref)}`;
    const type = entry.type === "tree" ? "dir" : entry.type === "commit" ? "submodule" : entry.mode === "120000" ? "symlink" : "file";
    const kind = entry.type === "tree" ? "tree" : "blob";
    const git = `${ctx.apiUrl}/repos/${repo.fullName}/git/${kind === "tree" ? "trees" : "blobs"}/${entry.sha}`;
    const html = `${HTML}/${repo.fullName}/${kind}/${ref}/${encoded}`;
    return {
      type,
      size: entry.size ?? 0,
      name,
      path: entry.path,
      sha: entry.sha,
      url: api,
      git_url: git,
      html_url: html,
      download_url: type === "file" ? `https://raw.githubusercontent.com/${repo.fullName}/${ref}/${encoded}` : null,
      _links: { self: api, git, html },
    };
  };

  const permissionOf = (repo: RepositoryState, login: string): RepositoryRole => {
    const role = repo.roles.get(login.toLowerCase());
    if (role) return role;
    return repo.private ? "none" : "read";
  };

  const compare = async (request: RouteRequest, baseRef: string, headRef: string) => {
    const repo = core.repo(request.params.owner, request.params.repo);
    const base = await commitOr(repo, baseRef, notFound);
    const head = await commitOr(repo, headRef, notFound);
    const mergeBase = await repo.git.mergeBase(base, head);
    if (!mergeBase) throw notFound();
    const ahead = await repo.git.commitsBetween(base, head);
    const behind = await repo.git.commitsBetween(head, base);
    const status = ahead.length === 0 && behind.length === 0 ? "identical" : behind.length === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
    const files = await repo.git.diffFiles(mergeBase, head);
    const commits = [];
    // GitHub pages the commit list of a comparison, not the files.
    const perPage = Math.min(Number(request.query.per_page ?? 250), 250);
    const page = Number(request.query.page ?? 1);
    for (const sha of ahead.slice((page - 1) * perPage, page * perPage)) commits.push(commitJson(ctx, repo, await repo.git.readCommit(sha)));
    const url = `${ctx.apiUrl}/repos/${repo.fullName}/compare/${baseRef}...${headRef}`;
    return json({
      url,
      html_url: `${HTML}/${repo.fullName}/compare/${baseRef}...${headRef}`,
      permalink_url: `${HTML}/${repo.fullName}/compare/${repo.owner.login}:${base.slice(0, 7)}...${repo.owner.login}:${head.slice(0, 7)}`,
      diff_url: `${HTML}/${repo.fullName}/compare/${baseRef}...${headRef}.diff`,
      patch_url: `${HTML}/${repo.fullName}/compare/${baseRef}...${headRef}.patch`,
      base_commit: commitJson(ctx, repo, await repo.git.readCommit(base)),
      merge_base_commit: commitJson(ctx, repo, await repo.git.readCommit(mergeBase)),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits,
      files: files.map((f) => ({
        sha: f.sha,
        filename: f.path,
        status: f.status,
        additions: f.additions,
        deletions: f.deletions,
        changes: f.additions + f.deletions,
        blob_url: `${HTML}/${repo.fullName}/blob/${head}/${f.path}`,
        raw_url: `${HTML}/${repo.fullName}/raw/${head}/${f.path}`,
        contents_url: `${ctx.apiUrl}/repos/${repo.fullName}/contents/${f.path}?ref=${head}`,
        ...(f.patch !== undefined ? { patch: f.patch } : {}),
        ...(f.previousPath ? { previous_filename: f.previousPath } : {}),
      })),
    });
  };

  return {
    "repos/get": ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      const openIssues = [...repo.issues.values(), ...repo.pulls.values()].filter((i) => i.state === "open").length;
      return json({
        ...repositoryJson(ctx, repo, openIssues),
        ...(repo.owner.type === "Organization" ? { organization: userJson(ctx, repo.owner) } : {}),
      });
    },

    "repos/get-content": async (request) => {
      const { params, query } = request;
      const repo = core.repo(params.owner, params.repo);
      const ref = (query.ref as string | undefined) ?? repo.defaultBranch;
      const sha = await commitOr(
        repo,
        ref,
        () =>
          new HttpError(404, {
            message: `No commit found for the ref ${ref}`,
            documentation_url: "https://docs.github.com/rest/repos/contents#get-repository-content",
            status: "404",
          }),
      );
      const path = String(params.path ?? "").replace(/^\/+|\/+$/g, "");
      const entry = await repo.git.entryAt(sha, path);
      if (!entry) throw notFound();
      if (entry.type === "tree") {
        const children = await repo.git.listTree(`${sha}:${path}`);
        const items = children.map((child) => contentEntry(repo, ref, { ...child, path: path ? `${path}/${child.path}` : child.path }, child.path));
        return json(items);
      }
      const name = path.split("/").pop() ?? path;
      if (entry.type === "commit") return json(contentEntry(repo, ref, entry, name));
      const data = await repo.git.readBlob(entry.sha);
      if (wantsRaw(request)) return { status: 200, raw: { data, contentType: "application/vnd.github.raw; charset=utf-8" } };
      const base = contentEntry(repo, ref, { ...entry, size: data.length }, name);
      if (base.type === "symlink") return json({ ...base, target: data.toString("utf8") });
      const inline = data.length <= INLINE_CONTENT_LIMIT;
      return json({
        ...base,
        // GitHub wraps base64 at 60 characters per line.
        content: inline ? (data.toString("base64").match(/.{1,60}/g) ?? []).map((l) => `${l}\n`).join("") : "",
        encoding: inline ? "base64" : "none",
      });
    },

    "git/get-tree": async ({ params, query }) => {
      const repo = core.repo(params.owner, params.repo);
      const tree = await repo.git.resolveTree(params.tree_sha);
      if (!tree) throw notFound();
      const listed = await repo.git.listTree(tree, { recursive: query.recursive !== undefined });
      const entries = listed.slice(0, core.treeEntryLimit);
      return json({
        sha: tree,
        url: `${ctx.apiUrl}/repos/${repo.fullName}/git/trees/${tree}`,
        tree: entries.map((e) => ({
          path: e.path,
          mode: e.mode,
          type: e.type,
          sha: e.sha,
          ...(e.type === "blob" ? { size: e.size ?? 0 } : {}),
          url: `${ctx.apiUrl}/repos/${repo.fullName}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
        })),
        truncated: listed.length > entries.length,
      });
    },

    "git/get-blob": async (request) => {
      const { params } = request;
      const repo = core.repo(params.owner, params.repo);
      if ((await repo.git.objectType(params.file_sha)) !== "blob") throw notFound();
      const data = await repo.git.readBlob(params.file_sha);
      if (wantsRaw(request)) return { status: 200, raw: { data, contentType: "application/vnd.github.raw; charset=utf-8" } };
      return json({
        sha: params.file_sha,
        node_id: nodeId("Blob", params.file_sha),
        size: data.length,
        url: `${ctx.apiUrl}/repos/${repo.fullName}/git/blobs/${params.file_sha}`,
        content: (data.toString("base64").match(/.{1,60}/g) ?? []).map((l) => `${l}\n`).join(""),
        encoding: "base64",
      });
    },

    "repos/get-commit": async ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      const sha = await commitOr(
        repo,
        params.ref,
        () =>
          new HttpError(422, {
            message: `No commit found for SHA: ${params.ref}`,
            documentation_url: "https://docs.github.com/rest/commits/commits#get-a-commit",
            status: "422",
          }),
      );
      const info = await repo.git.readCommit(sha);
      const files = await repo.git.diffFiles(info.parents[0], sha);
      return json(commitJson(ctx, repo, info, files));
    },

    "repos/compare-commits": (request) => compare(request, request.params.base, request.params.head),

    "repos/compare-commits-with-basehead": (request) => {
      const [base, head] = String(request.params.basehead).split("...");
      if (!base || !head) throw notFound();
      return compare(request, base, head);
    },

    "repos/download-tarball-archive": async ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      const sha = await commitOr(repo, params.ref, notFound);
      return {
        status: 302,
        headers: { location: `${ctx.apiUrl}/_codeload/${repo.fullName}/legacy.tar.gz/${sha}` },
        raw: { data: "", contentType: "text/html;charset=utf-8" },
      };
    },

    "repos/get-branch": async ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      const sha = await repo.git.refSha(`refs/heads/${params.branch}`);
      if (!sha)
        throw new HttpError(404, {
          message: "Branch not found",
          documentation_url: "https://docs.github.com/rest/branches/branches#get-a-branch",
          status: "404",
        });
      const info = await repo.git.readCommit(sha);
      const url = `${ctx.apiUrl}/repos/${repo.fullName}/branches/${params.branch}`;
      return json({
        name: params.branch,
        commit: commitJson(ctx, repo, info),
        _links: { self: url, html: `${HTML}/${repo.fullName}/tree/${params.branch}` },
        protected: false,
        protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
        protection_url: `${url}/protection`,
      });
    },

    "repos/get-collaborator-permission-level": ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      const user = core.state.users.get(String(params.username).toLowerCase()) ?? core.state.user(params.username);
      const role = permissionOf(repo, user.login);
      const legacy = LEGACY_PERMISSION[role];
      return json({
        permission: legacy,
        role_name: role,
        user: {
          ...userJson(ctx, user),
          permissions: {
            admin: role === "admin",
            maintain: role === "admin" || role === "maintain",
            push: legacy === "admin" || legacy === "write",
            triage: role !== "read" && role !== "none",
            pull: role !== "none",
          },
          role_name: role,
        },
      });
    },

    "repos/list-branches": async (request) => {
      const repo = core.repo(request.params.owner, request.params.repo);
      const refs = await repo.git.listRefs("refs/heads/");
      return jsonPage(
        request,
        refs.map((r) => ({
          name: r.ref.slice("refs/heads/".length),
          commit: { sha: r.sha, url: `${ctx.apiUrl}/repos/${repo.fullName}/commits/${r.sha}` },
          protected: false,
        })),
      );
    },
  };
}
