// Line breaks, other control characters, Unicode line and paragraph separators, and bidirectional
// overrides: text shown on one line must stay on it, and show in the order it was written.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const breaking = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text on one line: every line break, control character and direction override becomes a space. */
export function singleLine(text: string): string {
  return text.replace(breaking, " ");
}
