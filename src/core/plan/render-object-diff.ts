import { structuredPatch } from "diff";
import { dump } from "js-yaml";

export interface RenderObjectDiffOptions {
  /** Header names, e.g. `live` and `planned`, or `base` and `head`. */
  beforeLabel: string;
  afterLabel: string;
  /** Lines of context around each change. */
  context?: number;
}

/**
 * A unified diff of two objects (already normalized and masked) rendered as YAML; an absent side
 * is the empty file, so a creation is all `+` lines. Empty when the two render the same.
 */
export function renderObjectDiff(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  options: RenderObjectDiffOptions,
): string {
  const oldText = before ? toYaml(before) : "";
  const newText = after ? toYaml(after) : "";
  if (oldText === newText) return "";
  const patch = structuredPatch(options.beforeLabel, options.afterLabel, oldText, newText, undefined, undefined, { context: options.context ?? 3 });
  const lines = [`--- ${options.beforeLabel}`, `+++ ${options.afterLabel}`];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`, ...hunk.lines.filter((line) => !line.startsWith("\\")));
  }
  return lines.join("\n");
}

/** YAML as a reader expects it: keys in the order given, long strings unwrapped, no anchors. */
export function toYaml(object: Record<string, unknown>): string {
  return dump(object, { lineWidth: -1, noRefs: true, sortKeys: false });
}

// As GNU diff writes them: an empty range names the line before it (`-0,0` for a new file).
function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`;
}
