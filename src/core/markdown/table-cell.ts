import { singleLine } from "./single-line.js";

/**
 * Inline Markdown (from `markdownText`, `codeSpan` and Slipway's own words) as one table cell:
 * on one line, and every pipe escaped, inside code spans too (GitHub splits the row at a pipe
 * before it reads code spans). A pipe already escaped by an odd run of backslashes is left as is.
 */
export function tableCell(markdown: string): string {
  return singleLine(markdown).replace(/(\\*)\|/g, (match, slashes: string) => (slashes.length % 2 === 1 ? match : `${slashes}\\|`));
}
