import { codeSpan } from "../markdown/code-span.js";
import { quoteUserText } from "./quote-user-text.js";

/** A commit as replies show it: the first 12 hex digits in code, as the plan comment does. */
export function formatSha(sha: string): string {
  return /^[0-9a-f]{7,64}$/i.test(sha) ? codeSpan(sha.slice(0, 12).toLowerCase()) : quoteUserText(sha);
}
