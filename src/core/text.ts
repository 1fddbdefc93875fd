// Small text helpers shared by every message Slipway writes: counts read as sentences, bounded
// lengths, and the distance behind "did you mean ...".

/** `1 object`, `3 objects`; `pluralNoun` for nouns that do not take an `s`. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

/**
 * `text` cut to at most `maxLength` characters, the last one an ellipsis when anything was cut.
 * Counts code points, so a character outside the BMP is never split in half.
 */
export function truncate(text: string, maxLength: number): string {
  const chars = Array.from(text);
  return chars.length <= maxLength ? text : `${chars.slice(0, maxLength - 1).join("")}…`;
}

/**
 * Optimal-string-alignment distance (Levenshtein with adjacent transpositions, so `lcok` is one
 * edit from `lock`), or `limit + 1` as soon as it must exceed `limit`: candidates are short names,
 * and a long input is rejected by its length alone.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return Math.min(previous[b.length], limit + 1);
}
