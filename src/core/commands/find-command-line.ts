/**
 * How much of a comment is read. GitHub stores at most 65,536 characters per comment, so this only
 * bounds what a longer body (a bug, a forged payload) could cost: the scan is linear in it.
 */
export const maxScannedChars = 65_536;

interface Fence {
  char: "`" | "~";
  length: number;
}

/**
 * The only line of a comment that may hold a command: its first line of prose, trimmed.
 *
 * Skipped on the way there, as GitHub renders them: blank lines, fenced code (``` and ~~~, any
 * info string, an unclosed fence runs to the end), indented code, block quotes (`>` lines and the
 * lines that continue them up to a blank line) and HTML comments (`<!-- ... -->`, also across
 * lines). A command further down never fires: text about a command is not a command, and one
 * comment runs at most one. Returns undefined when the comment has no prose line.
 */
export function findCommandLine(body: string): string | undefined {
  const text = body.length > maxScannedChars ? body.slice(0, maxScannedChars) : body;
  let fence: Fence | undefined;
  let inHtmlComment = false;
  let inQuote = false;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (fence) {
      if (closesFence(line, fence)) fence = undefined;
      continue;
    }
    if (inHtmlComment) {
      if (line.includes("-->")) inHtmlComment = false;
      continue;
    }
    if (line.trim() === "") {
      inQuote = false;
      continue;
    }
    const opening = openingFence(line);
    if (opening) {
      fence = opening;
      inQuote = false;
      continue;
    }
    const htmlStart = /^ {0,3}<!--/.exec(line);
    if (htmlStart) {
      inQuote = false;
      inHtmlComment = !line.slice(htmlStart[0].length).includes("-->");
      continue;
    }
    if (/^ {0,3}>/.test(line)) {
      inQuote = true;
      continue;
    }
    // A line right after a quote without a blank line between continues the quote when rendered.
    if (inQuote) continue;
    if (indentation(line) >= 4) continue;
    return stripInlineComments(line).trim();
  }
  return undefined;
}

function openingFence(line: string): Fence | undefined {
  const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
  if (!match) return undefined;
  const char = match[1][0] as Fence["char"];
  // A backtick fence's info string has no backtick; with one, the line is inline code.
  if (char === "`" && match[2].includes("`")) return undefined;
  return { char, length: match[1].length };
}

function closesFence(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return match !== null && match[1][0] === fence.char && match[1].length >= fence.length;
}

/** Columns of leading whitespace, a tab reaching the next multiple of 4 as Markdown counts it. */
function indentation(line: string): number {
  let columns = 0;
  for (const char of line) {
    if (char === " ") columns += 1;
    else if (char === "\t") columns += 4 - (columns % 4);
    else break;
    if (columns >= 4) break;
  }
  return columns;
}

/** `/plan <!-- why -->` is `/plan`; an unclosed `<!--` hides the rest of the line. */
function stripInlineComments(line: string): string {
  let out = "";
  let from = 0;
  for (;;) {
    const start = line.indexOf("<!--", from);
    if (start < 0) return out + line.slice(from);
    out += line.slice(from, start) + " ";
    const end = line.indexOf("-->", start + 4);
    if (end < 0) return out;
    from = end + 3;
  }
}
