/**
 * A fenced code block that its content cannot close: the fence is a run of backticks longer than
 * any in the content (at least three). `info` names the language, e.g. `diff`.
 */
export function codeBlock(content: string, info = ""): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info.replace(/[`\s]/g, "")}\n${content}\n${fence}`;
}
