import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface GitIdentity {
  name: string;
  email: string;
  /** ISO date; defaults to now. */
  date?: string;
}

export interface TreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  path: string;
  size?: number;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: Required<GitIdentity>;
  committer: Required<GitIdentity>;
  message: string;
}

export interface FileChange {
  path: string;
  status: "added" | "removed" | "modified" | "renamed";
  previousPath?: string;
  additions: number;
  deletions: number;
  patch?: string;
  /** Blob sha at the newer side (or older side when removed). */
  sha: string;
}

export interface TreeWrite {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha?: string | null;
  content?: string;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
  ) {
    super(message);
  }
}

/**
 * A bare git repository in a temp dir, driven only through plumbing commands
 * (no work tree), so concurrent writes to different branches never step on each other.
 */
export class GitRepository {
  private constructor(readonly dir: string) {}

  static async create(defaultBranch: string): Promise<GitRepository> {
    const dir = await mkdtemp(join(tmpdir(), "slipway-sim-git-"));
    const repo = new GitRepository(dir);
    await repo.git(["init", "--bare", "--quiet", `--initial-branch=${defaultBranch}`]);
    return repo;
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  async git(args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        "git",
        args,
        {
          cwd: this.dir,
          encoding: "buffer",
          maxBuffer: 256 * 1024 * 1024,
          env: {
            ...process.env,
            GIT_CONFIG_NOSYSTEM: "1",
            GIT_CONFIG_GLOBAL: "/dev/null",
            GIT_TERMINAL_PROMPT: "0",
            ...options.env,
          },
        },
        (error, stdout, stderr) => {
          if (error) {
            const code = typeof error.code === "number" ? error.code : null;
            reject(new GitError(`git ${args[0]} failed: ${stderr.toString().trim() || error.message}`, code));
          } else resolve(stdout);
        },
      );
      // A git that exits early closes stdin; its exit code already reports the failure.
      child.stdin?.on("error", () => {});
      if (options.input !== undefined) child.stdin?.end(options.input);
      else child.stdin?.end();
    });
  }

  private async text(args: string[], options?: { input?: string | Buffer; env?: Record<string, string> }) {
    return (await this.git(args, options)).toString("utf8").trim();
  }

  /** Resolves a branch, tag, `refs/...` name or sha to a commit sha, or undefined. */
  async resolveCommit(ref: string): Promise<string | undefined> {
    if (!ref || ref.startsWith("-")) return undefined;
    try {
      return await this.text(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
    } catch {
      return undefined;
    }
  }

  /** Resolves a tree-ish (tree sha, commit sha, branch) to a tree sha, or undefined. */
  async resolveTree(treeish: string): Promise<string | undefined> {
    if (!treeish || treeish.startsWith("-")) return undefined;
    try {
      return await this.text(["rev-parse", "--verify", "--quiet", `${treeish}^{tree}`]);
    } catch {
      return undefined;
    }
  }

  async objectType(sha: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{4,40}$/.test(sha)) return undefined;
    try {
      return await this.text(["cat-file", "-t", sha]);
    } catch {
      return undefined;
    }
  }

  async refSha(fullRef: string): Promise<string | undefined> {
    try {
      return await this.text(["rev-parse", "--verify", "--quiet", fullRef]);
    } catch {
      return undefined;
    }
  }

  /** Lists refs under a prefix such as `refs/heads/`. */
  async listRefs(prefix: string): Promise<Array<{ ref: string; sha: string }>> {
    const out = await this.text(["for-each-ref", "--format=%(refname) %(objectname)", prefix]);
    return out
      ? out.split("\n").map((line) => {
          const [ref, sha] = line.split(" ");
          return { ref: ref!, sha: sha! };
        })
      : [];
  }

  /** Moves a ref; `expectedOld` makes it a compare-and-swap ('' = must not exist). */
  async updateRef(fullRef: string, sha: string, expectedOld?: string): Promise<void> {
    const args = ["update-ref", fullRef, sha];
    if (expectedOld !== undefined) args.push(expectedOld || "0".repeat(40));
    await this.git(args);
  }

  async deleteRef(fullRef: string): Promise<void> {
    await this.git(["update-ref", "-d", fullRef]);
  }

  async writeBlob(content: string | Buffer): Promise<string> {
    return this.text(["hash-object", "-w", "--stdin"], { input: content });
  }

  async readBlob(sha: string): Promise<Buffer> {
    return this.git(["cat-file", "blob", sha]);
  }

  async blobSize(sha: string): Promise<number> {
    return Number(await this.text(["cat-file", "-s", sha]));
  }

  /** Entries of a tree; `recursive` lists nested blobs and the trees on the way, as GitHub does. */
  async listTree(treeish: string, options: { recursive?: boolean; path?: string } = {}): Promise<TreeEntry[]> {
    const args = ["ls-tree", "-z", "-l"];
    if (options.recursive) args.push("-r", "-t");
    args.push(treeish);
    if (options.path) args.push("--", options.path);
    const out = (await this.git(args)).toString("utf8");
    return out
      .split("\0")
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf("\t");
        const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/);
        return {
          mode: mode!,
          type: type as TreeEntry["type"],
          sha: sha!,
          path: line.slice(tab + 1),
          size: size === "-" ? undefined : Number(size),
        };
      });
  }

  /** The entry at `path` in a commit, or undefined. Empty path means the root tree. */
  async entryAt(commit: string, path: string): Promise<TreeEntry | undefined> {
    const clean = path.replace(/^\/+|\/+$/g, "");
    if (clean === "") {
      const sha = await this.resolveTree(commit);
      return sha ? { mode: "040000", type: "tree", sha, path: "" } : undefined;
    }
    const entries = await this.listTree(commit, { path: clean });
    return entries.find((e) => e.path === clean);
  }

  async readCommit(sha: string): Promise<CommitInfo> {
    const format = ["%H", "%T", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%B"].join("%x00");
    const out = (await this.git(["show", "-s", `--format=${format}`, sha])).toString("utf8");
    const [commitSha, tree, parents, an, ae, ad, cn, ce, cd, ...message] = out.split("\0");
    return {
      sha: commitSha!,
      tree: tree!,
      parents: parents ? parents.split(" ") : [],
      author: { name: an!, email: ae!, date: ad! },
      committer: { name: cn!, email: ce!, date: cd! },
      message: message.join("\0").replace(/\n+$/, ""),
    };
  }

  /** Writes a tree from an optional base tree plus changes (null sha = delete). */
  async writeTree(baseTree: string | undefined, changes: TreeWrite[]): Promise<string> {
    const indexDir = await mkdtemp(join(tmpdir(), "slipway-sim-index-"));
    const env = { GIT_INDEX_FILE: join(indexDir, "index") };
    try {
      await this.git(baseTree ? ["read-tree", baseTree] : ["read-tree", "--empty"], { env });
      for (const change of changes) {
        const path = change.path.replace(/^\/+|\/+$/g, "");
        if (change.content !== undefined) {
          const sha = await this.writeBlob(change.content);
          await this.indexInfo([`${change.mode} ${sha}\t${path}`], env);
        } else if (change.sha === null || change.sha === undefined) {
          await this.removePath(path, env);
        } else if (change.type === "tree") {
          await this.removePath(path, env);
          await this.git(["read-tree", `--prefix=${path}/`, change.sha], { env });
        } else {
          await this.indexInfo([`${change.mode} ${change.sha}\t${path}`], env);
        }
      }
      return await this.text(["write-tree"], { env });
    } finally {
      await rm(indexDir, { recursive: true, force: true });
    }
  }

  // `update-index --index-info` works without a work tree, unlike --add/--force-remove.
  private async indexInfo(lines: string[], env: Record<string, string>): Promise<void> {
    await this.git(["update-index", "-z", "--index-info"], { env, input: lines.map((l) => `${l}\0`).join("") });
  }

  /** Removes a file, or every file under a directory, from the temporary index. */
  private async removePath(path: string, env: Record<string, string>): Promise<void> {
    const listed = (await this.git(["ls-files", "-z", "--", path], { env })).toString("utf8");
    const files = listed.split("\0").filter((f) => f === path || f.startsWith(`${path}/`));
    if (files.length > 0)
      await this.indexInfo(
        files.map((f) => `0 ${"0".repeat(40)}\t${f}`),
        env,
      );
  }

  async writeCommit(params: { tree: string; parents: string[]; message: string; author: GitIdentity; committer?: GitIdentity }): Promise<string> {
    const committer = params.committer ?? params.author;
    const now = new Date().toISOString();
    const args = ["commit-tree", params.tree];
    for (const parent of params.parents) args.push("-p", parent);
    return this.text(args, {
      input: params.message,
      env: {
        GIT_AUTHOR_NAME: params.author.name,
        GIT_AUTHOR_EMAIL: params.author.email,
        GIT_AUTHOR_DATE: params.author.date ?? now,
        GIT_COMMITTER_NAME: committer.name,
        GIT_COMMITTER_EMAIL: committer.email,
        GIT_COMMITTER_DATE: committer.date ?? now,
      },
    });
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.git(["merge-base", "--is-ancestor", ancestor, descendant]);
      return true;
    } catch (error) {
      if (error instanceof GitError && error.exitCode === 1) return false;
      throw error;
    }
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    try {
      return await this.text(["merge-base", a, b]);
    } catch {
      return undefined;
    }
  }

  /** Three-way merge without a work tree; undefined on conflict. */
  async mergeTrees(ours: string, theirs: string): Promise<string | undefined> {
    try {
      return (await this.text(["merge-tree", "--write-tree", "--no-messages", ours, theirs])).split("\n")[0];
    } catch (error) {
      if (error instanceof GitError && error.exitCode === 1) return undefined;
      throw error;
    }
  }

  /** Commits reachable from head but not from base, oldest first. */
  async commitsBetween(base: string, head: string): Promise<string[]> {
    const out = await this.text(["rev-list", "--reverse", `${base}..${head}`]);
    return out ? out.split("\n") : [];
  }

  async diffFiles(from: string | undefined, to: string): Promise<FileChange[]> {
    const fromTree = from ?? (await this.emptyTree());
    const nameStatus = (await this.git(["diff-tree", "-r", "-z", "-M", "--raw", "--no-commit-id", fromTree, to])).toString("utf8");
    const numstat = (await this.git(["diff-tree", "-r", "-z", "-M", "--numstat", "--no-commit-id", fromTree, to])).toString("utf8");
    const counts = parseNumstat(numstat);
    const changes: FileChange[] = [];
    const parts = nameStatus.split("\0").filter((p, i, all) => p !== "" || i < all.length - 1);
    for (let i = 0; i < parts.length;) {
      const meta = parts[i++]!;
      if (!meta.startsWith(":")) continue;
      const [, , oldSha, newSha, statusCode] = meta.slice(1).split(" ");
      const letter = statusCode![0];
      let path = parts[i++]!;
      let previousPath: string | undefined;
      if (letter === "R" || letter === "C") {
        previousPath = path;
        path = parts[i++]!;
      }
      const count = counts.get(path) ?? { additions: 0, deletions: 0 };
      const status: FileChange["status"] = letter === "A" ? "added" : letter === "D" ? "removed" : letter === "R" ? "renamed" : "modified";
      const patchArgs = ["diff", "--no-color", "-M", fromTree, to, "--"];
      if (previousPath) patchArgs.push(previousPath);
      patchArgs.push(path);
      const patch = (await this.git(patchArgs)).toString("utf8");
      // GitHub leaves the patch out of file listings when the diff is too large to show.
      const hunkStart = patch.length > maxPatchBytes ? -1 : patch.indexOf("\n@@");
      changes.push({
        path,
        previousPath,
        status,
        ...count,
        sha: status === "removed" ? oldSha! : newSha!,
        patch: hunkStart >= 0 ? patch.slice(hunkStart + 1).replace(/\n$/, "") : undefined,
      });
    }
    return changes;
  }

  async emptyTree(): Promise<string> {
    return this.text(["hash-object", "-t", "tree", "--stdin"], { input: "" }).then(async (sha) => {
      await this.git(["hash-object", "-w", "-t", "tree", "--stdin"], { input: "" });
      return sha;
    });
  }

  async archive(commit: string, prefix: string): Promise<Buffer> {
    return this.git(["archive", "--format=tar.gz", `--prefix=${prefix}/`, commit]);
  }
}

function parseNumstat(out: string): Map<string, { additions: number; deletions: number }> {
  const map = new Map<string, { additions: number; deletions: number }>();
  const parts = out.split("\0");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (!part) continue;
    const [add, del, name] = part.split("\t");
    const additions = add === "-" ? 0 : Number(add);
    const deletions = del === "-" ? 0 : Number(del);
    if (name === "" || name === undefined) {
      // Rename: "add\tdel\t\0old\0new\0"
      i += 2;
      map.set(parts[i]!, { additions, deletions });
    } else {
      map.set(name, { additions, deletions });
    }
  }
  return map;
}

/** About where GitHub stops including a file's patch in API listings. */
const maxPatchBytes = 1024 * 1024;
