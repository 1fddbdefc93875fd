/**
 * A lasting problem with the source itself (e.g. a tree too large to list), which the loader
 * reports as an error next to the objects. Anything else a source tree throws is an outage (GitHub
 * answering 5xx, a lost connection): the loader lets it through so the job is retried, instead
 * of failing the check with a finding that is not about the manifests.
 */
export class SourceTreeError extends Error {
  override name = "SourceTreeError";
}
