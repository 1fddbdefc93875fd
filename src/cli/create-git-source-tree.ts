import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { SourceEntry, SourceTree } from "../core/manifests/source-tree.js";

const run = promisify(execFile);
const maxBuffer = 256 * 1024 * 1024;

export type GitSourceTreeResult = { ok: true; tree: SourceTree; commit: string } | { ok: false; message: string };

/**
 * A SourceTree over a git commit of a local repository (`git ls-tree`, `git cat-file`): the base
 * of an offline plan. The ref is resolved once, so every read sees the same commit.
 */
export async function createGitSourceTree(repository: string, ref: string): Promise<GitSourceTreeResult> {
  if (ref.startsWith("-")) return { ok: false, message: `${ref} is not a git ref` };
  let commit: string;
  try {
    commit = (await git(repository, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).toString("utf8").trim();
  } catch {
    return { ok: false, message: `${ref} is not a commit in ${repository}` };
  }
  const tree: SourceTree = {
    async list(dir) {
      const args = ["ls-tree", "-r", "-z", "--full-tree", "-l", commit];
      if (dir !== "") args.push("--", dir);
      const output = (await git(repository, args)).toString("utf8");
      const entries: SourceEntry[] = [];
      for (const record of output.split("\0")) {
        if (record === "") continue;
        const tab = record.indexOf("\t");
        const [mode, type, object, size] = record.slice(0, tab).split(/\s+/);
        const path = record.slice(tab + 1);
        if (dir !== "" && path !== dir && !path.startsWith(`${dir}/`)) continue;
        if (type !== "blob") continue; // submodules are not part of the manifests
        if (mode === "120000") {
          entries.push({ kind: "symlink", path, target: (await git(repository, ["cat-file", "blob", object])).toString("utf8") });
        } else {
          entries.push({ kind: "file", path, size: Number(size) });
        }
      }
      return entries.length > 0 || dir === "" ? entries : undefined;
    },
    async read(path) {
      try {
        return { ok: true, bytes: await git(repository, ["cat-file", "blob", `${commit}:${path}`]) };
      } catch {
        return { ok: false, message: "file not found" };
      }
    },
  };
  return { ok: true, tree, commit };
}

async function git(cwd: string, args: string[]): Promise<Buffer> {
  const { stdout } = await run("git", args, { cwd, encoding: "buffer", maxBuffer });
  return stdout;
}
