import { parseManifestFiles } from "./parse-manifest-files.js";
import { readManifestFiles } from "./read-manifest-files.js";
import type { LoadManifestsResult, ManifestLimits } from "./manifest-object.js";
import type { SourceTree } from "./source-tree.js";

export type { LoadManifestsResult, ManifestLimits, ManifestLoadError, ManifestObject } from "./manifest-object.js";

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
