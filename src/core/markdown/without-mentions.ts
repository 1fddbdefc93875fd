/** Zero-width space: invisible, and enough to stop GitHub from reading what follows as a name. */
export const ZERO_WIDTH_SPACE = "\u200b";

/**
 * Text in which GitHub finds no one to notify: `@user` and `@org/team` get a zero-width space
 * after the `@`, so they read the same and mention nobody.
 */
export function withoutMentions(text: string): string {
  return text.replace(/@/g, `@${ZERO_WIDTH_SPACE}`);
}
