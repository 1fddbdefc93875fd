import { singleLine } from "./single-line.js";

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Text inside an HTML element of a comment (a `<summary>`, a `<code>` in it): entities for the
 * characters HTML reads, and on one line, since a blank line would end the HTML block and let
 * the rest be read as Markdown.
 */
export function htmlText(text: string): string {
  return singleLine(text).replace(/[&<>"']/g, (c) => entities[c]);
}
