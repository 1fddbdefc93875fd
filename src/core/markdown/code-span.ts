import { singleLine } from "./single-line.js";
import { withoutMentions } from "./without-mentions.js";

/**
 * Text as a Markdown code span it cannot leave: the fence is one backtick longer than any run of
 * backticks inside, padded with spaces where the text starts or ends with a backtick or a space
 * (CommonMark strips one), and on one line. GitHub renders nothing inside code; `@` still gets a
 * zero-width space, so that no copy of the text shown outside code (a notification, a quote) mentions anyone.
 */
export function codeSpan(text: string): string {
  const shown = withoutMentions(singleLine(text));
  if (shown === "") return "` `";
  // A loop, not Math.max(...runs): a long hostile text has more runs than a call takes arguments.
  let longest = 0;
  for (const run of shown.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(shown) && shown.trim() !== "" ? " " : "";
  return `${fence}${pad}${shown}${pad}${fence}`;
}
