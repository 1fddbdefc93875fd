import type { YamlLimits } from "../yaml/load-yaml-documents.js";
import { parseManifestFiles } from "./parse-manifest-files.js";
import { readManifestFiles } from "./read-manifest-files.js";
import type { SourceTree } from "./source-tree.js";

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

/**
 * Loads every `*.yaml` / `*.yml` below an environment's folder, in path order. Paths that
 * leave the repository, symlinks that point out of it, and every file or YAML problem come
 * back as errors next to the objects that did load. Only an outage of the source tree (an error
 * other than `SourceTreeError`) is thrown, so the caller can retry. Reading and parsing are two
 * steps (readManifestFiles, parseManifestFiles) so the App can parse off its main thread.
 */
export async function loadManifests(params: { tree: SourceTree; path: string; limits: ManifestLimits }): Promise<LoadManifestsResult> {
  return parseManifestFiles(await readManifestFiles(params), params.limits);
}
