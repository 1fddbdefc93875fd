import { ZERO_WIDTH_SPACE } from "./without-mentions.js";

/**
 * Text GitHub turns into no link: URLs (`scheme://`), `www.` hosts, and issue references such
 * as `#12` or `owner/repo#12` (which would also list the comment on that issue) are broken by
 * a zero-width space, so they read the same and link nowhere. E-mail addresses are broken by
 * `withoutMentions`.
 */
export function withoutAutolinks(text: string): string {
  return text
    .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
    .replace(/\b(www)\./gi, `$1${ZERO_WIDTH_SPACE}.`)
    .replace(/#(?=[0-9])/g, `#${ZERO_WIDTH_SPACE}`)
    .replace(/\b(gh)-(?=[0-9])/gi, `$1-${ZERO_WIDTH_SPACE}`);
}
