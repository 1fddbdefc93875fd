import type { SourceEntry, SourceTree } from "./source-tree.js";

export type MemoryFile = string | Uint8Array | { symlink: string };

/** A SourceTree over files held in memory: for tests, and for trees already fetched whole. */
export function createMemorySourceTree(files: Record<string, MemoryFile>): SourceTree {
  const encoder = new TextEncoder();
  const entries: SourceEntry[] = Object.entries(files).map(([path, content]) =>
    typeof content === "object" && !(content instanceof Uint8Array)
      ? { kind: "symlink", path, target: content.symlink }
      : { kind: "file", path, size: typeof content === "string" ? encoder.encode(content).byteLength : content.byteLength },
  );
  return {
    async list(dir) {
      const prefix = dir === "" ? "" : `${dir}/`;
      const found = entries.filter((entry) => entry.path.startsWith(prefix));
      return found.length > 0 || dir === "" ? found : undefined;
    },
    async read(path) {
      const content = files[path];
      if (content === undefined) return { ok: false, message: "file not found" };
      if (typeof content === "string") return { ok: true, bytes: encoder.encode(content) };
      if (content instanceof Uint8Array) return { ok: true, bytes: content };
      return { ok: false, message: "is a symlink" };
    },
  };
}
