import { readFileSync, realpathSync } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { SourceEntry, SourceTree } from "../core/manifests/source-tree.js";

/** A SourceTree over a folder on disk: the repository root the command line works in. */
export function createLocalSourceTree(root: string): SourceTree {
  const toRepositoryPath = (absolute: string) => relative(root, absolute).split(sep).join("/");
  let realRoot: string | undefined;
  return {
    async list(dir) {
      const start = join(root, dir);
      const stat = await lstat(start).catch(() => undefined);
      if (stat === undefined) return undefined;
      if (stat.isFile()) return [{ kind: "file", path: dir, size: stat.size }];
      if (stat.isSymbolicLink()) return [{ kind: "symlink", path: dir, target: await readlink(start) }];
      const entries: SourceEntry[] = [];
      const walk = async (folder: string): Promise<void> => {
        for (const dirent of await readdir(folder, { withFileTypes: true })) {
          const absolute = join(folder, dirent.name);
          if (dirent.isDirectory()) {
            if (dirent.name !== ".git") await walk(absolute);
          } else if (dirent.isSymbolicLink()) {
            entries.push({ kind: "symlink", path: toRepositoryPath(absolute), target: await readlink(absolute) });
          } else if (dirent.isFile()) {
            entries.push({ kind: "file", path: toRepositoryPath(absolute) });
          }
        }
      };
      await walk(start);
      return entries;
    },
    async read(path) {
      try {
        // The loader resolves symlinks itself; this guards against chains the OS would follow out.
        // Synchronous reads: for many small local files they cost a third of the promise-based ones.
        realRoot ??= realpathSync(root);
        const real = realpathSync(join(root, path));
        if (real !== realRoot && !real.startsWith(realRoot + sep)) return { ok: false, message: "symlink points outside the repository" };
        return { ok: true, bytes: readFileSync(real) };
      } catch (error) {
        return {
          ok: false,
          message: (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : `could not read the file: ${(error as Error).message}`,
        };
      }
    },
  };
}
