import type { GitHubClient } from "./github-client.js";
import type { SourceEntry, SourceReadResult, SourceTree } from "../core/manifests/source-tree.js";
import { SourceTreeError } from "../core/manifests/source-tree-error.js";
import { mapLimited } from "../core/map-limited.js";
import { createBlobCache, type BlobCache } from "./create-blob-cache.js";

// Symlink targets are read while listing; the blob cache bounds the downloads themselves.
const symlinkReadConcurrency = 8;

interface TreeEntry {
  path: string;
  mode: string;
  type: string;
  sha: string;
  size?: number;
}

/**
 * A repository at one commit, read through the git trees and blobs API: one request for the
 * whole tree, then one per file actually read. Symlinks are listed with their targets (a
 * symlink's blob is its target) so the loader can refuse those that leave the repository.
 * Blobs go through `blobs`, which a job shares between its trees so each is downloaded once.
 */
export function createGitHubSourceTree(octokit: GitHubClient, params: { owner: string; repo: string; sha: string; blobs?: BlobCache }): SourceTree {
  const { owner, repo, sha } = params;
  const blobs = params.blobs ?? createBlobCache();
  let tree: Promise<Map<string, TreeEntry>> | undefined;

  const loadTree = () =>
    (tree ??= octokit.rest.git.getTree({ owner, repo, tree_sha: sha, recursive: "true" }).then(({ data }) => {
      if (data.truncated) {
        throw new SourceTreeError(`The repository tree at ${sha.slice(0, 7)} is larger than GitHub returns in one listing; Slipway cannot read it whole.`);
      }
      return new Map((data.tree as TreeEntry[]).filter((entry) => entry.type === "blob").map((entry) => [entry.path, entry]));
    }));

  const blob = (blobSha: string): Promise<Uint8Array> =>
    blobs.read(blobSha, async () => {
      const { data } = await octokit.rest.git.getBlob({ owner, repo, file_sha: blobSha });
      return data.encoding === "base64" ? Buffer.from(data.content, "base64") : Buffer.from(data.content, "utf8");
    });

  return {
    async list(dir: string): Promise<SourceEntry[] | undefined> {
      const entries = await loadTree();
      const prefix = dir === "" ? "" : `${dir}/`;
      const found = [...entries.values()].filter((entry) => entry.path === dir || entry.path.startsWith(prefix));
      if (found.length === 0) return undefined;
      return mapLimited(found, symlinkReadConcurrency, async (entry): Promise<SourceEntry> =>
        entry.mode === "120000"
          ? { kind: "symlink", path: entry.path, target: Buffer.from(await blob(entry.sha)).toString("utf8") }
          : { kind: "file", path: entry.path, ...(entry.size !== undefined ? { size: entry.size } : {}) },
      );
    },
    async read(path: string): Promise<SourceReadResult> {
      const entry = (await loadTree()).get(path);
      if (!entry) return { ok: false, message: `${path} does not exist at ${sha.slice(0, 7)}` };
      if (entry.mode === "120000") return { ok: false, message: `${path} is a symlink; Slipway does not follow symlinks` };
      return { ok: true, bytes: await blob(entry.sha) };
    },
  };
}
