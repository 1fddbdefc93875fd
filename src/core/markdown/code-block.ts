/**
 * A fenced code block that its content cannot close: the fence is a run of backticks longer than
 * any in the content (at least three). `info` names the language, e.g. `diff`.
 */
export function codeBlock(content: string, info = ""): string {
  // A loop, not Math.max(...runs): a long diff has more runs than a call takes arguments.
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info.replace(/[`\s]/g, "")}\n${content}\n${fence}`;
}
