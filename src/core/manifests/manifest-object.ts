import type { YamlLimits } from "../yaml/load-yaml-documents.js";

/** One Kubernetes object as written in the repository. */
export interface ManifestObject {
  object: Record<string, unknown>;
  file: string;
  /** 1-based line where the object's document starts. */
  line: number;
  documentIndex: number;
  /** Index in the `items` of the List document the object came from (kubectl unpacks Lists too). */
  listIndex?: number;
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
