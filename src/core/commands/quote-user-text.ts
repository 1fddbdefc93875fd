import { codeSpan } from "../markdown/code-span.js";

/** The most characters of a commenter's own text a reply repeats. */
export const maxQuotedLength = 40;

/** Text someone typed, as a short code span that is safe to repeat in a reply (see `codeSpan`). */
export function quoteUserText(text: string, maxLength = maxQuotedLength): string {
  // Slice before splitting into code points, so a megabyte of input costs no more than a line.
  const chars = Array.from(text.slice(0, maxLength * 2 + 2));
  if (chars.length <= maxLength) return codeSpan(chars.join(""));
  return `${codeSpan(chars.slice(0, maxLength).join(""))}…`;
}
