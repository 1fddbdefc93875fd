/** The mask put where a Secret value was. */
export const MASK = "***";

/**
 * A function that masks every occurrence of any of `secretValues` in a text, in one pass over the
 * text whatever the number of values (an index by each value's first characters): where
 * occurrences overlap, their union is masked, so no part of either shows.
 */
export function createSecretMasker(secretValues: readonly string[]): (text: string) => string {
  const values = secretValues.filter((value) => value !== "");
  if (values.length === 0) return (text) => text;
  const width = values.reduce((narrowest, value) => Math.min(narrowest, value.length), 4);
  const byPrefix = new Map<string, string[]>();
  for (const value of values) {
    const prefix = value.slice(0, width);
    const list = byPrefix.get(prefix);
    if (list) list.push(value);
    else byPrefix.set(prefix, [value]);
  }
  return (text) => {
    if (text.length < width) return text;
    const spans: Array<[number, number]> = [];
    for (let i = 0; i + width <= text.length; i++) {
      const candidates = byPrefix.get(text.slice(i, i + width));
      if (candidates === undefined) continue;
      let end = -1;
      for (const value of candidates) if (i + value.length > end && text.startsWith(value, i)) end = i + value.length;
      if (end < 0) continue;
      const last = spans.at(-1);
      if (last && i <= last[1]) last[1] = Math.max(last[1], end);
      else spans.push([i, end]);
    }
    if (spans.length === 0) return text;
    let result = "";
    let at = 0;
    for (const [start, end] of spans) {
      result += text.slice(at, start) + MASK;
      at = end;
    }
    return result + text.slice(at);
  };
}
