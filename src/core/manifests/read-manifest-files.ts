import { normalizeRepositoryPath } from "./normalize-repository-path.js";
import type { ManifestLimits, ManifestLoadError } from "./manifest-object.js";
import type { SourceEntry, SourceReadResult, SourceTree } from "./source-tree.js";
import { SourceTreeError } from "./source-tree-error.js";
import { mapLimited } from "../map-limited.js";

/** An environment's manifest files as read from the source tree, before any YAML is parsed. */
export interface ManifestFiles {
  /** Problems of the folder and its paths, in the order found. */
  errors: ManifestLoadError[];
  /** Every manifest file in path order: its bytes, or why it could not be read. */
  files: Array<{ path: string; read: SourceReadResult }>;
}

const manifestFile = /\.ya?ml$/i;
const maxSymlinkHops = 8;
const readConcurrency = 8;

/**
 * Lists every `*.yaml` / `*.yml` below an environment's folder and reads it, in path order: the
 * I/O half of loadManifests, with its path checks (paths that leave the repository, symlinks that
 * point out of it, too many files, too large a file). Only an outage of the source tree (an error
 * other than `SourceTreeError`) is thrown, so the caller can retry.
 */
export async function readManifestFiles(params: { tree: SourceTree; path: string; limits: ManifestLimits }): Promise<ManifestFiles> {
  const { tree, limits } = params;
  const errors: ManifestLoadError[] = [];
  const done = (files: ManifestFiles["files"] = []): ManifestFiles => ({ errors, files });

  const dir = normalizeRepositoryPath(params.path);
  if (dir === undefined) {
    errors.push({ file: params.path, line: 0, message: "the environment path must be relative to the repository and stay inside it" });
    return done();
  }
  let entries: SourceEntry[] | undefined;
  try {
    entries = await tree.list(dir);
  } catch (error) {
    if (!(error instanceof SourceTreeError)) throw error;
    errors.push({ file: dir || ".", line: 0, message: `could not list the folder: ${error.message}` });
    return done();
  }
  if (entries === undefined) {
    errors.push({ file: dir || ".", line: 0, message: "the environment folder does not exist" });
    return done();
  }

  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const candidates: SourceEntry[] = [];
  for (const entry of entries) {
    const normalized = normalizeRepositoryPath(entry.path);
    if (normalized === undefined || normalized !== entry.path || (dir !== "" && normalized !== dir && !normalized.startsWith(`${dir}/`))) {
      errors.push({ file: entry.path, line: 0, message: "path is outside the repository or the environment folder" });
      continue;
    }
    if (entry.kind === "symlink" && resolveSymlink(entry, byPath).kind === "outside") {
      errors.push({ file: entry.path, line: 0, message: `symlink points outside the repository (${entry.target})` });
      continue;
    }
    if (manifestFile.test(entry.path)) candidates.push(entry);
  }
  candidates.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (candidates.length > limits.maxFiles) {
    errors.push({
      file: dir || ".",
      line: 0,
      message: `${candidates.length} manifest files, more than ${limits.maxFiles} (validation.limits.maxFiles)`,
    });
    return done();
  }

  const reads = await mapLimited(candidates, readConcurrency, (entry) => readEntry(tree, entry, byPath, limits.maxFileBytes));
  return done(candidates.map((entry, index) => ({ path: entry.path, read: reads[index] })));
}

type Resolved = { kind: "path"; path: string } | { kind: "outside" } | { kind: "loop" };

function resolveSymlink(entry: SourceEntry, byPath: Map<string, SourceEntry>): Resolved {
  let current = entry;
  for (let hop = 0; hop < maxSymlinkHops; hop++) {
    if (current.kind !== "symlink") return { kind: "path", path: current.path };
    const parent = current.path.includes("/") ? current.path.slice(0, current.path.lastIndexOf("/")) : "";
    const target = normalizeRepositoryPath(current.target, parent);
    if (target === undefined) return { kind: "outside" };
    const next = byPath.get(target);
    if (next === undefined) return { kind: "path", path: target };
    current = next;
  }
  return { kind: "loop" };
}

async function readEntry(tree: SourceTree, entry: SourceEntry, byPath: Map<string, SourceEntry>, maxFileBytes: number): Promise<SourceReadResult> {
  let path = entry.path;
  if (entry.kind === "symlink") {
    const resolved = resolveSymlink(entry, byPath);
    if (resolved.kind !== "path") return { ok: false, message: resolved.kind === "loop" ? "symlink loop" : "symlink points outside the repository" };
    path = resolved.path;
  } else if (entry.size !== undefined && entry.size > maxFileBytes) {
    return { ok: false, message: `file is larger than ${maxFileBytes} bytes (validation.limits.maxFileBytes)` };
  }
  try {
    const read = await tree.read(path);
    return read.ok || path === entry.path ? read : { ok: false, message: `symlink target ${path}: ${read.message}` };
  } catch (error) {
    if (!(error instanceof SourceTreeError)) throw error;
    return { ok: false, message: `could not read the file: ${error.message}` };
  }
}
