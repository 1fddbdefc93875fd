import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

/**
 * Markdown as GitHub renders it (CommonMark with GitHub's extensions: tables, autolinks,
 * strikethrough), raw HTML let through as GitHub lets its safe subset through: what a reader of
 * a comment or check run would see, for tests to assert on structure instead of characters.
 */
export function renderMarkdown(markdown: string): string {
  return micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
}

/** The elements of rendered Markdown that only Markdown or HTML from the text itself could have made. */
export function injectedElements(html: string): string[] {
  return [...html.matchAll(/<(a|img|script|strong|em|del|h[1-6]|iframe|details|table)\b[^>]*>/gi)].map((m) => m[0]);
}
