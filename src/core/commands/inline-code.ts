// Control characters and bidirectional overrides: a reply must show what was typed, not reorder it.
const invisible = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text in a Markdown code span it cannot leave (backticks become '), with `@` broken by a
 * zero-width space so no one is mentioned even if the text is later shown outside code.
 */
export function inlineCode(text: string): string {
  const shown = text.replace(invisible, " ").replace(/`/g, "'").replace(/@/g, "@\u200b").trim();
  return `\`${shown || " "}\``;
}
