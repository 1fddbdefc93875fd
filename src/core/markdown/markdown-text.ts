import { singleLine } from "./single-line.js";
import { withoutAutolinks } from "./without-autolinks.js";
import { withoutMentions } from "./without-mentions.js";

// Everything that starts emphasis, code, links, images, raw HTML, entities, strikethrough or a
// table cell. Escaped with a backslash, which GitHub renders as the character itself.
const markup = /[\\`*_[\]<>|~&!]/g;

/**
 * Text from anywhere (an object name, an image, a message from the cluster) as inline Markdown
 * that shows exactly that text: on one line, no formatting, no raw HTML, no link, no mention.
 * Safe inside a table cell too (its pipes are escaped).
 */
export function markdownText(text: string): string {
  return withoutAutolinks(withoutMentions(singleLine(text).replace(markup, "\\$&")));
}
