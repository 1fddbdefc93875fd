/**
 * The files of a repository at one commit, as the manifest loader sees them. The App backs it
 * with the GitHub git trees and blobs API, the command line with the local filesystem, tests
 * with memory. Paths are repository-relative and `/`-separated. Expected problems come back as
 * data (or a `SourceTreeError`); any other thrown error means an outage, and the job is retried.
 */
export interface SourceTree {
  /**
   * Every file and symlink below `dir` (recursively; `""` is the root; a file lists itself),
   * or `undefined` when `dir` does not exist.
   */
  list(dir: string): Promise<SourceEntry[] | undefined>;
  /** A file's bytes. An implementation must not follow a symlink out of the repository. */
  read(path: string): Promise<SourceReadResult>;
}

export type SourceEntry = { kind: "file"; path: string; size?: number } | { kind: "symlink"; path: string; target: string };

export type SourceReadResult = { ok: true; bytes: Uint8Array } | { ok: false; message: string };
