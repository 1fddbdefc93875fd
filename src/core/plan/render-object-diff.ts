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
 * What one diff may cost. Comparing two texts costs about (lines of both) x (changed lines), so a
 * thousand changed lines between two 5,000-line objects stays near a third of a second; a diff
 * bigger than that would not fit in a GitHub comment or check run anyway.
 */
export const diffBounds = { maxLines: 5_000, maxChars: 512 * 1024, maxChangedLines: 1_000 } as const;

/**
 * A unified diff of two objects (already normalized and masked) rendered as YAML; an absent side
 * is the empty file, so a creation is all `+` lines. Empty when the two render the same. Past
 * `diffBounds` the diff says it is too large to show instead.
 */
export function renderObjectDiff(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  options: RenderObjectDiffOptions,
): string {
  const lines = [`--- ${options.beforeLabel}`, `+++ ${options.afterLabel}`];
  const tooLarge = (why: string) => [...lines, `# diff too large to show: ${why}`].join("\n");
  // Every leaf is at least one line of YAML: count them (bounded) before rendering anything.
  if (hasMoreLeaves(before, diffBounds.maxLines) || hasMoreLeaves(after, diffBounds.maxLines)) {
    return tooLarge(`more than ${diffBounds.maxLines} lines of YAML`);
  }
  const oldText = before ? toYaml(before) : "";
  const newText = after ? toYaml(after) : "";
  if (oldText === newText) return "";

  const oldLines = countLines(oldText);
  const newLines = countLines(newText);
  if (Math.max(oldLines, newLines) > diffBounds.maxLines) return tooLarge(`more than ${diffBounds.maxLines} lines of YAML`);
  if (Math.max(oldText.length, newText.length) > diffBounds.maxChars) return tooLarge(`more than ${diffBounds.maxChars} characters of YAML`);

  // One side empty: every line is added or removed, no comparison needed.
  if (oldText === "" || newText === "") {
    const [sign, text, count] = oldText === "" ? ["+", newText, newLines] : ["-", oldText, oldLines];
    lines.push(oldText === "" ? `@@ -0,0 +${range(1, count)} @@` : `@@ -${range(1, count)} +0,0 @@`);
    for (const line of trimFinalNewline(text).split("\n")) lines.push(`${sign}${line}`);
    return lines.join("\n");
  }

  const patch = structuredPatch(options.beforeLabel, options.afterLabel, oldText, newText, undefined, undefined, {
    context: options.context ?? 3,
    maxEditLength: diffBounds.maxChangedLines,
  });
  if (patch === undefined) return tooLarge(`more than ${diffBounds.maxChangedLines} changed lines`);
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`);
    for (const line of hunk.lines) if (!line.startsWith("\\")) lines.push(line);
  }
  return lines.join("\n");
}

/** YAML as a reader expects it: keys in the order given, long strings unwrapped, no anchors. */
export function toYaml(object: Record<string, unknown>): string {
  return dump(object, { lineWidth: -1, noRefs: true, sortKeys: false });
}

function hasMoreLeaves(object: Record<string, unknown> | undefined, max: number): boolean {
  if (object === undefined) return false;
  let leaves = 0;
  const pending: unknown[] = [object];
  while (pending.length > 0) {
    const node = pending.pop();
    let children = 0;
    if (Array.isArray(node)) {
      for (; children < node.length && pending.length <= max; children++) pending.push(node[children]);
    } else if (node !== null && typeof node === "object") {
      for (const key in node) {
        if (pending.length > max) break;
        pending.push((node as Record<string, unknown>)[key]);
        children += 1;
      }
    }
    // A scalar or an empty collection is a line of its own; past `max` waiting nodes, so is each of those.
    if (children === 0) leaves += 1;
    if (leaves + pending.length > max) return true;
  }
  return false;
}

function countLines(text: string): number {
  if (text === "") return 0;
  let count = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < text.length - 1; i = text.indexOf("\n", i + 1)) count += 1;
  return count;
}

function trimFinalNewline(text: string): string {
  return text.endsWith("\n") ? text.slice(0, -1) : text;
}

// As GNU diff writes them: an empty range names the line before it (`-0,0` for a new file).
function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`;
}
