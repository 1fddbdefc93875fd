import { loadYamlDocuments, type YamlLimits } from "../yaml/load-yaml-documents.js";
import { normalizeRepositoryPath } from "./normalize-repository-path.js";
import type { SourceEntry, SourceReadResult, SourceTree } from "./source-tree.js";
import { SourceTreeError } from "./source-tree-error.js";
import { mapLimited } from "../map-limited.js";

/** One Kubernetes object as written in the repository. */
export interface ManifestObject {
  object: Record<string, unknown>;
  file: string;
  /** 1-based line where the object's document starts. */
  line: number;
  documentIndex: number;
  lineOf(path: ReadonlyArray<string | number>): number;
}

export interface ManifestLoadError {
  file: string;
  /** 1-based; 0 when the problem is the file (or folder) as a whole. */
  line: number;
  message: string;
}

export interface ManifestLimits extends YamlLimits {
  maxFiles: number;
}

export interface LoadManifestsResult {
  objects: ManifestObject[];
  errors: ManifestLoadError[];
  /** Manifest files read. */
  files: number;
}

const manifestFile = /\.ya?ml$/i;
const maxSymlinkHops = 8;
const readConcurrency = 8;

/**
 * Loads every `*.yaml` / `*.yml` below an environment's folder, in path order. Paths that
 * leave the repository, symlinks that point out of it, and every file or YAML problem come
 * back as errors next to the objects that did load. Only an outage of the source tree (an error
 * other than `SourceTreeError`) is thrown, so the caller can retry.
 */
export async function loadManifests(params: { tree: SourceTree; path: string; limits: ManifestLimits }): Promise<LoadManifestsResult> {
  const { tree, limits } = params;
  const errors: ManifestLoadError[] = [];
  const objects: ManifestObject[] = [];
  const done = (files: number): LoadManifestsResult => ({ objects, errors, files });

  const dir = normalizeRepositoryPath(params.path);
  if (dir === undefined) {
    errors.push({ file: params.path, line: 0, message: "the environment path must be relative to the repository and stay inside it" });
    return done(0);
  }
  let entries: SourceEntry[] | undefined;
  try {
    entries = await tree.list(dir);
  } catch (error) {
    if (!(error instanceof SourceTreeError)) throw error;
    errors.push({ file: dir || ".", line: 0, message: `could not list the folder: ${error.message}` });
    return done(0);
  }
  if (entries === undefined) {
    errors.push({ file: dir || ".", line: 0, message: "the environment folder does not exist" });
    return done(0);
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
    return done(0);
  }

  const reads = await mapLimited(candidates, readConcurrency, (entry) => readEntry(tree, entry, byPath, limits.maxFileBytes));
  candidates.forEach((entry, index) => {
    const read = reads[index];
    if (!read.ok) {
      errors.push({ file: entry.path, line: 0, message: read.message });
      return;
    }
    const loaded = loadYamlDocuments(read.bytes, { file: entry.path, limits });
    if (!loaded.ok) {
      errors.push(loaded.error);
      return;
    }
    for (const document of loaded.documents) {
      const value = document.value;
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        errors.push({ file: entry.path, line: document.line, message: "document is not a Kubernetes object (expected a mapping with apiVersion and kind)" });
        continue;
      }
      objects.push({
        object: value as Record<string, unknown>,
        file: entry.path,
        line: document.line,
        documentIndex: document.index,
        lineOf: document.lineOf,
      });
    }
  });
  return done(candidates.length);
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

